"""A raw test client: bytes out, complete replies back, no SMTP library in between."""

from __future__ import annotations

import asyncio
import contextlib

FIXED_DATE = "Thu, 26 Nov 2026 09:00:00 +0000"   # the Received: date in server tests


class Wire:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, server) -> Wire:
        host, port = server.address
        return cls(*await asyncio.open_connection(host, port))

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def reply(self, timeout: float = 5.0) -> list[bytes]:
        """The lines of one complete (possibly multi-line) reply, without CRLF."""
        lines = []
        while True:
            line = await asyncio.wait_for(self.reader.readline(), timeout)
            if not line:
                raise EOFError(f"connection closed after {lines!r}")
            assert line.endswith(b"\r\n"), line
            lines.append(line[:-2])
            if line[3:4] != b"-":
                return lines

    async def code(self, timeout: float = 5.0) -> int:
        return int((await self.reply(timeout))[-1][:3])

    async def command(self, line: bytes) -> list[bytes]:
        await self.send(line + b"\r\n")
        return await self.reply()

    async def start_data(self, rcpt: bytes = b"bob@mail.example") -> list[int]:
        """EHLO, MAIL, RCPT and DATA; the codes they got (the last should be 354)."""
        codes = []
        for line in (b"EHLO client.example", b"MAIL FROM:<alice@client.example>",
                     b"RCPT TO:<" + rcpt + b">", b"DATA"):
            codes.append(int((await self.command(line))[-1][:3]))
        return codes

    async def at_eof(self, timeout: float = 5.0) -> bool:
        return await asyncio.wait_for(self.reader.read(), timeout) == b""

    def abort(self) -> None:
        self.writer.transport.abort()

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.wait_closed()


async def until(condition, timeout: float = 5.0) -> None:
    """Wait for ``condition()`` to hold - a positive event, never a fixed sleep - or fail."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the condition did not come true in time"
        await asyncio.sleep(0.01)
