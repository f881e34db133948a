"""``smtpsim lessons check PATH``: every problem as ``file:line: message``, never a crash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from smtpsim.cli import main
from smtpsim.course import load_lessons, parse_check
from smtpsim.course.checks import CheckError
from smtpsim.course.lessons import language_folder, lesson_files, load_files

BROKEN = Path(__file__).parent / "fixtures" / "lessons_broken"


def run_check(path: Path, capsys) -> tuple[int, list[str], str]:
    """(exit status, the problem lines, the summary line): all on stdout, none on stderr."""
    status = main(["lessons", "check", str(path)])
    out = capsys.readouterr()
    assert out.err == ""
    *lines, summary = out.out.splitlines() or [""]
    return status, lines, summary


def where(line: str) -> tuple[str, int]:
    path, number, _ = line.split(":", 2)
    return Path(path).name, int(number)


@pytest.mark.parametrize("language", ["en", "it"])
def test_the_shipped_lessons_are_clean(language, capsys):
    assert language_folder(language).name == language
    status, lines, err = run_check(language_folder(language), capsys)
    assert status == 0
    assert lines == []
    assert err == "20 files checked: 20 lessons OK, 0 with problems"


def test_a_single_good_file_is_clean(capsys):
    status, lines, _ = run_check(lesson_files(language_folder("en"))[0], capsys)
    assert (status, lines) == (0, [])


def test_every_problem_of_the_broken_fixtures_is_placed_on_its_line(capsys):
    status, lines, err = run_check(BROKEN, capsys)
    assert status == 1
    assert [where(line) for line in lines] == [
        ("bad_check.toml", 15), ("bad_check.toml", 22), ("bad_check.toml", 32),
        ("bad_check.toml", 36), ("bad_check.toml", 43),
        ("bad_keys.toml", 1), ("bad_keys.toml", 5), ("bad_keys.toml", 6),
        ("bad_keys.toml", 7), ("bad_keys.toml", 9),
        ("not_utf8.toml", 1),
        ("syntax_error.toml", 6),
        ("wrong_answer.toml", 17),
    ]
    text = "\n".join(lines)
    assert "step 2: unknown check kind 'banana'" in text
    assert "299 is not a reply code the catalogue knows" in text
    assert "'SMOL' is not a command the catalogue knows" in text
    assert "'WAITING' is not a session state" in text
    assert "mail.example has no user 'zed'" in text
    assert "unknown key 'sumary'" in text
    assert "step 1: missing 'hint'" in text
    assert "bad fault 'RCPT#2=299'" in text
    assert "unknown profile 'vintage'" in text
    assert "the file is not UTF-8 text" in text
    assert "TOML syntax" in text
    assert "step 2: the model answer does not pass its check" in text
    assert "503 5.5.1 Error: need MAIL command" in text
    assert err == "5 files checked: 0 lessons OK, 5 with problems"


def test_one_broken_file_among_good_ones(tmp_path, capsys):
    folder = tmp_path / "en"
    shutil.copytree(language_folder("en"), folder)
    shutil.copy(BROKEN / "syntax_error.toml", folder / "99-broken.toml")
    status, lines, _ = run_check(folder, capsys)
    assert status == 1
    assert [where(line) for line in lines] == [("99-broken.toml", 6)]
    found = load_lessons("en", root=tmp_path)
    assert len(found.lessons) == 20
    assert [b.path.name for b in found.broken] == ["99-broken.toml"]
    assert found.broken[0].error.endswith("TOML syntax: Illegal character '\\n' "
                                          "(at line 6, column 25)")


def test_a_duplicate_id_is_an_error_of_the_second_file(tmp_path):
    first = lesson_files(language_folder("en"))[0]
    shutil.copy(first, tmp_path / "a.toml")
    shutil.copy(first, tmp_path / "b.toml")
    found = load_files(lesson_files(tmp_path))
    assert [lesson.path.name for lesson in found.lessons] == ["a.toml"]
    assert "already used by a.toml" in found.broken[0].error
    assert found.broken[0].problems[0].line == 1


def test_a_missing_path_is_a_usage_error(tmp_path, capsys):
    assert main(["lessons", "check", str(tmp_path / "nowhere")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_an_empty_folder_is_not_clean(tmp_path, capsys):
    status, _, summary = run_check(tmp_path, capsys)
    assert status == 1 and "no lesson files" in summary


def test_a_language_without_lessons_falls_back_to_english():
    assert load_lessons("xx").ids() == load_lessons("en").ids()


def test_an_italian_folder_is_used_without_code_changes(tmp_path):
    for language in ("en", "it"):
        shutil.copytree(language_folder("en"), tmp_path / language)
    lesson = tmp_path / "it" / "01-first-conversation.toml"
    lesson.write_text(lesson.read_text("utf-8").replace(
        'title = "The first conversation"', 'title = "La prima conversazione"'), "utf-8")
    assert load_lessons("it", root=tmp_path).get("first-conversation").title == \
        "La prima conversazione"


@pytest.mark.parametrize("table, message", [
    ("not a table", "a check is a table"),
    ({"kind": "state"}, "missing field(s) state"),
    ({"kind": "state", "state": "READY", "code": 250}, "unknown field(s) code"),
    ({"kind": "reply_seen"}, "give at least one of"),
    ({"kind": "reply_seen", "first_digit": 6}, "first_digit must be"),
    ({"kind": "reply_seen", "id": "no.such"}, "not a reply id"),
    ({"kind": "recipients", "count": -1}, "whole number"),
    ({"kind": "delivered", "user": "bob", "place": "desk"}, "place must be"),
    ({"kind": "delivered", "user": "bob", "place": "mailbox", "host": "x.example"},
     "no host"),
    ({"kind": "queued", "to": "nobody"}, "an address"),
    ({"kind": "all", "checks": []}, "non-empty list"),
    ({"kind": "any", "checks": [{"kind": "state", "state": "NOWHERE"}]}, "not a session"),
])
def test_bad_checks_are_refused_with_a_reason(table, message):
    with pytest.raises(CheckError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_check(table)


def test_the_authoring_guide_example_is_a_valid_lesson(tmp_path):
    import re
    guide = (language_folder("en").parent / "README.md").read_text("utf-8")
    example = re.search(r"```toml\n(.*?)```", guide, re.S).group(1)
    (tmp_path / "example.toml").write_text(example, "utf-8")
    from smtpsim.course.lessons_run import check_path
    report = check_path(tmp_path / "example.toml")
    assert report.ok and [lesson.id for lesson in report.good] == ["forwarding"]
    # and every check kind the guide documents is one the code knows, and vice versa
    from smtpsim.course.checks import KINDS
    documented = set(re.findall(r"^\| `(\w+)`(?:, `(\w+)`)? +\|", guide, re.M))
    assert {k for pair in documented for k in pair if k} >= set(KINDS)
