"""``send`` and the ``--connect`` session against servers that are not what they claim.

Each hostile server runs in the test, on loopback; each attack is bounded by the client's
own limits (reply lines and octets, one deadline per reply), never by the test's patience.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time
import tracemalloc

from smtpsim.mta import compose
from smtpsim.net import RemoteSession, send_message
from smtpsim.protocol.client import REPLY_LINES_LIMIT


@contextlib.asynccontextmanager
async def hostile(behaviour):
    """A loopback server whose every connection runs ``behaviour(reader, writer)``."""
    tasks: list[asyncio.Task] = []

    async def handle(reader, writer):
        tasks.append(asyncio.current_task())
        with contextlib.suppress(ConnectionError, OSError, asyncio.CancelledError):
            await behaviour(reader, writer)
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[:2]
    finally:
        server.close()
        for task in tasks:
            task.cancel()
        await server.wait_closed()


async def endless_ehlo(reader, writer):
    writer.write(b"220 evil.example ESMTP\r\n")
    await reader.readline()
    while True:                                   # 250- lines, never a last one
        writer.write(b"250-" + b"X" * 60 + b"\r\n" * 1 + b"250-PIPELINING\r\n" * 50)
        await writer.drain()


async def one_byte_a_tick(reader, writer):
    for byte in b"220 slow.example ESMTP but never finishing this line":
        writer.write(bytes([byte]))
        await writer.drain()
        await asyncio.sleep(0.05)                 # every read restarts a per-read timer


async def garbage(reader, writer):
    writer.write(b"220 ok\r\n")
    await reader.readline()
    while True:
        writer.write(b"HTTP/1.1 400 Bad Request\r\n")
        await writer.drain()


async def endless_line(reader, writer):
    writer.write(b"220 ok\r\n")
    await reader.readline()
    while True:
        writer.write(b"250 " + b"A" * 65536)   # no CRLF, ever
        await writer.drain()


def _message():
    return compose("alice@client.example", ["bob@evil.example"], "Hi", "Hello\n")


async def test_an_endless_multiline_reply_is_cut_at_the_line_limit_in_bounded_memory():
    async with hostile(endless_ehlo) as (host, port):
        tracemalloc.start()
        started = time.monotonic()
        transcript, client = await send_message(host, port, _message(), timeout=5)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert client.failure == ("the server's reply to EHLO cannot be SMTP: a 250 reply still "
                              f"going after {REPLY_LINES_LIMIT} lines and 3400 octets (the "
                              f"limit is {REPLY_LINES_LIMIT} lines); the connection was closed")
    assert elapsed < 5
    assert peak < 4_000_000, peak              # a few reads, never the flood
    assert [e.lines[0] for e in transcript if e.side == "C"] == ["EHLO client.example"]


async def test_one_byte_at_a_time_does_not_restart_the_reply_deadline():
    async with hostile(one_byte_a_tick) as (host, port):
        started = time.monotonic()
        _, client = await send_message(host, port, _message(), timeout=1)
        elapsed = time.monotonic() - started
    assert 1 <= elapsed < 2.5
    assert client.failure.startswith("no complete reply to <greeting> within 1 s (only ")
    assert "octet(s) of a line without its CRLF" in client.failure


async def test_lines_that_are_no_replies_end_the_session_with_the_reason():
    async with hostile(garbage) as (host, port):
        transcript, client = await send_message(host, port, _message(), timeout=5)
    assert client.failure == ("the server's reply to EHLO cannot be SMTP: 20 lines in a row "
                              "that are not SMTP reply lines (three digits, then a space or "
                              "'-'); the connection was closed")
    notes = [e.lines[0] for e in transcript if e.side == "*"]
    assert notes[0] == client.failure             # said once, not once a line
    assert [e.lines[0] for e in transcript if e.side == "C"] == ["EHLO client.example"]


async def test_a_line_that_never_ends_is_refused_past_4096_octets():
    async with hostile(endless_line) as (host, port):
        tracemalloc.start()
        _, client = await send_message(host, port, _message(), timeout=5)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert "a reply line longer than 4096 octets (RFC 5321 4.5.3.1.5 allows 512)" \
        in client.failure
    assert peak < 4_000_000, peak


async def test_the_connect_session_stops_reading_an_endless_reply():
    async with hostile(endless_ehlo) as (host, port):
        session = await RemoteSession.connect(host, port, timeout=5)
        entries = await session.send_line("EHLO client.example")
        assert session.closed
        assert entries[-1].lines == (
            f"the server's reply to EHLO cannot be SMTP: a 250 reply still going after "
            f"{REPLY_LINES_LIMIT} lines and 3400 octets (the limit is {REPLY_LINES_LIMIT} "
            "lines); the connection was closed",)
        await session.close()


async def test_the_connect_session_has_one_deadline_per_reply():
    async with hostile(one_byte_a_tick) as (host, port):
        started = time.monotonic()
        session = await RemoteSession.connect(host, port, timeout=1)
        assert time.monotonic() - started < 2.5
        assert session.transcript.entries[-1].lines[0].startswith(
            "no complete reply to <greeting> within 1 s (only ")
        await session.close()


async def test_send_cli_ends_with_one_line_naming_the_problem(tmp_path):
    async with hostile(one_byte_a_tick) as (host, port):
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "smtpsim", "send", "--server", f"{host}:{port}",
            "--from", "alice@client.example", "--to", "bob@evil.example", "--timeout", "1",
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _out, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 75
    lines = err.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "smtpsim: no complete reply to <greeting> within 1 s (only ")


async def test_a_554_greeting_gets_quit_and_nothing_else():
    said = []

    async def refusing(reader, writer):
        writer.write(b"554 5.7.1 no SMTP service here\r\n")
        while line := await reader.readline():
            said.append(line)
            writer.write(b"221 bye\r\n" if line.startswith(b"QUIT") else
                         b"503 5.5.1 only QUIT now\r\n")
            await writer.drain()

    async with hostile(refusing) as (host, port):
        message = _message()
        _, client = await send_message(host, port, message, timeout=5)
    assert said == [b"QUIT\r\n"]
    assert message.outcome == "failed"
    assert any("554 greeting" in note and "RFC 5321 3.1" in note for note in client.notes)
