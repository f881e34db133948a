"""A recipient named twice is delivered once, and the second RCPT says why."""

from __future__ import annotations

from smtpsim.mta.explain import explain_entry

from .helpers import last_code, run, start

EHLO, MAIL = "EHLO client.example", "MAIL FROM:<alice@client.example>"


def test_a_repeated_recipient_is_one_delivery_explained_on_the_second_rcpt():
    session = start("modern")
    run(session, EHLO, MAIL, "RCPT TO:<bob@mail.example>")
    second = session.type_line("RCPT TO:<Bob@MAIL.example>")[-1]
    assert second.lines == ("250 2.1.5 Recipient <Bob@MAIL.example> OK (already a recipient: "
                            "one copy)",)
    assert second.reply_id == "rcpt.duplicate"
    why = explain_entry(second)
    assert "<bob@mail.example>" in why.why and "delivered there once" in why.why
    assert "RFC 5321 4.1.1.3" in why.rfc
    run(session, "RCPT TO:<carol@mail.example>", "RCPT TO:<bob@mail.example>", "DATA",
        "Subject: once", "", "hello", ".")
    users = session.world.server.users
    assert len(users["bob"].mailbox) == 1 and len(users["carol"].mailbox) == 1


def test_a_forwarded_recipient_named_twice_is_queued_once():
    session = start("modern")
    run(session, EHLO, MAIL, "RCPT TO:<erin@mail.example>")
    assert last_code(session, "RCPT TO:<erin@mail.example>") == 250
    before = len(session.world.server.queue)
    run(session, "DATA", "hi", ".")
    queued = session.world.server.queue[before:]
    assert [m.recipients for m in queued] == [("erin@new.example",)]


def test_a_relayed_address_differing_only_in_the_local_part_case_is_two_recipients():
    session = start("classic")
    run(session, "HELO client.example", MAIL, "RCPT TO:<Zed@elsewhere.example>")
    assert session.type_line("RCPT TO:<Zed@ELSEWHERE.example>")[-1].reply_id == \
        "rcpt.duplicate"                       # the domain is case-insensitive (RFC 5321 2.4)
    assert session.type_line("RCPT TO:<zed@elsewhere.example>")[-1].reply_id == "rcpt.relay"
