"""Sitting an exam in the app, as a learner does: real key presses, a clock driven by hand."""

from __future__ import annotations

import json

from smtpsim.course.exam import ExamSettings
from smtpsim.course.exam_pool import RetryPool
from smtpsim.course.questions import key_text
from smtpsim.ui.course.exam_screen import ExamResultsScreen, ExamScreen, open_exam

from .helpers import SIZE, new_app, type_keys


class FakeClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def exam_app(tmp_path, clock, **settings):
    options = dict(seed=11, count=4, results_dir=tmp_path / "results", data_dir=tmp_path)
    chosen = ExamSettings(**{**options, **settings})
    app = new_app(setup=lambda app: open_exam(app, chosen, clock), exam=chosen)
    return app, chosen


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector).content)


async def answer(pilot, app, text: str) -> None:
    """Put an answer in the line and press Enter (the first test types key by key)."""
    app.screen.query_one("#exam-answer").value = text
    await pilot.press("enter")
    await pilot.pause()


def wrong_for(question) -> str:
    return "B" if question.key == "A" else "A" if question.choices else "999 999"


async def test_sit_a_short_exam_and_see_the_score_with_ticks_and_crosses(tmp_path):
    clock = FakeClock()
    app, _settings = exam_app(tmp_path, clock, minutes=10, student="Ann")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        questions = screen.sitting.exam.questions
        assert text_of(app, "#exam-title") == f"1. {questions[0].title}"
        assert "Ann  ·  Exam  ·  seed 11  ·  question 1 of 4" in text_of(app, "#exam-status")
        assert "10:00 left" in text_of(app, "#exam-status")
        await type_keys(pilot, questions[0].key)                 # right
        assert not app.screen.query_one("#exam-feedback").display    # no feedback in exams
        assert text_of(app, "#exam-title") == f"2. {questions[1].title}"
        await type_keys(pilot, questions[1].key)                 # right
        await type_keys(pilot, wrong_for(questions[2]))          # wrong
        clock.now += 95                                          # the fourth is left blank
        await pilot.press("f10")
        await pilot.pause()
        assert app.screen is screen                              # one blank: F10 asks again
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        score = text_of(app, "#results-score")
        assert "Exam results  ·  Ann  ·  seed 11" in score
        assert "Score: 50% - 2 of 4 right" in score and score.endswith("✓ ✓ ✗ ✗ ")
        items = [text_of(app, f"#result-{n}") for n in range(1, 5)]
        assert [item[0] for item in items] == ["✓", "✓", "✗", "✗"]
        assert "Your answer: (no answer)" in items[3]
        assert f"Answer: {key_text(questions[2])}" in items[2]
        assert all("See: " in item or "RFC" in item for item in items)
        saved = sorted((tmp_path / "results").iterdir())
        assert [p.suffix for p in saved] == [".csv", ".json"]
        data = json.loads(saved[1].read_text("utf-8"))
        assert data["student"] == "Ann" and data["score"] == 50.0
        assert data["elapsed_seconds"] == 95.0
        assert "Results saved" in text_of(app, "#results-note")
        assert len(RetryPool(tmp_path)) == 1                     # the wrong one, to retry
        await pilot.press("escape")                              # back to the simulator
        await pilot.pause()
        assert app.focused is app.query_one("#command")


