"""RFC 821's SEND / SOML / SAML and TURN, sendmail's VERB, batch SMTP's TICK, and ETRN."""

import pytest

from smtpsim.mta.explain import as_text, explain_entry
from smtpsim.protocol import ProtocolError, State

from .helpers import last_code, run, start

HELO = "HELO client.example"


def deliver(session, opener: str, *recipients: str):
    run(session, HELO if session.state is State.INIT else "NOOP",
        f"{opener} FROM:<alice@client.example>")
    codes = [last_code(session, f"RCPT TO:<{r}@mail.example>") for r in recipients]
    final = run(session, "DATA", f"{opener} text", ".")[-1]
    return codes, final


def places(session, name):
    user = session.server.host.users[name]
    return len(user.terminal), len(user.mailbox)


# RFC 821 3.4.  bob: logged in, accepts; carol: not logged in; dave: logged in, refuses.
@pytest.mark.parametrize("opener, expected", [
    ("SEND", {"bob": (250, (1, 0)), "carol": (450, (0, 0)), "dave": (450, (0, 0))}),
    ("SOML", {"bob": (250, (1, 0)), "carol": (250, (0, 1)), "dave": (250, (0, 1))}),
    ("SAML", {"bob": (250, (1, 1)), "carol": (250, (0, 1)), "dave": (250, (0, 1))}),
    ("MAIL", {"bob": (250, (0, 1)), "carol": (250, (0, 1)), "dave": (250, (0, 1))}),
])
def test_terminal_and_mailbox_delivery(opener, expected):
    session = start("classic")
    rcpt_codes, final = deliver(session, opener, "bob", "carol", "dave")
    assert rcpt_codes == [code for code, _ in expected.values()]
    assert final.code == 250
    for name, (_, where) in expected.items():
        assert places(session, name) == where, name


def test_soml_says_it_will_mail_an_inactive_user():
    session = start("classic")
    run(session, HELO, "SOML FROM:<alice@client.example>")
    reply = run(session, "RCPT TO:<carol@mail.example>")[-1]
    assert reply.text == "250 User not active now, so will do mail"   # RFC 821 Scenario 6


def test_send_to_the_staff_list_needs_every_member_at_a_terminal():
    session = start("classic")
    run(session, HELO, "SEND FROM:<alice@client.example>")
    assert last_code(session, "RCPT TO:<staff@mail.example>") == 450
    assert last_code(session, "DATA") == 554     # recipients tried, none accepted
    session = start("classic")
    codes, final = deliver(session, "SAML", "staff")
    assert codes == [250] and final.code == 250
    assert [places(session, n) for n in ("bob", "carol", "dave")] == [(1, 1), (0, 1), (0, 1)]


def test_turn_reverses_the_roles_and_delivers_alices_mail():
    session = start("classic")
    entries = session.type_line(HELO) + session.type_line("TURN")
    turn_reply = next(e for e in entries if e.side == "S" and e.answers == "TURN")
    assert turn_reply.code == 250 and turn_reply.after is State.TURNED
    assert session.reversed and session.closed
    alice = session.world.client.users["alice"]
    assert len(alice.mailbox) == 1
    assert b"This message waited in mail.example's queue" in alice.mailbox[0].content
    assert session.server.host.queue == []
    text = session.transcript.as_text()
    assert "* TURN accepted: mail.example is now the client, client.example is now the server" \
        in text
    reversed_lines = [e for e in session.transcript if e.reversed_roles]
    assert reversed_lines[1].text == "220 client.example Simple Mail Transfer Service ready"
    assert reversed_lines[2].text == "HELO mail.example"
    assert reversed_lines[2].sender == "mail.example"
    assert session.turn_client.done[0].outcome == "delivered"
    assert session.turn_server.state is State.CLOSED
    with pytest.raises(ProtocolError):
        session.type_line("NOOP")


def test_turn_only_hands_over_mail_for_the_host_named_in_helo():
    # TURN believes the HELO name - which is why RFC 5321 retired it (App. F.1).
    session = start("classic")
    run(session, "HELO other.example")
    reply = next(e for e in session.type_line("TURN") if e.answers == "TURN")
    assert reply.text == "250 OK, turning around: 0 message(s) waiting for you"
    assert session.world.client.users["alice"].mailbox == []
    assert len(session.server.host.queue) == 1


def test_a_session_that_never_turned_has_no_turn_parts():
    session = start("classic")
    assert session.turn_server is None and session.turn_client is None
    assert not session.reversed


def test_verb_mode_sends_050_lines_before_the_final_reply():
    session = start("classic")
    run(session, HELO)
    assert run(session, "VERB")[-1].text == "250 Verbose mode"
    run(session, "MAIL FROM:<alice@client.example>", "RCPT TO:<bob@mail.example>",
        "RCPT TO:<zed@elsewhere.example>", "DATA", "hi")
    replies = run(session, ".")
    assert [r.text for r in replies] == [
        "050 <bob@mail.example>... Connecting to local...",
        "050 <bob@mail.example>... Sent (mailbox)",
        "050 <zed@elsewhere.example>... Queued for relay",
        "250 Ok: queued as Q0001",
    ]
    assert session.client.conn.state is State.READY


def test_tick_is_recorded_and_changes_nothing():
    session = start("classic")
    run(session, HELO, "MAIL FROM:<alice@client.example>")
    assert run(session, "TICK 0042")[-1].text == "250 OK TICK 0042 recorded"
    assert session.state is State.MAIL and session.server.tickets == ["0042"]
    assert last_code(session, "TICK") == 501


@pytest.mark.parametrize("argument, code", [
    ("client.example", 253), ("@client.example", 253), ("mail.example", 459),
    ("unknown.example", 459), ("#queue", 458), ("", 501),
])
def test_etrn(argument, code):
    session = start("modern")
    run(session, "EHLO client.example")
    assert last_code(session, f"ETRN {argument}".strip()) == code


def test_etrn_delivers_over_a_new_connection_then_has_nothing_left():
    session = start("modern")
    run(session, "EHLO client.example", "ETRN client.example")
    assert len(session.world.client.users["alice"].mailbox) == 1
    assert not session.reversed and session.state is State.READY
    assert last_code(session, "ETRN client.example") == 251


@pytest.mark.parametrize("opener, text", [
    ("SOML", "250 User dave refuses terminal messages, so will do mail"),
    ("SAML", "250 Recipient <dave@mail.example> OK, mailbox only: "
             "user dave refuses terminal messages"),
])
def test_a_logged_in_user_who_refuses_messages_is_not_called_inactive(opener, text):
    # dave is logged in with messages refused (mesg n): "not active" would be untrue.
    session = start("classic")
    run(session, HELO, f"{opener} FROM:<alice@client.example>")
    reply = run(session, "RCPT TO:<dave@mail.example>")[-1]
    assert reply.text == text
    assert "is logged in but refuses messages" in as_text(explain_entry(reply))
