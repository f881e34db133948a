"""``smtpsim run FILE --follow``: the journey past hop 1, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from smtpsim.cli import main

SCRIPT = """EHLO client.example
MAIL FROM:<alice@client.example>
RCPT TO:<friend@far.example>
RCPT TO:<gus@grey.example>
RCPT TO:<who@nowhere.example>
DATA
Subject: three domains

Hello.
.
QUIT
"""


def follow(capsys, tmp_path, *extra: str) -> tuple[int, str, str]:
    path = tmp_path / "three.txt"
    path.write_text(SCRIPT)
    code = main(["run", str(path), "--follow", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_follow_prints_every_hop_labelled_and_where_each_message_ended(capsys, tmp_path):
    code, out, err = follow(capsys, tmp_path)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert "[hop 2 mail.example -> mx1.far.example 00:00:01] C: EHLO mail.example" in lines
    assert ("[hop 2 mail.example -> mx.grey.example 00:30:01] S: 250 2.1.5 Recipient "
            "<gus@grey.example> OK") in lines
    assert "[hop 3 mail.example -> client.example 00:00:01] C: MAIL FROM:<> SIZE=" in out
    ended = lines[lines.index("Where each message ended:") + 1:]
    assert [line.split(" at ")[0] for line in ended] == [
        "  Q0001 <friend@far.example> delivered", "  Q0001 <who@nowhere.example> bounced",
        "  Q0002 <alice@client.example> delivered", "  Q0001 <gus@grey.example> delivered"]
    assert ended[1].endswith("(reported in bounce Q0002)")


def test_follow_is_deterministic_across_processes(tmp_path):
    path = tmp_path / "three.txt"
    path.write_text(SCRIPT)
    command = [sys.executable, "-m", "smtpsim", "run", str(path), "--follow"]
    runs = [subprocess.run(command, capture_output=True, check=True, timeout=60,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")]
    assert runs[0] == runs[1] and b"Where each message ended:" in runs[0]


def test_follow_json_is_one_object_per_line(capsys, tmp_path):
    _code, out, _ = follow(capsys, tmp_path, "--json")
    records = [json.loads(line) for line in out.splitlines()]
    hops = [r for r in records if "hop" in r]
    assert {"hop": 2, "client": "mail.example", "server": "mx1.far.example",
            "clock": "00:00:01", "side": "C", "text": "EHLO mail.example"} in hops
    results = {(r["recipient"], r["result"]) for r in records if "result" in r}
    assert results == {("friend@far.example", "delivered"), ("gus@grey.example", "delivered"),
                       ("who@nowhere.example", "bounced"), ("alice@client.example", "delivered")}


def test_a_stranger_cannot_relay_so_there_is_nothing_to_follow(capsys, tmp_path):
    code, out, _ = follow(capsys, tmp_path, "--client-address", "203.0.113.9")
    assert code == 0
    assert "S: 550 5.7.1 <friend@far.example>: Relay access denied" in out.splitlines()
    assert out.splitlines()[-1] == ("Nothing to follow: this session queued no message for "
                                    "another domain.")


def test_a_bad_client_address_is_a_usage_error(capsys, tmp_path):
    code, out, err = follow(capsys, tmp_path, "--client-address", "client.example")
    assert code == 2 and out == ""
    assert err == "smtpsim: --client-address 'client.example' is not an IP address\n"


def test_world_documents_hop_2(capsys):
    assert main(["world"]) == 0
    out = capsys.readouterr().out
    for fact in ("far.example     MX 10  mx1.far.example", "mx1.backup.example",
                 "refuses the connection", "greylists (451 4.7.1 for 5 minutes)",
                 "silent.example", "never answers", "plain.example   no MX, A 198.51.100.60",
                 "NXDOMAIN", "192.0.2.0/24", "Retry schedule", "5 days"):
        assert fact in out, fact


def test_follow_explain_explains_the_replies_of_hop_2(capsys, tmp_path):
    _code, out, _ = follow(capsys, tmp_path, "--explain")
    lines = out.splitlines()
    grey = lines.index("[hop 2 mail.example -> mx.grey.example 00:00:01] S: 451 4.7.1 "
                       "<gus@grey.example>: Recipient address rejected: Greylisted, please "
                       "try again in 300 seconds")
    block = []
    for line in lines[grey + 1:]:
        if not line.startswith("   | "):
            break
        block.append(line)
    explained = "\n".join(block)
    assert explained.startswith("   | 451 4.7.1")
    assert "This server greylists" in explained and "See: RFC 6647 2" in explained


def test_control_bytes_of_the_message_never_reach_the_terminal_raw_on_hop_2(capsys, tmp_path):
    path = tmp_path / "escape.txt"
    path.write_bytes(b"EHLO client.example\nMAIL FROM:<alice@client.example>\n"
                     b"RCPT TO:<friend@far.example>\nDATA\nSubject: \x1b[31mred\x07\n\n"
                     b"bell\x07 and \x1b]0;title\x07\n.\nQUIT\n")
    assert main(["run", str(path), "--follow"]) == 0
    hop2 = [line for line in capsys.readouterr().out.splitlines() if line.startswith("[hop")]
    assert "[hop 2 mail.example -> mx1.far.example 00:00:01] C: Subject: <0x1B>[31mred<0x07>" \
        in hop2
    assert not any("\x1b" in line or "\x07" in line for line in hop2)


def test_a_script_that_ends_inside_data_queues_nothing_to_follow(capsys, tmp_path):
    path = tmp_path / "cut.txt"
    path.write_text("EHLO client.example\nMAIL FROM:<alice@client.example>\n"
                    "RCPT TO:<friend@far.example>\nDATA\nSubject: cut\n")
    assert main(["run", str(path), "--follow"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "Nothing to follow: this session queued no message for another domain."
