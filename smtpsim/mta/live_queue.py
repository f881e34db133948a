"""mail.example's queue in a running world: the app's queue pane and ``serve``'s queue run.

``smtpsim run --follow`` follows a finished script in one go (journey.py).  A running
world - the app, or ``smtpsim serve`` - keeps one :class:`LiveQueue` instead: the messages
its sessions accept for other domains wait in the host's queue (``Host.queue``, where
TURN, ETRN and the lessons' checks see them) until the simulated clock moves; then the
queue manager takes them, and each step jumps the clock to the next event (RFC 5321
4.5.4.1: the next retry, never sooner than the schedule of clock.py allows).

Bounces travel the same way, and a bounce for alice@client.example lands in alice's
mailbox on client.example - the world's own client host - where the mailbox reader
shows it.  Nothing here uses real time or the network.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..i18n import N_, _
from .clock import SimClock, label
from .hops import Hop
from .relay import FORWARD_HOP, MAX_ATTEMPTS, RelayQueue
from .transcript import SERVER
from .world import Message, World

MAX_TAKEN = 1000    # messages remembered for their chain (the oldest are forgotten)
# The chain's words (one place, for a translator).
HOP_ONE = N_("hop 1 {client} -> {server}: the session that queued it")
BOUNCE_OF = N_("bounce {bounce_id} of {queue_id}, from <> (RFC 5321 4.5.5)")
WARNING_OF = N_("delay warning {bounce_id} of {queue_id}, from <> (RFC 3464 2.3.3: delayed)")
LOOKUP = N_("MX lookup for {domain} (RFC 5321 5.1)")
HOP = N_("hop {number} {client} -> {server} at {clock}{result}")
IN_MAILBOX = N_("{recipient}'s mailbox at {clock}")
BOUNCED = N_("{recipient}: bounced at {clock}, status {status}")
NOT_RETURNED = N_("{recipient}: not returned at {clock} (a bounce is never bounced)")
WAITING = N_("queued for {recipients}: attempt {attempts}, next at {clock}")
NOT_TAKEN = N_("in {host}'s queue, not yet taken: the clock has not moved since it arrived")


@dataclass(frozen=True)
class Link:
    """One node of a message's chain: a hop (to show in the panes) or where it ended."""

    kind: str           # "hop1", "lookup", "hop", "mailbox", "bounce", "ended", "waiting"
    text: str
    hop: Hop | None = None
    entry: int = 0      # the hop's entry to select first (the lookup's note is entry 0)


@dataclass(frozen=True)
class Row:
    """One line of the queue pane."""

    queue_id: str
    recipients: tuple[str, ...]
    next_attempt: str   # a clock label, or "" when the queue manager has not taken it
    attempts: int
    last_reply: str


