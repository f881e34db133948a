"""The course's keys work from the command line; the palette waits while an exam runs."""

from __future__ import annotations

from smtpsim.course import Progress
from smtpsim.course.exam import ExamSettings
from smtpsim.ui.course.exam_screen import ExamScreen, open_exam
from smtpsim.ui.course.lesson_pane import LessonPane, open_lesson
from smtpsim.ui.course.lesson_picker import LessonPicker
from smtpsim.ui.keys import ACTIONS

from .helpers import SIZE, new_app, send


def lesson_app(tmp_path, lesson_id: str = "help"):
    return new_app(setup=lambda app: open_lesson(app, lesson_id, Progress(tmp_path)))


def help_text(pane: LessonPane) -> str:
    return str(pane.query_one("#lesson-help").render())


async def test_lesson_keys_reach_the_lesson_while_the_command_line_has_focus(tmp_path):
    app = lesson_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(LessonPane)
        assert app.focused is app.query_one("#command")
        await pilot.press("ctrl+g")
        assert help_text(pane) == "Hint: HELP with no argument."
        await pilot.press("ctrl+o")
        assert help_text(pane) == "Model answer - type:\n  HELP"
        assert app.focused is app.query_one("#command")      # the learner types on
        first = app.session
        await send(pilot, app, "HELP")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.session is not first and pane.run.session is app.session
        assert "this step starts again" in pane.result_text


async def test_lesson_keys_without_a_lesson_say_how_to_open_one(tmp_path):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        session = app.session
        await pilot.press("ctrl+g", "ctrl+n")
        await pilot.pause()
        assert app.session is session               # ctrl+n opened no connection
        messages = [n.message for n in app._notifications]
        assert messages == ["No lesson is open: ctrl+l picks one."] * 2


async def test_ctrl_l_opens_the_lesson_picker_from_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setenv("SMTPSIM_DATA_DIR", str(tmp_path))
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.focused is app.query_one("#command")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LessonPicker)
        await pilot.press("enter")                   # the first lesson not finished
        await pilot.pause()
        assert app.query_one(LessonPane).lesson.id == "first-conversation"


async def test_ctrl_e_opens_practice_with_a_fresh_seed(tmp_path, monkeypatch):
    monkeypatch.setenv("SMTPSIM_DATA_DIR", str(tmp_path))
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        assert screen.sitting.practice and screen.sitting.limit is None
        assert len(screen.sitting.exam) == 10
        seed = screen.sitting.exam.seed
        assert f"Practice  ·  seed {seed}  ·  question 1 of 10" in str(
            screen.query_one("#exam-status").content)
        await pilot.press("ctrl+l")                  # held by the exam screen
        await pilot.pause()
        assert app.screen is screen


async def test_help_and_palette_list_the_course_keys():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        everywhere = dict(app.key_groups()[0][1])
        assert everywhere["ctrl+l"].startswith("Lessons - ")
        assert everywhere["ctrl+g"].startswith("Lesson: hint - ")
        assert everywhere["ctrl+e"].startswith("Exam practice - ")
        command_line = dict(app.key_groups()[1][1])
        assert "ctrl+e" not in command_line
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Lessons", "Lesson: hint", "Lesson: model answer",
                      "Lesson: new connection for this step", "Exam practice"):
            assert title in titles
        assert len({key for key, *_ in ACTIONS}) == len(ACTIONS)   # no key bound twice
        await pilot.pause()


async def test_the_palette_does_not_open_during_an_exam_and_does_after(tmp_path):
    settings = ExamSettings(seed=5, count=2, minutes=5, results_dir=tmp_path / "results",
                            data_dir=tmp_path)
    app = new_app(setup=lambda app: open_exam(app, settings), exam=settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        exam = app.screen
        assert exam.holds_app_keys
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen is exam
        exam.finish_now()                            # results screen: the exam is over
        await pilot.pause()
        await pilot.press("escape")                  # back to the simulator
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"
