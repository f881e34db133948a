"""Telling sessions kept as reviewed text snapshots (one file each, LF line ends).

Regenerate with ``pytest tests/mta/test_transcripts.py --snapshot-update`` and read
every changed line before committing: a snapshot is a claim about SMTP.
"""

from smtpsim.mta import Session, compose
from smtpsim.mta.explain import as_text, explain_entry

from .helpers import start

EICAR = r"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def typed(profile: str, lines: list[str], *faults: str) -> str:
    session = start(profile, *faults)
    for line in lines:
        if session.closed:
            break
        session.type_line(line)
    return session.transcript.as_text() + "\n"


def test_modern_learner_session(snapshot):
    snapshot.assert_match(typed("modern", [
        "EHLO client.example", "MAIL FROM:<alice@client.example>",
        "RCPT TO:<bob@mail.example>", "RCPT TO:<erin@mail.example>",
        "RCPT TO:<frank@mail.example>", "RCPT TO:<nobody@mail.example>",
        "RCPT TO:<someone@elsewhere.example>", "MAIL FROM:<alice@client.example>", "DATA",
        "Subject: dots", "", "..a stuffed line", ".", "VRFY smith", "EXPN staff",
        "HELP STATUS", "TURN", "QUIT"]), "modern.txt")


def test_classic_legacy_verbs_and_turn(snapshot):
    snapshot.assert_match(typed("classic", [
        "EHLO client.example", "HELO client.example", "VERB",
        "SEND FROM:<alice@client.example>", "RCPT TO:<carol@mail.example>",
        "RCPT TO:<bob@mail.example>", "DATA", "Hello at your terminal.", ".",
        "SOML FROM:<alice@client.example>", "RCPT TO:<carol@mail.example>", "DATA", "Hi.", ".",
        "TICK 0001", "TURN", "NOOP"]), "classic.txt")


def test_hardened_refuses_harvesting_and_runs_out_of_patience(snapshot):
    snapshot.assert_match(typed("hardened", [
        "VRFY bob", "EXPN staff", "VERB", "EHLO client.example",
        "MAIL FROM:<bob@mail.example>", "MAIL FROM:<alice@client.example>",
        "RCPT TO:<bob@mail.example>", "DATA", EICAR, ".", "RCPT TO:<bob@mail.example>",
        "FOO", "BAR", "HELO", "DATA", "NOOP"]), "hardened.txt")


def test_faults_on_modern(snapshot):
    snapshot.assert_match(typed("modern", [
        "EHLO client.example", "MAIL FROM:<alice@client.example>",
        "MAIL FROM:<alice@client.example>", "RCPT TO:<bob@mail.example>",
        "RCPT TO:<carol@mail.example>", "DATA", "lost", ".", "RSET", "NOOP", "NOOP",
        "NOOP"], "MAIL#1=403", "RCPT#2=452", "DOT=451", "NOOP#3=421"), "faults.txt")


def test_client_mta_plays_on_classic(snapshot):
    session = start("classic")
    session.queue_message(compose("alice@client.example",
                                  ["bob@mail.example", "frank@mail.example"],
                                  "Lunch", "Noon?\n.\n"))
    session.queue_message(compose("alice@client.example", ["nobody@mail.example"],
                                  "Hello", "Anyone?"))
    session.play_all()
    notes = "\n".join(f"# {note}" for note in session.client.notes)
    snapshot.assert_match(session.transcript.as_text() + "\n" + notes + "\n", "client_mta.txt")


def test_client_mta_pipelines_on_modern(snapshot):
    # RFC 2920: a group of commands, then their replies in the same order; a refused
    # recipient, a message with dot-stuffing, and a second envelope behind the final dot.
    session = Session("modern", pipelining=True)
    session.queue_message(compose("alice@client.example",
                                  ["bob@mail.example", "nobody@mail.example"],
                                  "Lunch", "Noon?\n.\n"))
    session.queue_message(compose("alice@client.example", ["carol@mail.example"],
                                  "Hello", "Anyone?"))
    steps = []
    while entries := session.play_step():
        steps.append("\n".join({"C": "C: ", "S": "S: ", "*": "* "}[e.side] + line
                               for e in entries for line in e.lines))
    notes = "\n".join(f"# {note}" for note in session.client.notes)
    snapshot.assert_match("\n# -- next step --\n".join(steps) + "\n" + notes + "\n",
                          "client_mta_pipelined.txt")


def test_explanations_of_a_short_session(snapshot):
    session = start("modern")
    for line in ("MAIL FROM:<alice@client.example>", "EHLO client.example",
                 "RCPT TO:<bob@mail.example>", "QUIT"):
        session.type_line(line)
    out = []
    for entry in session.transcript:
        out.extend(entry.lines)
        out.append(as_text(explain_entry(entry), indent="   | "))
    snapshot.assert_match("\n".join(out) + "\n", "explained.txt")
