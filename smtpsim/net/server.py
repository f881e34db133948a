"""The simulated server MTA on a real TCP port: a thin asyncio adapter, nothing more.

Every connection gets its own :class:`smtpsim.mta.ServerMTA` - the very object the
app uses in-process - and all of them share one :class:`smtpsim.mta.World`, so a
message delivered on one connection is in bob's mailbox for the next.  The adapter
only moves bytes: ``data_received`` hands them to the sans-IO core and writes back,
in one write, every reply the core produced.  The core answers one command at a
time, in order, so pipelined input (RFC 2920) gets its replies in order and nothing
read is ever dropped.

What the adapter adds is what a socket needs and a simulation does not:

* a deadline per command line, and per 4 KiB block of message text, not per byte
  (RFC 5321 4.5.3.2.7: at least 5 minutes) -> 421 4.4.2, then close;
* a connection limit, and one per client address -> 421 4.7.0 instead of the greeting
  (RFC 5321 3.1), then close; the limit fits the open-file limit (``fdlimit``);
* shutdown (SIGINT/SIGTERM in ``smtpsim serve``) -> 421 4.3.2 to every open session;
* flow control: when the peer stops reading, we stop reading too (no unbounded buffer);
* the real clock in the ``Received:`` trace line, and queue ids unique across sessions;
* TURN (``classic`` only): the roles swap on the same socket (:class:`ReversedSession`).

Line and message limits (RFC 5321 4.5.3.1), bare LF, CR NUL and the error limit are the
core's business and behave exactly as in the app.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from email.utils import formatdate

from ..i18n import N_
from ..mta import Entry, ServerMTA, World, default_world, get_profile
from ..mta.faults import Fault
from ..mta.profiles import Profile
from ..mta.server import ServerReply
from ..protocol import State
from ..protocol.phrase import Phrase
from .fdlimit import AcceptGuard, usable_connections
from .maildir import QUEUE_FOLDER, MaildirStore
from .queue import DiskQueue
from .queue_run import run_serve_queue, serve_queue
from .record import Recorder, TextRecorder
from .turn import ReversedSession

# The server's notes (the * lines of the teacher's log): Phrases, said in the language
# of whoever reads them (smtpsim.mta.phrases.note_text).
NO_COMMAND = N_("no complete command line (or block of text) within {timeout:g} s")
CONNECTED = N_("connection {id} from {host}:{port}")
CLIENT_CLOSED = N_("the client closed the connection")
LOST = N_("connection lost")
LOST_BECAUSE = N_("connection lost: {error}")
CLOSED = N_("connection {id} closed")
DEFAULT_IDLE_TIMEOUT = 300.0      # RFC 5321 4.5.3.2.7: the server timeout is 5 minutes
DEFAULT_MAX_CONNECTIONS = 100
# One address may hold this many connections at once (Postfix's default
# smtpd_client_connection_count_limit is 50; a class on one machine - everyone on
# 127.0.0.1 - needs room too, so the cap is a fraction of the whole).
DEFAULT_MAX_PER_ADDRESS = 20
# After 354 the deadline restarts each time this much more message text has arrived:
# a deadline per block of text, not per byte (RFC 5321 4.5.3.2 times commands and blocks).
DATA_BLOCK = 4096
FEED_SLICE = 4096                 # bytes handed to the core at a time (see data_received)
READ_BUFFER = 16384               # one read at most, per connection (see SmtpConnection)
EntrySink = Callable[[int, list[Entry]], None]


def real_clock() -> str:
    """RFC 5322 3.3 date-time for the Received: line, in local time with its offset."""
    return formatdate(localtime=True)


class SimServer:
    """Serves :class:`ServerMTA` sessions on a TCP port.

    ``on_entries(connection_id, entries)`` receives each connection's transcript entries
    as they happen (notes, C: lines, S: replies); leave it None to record nothing.
    """

    def __init__(self, profile: str | Profile = "modern", faults: tuple[Fault, ...] = (),
                 world: World | None = None, *, store: Callable | None = None,
                 keep_in_memory: bool = True, idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
                 max_connections: int = DEFAULT_MAX_CONNECTIONS,
                 max_per_address: int = DEFAULT_MAX_PER_ADDRESS,
                 on_entries: EntrySink | None = None, clock: Callable[[], str] = real_clock,
                 language: str | None = None, on_notice: Callable[[str], None] | None = None,
                 on_text: Callable[[str], None] | None = None,
                 on_queue: Callable[[str], None] | None = None) -> None:
        self.profile = get_profile(profile) if isinstance(profile, str) else profile
        self.faults = tuple(faults)
        self.world = world if world is not None else default_world()
        self.store = store
        self.keep_in_memory = keep_in_memory
        if isinstance(store, MaildirStore) and not keep_in_memory:
            # the mail for the next hop on disk too, where TURN and ETRN find it
            self.world.server.queue = DiskQueue.replacing(self.world.server.queue,
                                                          store.root / QUEUE_FOLDER, store)
        self.idle_timeout = idle_timeout
        self.max_connections = max_connections
        self.asked_connections = max_connections   # before start() fits it to the fd limit
        self.max_per_address = max_per_address
        self.on_entries = on_entries
        self.on_notice = on_notice      # one line for the operator (accept() failing)
        # Without on_entries: the transcript as printed text, ``[3] C: NOOP`` lines
        # (cheaper than entries: what ``smtpsim serve`` prints by default).
        self.on_text = on_text
        self.clock = clock
        self.language = language
        self.connections: set[SmtpConnection] = set()
        self.accepted_messages = 0        # 250 replies at the end of DATA
        self.total_connections = 0
        self._ids = itertools.count(1)
        self._queue_ids = itertools.count(1)
        self._server: asyncio.base_events.Server | None = None
        self._all_closed = asyncio.Event()
        self._all_closed.set()
        self._per_address: dict[str, int] = {}
        self._guard: AcceptGuard | None = None
        # The queue for other domains: run at once after each accepted message, on the
        # simulated clock (queue_run.py); mail for the client host waits for TURN/ETRN.
        self.relay = serve_queue(self.world, self.new_queue_id)
        self.on_queue = on_queue

    # -- life cycle ------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 2525) -> tuple[str, int]:
        """Bind and listen; returns the address really bound (port 0 picks a free one)."""
        loop = asyncio.get_running_loop()
        self.max_connections = usable_connections(self.asked_connections)
        self._server = await loop.create_server(
            lambda: SmtpConnection(self), host, port, reuse_address=True,
            backlog=max(128, self.max_connections + 16))
        # built now: with no descriptor left even the catalogue could not be read
        busy = self.new_mta(None).close_with("session.busy", "<connection>").wire
        self._guard = AcceptGuard(loop, [s.fileno() for s in self._server.sockets], busy,
                                  self.on_notice)
        return self.address

    @property
    def refused_at_accept(self) -> int:
        """Clients answered 421 because accept() had no descriptor for them."""
        return self._guard.refused if self._guard is not None else 0

    @property
    def address(self) -> tuple[str, int]:
        assert self._server is not None, "start() the server first"
        return self._server.sockets[0].getsockname()[:2]

    async def shutdown(self, grace: float = 5.0) -> None:
        """Stop listening, send 421 to every open session, wait for them to close."""
        if self._server is not None:
            self._server.close()
        for connection in list(self.connections):
            connection.close_with("session.shutdown")
        try:
            await asyncio.wait_for(self._all_closed.wait(), grace)
        except TimeoutError:
            for connection in list(self.connections):
                connection.abort()
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None
        if self._guard is not None:
            self._guard.close()

    async def __aenter__(self) -> SimServer:
        if self._server is None:
            await self.start("127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.shutdown()

    # -- what the connections ask --------------------------------------------------------
    def run_queue(self) -> None:
        """Hop 2 for what was just accepted: delivered, retried or bounced at once."""
        for line in run_serve_queue(self.relay):
            if self.on_queue is not None:
                self.on_queue(line)

    def new_queue_id(self) -> str:
        return f"Q{next(self._queue_ids):04d}"

    def new_mta(self, on_event) -> ServerMTA:
        mta = ServerMTA(self.world, self.profile, self.faults, language=self.language,
                        clock=self.clock, store=self.store, keep_in_memory=self.keep_in_memory,
                        on_event=on_event)
        mta.new_queue_id = self.new_queue_id   # queue ids unique across all sessions
        return mta

    def _opened(self, connection: SmtpConnection, address: str) -> str | None:
        """Register a connection; the reply id of the 421 it gets if a limit is reached."""
        self.total_connections += 1
        if len(self.connections) >= self.max_connections:
            return "session.busy"
        held = self._per_address.get(address, 0)
        if held >= self.max_per_address:
            return "session.busy_address"
        self._per_address[address] = held + 1
        self.connections.add(connection)
        self._all_closed.clear()
        return None

    def _closed(self, connection: SmtpConnection, address: str) -> None:
        held = self._per_address.get(address, 0) - 1
        if held > 0:
            self._per_address[address] = held
        else:
            self._per_address.pop(address, None)
        self.connections.discard(connection)
        if not self.connections:
            self._all_closed.set()


class SmtpConnection(asyncio.BufferedProtocol):
    """One TCP connection: bytes to the sans-IO core and its replies back, in order.

    A buffered protocol: the loop reads into one buffer kept for the whole connection
    (``recv_into``), instead of allocating - and having the kernel map and unmap - a
    fresh 256 KiB block for every read, which on a chatty SMTP session is most reads.
    """

    def __init__(self, server: SimServer) -> None:
        self.server = server
        self.id = next(server._ids)
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
        refusal = server._opened(self, self._address)
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
            self.server._closed(self, self._address)
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
                if type(self.recorder) is TextRecorder:
                    self.recorder.flush(self.server.on_text)
                else:
                    self.recorder.flush(None if sink is None else
                                        (lambda entries: sink(self.id, entries)))
            except Exception as error:   # a broken display must not break the session
                self._loop.call_exception_handler({
                    "message": f"on_entries failed for connection {self.id}",
                    "exception": error, "protocol": self})
