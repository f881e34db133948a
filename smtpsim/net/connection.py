"""One TCP connection of ``smtpsim serve``: bytes to the sans-IO core, replies back.

:class:`SmtpConnection` is what :class:`smtpsim.net.server.SimServer` makes for each
accepted socket.  It times each command (RFC 5321 4.5.3.2.7), stops reading while the
peer stops reading, records the dialogue for the teacher's log, and hands the socket to
a :class:`~smtpsim.net.turn.ReversedSession` after TURN.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from ..i18n import N_
from ..mta.server import ServerReply
from ..protocol import State
from ..protocol.phrase import Phrase
from .record import Recorder, TextRecorder
from .turn import ReversedSession

if TYPE_CHECKING:
    from .server import SimServer

# The connection's notes (the * lines of the teacher's log): Phrases, said in the language
# of whoever reads them (smtpsim.mta.phrases.note_text).
NO_COMMAND = N_("no complete command line (or block of text) within {timeout:g} s")
CONNECTED = N_("connection {id} from {host}:{port}")
CLIENT_CLOSED = N_("the client closed the connection")
LOST = N_("connection lost")
LOST_BECAUSE = N_("connection lost: {error}")
CLOSED = N_("connection {id} closed")
# After 354 the deadline restarts each time this much more message text has arrived:
# a deadline per block of text, not per byte (RFC 5321 4.5.3.2 times commands and blocks).
DATA_BLOCK = 4096
FEED_SLICE = 4096                 # bytes handed to the core at a time (see data_received)
READ_BUFFER = 16384               # one read at most, per connection (see SmtpConnection)


class SmtpConnection(asyncio.BufferedProtocol):
    """One TCP connection: bytes to the sans-IO core and its replies back, in order.

    A buffered protocol: the loop reads into one buffer kept for the whole connection
    (``recv_into``), instead of allocating - and having the kernel map and unmap - a
    fresh 256 KiB block for every read, which on a chatty SMTP session is most reads.
    """

    def __init__(self, server: SimServer) -> None:
        self.server = server
        self.id = server.next_connection_id()
        self.transport: asyncio.Transport | None = None
        self.recorder: Recorder | TextRecorder | None = None
        self.reversed: ReversedSession | None = None
        self._registered = False
        self._timer: asyncio.TimerHandle | None = None
        # When the command line being read (or, after 354, the next block of text) must
        # be complete: RFC 5321 4.5.3.2.7 times each command, so bytes alone do not
        # restart it - a client sending a byte a second cannot hold its slot for ever.
        self._deadline = 0.0
        self._text_since = 0   # octets of message text since the deadline last restarted
        self._address = "?"
        self._loop = asyncio.get_running_loop()
        self._read_buffer = bytearray(READ_BUFFER)
        self._read_view = memoryview(self._read_buffer)

    # -- asyncio callbacks ----------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        server = self.server
        peer = transport.get_extra_info("peername") or ("?", 0)
        if server.on_entries is not None:
            self.recorder = Recorder(f"{peer[0]}:{peer[1]}", server.world.server.name)
        elif server.on_text is not None:
            self.recorder = TextRecorder(self.id, f"{peer[0]}:{peer[1]}",
                                         server.world.server.name)
        self.mta = server.new_mta(self._on_event if self.recorder else None)
        self._accepted = 0   # the MTA's count of accepted messages, as last added up
        self._note(Phrase(CONNECTED, id=self.id, host=peer[0], port=peer[1]))
        self._address = str(peer[0])
        refusal = server.register(self, self._address)
        self._registered = refusal is None
        if refusal is not None:
            self.close_with(refusal, "<connection>", {"address": self._address})
            return
        self._emit(self.mta.greet(), unsolicited=True)
        self._deadline = self._loop.time() + server.idle_timeout
        if server.idle_timeout:
            self._timer = self._loop.call_later(server.idle_timeout, self._check_idle)

    def get_buffer(self, sizehint: int) -> memoryview:
        return self._read_view

    def buffer_updated(self, nbytes: int) -> None:
        self.data_received(bytes(self._read_view[:nbytes]))

    def data_received(self, data: bytes) -> None:
        recorder = self.recorder
        if type(recorder) is Recorder and self.reversed is None:
            # Lines of one read, and the replies to them, are one segment each in a
            # capture.  (After TURN we write each command on its own: no grouping.)
            recorder.read_began()
            try:
                self._read(data)
            finally:
                recorder.read_ended()
        else:
            self._read(data)

    def _read(self, data: bytes) -> None:
        if len(data) <= FEED_SLICE:
            self._feed(data)
            return
        # A big pipelined burst is fed in slices, each slice's replies written at once:
        # the client reads the first replies while later commands are still being handled.
        view = memoryview(data)
        for start in range(0, len(data), FEED_SLICE):
            self._feed(bytes(view[start:start + FEED_SLICE]))

    def _feed(self, data: bytes) -> None:
        if self.reversed is not None:
            self.reversed.receive(data)
            self._flush()
            self._deadline = self._loop.time() + self.server.idle_timeout
            return
        replies = self.mta.receive(data)
        if replies:
            # A command (or the whole text) was complete: the next one gets its own time.
            self._deadline = self._loop.time() + self.server.idle_timeout
            self._text_since = 0
        elif self.mta.state is State.DATA:
            self._text_since += len(data)
            if self._text_since >= DATA_BLOCK:
                self._deadline = self._loop.time() + self.server.idle_timeout
                self._text_since = 0
        self._emit(replies)

    def eof_received(self) -> bool:
        if self.reversed is None and self.mta.state is not State.CLOSED:
            self._emit(self.mta.receive_eof())
            self._note(Phrase(CLIENT_CLOSED))
        return False    # close our side too

    def connection_lost(self, exc: Exception | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self.reversed is not None:
            self.reversed.finish()
        if self.mta.state not in (State.CLOSED, State.TURNED):
            self.mta.receive_eof()            # drops an unfinished transaction
            self._note(Phrase(LOST_BECAUSE, error=str(exc)) if exc else Phrase(LOST))
        if self._registered:
            self.server.unregister(self, self._address)
        self._note(Phrase(CLOSED, id=self.id))

    def pause_writing(self) -> None:
        # The peer is not reading its replies: stop reading its commands until it does.
        if self.transport is not None:
            self.transport.pause_reading()

    def resume_writing(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.resume_reading()

    # -- ending a session from our side -----------------------------------------------------
    def close_with(self, reply_id: str, answers: str = "<server>",
                   context: dict | None = None) -> None:
        """Send an unsolicited 421 (if the session can still take a reply) and close."""
        if self.transport is None or self.transport.is_closing():
            return
        if self.reversed is None and self.mta.state not in (State.CLOSED, State.TURNED):
            self._emit([self.mta.close_with(reply_id, answers, context)], unsolicited=True)
        self.transport.close()
        self._flush()

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    def _check_idle(self) -> None:
        loop = self._loop
        now = loop.time()
        remaining = self._deadline - now
        if remaining <= 0:
            self._note(Phrase(NO_COMMAND, timeout=self.server.idle_timeout))
            self.close_with("session.timeout", "<idle timeout>")
        else:
            self._timer = loop.call_later(remaining, self._check_idle)

    # -- plumbing ------------------------------------------------------------------------------
    def _emit(self, replies: list[ServerReply], unsolicited: bool = False) -> None:
        """Write every reply in one go; replies to read events were recorded by _on_event."""
        transport = self.transport
        assert transport is not None
        if replies:
            transport.write(b"".join([r.wire for r in replies]))
            accepted = self.mta.accepted
            if accepted != self._accepted:   # 250s after a final dot since the last write
                self.server.accepted_messages += accepted - self._accepted
                self._accepted = accepted
                self.server.run_queue()
        if unsolicited and self.recorder is not None:
            self.recorder.replies(replies)
        state = self.mta.state
        if state is State.CLOSED:
            transport.close()      # after the bytes already written (221 or 421)
        elif state is State.TURNED and self.reversed is None:
            self._turn()
        self._flush()

    def _on_event(self, event: object, replies: list[ServerReply]) -> None:
        assert self.recorder is not None
        self.recorder.client = self.mta.client_name or self.recorder.client
        self.recorder.event(event, replies[0].before if replies else self.mta.state)
        self.recorder.replies(replies)

    def _turn(self) -> None:
        transport = self.transport
        assert transport is not None
        remote = (self.mta.client_name or "").lower()
        self.reversed = ReversedSession(self.mta.host, remote, self.recorder,
                                        transport.write, transport.close)

    def _note(self, text: str) -> None:
        if self.recorder is not None:
            self.recorder.note(text, self.mta.state)
            self._flush()

    def _flush(self) -> None:
        if self.recorder is not None:
            sink = self.server.on_entries
            try:
                if isinstance(self.recorder, TextRecorder):   # two unrelated classes
                    self.recorder.flush(self.server.on_text)
                else:
                    self.recorder.flush(None if sink is None else
                                        (lambda entries: sink(self.id, entries)))
            except Exception as error:   # a broken display must not break the session
                self._loop.call_exception_handler({
                    "message": f"on_entries failed for connection {self.id}",
                    "exception": error, "protocol": self})
