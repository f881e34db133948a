"""What each student's process is started with, the default capacity, the join code's
rate limit, and the teacher's status line (names shown safely)."""

from __future__ import annotations

import io
import sys

import pytest

from smtpsim.classroom.gate import WINDOW, WRONG_TRIES, JoinGate
from smtpsim.classroom.settings import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_STUDENTS_CAP,
    PROJECTOR_ENV,
    ClassroomSettings,
    ExamPlan,
    default_max_students,
    join_code,
)
from smtpsim.classroom.status import StatusLine
from smtpsim.classroom.students import Roster
from smtpsim.cli import UsageError, build_parser
from smtpsim.commands.classroom import settings_from
from smtpsim.course.classroom_status import StudentStatus, read_status, write_status


def parsed(*argv: str):
    parser, _ = build_parser()
    return settings_from(parser.parse_args(["classroom", *argv]))


def test_the_teachers_options_reach_every_students_command_and_environment(tmp_path):
    exam = parsed("--exam", "--seed", "12", "--count", "5", "--minutes", "7.5",
                  "--lang", "it", "--results", str(tmp_path / "r"))
    assert exam.student_command() == [
        sys.executable, "-m", "smtpsim", "exam", "--classroom", "--count", "5",
        "--results", str((tmp_path / "r").resolve()), "--seed", "12", "--minutes", "7.5"]
    env = exam.student_environment(tmp_path / "d", tmp_path / "s.json")
    assert env == {"SMTPSIM_DATA_DIR": str(tmp_path / "d"),
                   "SMTPSIM_CLASSROOM_STATUS": str(tmp_path / "s.json"), "SMTPSIM_LANG": "it"}
    own = parsed("--exam", "--seed-per-student", "--count", "3")
    assert "--seed" not in own.student_command()        # each app draws its own seed
    assert own.exam == ExamPlan(None, 3, 6.0, True)      # 2 minutes a question
    shared = parsed("--exam")
    assert shared.exam.seed is not None                  # drawn once, the same for all
    assert parsed("--lesson", "three-digits").student_command()[3:] == ["lesson", "three-digits"]
    app = parsed("--profile", "classic", "--projector", "--lang", "en")
    assert app.student_command()[3:] == ["--profile", "classic"]
    assert app.student_environment(tmp_path, tmp_path / "s")["SMTPSIM_LANG"] == "en"


@pytest.mark.parametrize("mode", [(), ("--lesson", "three-digits"), ("--exam",)])
def test_the_projector_reaches_every_mode_a_student_starts_in(tmp_path, mode):
    from smtpsim.ui.served import PROJECTOR_ENV as READ_BY_THE_APP
    env = parsed(*mode, "--projector").student_environment(tmp_path, tmp_path / "s")
    assert env[PROJECTOR_ENV] == "1" and PROJECTOR_ENV == READ_BY_THE_APP
    assert PROJECTOR_ENV not in parsed(*mode).student_environment(tmp_path, tmp_path / "s")


def test_without_lang_the_students_get_the_teachers_language(tmp_path, monkeypatch):
    from smtpsim import i18n
    monkeypatch.setattr(i18n, "_active", "it")      # what main() resolved for the server
    env = parsed().student_environment(tmp_path, tmp_path / "s")
    assert env["SMTPSIM_LANG"] == "it"


@pytest.mark.parametrize("argv, message", [
    (("--seed", "3"), "go with --exam"),
    (("--exam", "--seed", "3", "--seed-per-student"), "choose one"),
    (("--exam", "--count", "0"), "--count"),
    (("--lesson", "no-such-lesson"), "no lesson"),
    (("--code", "x"), "3 to 32"),
    (("--max-students", "0"), "at least 1"),
    (("--port", "70000"), "not a TCP port"),
    (("--lesson", "three-digits", "--profile", "classic"), "for the simulator"),
    (("--exam", "--profile", "classic"), "for the simulator"),
])
def test_bad_usage_is_one_line(argv, message):
    with pytest.raises(UsageError, match=message):
        parsed(*argv)


def test_the_default_capacity_follows_the_memory():
    assert default_max_students(600) == 7          # 450 MB usable, 60 MB a student
    assert default_max_students(10) == 1
    assert default_max_students(10 ** 7) == MAX_STUDENTS_CAP
    assert parsed("--max-students", "3").max_students == 3


def test_join_codes_are_short_and_unambiguous():
    codes = {join_code() for _ in range(50)}
    assert len(codes) > 45
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("01IO") & set(CODE_ALPHABET)


def test_wrong_codes_wait_per_address_and_the_wait_ends():
    now = [1000.0]
    gate = JoinGate("ab12cd", clock=lambda: now[0])
    for _ in range(WRONG_TRIES):
        assert gate.wait_for("10.0.0.5") == 0
        assert gate.try_code("10.0.0.5", "nope") is None
    assert gate.wait_for("10.0.0.5") == int(WINDOW)
    assert gate.wait_for("10.0.0.6") == 0               # another computer is not held up
    now[0] += WINDOW / 2
    assert gate.wait_for("10.0.0.5") == int(WINDOW / 2)
    now[0] += WINDOW / 2
    assert gate.wait_for("10.0.0.5") == 0
    token = gate.try_code("10.0.0.5", " AB12 cd")
    assert token and gate.admits(token)
    assert not gate.admits("made-up") and not gate.admits(None)


