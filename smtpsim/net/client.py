"""The client side on a real socket: a learner's session, and the client MTA.

:class:`RemoteSession` is :class:`smtpsim.mta.Session` with a real server on the other
end: the learner types a line, it goes out as typed (even malformed - that is how one
learns what a server says to it), and the reply or replies come back as transcript
entries.  :func:`send_message` lets :class:`smtpsim.mta.ClientMTA` deliver a message by
itself: EHLO (HELO after a 500/502), MAIL, RCPT per recipient, DATA with the text
dot-stuffed, QUIT - reacting to every reply as RFC 5321 4.2.1 says.

A real server's replies carry ``reply_id == "remote"``: the simulator can explain the
code, its digits and the enhanced code, but not why that server chose it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os

from ..i18n import N_, _
from ..mta import ClientMTA, Entry, OutgoingMessage, Transcript
from ..mta.transcript import CLIENT, NOTE, SERVER
from ..protocol import (
    BadReply,
    ClientConnection,
    ConnectionClosed,
    ProtocolError,
    Reply,
    State,
)
from ..protocol.events import NeedData
from ..protocol.phrase import Phrase

REPLY_TIMEOUT = 30.0     # how long to wait for a reply before telling the learner
# What a reply no command asked for answers (a Phrase: it is said in the notes).
UNASKED = Phrase(N_("<nothing: the server spoke unasked>"))
READ_SIZE = 65536
TEXT_LINES_SHOWN = 12

# What the learner reads when a server misbehaves (one line each).  They are recorded as
# Phrases, so a transcript note is said again in the language chosen later (F12).
NO_REPLY = N_("no complete reply to {what} within {timeout:g} s")
NO_REPLY_PARTIAL = N_("no complete reply to {what} within {timeout:g} s (only {partial} came)")
BAD_SERVER = N_("the server's reply to {what} cannot be SMTP: {reason}; the connection was "
                "closed")
NOT_A_REPLY = N_("not an SMTP reply: {raw} ({reason})")
LOST = N_("the connection was lost: {error}")
TOO_CHATTY = N_("the server sent {count} lines nobody asked for (RFC 5321 3.8 allows one "
                "421); the connection was closed")
SERVER_CLOSED = N_("the server closed the connection")
START_AGAIN = N_("the connection is closed; start a new one")
ENDED_EARLY = N_("the connection ended before the final reply: the message is deferred, to "
                 "be retried later (RFC 5321 3.8)")
CANNOT_CONNECT = N_("cannot connect to {host}:{port}: {reason}")
TIMED_OUT = N_("timed out")
MORE_LINES = N_("[... {count} more lines]")
UNASKED_LIMIT = 20


class RemoteError(Exception):
    """The real server could not be reached or went away; one line for the learner."""


class _Link:
    """A stream pair plus the sans-IO client connection that parses what comes back."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 conn: ClientConnection, server_label: str, timeout: float) -> None:
        self.reader, self.writer, self.conn = reader, writer, conn
        self.server_label = server_label
        self.timeout = timeout
        self.closed = False
        self._loop = asyncio.get_running_loop()
        self.deadline = self._loop.time() + timeout

    def restart_deadline(self) -> None:
        """One deadline per reply (RFC 5321 4.5.3.2), not per read: a server that sends
        a byte a second must not keep the client waiting for ever."""
        self.deadline = self._loop.time() + self.timeout

    async def events(self) -> list[Reply | BadReply | ConnectionClosed]:
        """Read until at least one event is complete (or the peer closes or times out)."""
        out: list[Reply | BadReply | ConnectionClosed] = []
        while True:
            while not isinstance(event := self.conn.next_event(), NeedData):   # NEED_DATA
                out.append(event)
                if isinstance(event, ConnectionClosed):
                    self.closed = True
                    return out
            if self.conn.failure is not None:
                self.closed = True
            if out or self.closed:
                return out
            await self.feed()

    async def feed(self) -> None:
        """One read from the socket into the parser (EOF included), before the deadline."""
        remaining = self.deadline - self._loop.time()
        if remaining <= 0:
            raise TimeoutError
        data = await asyncio.wait_for(self.reader.read(READ_SIZE), remaining)
        if data:
            self.conn.receive_data(data)
        else:
            self.conn.receive_eof()

    async def write(self, wire: bytes) -> None:
        self.writer.write(wire)
        await self.writer.drain()

    def timeout_text(self, what: str) -> Phrase:
        partial = self.conn.unfinished()
        return Phrase(NO_REPLY_PARTIAL if partial else NO_REPLY, what=Phrase(what),
                      timeout=self.timeout, partial=partial)

    async def close(self) -> None:
        self.closed = True
        self.writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.wait_closed()


