"""Lesson files made to break the loader: each is listed as broken, ``file:line: message``,
never a crash; and replaying a very long model answer takes time in proportion to it."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from smtpsim.cli import main
from smtpsim.course.lessons import language_folder, lesson_files, read_lesson
from smtpsim.course.lessons_run import replay

HEAD = '''id = "{id}"
title = "Hostile"
goal = "Break the loader"
text = "A file made to break things."

[[steps]]
instruction = "Say hello"
hint = "EHLO"
answer = ["EHLO client.example"]
success = "ok"
'''

HOSTILE = {
    "deep-array": HEAD + "check = { kind = \"state\", state = \"READY\" }\nx = " + "[" * 400
    + "]" * 400 + "\n",
    "deep-all": HEAD + "check = " + "{ kind = \"all\", checks = [" * 300
    + "{ kind = \"state\", state = \"READY\" }" + "] }" * 300 + "\n",
    "all-20": HEAD + "check = " + "{ kind = \"any\", checks = [" * 20
    + "{ kind = \"state\", state = \"READY\" }" + "] }" * 20 + "\n",
    "state-list": HEAD + "check = { kind = \"state\", state = [\"READY\"] }\n",
    "id-table": HEAD + "check = { kind = \"reply_seen\", id = {} }\n",
    "kind-table": HEAD + "check = { kind = {}, state = \"READY\" }\n",
    "place-list": HEAD + "check = { kind = \"delivered\", user = \"bob\", place = [1] }\n",
    "digit-list": HEAD + "check = { kind = \"last_reply\", first_digit = [2] }\n",
}


@pytest.fixture
def hostile_folder(tmp_path) -> Path:
    folder = tmp_path / "en"
    folder.mkdir()
    shutil.copy(lesson_files(language_folder("en"))[0], folder)
    for name, text in HOSTILE.items():
        (folder / f"90-{name}.toml").write_text(text.replace("{id}", name))
    return folder


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_broken_with_a_placed_message(hostile_folder, name):
    lesson, problems = read_lesson(hostile_folder / f"90-{name}.toml")
    assert lesson is None and problems
    line = str(problems[0])
    path, number, message = line.split(":", 2)
    assert Path(path).name == f"90-{name}.toml" and int(number) >= 1 and message.strip()


def test_checks_nested_past_the_limit_are_named_as_such(hostile_folder):
    _, problems = read_lesson(hostile_folder / "90-all-20.toml")
    assert [p.message for p in problems] == [
        "step 1: checks nested more than 8 deep (all/any inside all/any)"]


def test_lessons_check_reports_every_hostile_file(hostile_folder, capsys):
    status = main(["lessons", "check", str(hostile_folder)])
    out = capsys.readouterr()
    assert status == 1
    *problems, summary = out.out.splitlines()      # the summary is the result: stdout
    named = {Path(line.split(":", 1)[0]).name for line in problems}
    assert named == {f"90-{name}.toml" for name in HOSTILE}
    assert summary == f"{len(HOSTILE) + 1} files checked: 1 lesson OK, {len(HOSTILE)} with " \
                      "problems"


def test_lessons_list_lists_them_as_broken(hostile_folder, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr("smtpsim.course.lessons.lessons_root", lambda: hostile_folder.parent)
    monkeypatch.setenv("SMTPSIM_DATA_DIR", str(tmp_path / "data"))
    assert main(["lessons", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(" 1. first-conversation")
    assert sum(" broken " in line for line in out) == len(HOSTILE)


def _long_lesson(tmp_path: Path, lines: int) -> Path:
    text = "\n".join(f"line {n} of a long message" for n in range(lines))
    answer = ['EHLO client.example', 'MAIL FROM:<alice@client.example>',
              'RCPT TO:<bob@mail.example>', 'DATA'] + text.split("\n") + ["."]
    body = ", ".join(f'"{line}"' for line in answer)
    path = tmp_path / "long.toml"
    path.write_text(f'''id = "long"
title = "Long"
goal = "A long message"
text = "One step, a long text."

[[steps]]
instruction = "Send bob a long message"
hint = "Type it all"
answer = [{body}]
check = {{ kind = "delivered", user = "bob", place = "mailbox" }}
success = "ok"
''')
    return path


def test_replaying_a_model_answer_is_linear(tmp_path):
    timings = []
    for lines in (10_000, 100_000):
        lesson, problems = read_lesson(_long_lesson(tmp_path, lines))
        assert problems == []
        started = time.perf_counter()
        run, failures = replay(lesson)
        timings.append(time.perf_counter() - started)
        assert failures == [] and run.done
    small, large = timings
    assert large < 30, large               # was > 60 s: quadratic
    assert large < 25 * small + 1, timings  # ten times the lines, not a hundred times the time
