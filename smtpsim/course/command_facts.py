"""What each command observably does, found by running it: the facts behind "choose".

"Which command does this?" shows one command's catalogue summary and offers others as
distractors.  A distractor must not *also* do what the summary says (EHLO also names the
client and starts clean, as HELO's summary says; HELO and EHLO also abandon a
transaction, as RSET's does).  So every command is run through a real session on a
profile that offers it, and what changed is written down as facts:

    replies 250, names the client, lists extensions, clears the transaction, opens a
    transaction, adds a recipient, asks for the text, closes the session, puts a message
    on bob's terminal or in his mailbox, ...

A command's summary describes its facts (``tests/course`` checks every summary against
them), so a command whose facts include all of the key's facts could satisfy the
question, and is never offered as a distractor.
"""

from __future__ import annotations

import functools

from .. import catalogue
from ..mta import Session
from ..mta.profiles import PROFILES
from ..mta.server import availability_on
from ..protocol import State
from ..protocol.states import TRANSITIONS

ALICE = "alice@client.example"
FIRST_NAME = "relay.example"     # the name greeted with first, so that a new name shows
TEXT = ("Subject: facts", "", "Hello.")
# Who gets a message opened by MAIL/SEND/SOML/SAML: bob is at his terminal and accepts
# messages, carol is not logged in (``smtpsim world``).
READERS = ("bob", "carol")


def _profile_for(verb: str) -> str:
    """The first profile that offers the verb (modern, then classic, then hardened)."""
    for name in ("modern", "classic", "hardened"):
        if availability_on(PROFILES[name], verb) is None:
            return name
    raise ValueError(f"no profile offers {verb}")


def _start(profile: str, verb: str) -> Session:
    """A session in the richest state where ``verb`` is in sequence: a transaction open
    with one recipient (RCPT), else just greeted (READY), else nothing said yet."""
    session = Session(profile)
    greet = ("EHLO " if PROFILES[profile].esmtp else "HELO ") + FIRST_NAME
    allowed = TRANSITIONS[verb].allowed
    steps: tuple[str, ...] = ()
    if State.RCPT in allowed and verb != "RCPT":
        steps = (greet, f"MAIL FROM:<{ALICE}>", "RCPT TO:<bob@mail.example>")
    elif State.MAIL in allowed:
        steps = (greet, f"MAIL FROM:<{ALICE}>")
    elif State.READY in allowed:
        steps = (greet,)
    for line in steps:
        session.type_line(line)
    return session


def _deliveries(session: Session) -> frozenset[str]:
    """Finish a transaction just opened, to bob and carol: where did each copy go?"""
    facts = set()
    for reader in READERS:
        entries = session.type_line(f"RCPT TO:<{reader}@mail.example>")
        if (entries[-1].code or 0) >= 400:   # the last entry is the server's reply
            facts.add(f"refuses {reader} at RCPT")
    if session.state is State.RCPT:
        for line in ("DATA", *TEXT, "."):
            session.type_line(line)
    users = session.server.host.users
    for reader in READERS:
        if users[reader].terminal:
            facts.add(f"shows it on {reader}'s terminal")
        if users[reader].mailbox:
            facts.add(f"puts it in {reader}'s mailbox")
    return frozenset(facts)


@functools.cache
def facts_of(verb: str) -> frozenset[str]:
    """Everything running the catalogue's example of ``verb`` observably did."""
    profile = _profile_for(verb)
    session = _start(profile, verb)
    server = session.server
    before_state, before_via = session.state, server.envelope.via
    before_paths = len(server.envelope.forward_paths)
    queued = len(server.host.queued_for("client.example"))
    example = catalogue.load().commands[verb]["example"]
    entries = session.type_line(example)
    reply = next(e for e in entries if e.side == "S")
    facts: set[str] = {f"replies {reply.code}"}
    if session.closed:
        facts.add("closes the session")
    if (server.client_name or "").lower() == "client.example":
        facts.add("names the client")
    if len(reply.lines) > 1 and all(line[4:].split()[0] in {
            x.split()[0] for x in PROFILES[profile].extensions} for line in reply.lines[1:]):
        facts.add("lists the extensions")
    if before_via and server.envelope.via == "" and not session.closed:
        facts.add("clears the open transaction")
    if before_state is State.READY and session.state is State.MAIL:
        facts.add("opens a transaction")
        facts.add("stores the reverse-path")
        facts |= _deliveries(session)
    if len(server.envelope.forward_paths) > before_paths:
        facts.add("adds a recipient")
    if session.state is State.DATA:
        facts.add("asks to send the text")
    if reply.code in (211, 214):
        facts.add("answers with help text")
    addresses = sum(line.count("@mail.example>") for line in reply.lines)
    if reply.code == 250 and addresses == 1 and not facts & {"names the client",
                                                              "adds a recipient"}:
        facts.add("confirms one user's mailbox")
    if reply.code == 250 and addresses > 1:
        facts.add("lists the members of a list")
    if session.reversed:
        facts.add("reverses the roles")
    if len(server.host.queued_for("client.example")) < queued:
        facts.add("hands over the mail held for the client")
        if not session.reversed:
            facts.add("over a new connection")
    if server.verbose:
        facts.add("switches on verbose mode")
    if server.tickets:
        facts.add("records a ticket")
    if facts == {"replies 250"}:
        facts.add("changes nothing")
    return frozenset(facts)


def could_answer(candidate: str, key: str) -> bool:
    """Could ``candidate`` also be right where the summary of ``key`` is asked about?

    Yes when it does everything ``key`` does (EHLO does all HELO does); a candidate that
    lacks one of the key's facts does not do what the key's summary says."""
    return facts_of(key) <= facts_of(candidate)
