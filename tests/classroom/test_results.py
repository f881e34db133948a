"""``smtpsim results DIR``: a class's results merged (the CSV parsed back), the summary,
and files that are broken or hostile reported in one line each, never a crash."""

from __future__ import annotations

import csv
import io
import json

from smtpsim.classroom.results import MERGED_FIELDS, collect, question_stats
from smtpsim.cli import main
from smtpsim.course.exam import Sitting, build_exam

SEED = 44


def sit(name: str, right: int, folder) -> None:
    """``name`` answers the first ``right`` of four questions with the key, then saves."""
    exam = build_exam(SEED, 4)
    sitting = Sitting(exam, lambda: 0.0, student=name)
    for index in range(right):
        sitting.answer(index, exam.questions[index].key)
    sitting.finish().save(folder)


def class_folder(tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    sit("Ann Rossi", 4, folder)
    sit("=HYPERLINK(\"http://x.example\")", 1, folder)
    sit("Bo\x1b[2Jb", 2, folder)
    (folder / "broken.json").write_text("{not json", "utf-8")
    (folder / "list.json").write_text("[1, 2]", "utf-8")
    (folder / "wrong-types.json").write_text(json.dumps(
        {"format": 1, "student": 7, "seed": 1, "mode": "exam", "score": 1, "items": []}))
    (folder / "nested.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    (folder / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    return folder


def test_the_merged_csv_has_every_item_of_every_valid_result(tmp_path, capsys):
    folder = class_folder(tmp_path)
    out = tmp_path / "class.csv"
    assert main(["results", str(folder), "--csv", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert tuple(rows[0]) == MERGED_FIELDS
    assert len(rows) == 3 * 4
    by_student = {}
    for row in rows:
        by_student.setdefault(row["student"], []).append(row)
    # The formula-looking name is kept as text: a leading apostrophe.
    assert set(by_student) == {"Ann Rossi", "'=HYPERLINK(\"http://x.example\")", "Bo\x1b[2Jb"}
    ann = by_student["Ann Rossi"]
    assert [r["result"] for r in ann] == ["right"] * 4 and {r["score"] for r in ann} == {"100"}
    assert [r["result"] for r in by_student["Bo\x1b[2Jb"]] == ["right", "right",
                                                               "unanswered", "unanswered"]
    assert {r["seed"] for r in rows} == {str(SEED)}
    captured = capsys.readouterr()
    problems = [line for line in captured.err.splitlines() if line.startswith("smtpsim: ")]
    assert len(problems) == 5
    for name in ("broken.json", "list.json", "wrong-types.json", "nested.json",
                 "binary.json"):
        assert sum(name in line for line in problems) == 1, name
    assert "\x1b" not in captured.out + captured.err    # the escape is shown as a token
    assert "Bo<0x1B>[2Jb" in captured.out


def test_the_summary_names_students_and_the_hardest_questions(tmp_path, capsys):
    folder = class_folder(tmp_path)
    assert main(["results", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "3 results, 3 students" in out
    assert "Ann Rossi" in out and "100%" in out
    assert "class average 58.3%" in out           # (100 + 25 + 50) / 3
    stats = question_stats(collect(folder))
    # Question 1 was right for all three, question 4 for one: hardest first.
    assert [(right, asked) for _, _, _, right, asked in stats] == [(1, 3), (1, 3), (2, 3),
                                                                   (3, 3)]
    hardest = out.split("Hardest questions:")[1].splitlines()[1]
    assert "33.3% right (1/3)" in hardest


def test_an_empty_or_missing_folder(tmp_path, capsys):
    assert main(["results", str(tmp_path)]) == 0
    assert "No exam results found." in capsys.readouterr().out
    assert main(["results", str(tmp_path / "nowhere")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_the_teacher_reads_the_summary_in_italian(tmp_path, capsys, monkeypatch):
    from smtpsim import i18n
    monkeypatch.setattr(i18n, "_active", i18n.language())   # English again afterwards
    folder = class_folder(tmp_path)
    (folder / "broken.json").write_text("[]", "utf-8")
    assert main(["results", str(folder), "--lang", "it"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("3 risultati, 3 studenti\n")
    assert "media della classe 58.3%" in captured.out
    hardest = captured.out.split("Domande più difficili:")[1].splitlines()[1]
    assert "33.3% esatte (1/3)" in hardest
    assert "broken.json: escluso (non è un oggetto JSON)" in captured.err


def test_the_excel_csv_uses_semicolons_decimal_commas_and_marks_utf8(tmp_path, capsys):
    """Italian Excel splits a double-clicked CSV at ';' and reads '58,3' as a number; without
    the byte order mark it reads the file as ANSI and mangles 'Niccolò'."""
    folder = class_folder(tmp_path)
    exam = build_exam(SEED, 3)
    sitting = Sitting(exam, lambda: 0.0, student="Niccolò Bianchi")
    sitting.answer(0, exam.questions[0].key)          # 1 of 3: a score of 33.3 %
    sitting.finish().save(folder)
    out = tmp_path / "class.csv"
    assert main(["results", str(folder), "--csv", str(out), "--excel"]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0]) == MERGED_FIELDS and len(rows) == 3 * 4 + 3
    scores = {row["student"]: row["score"] for row in rows}
    assert scores["Ann Rossi"] == "100" and scores["Niccolò Bianchi"] == "33,3"
    assert main(["results", str(folder), "--excel"]) == 2      # --excel alone: a usage error
    assert "--csv OUT" in capsys.readouterr().err


def test_the_summary_tells_the_questions_apart_by_what_follows_the_profile(tmp_path, capsys):
    """Most questions open with the same sentence about the server's profile: the summary
    names the profile in brackets instead, so that each line shows its own question."""
    from smtpsim.classroom.results import gist
    from smtpsim.course.questions_state import profile_sentence

    prompt = profile_sentence("classic") + " After the dialogue shown, type one command."
    assert gist(prompt) == "[classic] After the dialogue shown, type one command."
    assert gist("Which command does this?") == "Which command does this?"
    folder = class_folder(tmp_path)
    assert main(["results", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "The server runs the" not in out
    assert any(f"[{name}] " in out for name in ("classic", "modern", "hardened"))
