"""A classroom exam in the app: the name first, then the exam; the teacher's status file
learns the name and then the score; the results land in the teacher's folder."""

from __future__ import annotations

import json

from smtpsim.course.classroom_status import ENV_VAR, read_status
from smtpsim.course.exam import ExamSettings
from smtpsim.ui.course.exam_screen import ExamResultsScreen, ExamScreen
from smtpsim.ui.course.name_screen import NameScreen, open_named_exam

from .helpers import SIZE, new_app, type_keys


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
        await pilot.pause()
        await type_keys(pilot, "Bo")
        await pilot.press("f10", "f10")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]