def test_the_status_line_shows_names_safely_and_counts(tmp_path):
    out = io.StringIO()
    out.isatty = lambda: True
    line = StatusLine(out)
    roster = Roster(3, tmp_path)
    first, second = roster.join("10.0.0.1"), roster.join("10.0.0.2")
    assert roster.join("10.0.0.3") is not None and roster.join("10.0.0.4") is None   # full
    write_status(first.status_file, StudentStatus("Eve\x1b[2J", "exam"))
    write_status(second.status_file, StudentStatus("Bo", "finished", 75.0))
    for student, status in roster.refresh():
        line.changed(student, status, roster)
    line.draw(roster)
    text = out.getvalue()
    assert "student 1 is Eve<0x1B>[2J" in text and "Bo finished the exam: 75%" in text
    assert "\x1b[2J" not in text
    assert text.endswith("3/3 connected · 1 sitting the exam · 1 finished: Eve<0x1B>[2J")


def test_a_status_file_that_is_not_ours_is_ignored(tmp_path):
    path = tmp_path / "status.json"
    for content in (b"{", b"[]", b'{"name": 3, "state": "exam"}', b"x" * 5000,
                    b'{"name": "a", "state": "hacked"}', b"\xff"):
        path.write_bytes(content)
        assert read_status(path) is None
    path.write_bytes(b'{"name": "a", "state": "finished", "score": true}')
    assert read_status(path) == StudentStatus("a", "finished", None)
    assert read_status(tmp_path / "missing.json") is None


def test_the_banner_shows_the_addresses_to_type_and_the_code(tmp_path):
    from smtpsim.classroom.runner import banner, urls
    assert urls("192.0.2.10", 8000) == ["http://192.0.2.10:8000/"]
    assert urls("::1", 8080) == ["http://[::1]:8080/"]
    assert all(u.startswith("http://") and u.endswith(":8000/") for u in urls("0.0.0.0", 8000))
    text = banner(ClassroomSettings(host="0.0.0.0", code="AB12CD", max_students=25,
                                    results_dir=tmp_path), 8000)
    assert "Code:   A  B  1  2  C  D" in text and "Room for 25 students" in text
    assert f"Exam results go to {tmp_path.resolve()}" in text
    assert "--host 0.0.0.0 opens it" not in text
    alone = banner(ClassroomSettings(code="X", max_students=1), 8000)
    assert "--host 0.0.0.0 opens it" in alone and "Room for 1 student\n" in alone


def test_the_teacher_reads_the_banner_and_the_status_line_in_italian(tmp_path, monkeypatch):
    from smtpsim import i18n
    from smtpsim.classroom.runner import banner
    monkeypatch.setattr(i18n, "_active", "it")
    one = banner(ClassroomSettings(host="192.0.2.7", code="AB12CD", max_students=1,
                                   results_dir=tmp_path), 8000)
    assert one.splitlines()[3:8] == ["  Gli studenti aprono:", "      http://192.0.2.7:8000/",
                                     "", "  Codice:   A  B  1  2  C  D", ""]
    assert "  C'è posto per 1 studente\n" in one
    assert f"I risultati delle verifiche vanno in {tmp_path.resolve()}" in one
    assert "Ctrl+C termina la lezione" in one
    english = ("Students open", "Code:", "Room for", "results go", "ends the class")
    assert not [words for words in english if words in one]
    assert "C'è posto per 25 studenti" in banner(ClassroomSettings(code="X", max_students=25,
                                                                   results_dir=tmp_path), 80)
    out = io.StringIO()
    out.isatty = lambda: True
    line = StatusLine(out)
    roster = Roster(25, tmp_path)
    first = roster.join("10.0.0.1")
    line.joined(first, roster)
    write_status(first.status_file, StudentStatus("Ada", "exam"))
    for student, status in roster.refresh():
        line.changed(student, status, roster)
    line.draw(roster)
    text = out.getvalue()
    assert "+ studente 1 ha raggiunto la classe da 10.0.0.1" in text and "  studente 1 è Ada" in text
    assert text.endswith("1/25 in linea · 1 sta svolgendo la verifica · 0 hanno finito: Ada")
    write_status(first.status_file, StudentStatus("Ada", "finished", 80.0))
    for student, status in roster.refresh():
        line.changed(student, status, roster)
    line.left(first, roster)
    assert "* Ada ha finito la verifica: 80%" in out.getvalue()
    # a neutral verb: the line is right for Ada as for anyone, no gender guessed from a name
    assert "- Ada ha lasciato la classe\n" in out.getvalue()


def test_a_port_already_in_use_is_one_line_and_exit_status_1(tmp_path, capsys):
    import socket

    from smtpsim.cli import main
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        status = main(["classroom", "--port", str(port), "--results", str(tmp_path / "r")])
    assert status == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"smtpsim: cannot serve on 127.0.0.1:{port}:") and "\n" not in err
