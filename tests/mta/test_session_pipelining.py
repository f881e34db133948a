"""The client MTA pipelining inside a session (RFC 2920), as the app plays it."""

from __future__ import annotations

from smtpsim.mta import Session, compose
from smtpsim.protocol import State

READY, MAIL, RCPT, DATA = State.READY, State.MAIL, State.RCPT, State.DATA


def played(profile: str, count: int, pipelining: bool) -> Session:
    session = Session(profile, pipelining=pipelining)
    for n in range(count):
        session.queue_message(compose("alice@client.example", ["bob@mail.example"],
                                      f"note {n}", "Hello Bob."))
    session.play_all()
    return session


def test_one_step_sends_mail_rcpt_and_data_as_one_group_each_an_entry():
    session = Session("modern", pipelining=True)
    session.queue_message(compose("alice@client.example",
                                  ["bob@mail.example", "carol@mail.example"], "hi", "Hello."))
    session.play_step()                       # EHLO, whose reply lists PIPELINING
    entries = session.play_step()
    assert [(e.side, e.verb) for e in entries] == [
        ("C", "MAIL"), ("C", "RCPT"), ("C", "RCPT"), ("C", "DATA"),
        ("S", "MAIL"), ("S", "RCPT"), ("S", "RCPT"), ("S", "DATA")]
    # each command is shown in the state the server read it in, its reply moves it on
    assert [e.before for e in entries[:4]] == [READY, MAIL, RCPT, RCPT]
    assert [e.reply.code for e in entries[4:]] == [250, 250, 250, 354]
    assert [e.after for e in entries[4:]] == [MAIL, RCPT, RCPT, DATA]
    assert entries[4].answers == entries[0].lines[0]


def test_the_next_envelope_follows_the_final_dot_in_the_same_write():
    session = Session("modern", pipelining=True)
    for n in range(2):
        session.queue_message(compose("alice@client.example", ["bob@mail.example"],
                                      f"note {n}", "Hello Bob."))
    session.play_step()
    session.play_step()
    entries = session.play_step()             # text of the first, group of the second
    assert [(e.side, e.verb, e.in_data) for e in entries] == [
        ("C", None, True), ("C", "MAIL", False), ("C", "RCPT", False), ("C", "DATA", False),
        ("S", None, False), ("S", "MAIL", False), ("S", "RCPT", False), ("S", "DATA", False)]
    text = entries[0]
    assert text.lines[-1] == "." and text.before is DATA
    assert entries[1].before is READY           # read after the 250 to the final dot
    assert entries[4].answers == "<end of data>" and entries[4].reply.code == 250


def test_pipelining_delivers_what_lockstep_delivers_in_fewer_steps():
    lockstep, pipelined = played("modern", 3, False), played("modern", 3, True)
    assert [m.outcome for m in pipelined.client.done] == ["delivered"] * 3
    assert len(pipelined.server.host.users["bob"].mailbox) == 3
    assert lockstep.client.notes == pipelined.client.notes
    sent = [e.lines for e in lockstep.transcript if e.side == "C"]
    assert sent == [e.lines for e in pipelined.transcript if e.side == "C"]
    replies = [e.lines for e in lockstep.transcript if e.side == "S"]
    assert replies == [e.lines for e in pipelined.transcript if e.side == "S"]


def test_a_server_without_pipelining_gets_one_command_at_a_time():
    session = played("classic", 1, True)          # HELO only: no EHLO, no PIPELINING
    verbs = [e.verb for e in session.transcript if e.side == "C"]
    assert verbs == ["EHLO", "HELO", "MAIL", "RCPT", "DATA", None, "QUIT"]
    sides = "".join(e.side for e in session.transcript)
    assert sides == "S" + "CS" * 7                  # every command answered before the next


def test_after_a_refused_mail_the_rest_of_the_group_is_read_outside_a_transaction():
    from smtpsim.mta import parse_fault
    from smtpsim.protocol import KNOWN_VERBS
    session = Session("modern", (parse_fault("MAIL=451", KNOWN_VERBS),), pipelining=True)
    session.queue_message(compose("alice@client.example", ["bob@mail.example"], "s", "b"))
    session.play_step()
    entries = session.play_step()
    assert [e.before for e in entries[:3]] == [READY, READY, READY]   # MAIL got 451
    assert [e.reply.code for e in entries[3:]] == [451, 503, 503]
    assert session.client.done[0].outcome == "deferred"
    assert any("expected - MAIL had already been refused" in n for n in session.client.notes)
