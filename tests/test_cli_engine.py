"""The headless CLI of the engine: run, explain, world, and bad usage (exit 2, one line)."""

import io
import json
import subprocess
import sys

import pytest

from smtpsim.cli import main
from smtpsim.script_run import read_script

SCRIPT = """\
# a complete transaction
EHLO client.example
MAIL FROM:<alice@client.example>
RCPT TO:<bob@mail.example>
DATA
Subject: hi

# not a comment inside DATA
..leading dot
.
QUIT
"""


def run_cli(capsys, monkeypatch, argv, stdin: bytes | None = None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "session.txt"
    path.write_text(SCRIPT)
    return path


def test_run_a_file(capsys, monkeypatch, script):
    code, out, err = run_cli(capsys, monkeypatch, ["run", str(script)])
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "S: 220 mail.example ESMTP smtpsim ready"
    assert lines[1] == "C: EHLO client.example"
    assert "C: # not a comment inside DATA" in lines
    assert "C: ..leading dot" in lines
    assert lines[-3:] == ["S: 250 2.0.0 Ok: queued as Q0001", "C: QUIT",
                          "S: 221 2.0.0 mail.example Service closing transmission channel"]
    assert all(line[:3] in ("S: ", "C: ", "* ") for line in lines)


def test_run_stdin_equals_run_file(capsys, monkeypatch, script):
    _, from_file, _ = run_cli(capsys, monkeypatch, ["run", str(script)])
    code, from_stdin, _ = run_cli(capsys, monkeypatch, ["run", "-"], SCRIPT.encode())
    assert code == 0 and from_stdin == from_file
    code, default, _ = run_cli(capsys, monkeypatch, ["run"], SCRIPT.encode())
    assert default == from_file


def test_run_json(capsys, monkeypatch, script):
    code, out, _ = run_cli(capsys, monkeypatch, ["run", str(script), "--json"])
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 17
    assert {r["side"] for r in rows} == {"C", "S"}
    for row in rows:
        assert {"side", "text", "state_after"} <= set(row)
        assert ("code" in row) is (row["side"] == "S")
    assert rows[0] == {**rows[0], "side": "S", "code": 220, "state_after": "INIT"}
    data = next(r for r in rows if r.get("code") == 354)
    assert data["state_after"] == "DATA" and data["state_before"] == "RCPT"
    assert rows[-1]["code"] == 221 and rows[-1]["state_after"] == "CLOSED"
    assert rows[-2] == {**rows[-2], "side": "C", "text": "QUIT", "verb": "QUIT"}


def test_run_explain(capsys, monkeypatch, script):
    code, out, _ = run_cli(capsys, monkeypatch, ["run", str(script), "--explain"])
    assert code == 0
    assert "   | 354 - " in out
    assert "   | State: RCPT -> DATA" in out
    assert "   | See: RFC 5321" in out
    # the digits by position: 221 has two 2s
    assert "   | First digit 2: Positive completion" in out
    assert "   | Second digit 2: Connections" in out
    assert "   | Third digit 1: " in out


def test_run_explain_brief_gives_the_why_without_the_digit_paragraphs(capsys, monkeypatch,
                                                                      script):
    _, full, _ = run_cli(capsys, monkeypatch, ["run", str(script), "--explain"])
    code, brief, _ = run_cli(capsys, monkeypatch, ["run", str(script), "--explain", "--brief"])
    assert code == 0 and "digit" not in brief and "digit" in full
    whys = [line for line in full.splitlines() if line.startswith("   | Why: ")]
    assert len(whys) >= 7 and whys == [line for line in brief.splitlines()
                                       if line.startswith("   | Why: ")]
    assert "   | State: RCPT -> DATA" in brief and "   | See: RFC 5321 4.1.1.4" in brief
    assert len(brief) < len(full) * 0.6


def test_run_mailboxes_prints_every_message_whole(capsys, monkeypatch, script):
    code, out, _ = run_cli(capsys, monkeypatch, ["run", str(script), "--mailboxes"])
    assert code == 0
    tail = out.split("S: 221 ", 1)[1].split("\n", 1)[1]
    assert tail == ("\n== bob@mail.example mailbox: 1 message ==\n"
                    "-- message 1: Q0001, via MAIL, from <alice@client.example> --\n"
                    "Return-Path: <alice@client.example>\n"
                    "Received: from client.example ([192.0.2.10]) by mail.example with ESMTP id Q0001; "
                    "Thu, 26 Nov 2026 09:00:00 +0000\n"
                    "Subject: hi\n\n# not a comment inside DATA\n.leading dot\n")


def test_run_help_describes_the_script_format(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = capsys.readouterr().out
    assert "blank lines and lines starting with # are skipped" in out
    assert '"..x"' in out and "--mailboxes" in out and "--brief" in out


def test_run_explain_json(capsys, monkeypatch, script):
    _, out, _ = run_cli(capsys, monkeypatch, ["run", str(script), "--json", "--explain"])
    rows = [json.loads(line) for line in out.splitlines()]
    assert all(("explanation" in r) is (r["side"] == "S") for r in rows)


def test_a_long_transcript_is_written_whole_and_in_order(capsys, monkeypatch, tmp_path):
    # more lines than one batch of output (OUTPUT_BATCH): nothing lost at the seams
    from smtpsim.script_run import OUTPUT_BATCH as EMIT_BATCH
    messages = EMIT_BATCH // 11 + 50
    body = "".join(f"MAIL FROM:<alice@client.example>\nRCPT TO:<bob@mail.example>\nDATA\n"
                   f"Subject: {n}\n\nHello.\n.\n" for n in range(messages))
    path = tmp_path / "long.txt"
    path.write_text("EHLO client.example\n" + body + "QUIT\n")
    code, out, _ = run_cli(capsys, monkeypatch, ["run", str(path)])
    lines = out.splitlines()
    assert code == 0 and len(lines) > EMIT_BATCH and out.endswith("\n")
    queued = [line for line in lines if line.startswith("S: 250 2.0.0 Ok: queued as ")]
    assert queued == [f"S: 250 2.0.0 Ok: queued as Q{n:04d}" for n in range(1, messages + 1)]
    assert [line for line in lines if line.startswith("C: Subject: ")] == [
        f"C: Subject: {n}" for n in range(messages)]
    code, out, _ = run_cli(capsys, monkeypatch, ["run", str(path), "--json"])
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["index"] for row in rows] == list(range(len(rows)))
    assert len(rows) == 11 * messages + 5   # greeting, EHLO and its reply, QUIT and 221


def test_run_with_profile_and_faults(capsys, monkeypatch):
    script = b"HELO client.example\nMAIL FROM:<a@client.example>\nRCPT TO:<bob@mail.example>\n"\
             b"RCPT TO:<carol@mail.example>\n"
    code, out, _ = run_cli(capsys, monkeypatch, ["run", "--profile", "classic", "--fault",
                                                 "RCPT#2=452", "--fault", "MAIL=403"], script)
    assert code == 0
    assert "S: 403 User not authorized to send from this address" in out
    assert "S: 503 Error: need MAIL command" in out


def test_a_script_ending_inside_data_says_what_happened(capsys, monkeypatch):
    script = b"HELO client.example\nMAIL FROM:<alice@client.example>\n" \
             b"RCPT TO:<bob@mail.example>\nDATA\nhello\n"
    code, out, err = run_cli(capsys, monkeypatch, ["run", "-"], script)
    assert code == 0 and err == ""
    assert out.splitlines()[-1] == (
        "* client.example closed the connection in the middle of the message text: no "
        "<CRLF>.<CRLF> arrived, so the server drops the unfinished message (RFC 5321 3.8)")
    code, out, _ = run_cli(capsys, monkeypatch, ["run", "-", "--json"], script)
    assert json.loads(out.splitlines()[-1])["state_after"] == "CLOSED"


def test_lines_after_the_connection_closed_are_counted(capsys, monkeypatch):
    _code, out, _ = run_cli(capsys, monkeypatch, ["run", "-"], b"QUIT\nNOOP\n# c\n\nNOOP\n")
    assert out.splitlines()[-1] == "* 2 more script lines not sent: the connection is closed"


def test_bytes_that_are_not_utf8_or_are_control_characters_never_crash(capsys, monkeypatch):
    script = b"HELO client.example\nNOOP \xff\xfe\nVRFY \x08bob\nNOOP\x1c\nHELO a\rb\nNOOP\r\n"
    code, out, err = run_cli(capsys, monkeypatch, ["run", "-"], script)
    assert code == 0 and err == ""
    assert "S: 500 5.5.2 Invalid character: 8-bit octets need SMTPUTF8, which is not offered" \
        in out
    assert out.count("S: 501 5.5.2 Syntax error: control character") == 2
    assert "S: 501 5.5.2 Syntax error: bare CR inside the command line" in out
    assert out.splitlines()[-1] == "S: 250 2.0.0 OK"
    code, out, _ = run_cli(capsys, monkeypatch, ["run", "-", "--json"], script)
    assert all(json.loads(line) for line in out.splitlines())


def script_lines(text: str) -> list[str]:
    return list(read_script(io.BytesIO(text.encode()), "test"))


def test_script_lines_split_on_lf_only():
    assert script_lines("a\r\nb\rc\n\nd") == ["a", "b\rc", "", "d"]
    assert script_lines("") == []


@pytest.mark.parametrize("token, first", [
    ("550", "550 - "), ("SOML", "SOML - Send or mail"), ("5.7.1", "5.7.1 - "),
    ("soml", "SOML - Send or mail"), ("403", "403 - "), ("SIZE", "SIZE - "),
])
def test_explain(capsys, monkeypatch, token, first):
    code, out, err = run_cli(capsys, monkeypatch, ["explain", token])
    assert code == 0 and err == "" and out.startswith(first)


def test_explain_smol_leads_with_the_correction(capsys, monkeypatch):
    code, out, _ = run_cli(capsys, monkeypatch, ["explain", "SMOL"])
    assert code == 0
    assert out.startswith("SMOL is not an SMTP verb: it is the article's misspelling of SOML.")
    assert "The verb: SOML - Send or mail" in out


def test_explain_403_says_it_is_not_standard(capsys, monkeypatch):
    _, out, _ = run_cli(capsys, monkeypatch, ["explain", "403"])
    assert "Standard: NO" in out


@pytest.mark.parametrize("token", ["nonsense", "RCTP", "999", "9.9.9", "", "--"])
def test_explain_unknown_token(capsys, monkeypatch, token):
    code, out, err = run_cli(capsys, monkeypatch, ["explain", "--", token])
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "Try a reply code (550), a command (SOML) or an enhanced code (5.7.1)" in err


def test_explain_suggests_near_misses(capsys, monkeypatch):
    _, _, err = run_cli(capsys, monkeypatch, ["explain", "RCTP"])
    assert "Did you mean: RCPT" in err


def test_world(capsys, monkeypatch):
    code, out, _ = run_cli(capsys, monkeypatch, ["world"])
    assert code == 0
    for fact in ("client.example", "mail.example", "bob", "carol", "dave", "postmaster",
                 "staff = bob, carol, dave", "erin@new.example", "frank@elsewhere.example",
                 "VRFY smith is ambiguous", "gina", "tempfail.example",
                 "Queued at mail.example for alice@client.example"):
        assert fact in out, fact


@pytest.mark.parametrize("argv, message", [
    (["run", "/nonexistent/script.txt"], "smtpsim: cannot read /nonexistent/script.txt: "
                                          "No such file or directory"),
    (["run", "-", "--fault", "RCPT=999"], "smtpsim: bad fault 'RCPT=999'"),
    (["run", "-", "--fault", "FROB=452"], "smtpsim: bad fault 'FROB=452'"),
])
def test_bad_usage_is_one_line_and_exit_2(capsys, monkeypatch, argv, message):
    code, out, err = run_cli(capsys, monkeypatch, argv, b"")
    assert code == 2 and out == ""
    assert err.startswith(message) and len(err.strip().splitlines()) == 1


def test_a_directory_is_unreadable(capsys, monkeypatch, tmp_path):
    code, _, err = run_cli(capsys, monkeypatch, ["run", str(tmp_path)])
    assert code == 2 and err.startswith("smtpsim: cannot read") and "Traceback" not in err


@pytest.mark.parametrize("argv", [["run", "--profile", "ancient"], ["frobnicate"],
                                  ["run", "--bogus"]])
def test_argparse_errors_exit_2_without_traceback(argv):
    result = subprocess.run([sys.executable, "-m", "smtpsim", *argv], capture_output=True,
                            text=True, input="")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.strip()


def test_the_console_entry_runs_a_script_from_stdin():
    result = subprocess.run([sys.executable, "-m", "smtpsim", "run", "-", "--profile",
                             "hardened"], capture_output=True, text=True,
                            input="VRFY bob\nEXPN staff\n")
    assert result.returncode == 0
    assert result.stdout.splitlines()[-3:] == [
        "S: 252 2.5.2 Cannot VRFY user, but will accept message and attempt delivery",
        "C: EXPN staff", "S: 502 5.5.1 EXPN not implemented"]


def test_engine_commands_do_not_import_the_app_course_or_tcp_parts():
    code = ("import sys\nfrom smtpsim.cli import main\nmain(['world'])\n"
            "print(sorted(m for m in sys.modules if m.startswith(('smtpsim.ui', "
            "'smtpsim.course', 'smtpsim.net', 'asyncio', 'textual'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.splitlines()[-1] == "[]"


def test_the_full_parser_still_has_every_subcommand():
    from smtpsim.cli import build_parser
    _, sub = build_parser()
    assert {"run", "explain", "world"} <= set(sub.choices)


def test_every_option_of_every_command_has_help_text():
    import argparse

    from smtpsim.cli import build_parser
    _, sub = build_parser()
    missing = [f"{name} {action.option_strings or action.dest}"
               for name, parser in sub.choices.items() for action in parser._actions
               if not action.help and action.dest != "help"
               and not isinstance(action, argparse._SubParsersAction)]
    assert missing == []
