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
from typing import Any

from ..mta import Entry, ServerMTA, ServerReply, World, default_world, get_profile
from ..mta.faults import Fault
from ..mta.profiles import Profile
from .connection import SmtpConnection
from .fdlimit import AcceptGuard, usable_connections
from .maildir import QUEUE_FOLDER, MaildirStore
from .queue import DiskQueue
from .queue_run import run_serve_queue, serve_queue

DEFAULT_IDLE_TIMEOUT = 300.0      # RFC 5321 4.5.3.2.7: the server timeout is 5 minutes
DEFAULT_MAX_CONNECTIONS = 100
# One address may hold this many connections at once (Postfix's default
# smtpd_client_connection_count_limit is 50; a class on one machine - everyone on
# 127.0.0.1 - needs room too, so the cap is a fraction of the whole).
DEFAULT_MAX_PER_ADDRESS = 20
EntrySink = Callable[[int, list[Entry]], None]
# ServerMTA's on_event: each event read from the wire, with the replies it got
EventSink = Callable[[Any, list[ServerReply]], None]


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

    def new_mta(self, on_event: EventSink | None) -> ServerMTA:
        return ServerMTA(self.world, self.profile, self.faults, language=self.language,
                         clock=self.clock, store=self.store, keep_in_memory=self.keep_in_memory,
                         on_event=on_event,
                         queue_ids=self.new_queue_id)   # queue ids unique across all sessions

    def next_connection_id(self) -> int:
        """Connections are numbered from 1 in the order they arrive (the log's [n])."""
        return next(self._ids)

    def register(self, connection: SmtpConnection, address: str) -> str | None:
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

    def unregister(self, connection: SmtpConnection, address: str) -> None:
        held = self._per_address.get(address, 0) - 1
        if held > 0:
            self._per_address[address] = held
        else:
            self._per_address.pop(address, None)
        self.connections.discard(connection)
        if not self.connections:
            self._all_closed.set()