async def _open(host: str, port: int, timeout: float) -> tuple[asyncio.StreamReader,
                                                               asyncio.StreamWriter]:
    try:
        return await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except TimeoutError:
        raise RemoteError(_(CANNOT_CONNECT).format(host=host, port=port,
                                                   reason=_(TIMED_OUT))) from None
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise RemoteError(_(CANNOT_CONNECT).format(host=host, port=port,
                                                   reason=reason)) from None


def _text_lines(wire: bytes) -> tuple[str, ...]:
    lines = wire.decode("utf-8", "replace").split("\r\n")[:-1]
    if len(lines) > TEXT_LINES_SHOWN:
        lines = lines[:TEXT_LINES_SHOWN] + [Phrase(MORE_LINES,
                                                   count=len(lines) - TEXT_LINES_SHOWN)]
    return tuple(lines)


class RemoteSession:
    """A learner's session with a real SMTP server (the app's ``--connect`` mode)."""

    def __init__(self, link: _Link, client_host: str) -> None:
        self._link = link
        self.client_host = client_host
        self.server_host = link.server_label
        self.transcript = Transcript()
        self._unasked = 0   # replies in a row that no command asked for (see watch)

    @classmethod
    async def connect(cls, host: str, port: int, *, client_host: str = "client.example",
                      timeout: float = REPLY_TIMEOUT) -> RemoteSession:
        """Open the connection and read the greeting (raises :class:`RemoteError`)."""
        reader, writer = await _open(host, port, timeout)
        session = cls(_Link(reader, writer, ClientConnection(), f"{host}:{port}", timeout),
                      client_host)
        await session._collect_replies()
        return session

    @property
    def state(self) -> State:
        """The session state as the client mirrors it from the replies (same table)."""
        return self._link.conn.state

    @property
    def closed(self) -> bool:
        return self._link.closed or self._link.conn.state is State.CLOSED

    @property
    def in_data(self) -> bool:
        return self._link.conn.sending_text

    async def send_line(self, text: str) -> list[Entry]:
        """Send one line as typed; return its entry and the entries of the replies."""
        if self.closed:
            raise ProtocolError(Phrase(START_AGAIN))
        raw = text.encode("utf-8", "surrogateescape")
        in_data = self.in_data
        start = len(self.transcript)
        before = self.state
        wire = self._link.conn.send_line(raw)
        verb = None if in_data else raw.split(b" ", 1)[0].decode("ascii", "replace").upper()
        self.transcript.add(side=CLIENT, lines=(text,), sender=self.client_host, before=before,
                            after=before, in_data=in_data, verb=verb)
        try:
            await self._link.write(wire)
        except (ConnectionError, OSError) as error:
            self._note(Phrase(LOST, error=str(error)))
            self._link.closed = True
            return self.transcript.entries[start:]
        self._unasked = 0
        await self._collect_replies()
        return self.transcript.entries[start:]

    async def close(self) -> None:
        await self._link.close()

    async def watch(self) -> list[Entry]:
        """While no reply is due, wait for what the server says unasked, and return it.

        RFC 5321 3.8 lets a server end a session with 421 at any moment (an idle timeout,
        a shutdown), and a server may simply close.  Without this the learner would see
        it only with the next line typed.  Cancel it before sending a line: what has not
        been read stays for :meth:`send_line`."""
        conn, link = self._link.conn, self._link
        start = len(self.transcript)
        if self.closed or conn.pending:
            return []
        try:
            data = await link.reader.read(READ_SIZE)
        except (ConnectionError, OSError) as error:
            self._note(Phrase(LOST, error=str(error)))
            link.closed = True
            return self.transcript.entries[start:]
        if data:
            conn.receive_data(data)
        else:
            conn.receive_eof()
        before = conn.state
        while not link.closed and not isinstance(event := conn.next_event(), NeedData):
            self._record(event, before, UNASKED, None)
            before = conn.state
            self._unasked += 1
            if self._unasked >= UNASKED_LIMIT:
                self._note(Phrase(TOO_CHATTY, count=UNASKED_LIMIT))
                await link.close()
        return self.transcript.entries[start:]

    async def _collect_replies(self) -> None:
        """Read until every command sent so far has its reply (050 lines come first)."""
        conn, link = self._link.conn, self._link
        link.restart_deadline()
        while conn.pending and not link.closed:
            answers = conn.pending[0]
            before = conn.state
            try:
                events = await link.events()
            except TimeoutError:
                self._note(link.timeout_text(answers))
                return
            except (ConnectionError, OSError) as error:
                self._note(Phrase(LOST, error=str(error)))
                link.closed = True
                return
            for event in events:
                self._record(event, before, answers, answers)
                before = conn.state
                if isinstance(event, Reply):
                    answers = conn.pending[0] if conn.pending else answers
                    link.restart_deadline()

    def _record(self, event: Reply | BadReply | ConnectionClosed, before: State,
                answers: str, verb: str | None) -> None:
        """One event read from the server: a reply entry, or a note of what went wrong."""
        if isinstance(event, Reply):
            self.transcript.add(side=SERVER, lines=tuple(event.wire_lines()),
                                sender=self.server_host, before=before,
                                after=self._link.conn.state, reply=event, reply_id="remote",
                                answers=answers, verb=verb)
        elif isinstance(event, BadReply):
            if self._link.conn.failure is not None:
                self._note(Phrase(BAD_SERVER, what=Phrase(answers), reason=event.reason))
                self._link.closed = True
            else:
                self._note(Phrase(NOT_A_REPLY, raw=repr(event.raw[:80]), reason=event.reason))
        else:
            self._note(Phrase(SERVER_CLOSED))
            self._link.closed = True

    def _note(self, text: str) -> None:
        self.transcript.add(side=NOTE, lines=(text,), sender=self.client_host,
                            before=self.state, after=self.state)


