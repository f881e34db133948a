"""Small helpers shared by the MTA tests: drive a Session and read its replies."""

from __future__ import annotations

from smtpsim.mta import Session, parse_fault
from smtpsim.protocol import KNOWN_VERBS


def start(profile: str = "modern", *faults: str) -> Session:
    return Session(profile, tuple(parse_fault(spec, KNOWN_VERBS) for spec in faults))


def run(session: Session, *lines: str) -> list:
    """Type each line; return the reply entries of the last one."""
    entries: list = []
    for line in lines:
        entries = session.type_line(line)
    return [e for e in entries if e.side == "S"]


def last_code(session: Session, *lines: str) -> int:
    replies = run(session, *lines)
    assert replies, f"no reply to {lines[-1]!r}"
    return replies[-1].code


def codes(session: Session) -> list[int]:
    return [e.code for e in session.transcript if e.side == "S"]


def greeting_for(profile: str) -> str:
    return "HELO client.example" if profile == "classic" else "EHLO client.example"


TRANSACTION = ("MAIL FROM:<alice@client.example>", "RCPT TO:<bob@mail.example>", "DATA",
               "Subject: test", "", "Hello Bob.", ".")
