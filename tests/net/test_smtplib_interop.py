"""Python's smtplib - a client nobody here wrote - against the simulated server on TCP,
checking reply codes and, with a Maildir, the stored bytes exactly."""

from __future__ import annotations

import asyncio
import smtplib

from netwire import FIXED_DATE

from smtpsim.net import MaildirStore
from smtpsim.net.maildir import messages


def trace(sender: str, queue_id: str, helo: str = "[127.0.0.1]", proto: str = "ESMTP") -> bytes:
    return (f"Return-Path: <{sender}>\r\nReceived: from {helo} by mail.example with {proto} "
            f"id {queue_id}; {FIXED_DATE}\r\n").encode()


async def in_thread(function):
    return await asyncio.to_thread(function)


async def test_send_vrfy_expn_help_and_maildir_bytes(start_server, tmp_path):
    server = await start_server(store=MaildirStore(tmp_path), keep_in_memory=False)
    host, port = server.address
    body = (b"Subject: dots\r\n\r\n.starts with a dot\r\n..two dots\r\n.\r\nend\r\n")

    def talk():
        with smtplib.SMTP(host, port, timeout=5) as smtp:
            code, text = smtp.ehlo("client.example")
            assert code == 250 and b"PIPELINING" in text and b"8BITMIME" in text
            assert smtp.verify("bob") == (250, b"2.1.5 Bob Baker <bob@mail.example>")
            assert smtp.verify("smith")[0] == 553
            code, text = smtp.expn("staff")
            assert code == 250 and text.count(b"\n") == 2
            assert smtp.help().startswith(b"2.0.0 This is smtpsim")
            refused = smtp.sendmail("alice@client.example", ["bob@mail.example"], body)
            assert refused == {}
            return smtp.noop()

    assert (await in_thread(talk))[0] == 250
    stored = messages(tmp_path, "bob")
    # smtplib stuffed the dots; the server un-stuffed them: the text arrives as written.
    assert stored == [trace("alice@client.example", "Q0001", "client.example") + body]
    assert server.world.server.users["bob"].mailbox == []   # not also kept in memory
    assert server.accepted_messages == 1


async def test_long_body_and_8bit_with_8bitmime(start_server, tmp_path):
    server = await start_server(store=MaildirStore(tmp_path), keep_in_memory=False)
    host, port = server.address
    long_body = b"Subject: long\r\n\r\n" + b"".join(
        (b"%05d " % i) + b"x" * 990 + b"\r\n" for i in range(3000))   # 998-octet lines, ~3 MB
    eight_bit = "Subject: caf\u00e9\r\n\r\nGr\u00fc\u00dfe aus K\u00f6ln \u2014 \u20ac\r\n".encode()

    def talk():
        with smtplib.SMTP(host, port, timeout=10) as smtp:
            smtp.ehlo("client.example")
            assert smtp.sendmail("alice@client.example", ["carol@mail.example"], long_body) == {}
            assert smtp.sendmail("alice@client.example", ["carol@mail.example"], eight_bit,
                                 mail_options=["BODY=8BITMIME"]) == {}

    await in_thread(talk)
    assert messages(tmp_path, "carol") == [
        trace("alice@client.example", "Q0001", "client.example") + long_body,
        trace("alice@client.example", "Q0002", "client.example") + eight_bit]


async def test_refused_messages_are_not_stored(start_server, tmp_path):
    server = await start_server(store=MaildirStore(tmp_path), keep_in_memory=False,
                                faults=())
    host, port = server.address
    eicar = (b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*\r\n")

    def talk():
        with smtplib.SMTP(host, port, timeout=5) as smtp:
            smtp.ehlo("client.example")
            for rcpt, data, code in (("gina@mail.example", b"full\r\n", 452),
                                     ("bob@mail.example", eicar, 554)):
                try:
                    smtp.sendmail("alice@client.example", [rcpt], data)
                except smtplib.SMTPDataError as error:
                    assert error.smtp_code == code
                else:
                    raise AssertionError(f"{rcpt} should have been refused with {code}")

    await in_thread(talk)
    assert messages(tmp_path, "gina") == [] and messages(tmp_path, "bob") == []
    assert server.accepted_messages == 0


async def test_legacy_verbs_through_docmd_on_classic(start_server, tmp_path):
    server = await start_server("classic", store=MaildirStore(tmp_path), keep_in_memory=False)
    host, port = server.address

    def talk():
        with smtplib.SMTP(host, port, timeout=5) as smtp:
            assert smtp.ehlo("client.example")[0] == 500        # RFC 821 host: no EHLO
            assert smtp.helo("client.example")[0] == 250
            assert smtp.docmd("VERB") == (250, b"Verbose mode")
            assert smtp.docmd("TICK", "ticket-7")[0] == 250
            assert smtp.docmd("SEND", "FROM:<alice@client.example>")[0] == 250
            assert smtp.docmd("RCPT", "TO:<bob@mail.example>")[0] == 250
            assert smtp.docmd("RCPT", "TO:<carol@mail.example>")[0] == 450   # not logged in
            assert smtp.docmd("DATA")[0] == 354
            smtp.send(b"Hi Bob, at your terminal.\r\n.\r\n")
            replies = [smtp.getreply() for _ in range(3)]          # VERB: 050 lines first
            assert replies == [(50, b"<bob@mail.example>... Connecting to local..."),
                               (50, b"<bob@mail.example>... Sent (terminal)"),
                               (250, b"Ok: queued as Q0001")]
            assert smtp.docmd("SAML", "FROM:<alice@client.example>")[0] == 250
            assert smtp.docmd("RCPT", "TO:<dave@mail.example>")[0] == 250
            assert smtp.docmd("DATA")[0] == 354
            smtp.send(b"For the mailbox.\r\n.\r\n")
            while smtp.getreply()[0] == 50:
                pass

    await in_thread(talk)
    assert messages(tmp_path, "bob", "terminal") == [
        trace("alice@client.example", "Q0001", "client.example", "SMTP")
        + b"Hi Bob, at your terminal.\r\n"]
    assert messages(tmp_path, "dave") == [
        trace("alice@client.example", "Q0002", "client.example", "SMTP")
        + b"For the mailbox.\r\n"]
    assert messages(tmp_path, "bob") == []
