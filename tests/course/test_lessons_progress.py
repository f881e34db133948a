"""Progress persists per user: a JSON file in an injectable data directory."""

from __future__ import annotations

import json

from smtpsim.course import Progress
from smtpsim.course.progress import ENV_VAR, FILE_NAME, data_dir


def test_round_trip(tmp_path):
    progress = Progress(tmp_path)
    progress.record("first-conversation", 3, 6, hints=1)
    progress.record("help", 5, 5)
    again = Progress(tmp_path)
    assert again.get("first-conversation").steps_done == 3
    assert again.get("first-conversation").hints == 1
    assert not again.get("first-conversation").finished
    assert again.get("help").finished and again.get("help").fraction == 1.0
    assert again.get("myths") is None
    saved = json.loads((tmp_path / FILE_NAME).read_text())
    assert saved["lessons"]["help"] == {"steps_done": 5, "steps_total": 5, "hints": 0}


def test_the_furthest_point_is_kept(tmp_path):
    progress = Progress(tmp_path)
    progress.record("help", 4, 5)
    progress.record("help", 1, 5)      # starting the lesson again loses nothing
    assert Progress(tmp_path).get("help").steps_done == 4
    progress.reset("help")
    assert Progress(tmp_path).get("help") is None


def test_the_environment_variable_chooses_the_directory(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "elsewhere"))
    assert data_dir() == tmp_path / "elsewhere"
    Progress().record("help", 1, 5)
    assert (tmp_path / "elsewhere" / FILE_NAME).is_file()


def test_without_override_it_is_the_platform_user_data_dir(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert data_dir().name == "smtpsim"


def test_a_damaged_file_never_stops_a_learner(tmp_path):
    (tmp_path / FILE_NAME).write_text("{ not json")
    progress = Progress(tmp_path)
    assert progress.lessons == {} and "could not read" in progress.problem
    (tmp_path / FILE_NAME).write_text(json.dumps({"lessons": {
        "help": {"steps_done": 2, "steps_total": 5}, "bad": {"steps_done": "x"},
        "worse": 7}}))
    progress = Progress(tmp_path)
    assert list(progress.lessons) == ["help"]


def test_an_unwritable_directory_is_reported_not_raised(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    progress = Progress(blocker / "sub")
    progress.record("help", 1, 5)
    assert progress.get("help").steps_done == 1
    assert "could not save progress" in progress.problem


def test_lessons_list_shows_completion(tmp_path, monkeypatch, capsys):
    from smtpsim.cli import main
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    Progress(tmp_path).record("first-conversation", 6, 6)
    Progress(tmp_path).record("three-digits", 2, 7)
    assert main(["lessons", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 20
    assert lines[0].split()[:3] == ["1.", "first-conversation", "done"]
    assert lines[1].split()[:3] == ["2.", "three-digits", "2/7"]
    assert lines[2].split()[2] == "0/6"