async def send_message(host: str, port: int, message: OutgoingMessage, *,
                       helo: str = "client.example", timeout: float = REPLY_TIMEOUT,
                       pipelining: bool = False) -> tuple[Transcript, ClientMTA]:
    """Deliver one message with the client MTA; the transcript records every line.

    Raises :class:`RemoteError` if the server cannot be reached.  Afterwards
    ``message.outcome`` is "delivered", "deferred" or "failed" ("waiting" if the
    connection ended before the final reply: treat it as deferred, RFC 5321 3.8), and
    ``client.notes`` says why.  With ``pipelining``, MAIL, RCPT and DATA go in one write
    when the server's EHLO reply lists PIPELINING (RFC 2920).
    """
    reader, writer = await _open(host, port, timeout)
    client = ClientMTA(helo, [message], pipelining=pipelining)
    link = _Link(reader, writer, client.conn, f"{host}:{port}", timeout)
    transcript = Transcript()
    conn = client.conn
    waiting: list[str] = []
    try:
        while conn.state is not State.CLOSED:
            while (wire := _next_output(client, transcript, helo)) is not None:
                await link.write(wire)
            if not conn.pending:
                break
            before, waiting = conn.state, [p for p in conn.pending]
            link.restart_deadline()
            while True:   # until at least one reply (or the client gives up on the server)
                await link.feed()
                replies = client.receive(b"")
                if replies or conn.failure is not None or conn.state is State.CLOSED:
                    break
            for reply in replies:
                answers = waiting[0] if waiting else "?"
                if not reply.is_progress and waiting:
                    waiting.pop(0)
                transcript.add(side=SERVER, lines=tuple(reply.wire_lines()),
                               sender=link.server_label, before=before,
                               after=conn.state, reply=reply, reply_id="remote",
                               answers=answers, verb=answers)
                before = conn.state
            if client.bad_reply is not None:
                what = waiting[0] if waiting else "?"
                bad, client.bad_reply = client.bad_reply, None
                text = (Phrase(BAD_SERVER, what=Phrase(what), reason=bad.reason)
                        if conn.failure is not None else
                        Phrase(NOT_A_REPLY, raw=repr(bad.raw[:80]), reason=bad.reason))
                _note(transcript, helo, client, text)
                if conn.failure is not None:
                    client.failure = text
    except TimeoutError:
        client.failure = link.timeout_text(waiting[0] if waiting else "?")
        _note(transcript, helo, client, client.failure)
    except (ConnectionError, OSError) as error:
        _note(transcript, helo, client, Phrase(LOST, error=str(error)))
    finally:
        await link.close()
    for note in client.notes:
        _note(transcript, helo, client, note)
    if message.outcome == "waiting":
        _note(transcript, helo, client, Phrase(ENDED_EARLY))
    return transcript, client


def _note(transcript: Transcript, helo: str, client: ClientMTA, text: str) -> None:
    transcript.add(side=NOTE, lines=(text,), sender=helo, before=client.conn.state,
                   after=client.conn.state)


def _next_output(client: ClientMTA, transcript: Transcript, helo: str) -> bytes | None:
    before = client.conn.state
    in_data = client.conn.sending_text
    wire = client.next_output()
    if wire is None:
        return None
    if in_data:
        transcript.add(side=CLIENT, lines=_text_lines(wire), sender=helo, before=before,
                       after=before, in_data=True, verb=None)
        return wire
    # One entry per command, also when several go in one write (PIPELINING, RFC 2920).
    for line in wire.decode("ascii", "replace").split("\r\n")[:-1]:
        transcript.add(side=CLIENT, lines=(line,), sender=helo, before=before, after=before,
                       in_data=False, verb=line.split(" ", 1)[0].upper())
    return wire