async def test_practice_mode_explains_every_answer_at_once(tmp_path):
    app, _ = exam_app(tmp_path, FakeClock(), practice=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        questions = app.screen.sitting.exam.questions
        await pilot.press("enter")                               # a blank line locks nothing
        assert not app.screen.query_one("#exam-answer").disabled
        await answer(pilot, app, wrong_for(questions[0]))
        feedback = app.screen.query_one("#exam-feedback")
        assert feedback.display
        text = text_of(app, "#exam-feedback")
        assert text.startswith("✗ Wrong")
        assert f"Answer: {key_text(questions[0])}" in text and "See: " in text
        assert app.screen.query_one("#exam-answer").disabled    # the first answer stands
        assert "left" not in text_of(app, "#exam-status")        # practice: no clock
        await pilot.press("enter")                               # on to the next question
        assert text_of(app, "#exam-title") == f"2. {questions[1].title}"
        await answer(pilot, app, questions[1].key)
        assert text_of(app, "#exam-feedback").startswith("✓ Right")
        await pilot.press("pageup")                              # earlier feedback stays
        await pilot.pause()
        assert text_of(app, "#exam-feedback").startswith("✗ Wrong")


async def test_when_time_runs_out_the_exam_ends_and_blanks_count_wrong(tmp_path):
    clock = FakeClock()
    app, _ = exam_app(tmp_path, clock, minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        questions = screen.sitting.exam.questions
        await answer(pilot, app, questions[0].key)
        clock.now += 45
        screen.tick()
        assert "0:15 left" in text_of(app, "#exam-status")
        clock.now += 20
        screen.tick()
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        result = app.screen.result
        assert result.timed_out and result.score == 25.0
        assert "time ran out" in text_of(app, "#results-score")


async def test_an_answer_typed_but_not_confirmed_still_counts(tmp_path):
    app, _ = exam_app(tmp_path, FakeClock(), minutes=5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        questions = screen.sitting.exam.questions
        screen.answer_input.value = questions[0].key
        await pilot.press("pagedown")                            # moved on without Enter
        await pilot.pause()
        assert screen.sitting.answers[0] == questions[0].key
        await pilot.click("#exam-previous")
        assert screen.answer_input.value == questions[0].key
        await pilot.click("#exam-finish")
        assert screen.finish_armed                               # blanks left: asks again
        await pilot.press("f10")
        await pilot.pause()
        item = text_of(app, "#result-1")
        assert "Your answer: " + questions[0].key in item


async def test_a_typed_answer_is_shown_literally_in_the_results(tmp_path):
    app, _ = exam_app(tmp_path, FakeClock(), minutes=5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        questions = screen.sitting.exam.questions
        typed = next(n for n, q in enumerate(questions) if not q.choices)
        for _ in range(typed):
            await pilot.press("pagedown")
            await pilot.pause()
        screen.answer_input.value = "[red]not markup[/red]"
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        item = text_of(app, f"#result-{typed + 1}")
        assert "Your answer: [red]not markup[/red]" in item       # shown literally


async def test_an_empty_retry_pool_opens_nothing(tmp_path):
    app, _ = exam_app(tmp_path, FakeClock(), retry=True, practice=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, ExamScreen)
        assert app.focused is app.query_one("#command")


def test_the_exam_command_opens_the_app_with_the_exam(monkeypatch, tmp_path, capsys):
    import smtpsim.ui.app
    from smtpsim.cli import main
    opened = {}

    class Recorder:
        def __init__(self, **options):
            opened.update(options)

        def run(self):
            opened["ran"] = True

    monkeypatch.setenv("SMTPSIM_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(smtpsim.ui.app, "make_app", lambda **options: Recorder(**options))
    assert main(["exam", "--seed", "3", "--count", "2", "--student", "Ann"]) == 0
    settings = opened["exam"]
    assert (settings.seed, settings.count, settings.minutes, settings.student) == \
        (3, 2, 4.0, "Ann")
    assert callable(opened["setup"]) and opened["ran"]
    assert "seed 3, 2 questions, exam mode" in capsys.readouterr().err


async def test_the_simulators_keys_wait_during_an_exam_and_explain_is_for_practice(tmp_path):
    app, _ = exam_app(tmp_path, FakeClock(), minutes=5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.holds_app_keys
        session = app.session
        for key in ("f2", "f3", "f5", "f8", "escape"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, key
        assert app.session is session                           # F5 opened no new connection
    app, _ = exam_app(tmp_path, FakeClock(), practice=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.screen.holds_app_keys
        await pilot.press("f8")
        await pilot.pause()
        assert type(app.screen).__name__ == "LookupScreen"


async def test_arrow_keys_scroll_a_long_explanation(tmp_path):
    # seed 1, question 4: a long dialogue, four choices and a long explanation
    app, _ = exam_app(tmp_path, FakeClock(), practice=True, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.show(3)
        await pilot.pause()
        questions = app.screen.sitting.exam.questions
        await answer(pilot, app, wrong_for(questions[3]))
        await pilot.pause()
        body = app.screen.query_one("#exam-body")
        assert body.max_scroll_y > 4 and body.scroll_y > 0    # scrolled to the verdict
        for _n in range(body.max_scroll_y):                     # back to the top
            await pilot.press("up")
        assert body.scroll_y == 0
        await pilot.press("down", "down")
        await pilot.pause()
        assert body.scroll_y == 4
        await pilot.press("up")
        await pilot.pause()
        assert body.scroll_y == 2


def first_choice_question(app) -> int:
    return next(n for n, q in enumerate(app.screen.sitting.exam.questions) if q.choices)


async def test_a_choice_question_takes_only_a_choice_and_stays_until_it_gets_one(tmp_path):
    for practice in (False, True):
        app, _ = exam_app(tmp_path / str(practice), FakeClock(), minutes=10, count=12,
                          practice=practice, seed=4)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause()
            screen = app.screen
            index = first_choice_question(app)
            screen.show(index)
            await answer(pilot, app, "354")                   # a code typed for a letter
            assert screen.index == index and index not in screen.sitting.answers
            assert index not in screen.sitting.verdicts
            assert any("'354' is not one of the choices: type a letter from A to" in
                       n.message for n in app._notifications)
            await pilot.press("pagedown")                     # nor is it kept on moving
            await pilot.pause()
            assert screen.index == index
            question = screen.sitting.exam.questions[index]
            await answer(pilot, app, question.key.lower())    # a letter is an answer
            assert screen.sitting.answers[index] == question.key.lower()


async def test_f8_leaves_the_key_bar_during_a_timed_exam(tmp_path):
    def shown(app) -> str:
        return " ".join(app.export_screenshot().replace("&#160;", " ").split())

    async def key_bar(pilot, app) -> str:
        """The screen once its key bar is drawn (it shows Finish in both modes)."""
        for _ in range(50):
            await pilot.pause()
            text = shown(app)
            if "Finish" in text.rsplit("Finish (F10)", 1)[-1]:
                return text
        raise AssertionError("the key bar never showed Finish")
    app, _ = exam_app(tmp_path, FakeClock(), minutes=5)
    async with app.run_test(size=SIZE) as pilot:
        assert "Explain" not in await key_bar(pilot, app)
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
    app, _ = exam_app(tmp_path, FakeClock(), practice=True)
    async with app.run_test(size=SIZE) as pilot:
        assert "Explain" in await key_bar(pilot, app)


async def test_the_results_of_smtpsim_exam_end_the_app_and_say_what_the_pool_holds(tmp_path):
    pool = RetryPool(tmp_path)
    from smtpsim.course.exam import build_exam
    pool.record(build_exam(99, 1).questions[0], False)       # a mistake from an earlier day
    settings = ExamSettings(seed=11, count=2, minutes=5, results_dir=tmp_path / "r",
                            data_dir=tmp_path)
    app = new_app(setup=lambda app: open_exam(app, settings, FakeClock(), leave_app=True),
                  exam=settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for question in app.screen.sitting.exam.questions:
            await answer(pilot, app, question.key)               # 100%
        await pilot.press("f10")
        await pilot.pause()
        assert "100%" in text_of(app, "#results-score")
        note = text_of(app, "#results-note")
        assert ("Retry pool: 1 question from earlier sittings to practise again" in note)
        assert "of this exam" not in note
        await pilot.press("escape")
        await pilot.pause()
        assert app._exit


async def test_an_exam_left_blank_does_not_end_with_nothing_to_practise(tmp_path):
    """`smtpsim exam --seed 7 --count 2` finished with no answer: 0%, and the note says the
    two questions were not answered (the retry pool keeps wrong answers only) - never
    "nothing to practise again"."""
    settings = ExamSettings(seed=7, count=2, minutes=5, results_dir=tmp_path / "r",
                            data_dir=tmp_path)
    app = new_app(setup=lambda app: open_exam(app, settings, FakeClock(), leave_app=True),
                  exam=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f10", "f10")              # finish, and confirm with blanks
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        assert "0%" in text_of(app, "#results-score")
        note = " ".join(text_of(app, "#results-note").split())
        assert "nothing to practise again" not in note
        assert ("Retry pool: empty - it keeps the questions answered wrong. 2 questions were "
                "not answered: they are not in the retry pool; the same exam (--seed 7) asks "
                "them again.") in note


async def test_one_skipped_question_beside_a_wrong_one_is_told_apart(tmp_path):
    app, _settings = exam_app(tmp_path, FakeClock(), count=2, minutes=5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer(pilot, app, wrong_for(app.screen.sitting.exam.questions[0]))
        await pilot.press("f10", "f10")
        await pilot.pause()
        note = " ".join(text_of(app, "#results-note").split())
        assert ("Retry pool: 1 question of this exam to practise again (smtpsim exam --retry); "
                "each leaves after three right answers in a row. 1 question was not answered: "
                "it is not in the retry pool; the same exam (--seed 11) asks it again.") in note


def test_the_blank_exam_note_in_italian():
    from smtpsim import i18n
    from smtpsim.ui.course.exam_results_screen import pool_note
    i18n.set_language("it")
    try:
        note = pool_note(0, 0, 2, 7)
    finally:
        i18n.set_language("en")
    assert note == ("Domande da ripassare: nessuna; qui finiscono le domande a cui rispondi in "
                    "modo sbagliato. 2 domande sono rimaste senza risposta: non sono tra quelle "
                    "da ripassare; lo stesso esame (--seed 7) te le ripropone.")
