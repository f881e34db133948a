"""The exam at 80x24 and 120x36, in English and Italian: the question, its choices, the
end of its dialogue and the verdict of the last answer are on screen without scrolling.

Seed 1 holds a "follow the message" question whose dialogue (15 lines) is taller than
an 80x24 screen can show with the question and four choices.
"""

from __future__ import annotations

import pytest

from smtpsim import i18n
from smtpsim.course.exam import ExamSettings
from smtpsim.ui.course.exam_screen import VERDICT_WORDS, open_exam

from .helpers import fully_shown, new_app, shown_text

SIZES = [(80, 24), (120, 36)]


@pytest.fixture(params=["en", "it"])
def language(request):
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("en")


def exam_app(tmp_path, practice: bool, seed: int = 1):
    settings = ExamSettings(seed=seed, count=10, practice=practice,
                            results_dir=tmp_path / "results", data_dir=tmp_path)
    return new_app(setup=lambda app: open_exam(app, settings, lambda: 0.0), exam=settings)


def squashed(text: str) -> str:
    """Text without its spaces: a line wrapped at any column still matches."""
    return "".join(text.split())


def assert_question_in_view(app, question) -> None:
    screen = app.screen
    title, prompt = screen.query_one("#exam-title"), screen.query_one("#exam-prompt")
    assert fully_shown(app, title) and fully_shown(app, prompt)
    assert squashed(question.prompt) == squashed(shown_text(app, prompt))
    if question.choices:
        choices = screen.query_one("#exam-choices")
        assert fully_shown(app, choices)
        seen = squashed(shown_text(app, choices))
        assert all(squashed(choice) in seen for choice in question.choices)
    if question.context:     # the end of the dialogue: the lines the question is about
        dialogue = squashed(shown_text(app, screen.query_one("#exam-context")))
        assert dialogue.endswith(squashed(question.context[-1]))


async def settle(pilot) -> None:
    """The screen fits a question in two layout passes."""
    for _n in range(3):
        await pilot.pause()


async def answer_and_see_the_verdict(pilot, app, n: int, question) -> None:
    """Practice: answer (every other one wrong), read the verdict, go on with Enter."""
    screen = app.screen
    wrong = "B" if question.key == "A" else "A" if question.choices else "999 999"
    screen.query_one("#exam-answer").value = wrong if n % 2 else question.key
    await pilot.press("enter")
    await settle(pilot)
    verdict = screen.sitting.verdicts[n]
    result = "right" if verdict.correct else "partial" if verdict.points else "wrong"
    first_row = shown_text(app, screen.query_one("#exam-feedback")).split("(")[0].strip()
    assert first_row.endswith(i18n._(VERDICT_WORDS[result])), (n, first_row)
    await pilot.press("enter")                               # on to the next question


@pytest.mark.parametrize("practice", [True, False], ids=["practice", "exam"])
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
async def test_each_question_is_seen_with_its_choices_and_then_its_verdict(
        tmp_path, language, size, practice):
    app = exam_app(tmp_path, practice=practice)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        questions = screen.sitting.exam.questions
        assert any(len(q.context) >= 15 and q.choices for q in questions)
        for n, question in enumerate(questions):
            assert screen.index == n
            assert_question_in_view(app, question)
            if practice:
                await answer_and_see_the_verdict(pilot, app, n, question)
            else:
                await pilot.press("pagedown")
            await settle(pilot)


async def test_arrow_keys_reach_the_start_of_a_long_dialogue_at_80x24(tmp_path, language):
    app = exam_app(tmp_path, practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        index = next(n for n, q in enumerate(screen.sitting.exam.questions)
                     if len(q.context) >= 15 and q.choices)
        screen.show(index)
        await settle(pilot)
        context = screen.sitting.exam.questions[index].context
        first = squashed(context[0])[:30]
        shown = squashed(shown_text(app, screen.query_one("#exam-context")))
        assert first not in shown                # its end is shown: the start is above
        for _n in range(len(context)):
            await pilot.press("up")
        await pilot.pause()
        shown = squashed(shown_text(app, screen.query_one("#exam-context")))
        assert shown.startswith(first)
        # scrolled back, the prompt and the choices are still on screen
        assert fully_shown(app, screen.query_one("#exam-prompt"))
        assert fully_shown(app, screen.query_one("#exam-choices"))
