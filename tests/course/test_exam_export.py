"""Results a teacher collects (JSON and CSV, parsed back) and ``smtpsim exam`` on the
command line: the paper exam, its answer key, and bad usage."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from smtpsim.cli import build_parser, main
from smtpsim.commands.exam import settings_from
from smtpsim.course.exam import Sitting, build_exam
from smtpsim.course.exam_paper import PAGE_BREAK, paper
from smtpsim.course.exam_results import CSV_FIELDS
from smtpsim.course.questions import key_text


@pytest.fixture
def result():
    exam = build_exam(31, 4)
    sitting = Sitting(exam, lambda: 0.0, student="Ann O'Neil, 3B")
    sitting.answer(0, exam.questions[0].key)
    sitting.answer(1, "not the answer, certainly")
    return sitting.finish()


def test_json_export_parses_back_with_every_field(result):
    data = json.loads(result.to_json())
    assert set(data) == {"format", "student", "seed", "mode", "source", "count", "score",
                         "points", "elapsed_seconds", "minutes", "timed_out", "items"}
    assert data["student"] == "Ann O'Neil, 3B" and data["seed"] == 31
    assert data["mode"] == "exam" and data["count"] == 4
    assert data["score"] == 25.0 and data["points"] == 1.0 and data["timed_out"] is False
    assert [item["item"] for item in data["items"]] == [1, 2, 3, 4]
    assert [item["result"] for item in data["items"]] == ["right", "wrong", "unanswered",
                                                          "unanswered"]
    first = data["items"][0]
    assert set(first) == {"item", "kind", "question_id", "question", "answer", "key",
                          "points", "result", "feedback"}
    assert first["key"] == key_text(result.items[0].question)
    assert first["answer"] == result.items[0].question.key and first["points"] == 1.0
    assert data["items"][1]["answer"] == "not the answer, certainly"


def test_csv_export_parses_back_one_row_per_item(result):
    rows = list(csv.DictReader(io.StringIO(result.to_csv())))
    assert tuple(csv.DictReader(io.StringIO(result.to_csv())).fieldnames) == CSV_FIELDS
    assert len(rows) == 4
    for row, item in zip(rows, result.items, strict=False):
        assert row["student"] == "Ann O'Neil, 3B"          # the comma is quoted, not split
        assert row["seed"] == "31" and row["mode"] == "exam" and row["score"] == "25.0"
        assert row["item"] == str(item.number) and row["kind"] == item.question.kind
        assert row["question_id"] == item.question.id and row["key"] == key_text(item.question)
        assert float(row["points"]) == item.points and row["result"] == item.result
    assert rows[1]["answer"] == "not the answer, certainly"


def test_results_are_saved_side_by_side_without_overwriting(tmp_path, result):
    first = result.save(tmp_path)
    second = result.save(tmp_path)
    assert [p.name for p in first] == ["exam-Ann-O-Neil-3B-seed31-exam.json",
                                       "exam-Ann-O-Neil-3B-seed31-exam.csv"]
    assert [p.name for p in second] == ["exam-Ann-O-Neil-3B-seed31-exam-2.json",
                                        "exam-Ann-O-Neil-3B-seed31-exam-2.csv"]
    assert json.loads(first[0].read_text("utf-8"))["score"] == 25.0
    with first[1].open(newline="", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 4
    assert "✓ 1." in result.as_text() and "✗ 2." in result.as_text()


# -- the command line ---------------------------------------------------------------------
def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_print_gives_the_questions_alone_by_default(capsys):
    code, out, _ = run_cli(capsys, "exam", "--print", "--seed", "5", "--count", "6")
    assert code == 0 and PAGE_BREAK not in out
    assert "answer key" not in out.lower()
    assert out == paper(build_exam(5, 6), "questions")


def test_print_key_gives_questions_then_the_key_after_a_page_break(capsys):
    code, out, _ = run_cli(capsys, "exam", "--print", "--key", "--seed", "5", "--count", "6")
    assert code == 0
    questions, key = out.split(PAGE_BREAK)
    assert questions.startswith("smtpsim exam - seed 5 - 6 questions - questions")
    assert "Name: ____" in questions and "Local users of mail.example" in questions
    assert "answer key" not in questions.lower()
    assert key.lstrip().startswith("smtpsim exam - seed 5 - 6 questions - answer key")
    exam = build_exam(5, 6)
    for number, question in enumerate(exam.questions, 1):
        assert f"{number}. {question.title}\n" in questions
        assert f"{number}. {question.title}: {key_text(question)}\n" in key
        assert question.key
    assert out == paper(exam, "all")


def test_print_is_the_same_for_the_same_seed_and_differs_for_another(capsys):
    _, one, _ = run_cli(capsys, "exam", "--print", "--seed", "5", "--count", "6")
    _, two, _ = run_cli(capsys, "exam", "--print", "--seed", "5", "--count", "6")
    _, other, _ = run_cli(capsys, "exam", "--print", "--seed", "6", "--count", "6")
    assert one == two and one != other


def test_print_one_part(capsys):
    _, questions, _ = run_cli(capsys, "exam", "--print", "--seed", "1", "--count", "3")
    _, key, _ = run_cli(capsys, "exam", "--key-only", "--seed", "1", "--count", "3")
    assert PAGE_BREAK not in questions and "answer key" not in questions
    assert PAGE_BREAK not in key and "Name:" not in key and "answer key" in key
    assert questions + PAGE_BREAK + "\n" + key == paper(build_exam(1, 3), "all")


def test_a_longer_paper_begins_with_the_shorter_one(capsys):
    _, short, _ = run_cli(capsys, "exam", "--key-only", "--seed", "9", "--count", "3")
    _, long, _ = run_cli(capsys, "exam", "--key-only", "--seed", "9", "--count", "8")
    body = short.split("\n", 3)[3]   # after the heading (which names the count)
    assert long.split("\n", 3)[3].startswith(body.rstrip("\n"))


def test_print_never_loads_textual():
    code = ("import sys\n"
            "from smtpsim.cli import main\n"
            "main(['exam', '--print', '--key', '--seed', '3', '--count', '6'])\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
            "print('LOADED:' + ','.join(bad), file=sys.stderr)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert "LOADED:\n" in run.stderr
    assert "answer key" in run.stdout


@pytest.mark.parametrize("argv, message", [
    (["--count", "0"], "--count must be between 1 and 100"),
    (["--count", "101"], "--count must be between 1 and 100"),
    (["--minutes", "0"], "--minutes must be more than 0"),
    (["--seed", "-4"], "--seed must be between 0"),
    (["--print", "--retry"], "--print makes a paper exam from a seed"),
    (["--key"], "--key goes with --print"),
])
def test_bad_usage_is_one_line_and_exit_2(capsys, argv, message):
    code, out, err = run_cli(capsys, "exam", *argv)
    assert code == 2 and out == ""
    assert err.startswith("smtpsim: ") and message in err and err.count("\n") == 1


def test_retry_with_an_empty_pool_says_so(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("SMTPSIM_DATA_DIR", str(tmp_path))
    code, out, _ = run_cli(capsys, "exam", "--retry")
    assert code == 0 and "The retry pool is empty" in out


def settings_for(*argv: str):
    parser, _ = build_parser()
    return settings_from(parser.parse_args(["exam", *argv]))


def test_settings_defaults_and_choices(tmp_path):
    exam = settings_for("--seed", "9", "--count", "5", "--student", "  Ann  ")
    assert (exam.seed, exam.count, exam.minutes, exam.practice) == (9, 5, 10.0, False)
    assert exam.student == "Ann" and exam.mode == "exam" and exam.results_dir is None
    practice = settings_for("--practice", "--results", str(tmp_path))
    assert practice.minutes is None and practice.mode == "practice"
    assert practice.results_dir == tmp_path and practice.count == 10
    assert 1 <= practice.seed <= 10 ** 9                  # drawn at the edge when not given
    assert settings_for("--practice", "--minutes", "3").minutes == 3.0
    retry = settings_for("--retry")
    assert retry.retry and retry.practice and retry.minutes is None


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://evil.example","x")', "+1+1",
                                   "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_cells_a_spreadsheet_would_run_stay_text(typed):
    exam = build_exam(31, 2)
    sitting = Sitting(exam, lambda: 0.0, student=typed)
    sitting.answer(0, typed)
    result = sitting.finish()
    rows = list(csv.DictReader(io.StringIO(result.to_csv(), newline="")))
    assert {row["student"] for row in rows} == {"'" + typed}
    assert rows[0]["answer"] == "'" + typed
    assert json.loads(result.to_json())["student"] == typed     # JSON keeps it as typed
