"""A classroom exam in the app: the name first, then the exam; the teacher's status file
learns the name and then the score; the results land in the teacher's folder."""

from __future__ import annotations

import json

from smtpsim.course.classroom_status import ENV_VAR, read_status
from smtpsim.course.exam import ExamSettings
from smtpsim.i18n import _
from smtpsim.ui.course.exam_results_screen import HANDED_IN, IN_THE_BROWSER, NOT_HANDED_IN
from smtpsim.ui.course.exam_screen import ExamResultsScreen, ExamScreen
from smtpsim.ui.course.name_screen import PROMPT, NameScreen, open_named_exam

from .helpers import SIZE, new_app, type_keys


async def finish_unanswered(pilot, name: str) -> None:
    """Give the name, then F10 twice: the exam ends with nothing answered."""
    await pilot.pause()
    await type_keys(pilot, name)
    await pilot.press("f10", "f10")
    await pilot.pause()


async def test_the_name_comes_first_and_the_result_reaches_the_teacher(tmp_path, monkeypatch):
    status = tmp_path / "status.json"
    monkeypatch.setenv(ENV_VAR, str(status))
    results = tmp_path / "results"
    settings = ExamSettings(seed=7, count=2, minutes=10, results_dir=results, data_dir=tmp_path)
    app = new_app(setup=lambda app: open_named_exam(app, settings), exam=settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        await pilot.press("enter")                  # no name yet: the exam does not start
        await pilot.pause()
        assert isinstance(app.screen, NameScreen) and not status.exists()
        await type_keys(pilot, "  Ann   O'Neil ")      # then Enter
        assert isinstance(app.screen, ExamScreen)
        assert app.screen.sitting.student == "Ann O'Neil"
        assert read_status(status).state == "exam"
        assert read_status(status).name == "Ann O'Neil"
        await pilot.press("f10", "f10")             # finish with nothing answered
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        # The folder is the teacher's, and the student is in a browser: no path, no
        # command line, but what happened and what to do here.
        note = str(app.screen.query_one("#results-note").content)
        assert note.splitlines() == [_(HANDED_IN), _(IN_THE_BROWSER)]
        assert str(results) not in note and "smtpsim exam" not in note
        await pilot.press("escape")                 # the simulator, behind the results
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
    finished = read_status(status)
    assert (finished.state, finished.name, finished.score) == ("finished", "Ann O'Neil", 0.0)
    (saved,) = results.glob("*.json")
    assert saved.name == "exam-Ann-O-Neil-seed7-exam.json"
    data = json.loads(saved.read_text("utf-8"))
    assert data["student"] == "Ann O'Neil" and data["seed"] == 7 and data["count"] == 2


async def test_outside_a_classroom_the_exam_writes_no_status(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    settings = ExamSettings(seed=7, count=1, minutes=10, results_dir=tmp_path / "r",
                            data_dir=tmp_path)
    app = new_app(setup=lambda app: open_named_exam(app, settings), exam=settings)
    async with app.run_test(size=SIZE) as pilot:
        await finish_unanswered(pilot, "Bo")
        assert isinstance(app.screen, ExamResultsScreen)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


async def test_a_result_that_cannot_reach_the_teacher_says_so_without_a_path(tmp_path,
                                                                            monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "status.json"))
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the results folder should be")
    settings = ExamSettings(seed=7, count=1, minutes=10, results_dir=blocked, data_dir=tmp_path)
    app = new_app(setup=lambda app: open_named_exam(app, settings), exam=settings)
    async with app.run_test(size=SIZE) as pilot:
        await finish_unanswered(pilot, "Bo")
        note = str(app.screen.query_one("#results-note").content)
        assert note.splitlines()[0] == _(NOT_HANDED_IN) and str(blocked) not in note


async def test_practice_in_a_classroom_is_not_reported_as_the_exam(tmp_path, monkeypatch):
    from smtpsim.ui.course.exam_results_screen import PRACTICE_KEPT
    from smtpsim.ui.course.exam_screen import open_exam
    status = tmp_path / "status.json"
    monkeypatch.setenv(ENV_VAR, str(status))
    settings = ExamSettings(seed=7, count=1, practice=True, results_dir=tmp_path / "r",
                            data_dir=tmp_path)
    app = new_app(setup=lambda app: open_exam(app, settings), exam=settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f10", "f10")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        assert str(app.screen.query_one("#results-note").content).startswith(_(PRACTICE_KEPT))
    assert not status.exists()      # the teacher's line still shows the real exam only


async def test_the_name_dialog_shows_its_whole_prompt_and_a_button_at_80x24(tmp_path,
                                                                           monkeypatch):
    from textual.widgets import Button
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "status.json"))
    settings = ExamSettings(seed=7, count=1, minutes=10, results_dir=tmp_path / "r",
                            data_dir=tmp_path)
    app = new_app(setup=lambda app: open_named_exam(app, settings), exam=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#name-box")
        assert box.region.bottom <= 24 and box.region.right <= 80
        button = app.screen.query_one("#name-start", Button)
        assert box.region.contains_region(button.region)
        prompt = app.screen.query_one("#name-prompt")
        width = prompt.content_region.width
        assert len(_(PROMPT)) > width and prompt.region.height >= 2   # wrapped, not cut
        assert box.region.contains_region(prompt.region)
        await pilot.press(*"Cy")
        await pilot.click("#name-start")            # the mouse, as well as Enter
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen) and app.screen.sitting.student == "Cy"
