"""TURN on a real socket (classic profile only): the roles swap on the same connection.

Only the classic profile accepts TURN (RFC 821 3.8).  After its 250 the connection stays
open and the roles swap: the remote, until now the client, must greet us as a server would
(220), and our client MTA delivers what the queue holds for the domain the remote named in
HELO.  Nothing checks that the remote really is that domain: anyone who says
"HELO client.example" and then TURN is handed client.example's mail - the flaw for which
RFC 2505 2.9 and RFC 5321 Appendix F.1 retired TURN (ETRN opens a new connection instead).
Messages the remote does not take (4yz, 5yz, a lost connection) go back to the queue.
"""

from __future__ import annotations

from collections.abc import Callable

from ..i18n import N_
from ..mta.link import turn_handover
from ..mta.transcript import CLIENT, NOTE, SERVER
from ..mta.world import Host, Message
from ..protocol import State
from ..protocol.phrase import Phrase
from .client import MORE_LINES
from .record import Recorder, TextRecorder

MAX_TURN_REPLIES = 2000   # a reversed session is bounded, whatever the remote sends
TURNED = N_("TURN accepted: {host} is now the client and will deliver {count} queued "
            "message(s) for {remote} (RFC 821 3.8)")


class ReversedSession:
    """Our host as the client MTA of the rest of the connection."""

    def __init__(self, host: Host, remote: str, recorder: Recorder | TextRecorder | None,
                 write: Callable[[bytes], None], close: Callable[[], None]) -> None:
        self.host = host
        self.remote = remote
        handover = turn_handover(host, remote)
        self.held: list[Message] = handover.held
        self._pairs = list(zip(handover.held, handover.outbox, strict=True))
        self.client = handover.client
        self.recorder = recorder
        self._write = write
        self._close = close
        self._replies = 0
        if recorder is not None:
            recorder.raw(NOTE, (Phrase(TURNED, host=host.name, count=len(self.held),
                                       remote=remote),), host.name, State.TURNED,
                         reversed_roles=True)

    def receive(self, data: bytes) -> None:
        for reply in self.client.receive(data):
            self._replies += 1
            self._record(SERVER, tuple(reply.wire_lines()), self.remote, reply=reply,
                         reply_id="remote")
        if self._replies > MAX_TURN_REPLIES:
            self._close()
            return
        self.pump()

    def pump(self) -> None:
        """Send the next command (or the whole text) whenever the client MTA has one."""
        while True:
            in_data = self.client.conn.state is State.DATA
            wire = self.client.next_output()
            if wire is None:
                break
            lines = wire.decode("utf-8", "replace").split("\r\n")[:-1]
            if in_data and len(lines) > 12:
                lines = lines[:12] + [Phrase(MORE_LINES, count=len(lines) - 12)]
            self._record(CLIENT, tuple(lines), self.host.name, in_data=in_data)
            self._write(wire)
        if self.client.conn.state is State.CLOSED:
            self._close()

    def finish(self) -> None:
        """The connection is gone: whatever was not delivered goes back to the queue."""
        for message, outgoing in self._pairs:
            if outgoing.outcome != "delivered":
                self.host.queue.append(message)
        self._pairs = []
        if self.recorder is not None:
            for note in self.client.notes:
                self._record(NOTE, (Phrase("{host}: {note}", host=self.host.name, note=note),),
                             self.host.name)

    def _record(self, side: str, lines: tuple[str, ...], sender: str, **extra) -> None:
        if self.recorder is not None:
            self.recorder.raw(side, lines, sender, self.client.conn.state,
                              reversed_roles=True, **extra)
