"""Armed faults: the Nth occurrence of a verb gets a chosen code, with its real effect."""

import pytest

from smtpsim.mta import FaultError, parse_fault
from smtpsim.mta.faults import FAULT_CODES
from smtpsim.protocol import KNOWN_VERBS, ProtocolError, State

from .helpers import codes, last_code, run, start

EHLO, MAIL = "EHLO client.example", "MAIL FROM:<alice@client.example>"


def test_rcpt_2_gets_452_and_only_the_second():
    session = start("modern", "RCPT#2=452")
    run(session, EHLO, MAIL)
    got = [last_code(session, f"RCPT TO:<{u}@mail.example>") for u in ("bob", "carol", "dave")]
    assert got == [250, 452, 250]
    assert session.server.envelope.forward_paths == ["bob@mail.example", "dave@mail.example"]
    reply = next(e for e in session.transcript if e.code == 452)
    assert reply.text == "452 4.3.1 Requested action not taken: insufficient system storage"
    assert reply.reply_id == "fault.452"


def test_mail_403_is_sent_as_is_without_an_enhanced_code():
    session = start("modern", "MAIL=403")
    reply = run(session, EHLO, MAIL)[-1]
    assert (reply.code, reply.reply.enhanced) == (403, None)
    assert session.state is State.READY
    assert last_code(session, MAIL) == 403      # without #N every occurrence fires


def test_connect_421_refuses_the_greeting_and_closes():
    session = start("modern", "CONNECT=421")
    greeting = session.transcript[0]
    assert greeting.code == 421 and greeting.reply.enhanced is None   # never on the greeting
    assert greeting.text == "421 mail.example Service not available, closing transmission channel"
    assert session.closed and session.state is State.CLOSED
    with pytest.raises(ProtocolError):
        session.type_line("HELO client.example")
    assert session.client.done == [] and "421" in session.client.notes[-1]


def test_a_fault_on_helo_carries_no_enhanced_code():
    # RFC 2034: no enhanced code on any reply to HELO or EHLO.
    session = start("modern", "EHLO=550")
    reply = run(session, EHLO)[-1]
    assert (reply.code, reply.reply.enhanced) == (550, None)


def test_dot_451_refuses_the_message_and_clears_the_envelope():
    session = start("modern", "DOT=451")
    run(session, EHLO, MAIL, "RCPT TO:<bob@mail.example>", "DATA", "hi")
    assert last_code(session, ".") == 451
    assert session.state is State.READY
    assert session.server.envelope.sender is None and session.server.envelope.recipients == []
    assert session.server.host.users["bob"].mailbox == []
    assert last_code(session, "RCPT TO:<bob@mail.example>") == 503   # nothing left open


def test_421_mid_transaction_closes_and_drops_the_transaction():
    session = start("modern", "RCPT#2=421")
    run(session, EHLO, MAIL, "RCPT TO:<bob@mail.example>")
    reply = run(session, "RCPT TO:<carol@mail.example>")[-1]
    assert reply.code == 421 and reply.after is State.CLOSED
    assert session.closed
    assert session.server.envelope.sender is None     # RFC 5321 3.8: the transaction is gone
    with pytest.raises(ProtocolError):
        session.type_line("DATA")


def test_dot_421_closes_after_the_data():
    session = start("modern", "DOT=421")
    run(session, EHLO, MAIL, "RCPT TO:<bob@mail.example>", "DATA", "hi")
    assert last_code(session, ".") == 421 and session.closed


def test_faults_win_over_sequence_checks():
    session = start("modern", "DATA=451")
    assert last_code(session, "DATA") == 451


@pytest.mark.parametrize("spec, fault", [
    ("RCPT#2=452", ("RCPT", 2, 452)), ("mail=403", ("MAIL", None, 403)),
    (" DOT = 451 ", ("DOT", None, 451)), ("CONNECT=421", ("CONNECT", None, 421)),
])
def test_parse_fault(spec, fault):
    parsed = parse_fault(spec, KNOWN_VERBS)
    assert (parsed.verb, parsed.occurrence, parsed.code) == fault


@pytest.mark.parametrize("spec", ["RCPT", "RCPT=45", "RCPT#0=452", "FOO=452", "RCPT=250",
                                  "CONNECT=554", "RCPT#x=452", "", "=452"])
def test_bad_faults_are_refused(spec):
    with pytest.raises(FaultError):
        parse_fault(spec, KNOWN_VERBS)


@pytest.mark.parametrize("code", sorted(FAULT_CODES))
def test_every_fault_code_is_sendable(code):
    session = start("modern", f"NOOP={code}")
    reply = run(session, "NOOP")[-1]
    assert reply.code == code and reply.reply_id == f"fault.{code:03d}"
    assert session.closed is (code == 421)
    assert codes(session)[0] == 220
