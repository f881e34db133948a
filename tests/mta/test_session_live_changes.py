"""Changes to a live connection: arming a fault mid-session, and the 503 for DATA before MAIL."""

from smtpsim.mta import Session, parse_fault
from smtpsim.mta.explain import explain_entry
from smtpsim.protocol import KNOWN_VERBS, State


def test_a_fault_armed_mid_session_fires_on_the_next_matching_command():
    session = Session()
    for line in ("EHLO client.example", "MAIL FROM:<alice@client.example>",
                 "RCPT TO:<bob@mail.example>"):
        session.type_line(line)
    session.arm(parse_fault("RCPT#2=452", KNOWN_VERBS))
    reply = session.type_line("RCPT TO:<carol@mail.example>")[-1]
    assert reply.code == 452
    assert reply.reply_id == "fault.452"
    assert session.state is State.RCPT           # a refused RCPT adds nothing
    assert [f.spec for f in session.faults] == ["RCPT#2=452"]
    assert session.type_line("RCPT TO:<dave@mail.example>")[-1].code == 250


def test_data_before_mail_says_no_transaction_is_open():
    session = Session()
    session.type_line("HELO client.example")
    reply = session.type_line("DATA")[-1]
    assert (reply.code, reply.reply_id, reply.after) == (503, "seq.need_mail", State.READY)
    why = explain_entry(reply).why
    assert why.startswith("DATA came in state READY, but no transaction is open")
    assert "allowed only in RCPT" in why


def test_data_after_mail_without_recipients_asks_for_rcpt():
    session = Session()
    session.type_line("HELO client.example")
    session.type_line("MAIL FROM:<alice@client.example>")
    reply = session.type_line("DATA")[-1]
    assert (reply.code, reply.reply_id, reply.after) == (503, "seq.need_rcpt", State.MAIL)
