"""The ``followed`` check: hop 2 judged on a copy of the world, never on the session."""

from __future__ import annotations

import pytest

from smtpsim.course.checks import CheckError, Snapshot, evaluate, parse_check
from smtpsim.mta import Session

SEND = ["EHLO client.example", "MAIL FROM:<alice@client.example>",
        "RCPT TO:<friend@far.example>", "RCPT TO:<nobody@far.example>", "DATA", "hi", "."]


def judge(check: dict, lines: list[str] = SEND) -> tuple[bool, str, Session]:
    session = Session("modern")
    snapshot = Snapshot.take(session)
    for line in lines:
        session.type_line(line)
    outcome = evaluate(parse_check(check), session, [], snapshot)
    return outcome.passed, outcome.found, session


def test_the_journey_is_judged_and_the_session_is_left_as_it_was():
    passed, found, session = judge({"kind": "followed", "to": "nobody@far.example",
                                    "result": "bounced", "status": "5.1.1"})
    assert passed and found == "<nobody@far.example> bounced at 00:00:01, status 5.1.1"
    # the copy was followed: the learner's world still holds the messages, no bounce yet
    assert [m.recipients for m in session.world.server.queue[1:]] == [
        ("friend@far.example",), ("nobody@far.example",)]
    assert session.world.client.users["alice"].mailbox == []
    assert session.world.host("far.example").users["friend"].mailbox == []


@pytest.mark.parametrize("check, found", [
    ({"to": "friend@far.example", "result": "bounced"},
     "<friend@far.example> delivered at 00:00:01, status 2.0.0"),
    ({"to": "nobody@far.example", "result": "bounced", "status": "5.1.2"},
     "<nobody@far.example> bounced at 00:00:01, status 5.1.1"),
    ({"to": "friend@far.example", "result": "delivered", "code": 451},
     "<friend@far.example> delivered at 00:00:01, status 2.0.0"),
    ({"to": "gus@grey.example", "result": "delivered"},
     "no message for <gus@grey.example> was queued in this step"),
])
def test_a_wrong_journey_fails_and_says_what_happened(check, found):
    passed, text, _ = judge({"kind": "followed", **check})
    assert not passed and text.startswith(found)


def test_only_messages_queued_since_the_step_began_count():
    session = Session("modern")
    for line in SEND:
        session.type_line(line)
    later = Snapshot.take(session)
    outcome = evaluate(parse_check({"kind": "followed", "to": "nobody@far.example",
                                    "result": "bounced"}), session, [], later)
    assert not outcome.passed


@pytest.mark.parametrize("fields, problem", [
    ({"to": "friend", "result": "delivered"}, "'to' must be an address"),
    ({"to": "friend@far.example", "result": "lost"}, "result must be one of"),
    ({"to": "friend@far.example", "result": "delivered", "code": 499}, "499"),
    ({"to": "friend@far.example", "result": "bounced", "status": "5.1"}, "RFC 3463"),
    ({"to": "friend@far.example"}, "result"),
])
def test_a_broken_followed_check_is_refused_when_the_lesson_is_read(fields, problem):
    with pytest.raises(CheckError, match=problem):
        parse_check({"kind": "followed", **fields})