class LiveQueue:
    """The relay queue of one world, moved on request (see the module docstring)."""

    def __init__(self, world: World, new_queue_id: Callable[[], str] | None = None,
                 takes: Callable[[Message], bool] | None = None) -> None:
        """``new_queue_id``: the bounces' ids (default: the host's own counter, as hop 1's);
        ``takes``: which queued messages are the queue manager's (default: those the
        world's sessions queued, ids Q0001 on)."""
        self.world = world
        host = world.server

        def host_queue_id() -> str:
            queue_id = f"Q{host.next_queue_id:04d}"
            host.next_queue_id += 1
            return queue_id
        self.relay = RelayQueue(world, new_queue_id or host_queue_id)
        self.takes = takes or (lambda m: _issued(m.queue_id, host.next_queue_id))
        self.taken: dict[str, Message] = {}       # queue id -> the message hop 1 queued
        self.bounce_of: dict[str, str] = {}       # bounce id -> the id it reports on

    @property
    def clock(self) -> SimClock:
        return self.relay.clock

    @property
    def started(self) -> bool:
        return bool(self.taken or self.relay.hops)

    # -- what waits ---------------------------------------------------------------------
    def not_taken(self) -> list[Message]:
        """Messages the sessions queued for other hosts that the queue manager has not
        taken yet (ids Q0001 on: mail held before the world began stays for TURN/ETRN)."""
        queue = self.world.server.queue
        heads = getattr(queue, "heads", None)    # a queue on disk (serve --maildir)
        if heads is None:
            return [m for m in list(queue) if m.queue_id not in self.taken and self.takes(m)]
        return [whole for head in heads() if head.queue_id not in self.taken
                and self.takes(head)
                and (whole := queue.whole(head)) is not None]   # type: ignore[attr-defined]

    def collect(self) -> int:
        """The queue manager takes every message waiting in the host's queue."""
        found = self.not_taken()
        host_queue = self.world.server.queue
        for message in found:
            host_queue.remove(message)
        left = self.relay.take(found, arrival=self.clock.now)
        for message in left:          # the relay queue is full: it stays where it was
            host_queue.append(message)
        for message in found:
            if message not in left:
                self.taken[message.queue_id] = message
        for old in list(self.taken)[:-MAX_TAKEN]:
            del self.taken[old]
        self._note_bounces()
        return len(found) - len(left)

    # -- moving the clock ---------------------------------------------------------------
    def advance(self) -> list[Hop]:
        """Take what waits, jump the clock to the next event and make every attempt due
        then (a bounce made by one of them, due at once, too)."""
        self.collect()
        due = self.relay.next_event()
        hops: list[Hop] = []
        for _attempt in range(MAX_ATTEMPTS):
            if due is None or self.relay.next_event() != due:
                break
            hops += self.relay.step()
        self._note_bounces()
        return hops

    def run_to_end(self, limit: int = MAX_ATTEMPTS) -> int:
        """Every attempt until the queue is empty (bounded); how many were made."""
        self.collect()
        made = 0
        for _attempt in range(limit):
            if not self.relay.step():
                break
            made += 1
        self._note_bounces()
        return made

    def next_event(self) -> int | None:
        if self.not_taken():
            return self.clock.now
        return self.relay.next_event()

    def _note_bounces(self) -> None:
        for ending in self.relay.endings:
            if ending.bounce_id:
                self.bounce_of.setdefault(ending.bounce_id, ending.queue_id)
        for warning, original in self.relay.warnings.items():
            self.bounce_of.setdefault(warning, original)
        for old in list(self.relay.warnings)[:-MAX_TAKEN]:
            del self.relay.warnings[old]
        # A world that runs for days (serve) keeps only the newest of everything.
        del self.relay.endings[:-MAX_TAKEN]
        del self.relay.notes[:-MAX_TAKEN]
        for old in list(self.bounce_of)[:-MAX_TAKEN]:
            del self.bounce_of[old]

    # -- what the pane shows ------------------------------------------------------------
    def rows(self) -> list[Row]:
        waiting: dict[str, list[str]] = {}   # the host queue holds one copy a recipient
        for m in self.not_taken():
            waiting.setdefault(m.queue_id, []).extend(m.recipients)
        out = [Row(queue_id, tuple(rcpts), "", 0, "") for queue_id, rcpts in waiting.items()]
        for d in sorted(self.relay.waiting, key=lambda d: (d.next_attempt, d.queue_id)):
            out.append(Row(d.queue_id, tuple(d.recipients), label(d.next_attempt),
                           d.attempts, d.last_reply.split("\n")[-1]))
        return out

    def messages(self) -> dict[str, str]:
        """Every message the queue has seen, in order, with its reverse-path: taken, or
        still waiting in the host's queue (read once).  A bounce is part of its message's
        chain, and listed on its own - with the null reverse-path, RFC 5321 4.5.5 - only
        when that message is forgotten."""
        found = {queue_id: m.sender for queue_id, m in self.taken.items()}
        for message in self.not_taken():
            found.setdefault(message.queue_id, message.sender)
        for bounce, original in self.bounce_of.items():
            if original not in found:
                found.setdefault(bounce, "")
        return found

    def chain(self, queue_id: str) -> list[Link]:
        """The hops of one message, and where each recipient ended."""
        links: list[Link] = []
        original = self.bounce_of.get(queue_id)
        if original is not None:
            words = WARNING_OF if queue_id in self.relay.warnings else BOUNCE_OF
            links.append(Link("bounce", _(words).format(bounce_id=queue_id,
                                                        queue_id=original)))
        else:
            links.append(Link("hop1", _(HOP_ONE).format(client=self.world.client.name,
                                                        server=self.world.server.name)))
        if any(m.queue_id == queue_id for m in self.not_taken()):
            links.append(Link("waiting", _(NOT_TAKEN).format(host=self.world.server.name)))
            return links
        for hop in self.relay.hops:
            if hop.queue_id != queue_id:
                continue
            if hop.lookup:
                links.append(Link("lookup", _(LOOKUP).format(domain=hop.lookup), hop, 0))
            if hop.lookup and not any(e.side == SERVER for e in hop.transcript.entries) \
                    and hop.server == hop.lookup:
                continue   # NXDOMAIN: the lookup was the whole attempt
            links.append(Link("hop", _(HOP).format(
                number=hop.number, client=hop.client, server=hop.server,
                clock=label(hop.started), result=_result(hop)), hop, _first_reply(hop)))
        for warning, original in self.relay.warnings.items():
            if original == queue_id and warning != queue_id:
                links += self.chain(warning)    # late, not lost: the sender was told
        for ending in self.relay.endings:
            if ending.queue_id != queue_id:
                continue
            facts = {"recipient": ending.recipient, "clock": label(ending.at)}
            if ending.result == "delivered":
                links.append(Link("mailbox", _(IN_MAILBOX).format(**facts)))
            elif ending.result == "bounced":
                links.append(Link("ended", _(BOUNCED).format(status=ending.status, **facts)))
                links += self.chain(ending.bounce_id)
            else:
                links.append(Link("ended", _(NOT_RETURNED).format(**facts)))
        for d in self.relay.waiting:
            if d.queue_id == queue_id:
                links.append(Link("waiting", _(WAITING).format(
                    recipients=", ".join(d.recipients), attempts=d.attempts + 1,
                    clock=label(d.next_attempt))))
        return links


def _issued(queue_id: str, next_id: int) -> bool:
    number = queue_id[1:]
    return queue_id[:1] == "Q" and number.isdigit() and 1 <= int(number) < next_id


def _first_reply(hop: Hop) -> int:
    """Where a hop opens in the panes: its first reply (the greeting), else its first line."""
    for entry in hop.transcript.entries:
        if entry.side == SERVER:
            return entry.index
    return 0


def _result(hop: Hop) -> str:
    """The last reply a hop got, as a code (' 451'), or nothing when no server answered."""
    codes = [e.code for e in hop.transcript.entries if e.side == SERVER and e.code]
    important = [c for c in codes if c >= 400] or codes[-2:-1] or codes[-1:]
    return f" {important[0]}" if important else ""


__all__ = ["FORWARD_HOP", "Link", "LiveQueue", "Row"]
