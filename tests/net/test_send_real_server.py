"""The client MTA on a real socket: ``smtpsim send`` against aiosmtpd, a server nobody
here wrote, and the learner's RemoteSession against the simulated server."""

from __future__ import annotations

import asyncio
import email
import email.utils
import itertools
import re
import subprocess
import sys

import pytest
from aiosmtpd.smtp import SMTP as AioSMTP
from netwire import FIXED_DATE

from smtpsim.mta import compose
from smtpsim.net import RemoteError, RemoteSession, send_message
from smtpsim.protocol import ProtocolError, State


class Collect:
    """An aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self, rcpt_code: dict[str, str] | None = None) -> None:
        self.envelopes = []
        self.rcpt_code = rcpt_code or {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt_code:
            return self.rcpt_code[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
async def aiosmtpd_server():
    servers = []

    async def start(handler) -> tuple[str, int]:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: AioSMTP(handler, enable_SMTPUTF8=False),
                                          "127.0.0.1", 0)
        servers.append(server)
        return server.sockets[0].getsockname()[:2]

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


async def test_send_message_arrives_intact_at_aiosmtpd(aiosmtpd_server):
    handler = Collect()
    host, port = await aiosmtpd_server(handler)
    body = "First line\n.a line that starts with a dot\n..and two\n.\nlast line\n"
    message = compose("alice@client.example", ["bob@real.example", "carol@real.example"],
                      "Interop", body)
    transcript, _client = await send_message(host, port, message, helo="client.example")
    assert message.outcome == "delivered"
    assert message.accepted == ["bob@real.example", "carol@real.example"]
    (envelope,) = handler.envelopes
    assert envelope.mail_from == "alice@client.example"
    assert envelope.rcpt_tos == ["bob@real.example", "carol@real.example"]
    assert envelope.original_content == message.content     # un-stuffed, byte for byte
    assert b"\r\n.a line that starts with a dot\r\n..and two\r\n.\r\n" in message.content
    codes = [e.code for e in transcript if e.side == "S"]
    assert codes[0] == 220 and codes[-1] == 221 and codes.count(250) >= 4
    assert "EHLO client.example" in transcript.as_text()


async def test_4yz_and_5yz_recipients_are_told_apart(aiosmtpd_server):
    handler = Collect({"later@real.example": "451 4.3.0 try again later",
                       "never@real.example": "550 5.1.1 no such user"})
    host, port = await aiosmtpd_server(handler)
    message = compose("alice@client.example",
                      ["later@real.example", "never@real.example", "ok@real.example"], "x", "y")
    transcript, _client = await send_message(host, port, message)
    assert message.deferred == ["later@real.example"]
    assert message.failed == ["never@real.example"]
    assert message.accepted == ["ok@real.example"]
    assert handler.envelopes[0].rcpt_tos == ["ok@real.example"]
    text = transcript.as_text()
    assert "451 for <later@real.example>: temporary" in text
    assert "550 for <never@real.example>: permanent" in text
    # the final summary names who got the message and who did not, and why
    assert ("message to <ok@real.example>: delivered (end of data got 250); the server took "
            "responsibility for it; not to <later@real.example> (451: temporary, retry it "
            "later), <never@real.example> (550: permanent, report it to the sender)") in text


async def test_cli_send_against_aiosmtpd(aiosmtpd_server, tmp_path):
    handler = Collect()
    host, port = await aiosmtpd_server(handler)
    body = tmp_path / "body.txt"
    body.write_text("Hello Bob,\n.\nthat dot was text.\n", encoding="utf-8")
    command = [sys.executable, "-m", "smtpsim", "send", "--server", f"{host}:{port}",
               "--from", "alice@client.example", "--to", "bob@real.example",
               "--subject", "From the CLI", "--body-file", str(body), "--helo", "lab.example"]
    result = await asyncio.to_thread(subprocess.run, command, capture_output=True, text=True,
                                     timeout=30)
    assert result.returncode == 0, result.stderr
    assert "C: EHLO lab.example" in result.stdout and "C: ..\n" in result.stdout + "\n"
    (envelope,) = handler.envelopes
    assert envelope.content.endswith(b"Hello Bob,\r\n.\r\nthat dot was text.\r\n")
    assert b"Subject: From the CLI\r\n" in envelope.content
    # a real message: the real date and a unique id (RFC 5322 3.6.1, 3.6.4)
    headers = email.message_from_bytes(envelope.content)
    assert email.utils.parsedate_to_datetime(headers["Date"]).year >= 2024
    assert re.fullmatch(r"<[^<>@\s]+@client\.example>", headers["Message-ID"])


async def test_cli_send_exit_status_for_refusal_and_for_no_server(aiosmtpd_server):
    handler = Collect({"never@real.example": "550 5.1.1 no such user"})
    host, port = await aiosmtpd_server(handler)
    base = [sys.executable, "-m", "smtpsim", "send", "--from", "alice@client.example"]
    refused = await asyncio.to_thread(
        subprocess.run, base + ["--server", f"{host}:{port}", "--to", "never@real.example"],
        capture_output=True, text=True, timeout=30)
    assert refused.returncode == 1 and "S: 550" in refused.stdout
    # A closed port: one line on stderr, no traceback.
    closed = await asyncio.to_thread(
        subprocess.run, base + ["--server", "127.0.0.1:1", "--to", "x@real.example"],
        capture_output=True, text=True, timeout=30)
    assert closed.returncode == 1
    assert closed.stderr.strip() == "smtpsim: cannot connect to 127.0.0.1:1: Connection refused"
    bad = await asyncio.to_thread(
        subprocess.run, base + ["--server", "nowhere", "--to", "x@real.example"],
        capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2 and "HOST:PORT" in bad.stderr and "Traceback" not in bad.stderr


async def test_remote_session_types_to_the_simulated_server(start_server):
    server = await start_server()
    host, port = server.address
    session = await RemoteSession.connect(host, port)
    assert [e.code for e in session.transcript if e.side == "S"] == [220]
    entries = await session.send_line("EHLO client.example")
    assert entries[0].side == "C" and entries[1].code == 250 and session.state is State.READY
    for line in ("MAIL FROM:<alice@client.example>", "RCPT TO:<bob@mail.example>", "DATA"):
        await session.send_line(line)
    assert session.in_data and session.state is State.DATA
    assert await session.send_line("..a stuffed dot") == [session.transcript[-1]]
    final = await session.send_line(".")
    assert final[-1].code == 250 and final[-1].reply_id == "remote"
    assert (await session.send_line("QUIT"))[-1].code == 221
    assert session.closed
    with pytest.raises(ProtocolError):
        await session.send_line("NOOP")
    await session.close()
    content = server.world.server.users["bob"].mailbox[-1].content
    assert content == (b"Return-Path: <alice@client.example>\r\nReceived: from client.example "
                       b"by mail.example with ESMTP id Q0001; " + FIXED_DATE.encode()
                       + b"\r\n.a stuffed dot\r\n")


async def test_remote_session_cannot_connect():
    with pytest.raises(RemoteError, match=r"cannot connect to 127\.0\.0\.1:1"):
        await RemoteSession.connect("127.0.0.1", 1)


async def test_send_pipelines_the_envelope_when_the_server_offers_pipelining(start_server):
    server = await start_server()
    host, port = server.address
    message = compose("alice@client.example", ["bob@mail.example", "carol@mail.example"],
                      "Pipelined", "Hello.\n")
    transcript, _client = await send_message(host, port, message, pipelining=True)
    assert message.outcome == "delivered"
    sides = [(e.side, e.text.split(" ")[0]) for e in transcript if not e.in_data]
    # RFC 2920: the three commands are on the wire before the first of their replies
    start = sides.index(("C", "MAIL"))
    assert sides[start:start + 7] == [("C", "MAIL"), ("C", "RCPT"), ("C", "RCPT"), ("C", "DATA"),
                                      ("S", "250"), ("S", "250"), ("S", "250")]
    assert sides[start + 7][0] == "S" and sides[start + 7][1] == "354"
    assert len(server.world.server.users["bob"].mailbox) == 1
    assert len(server.world.server.users["carol"].mailbox) == 1


async def test_send_waits_for_each_reply_when_pipelining_is_not_offered(aiosmtpd_server):
    handler = Collect()   # aiosmtpd's EHLO reply does not list PIPELINING
    host, port = await aiosmtpd_server(handler)
    message = compose("alice@client.example", ["bob@real.example"], "x", "y")
    transcript, client = await send_message(host, port, message, pipelining=True)
    assert message.outcome == "delivered" and "PIPELINING" not in client.extensions
    sides = [e.side for e in transcript if e.side in "CS"]   # the text is one C entry
    assert all(a != b for a, b in itertools.pairwise(sides))    # C, S, C, S...: one at a time


async def test_remote_session_watch_returns_what_the_server_says_unasked(start_server):
    server = await start_server(idle_timeout=0.2)
    session = await RemoteSession.connect(*server.address)
    await session.send_line("HELO client.example")
    (entry,) = await asyncio.wait_for(session.watch(), 5)     # the idle timeout's 421
    assert entry.side == "S" and entry.code == 421 and entry.reply_id == "remote"
    assert entry.answers == "<nothing: the server spoke unasked>"
    assert entry.before is State.READY and entry.after is State.CLOSED
    assert session.closed and await session.watch() == []
    with pytest.raises(ProtocolError):
        await session.send_line("NOOP")
    await session.close()
