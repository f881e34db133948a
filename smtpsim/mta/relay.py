"""mail.example's relay queue: hop 2 on the simulated clock, retries, and bounces.

After a 250 at the end of data a message for another domain waits in the host's queue
(``Host.queue``, as TURN and ETRN see it).  A queue run takes the messages this session
accepted, splits each by destination domain (one delivery per domain, so one domain's
failure never holds up another's: RFC 5321 4.5.4), and tries each on the clock:

* a delivery that gets 4yz, or reaches no server, is tried again later;
* on the retry schedule of clock.py (RFC 5321 4.5.4.1), until the message has been
  queued for 5 days; then it is returned;
* a 5yz, a domain that does not exist, or giving up makes a bounce (dsn.py) for the
  reverse-path, queued like any message, with the null reverse-path ``<>``;
* a message whose reverse-path is already ``<>`` is never bounced (RFC 5321 6.1, 4.5.5).

Everything is bounded: the queue, the attempts of one run and the hops kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..i18n import N_, _, ngettext
from .clock import DAY, HOUR, LIFETIME, PICKUP_DELAY, SimClock, label, retry_interval
from .dns import DEFAULT_SEED
from .dsn import DELAYED_WHY, GAVE_UP, FailedRecipient, build_dsn
from .hops import Hop, Outcome, attempt
from .world import Message, World

MAX_DELIVERIES = 200             # deliveries waiting at once
MAX_ATTEMPTS = 2000              # attempts in one queue run
MAX_HOPS = 500                   # hops kept for the journey (the oldest are dropped)
FORWARD_HOP, BOUNCE_HOP = 2, 3   # hop 1 is the learner's; 3 is a bounce on its way back
# Where a recipient can end: the words of lesson checks, translated only where shown.
RESULTS = (N_("delivered"), N_("bounced"), N_("not returned"))
DELIVERED_FROM = N_("{reply} (from {remote})")
NXDOMAIN_STATUS = "5.1.2"        # RFC 3463 3.2: bad destination system address
EXPIRED_STATUS = "4.4.7"         # RFC 3463 3.5: delivery time expired
# The journey's words (one place, for a translator).  The two "why" texts also go into
# the bounce itself (its human part, as a real MTA writes it), so they stay untranslated.
NXDOMAIN_WHY = "Host or domain name not found: {domain} has no MX and no A record (NXDOMAIN)"
REFUSED_WHY = "refused by {remote}: {reply}"
NOT_RETURNED = N_("not returned: its reverse-path is <>, and a bounce is never bounced "
                   "(RFC 5321 6.1, 4.5.5)")
HOP_LABEL = N_("[hop {number} {client} -> {server} {at}]")
GIVING_UP = N_("queued for {days} days: giving up on {count} recipient(s) and returning the "
                "message to its sender")
QUEUE_FULL = N_("the relay queue is full ({limit} deliveries): {count} message(s) stay in the "
                 "host's queue for a later run")
BOUNCE_DROPPED = N_("the relay queue is full: this bounce could not be queued")
WARN_AFTER = DAY                 # a delay warning once the message has waited a day
WARNED = N_("still undelivered after {hours} hours: delay warning {warning_id} (Action: "
            "delayed, RFC 3464 2.3.3) queued for <{sender}>; the message stays queued")


@dataclass
class Delivery:
    """One message for one destination domain, as the queue holds it."""

    queue_id: str
    sender: str
    recipients: list[str]
    domain: str
    content: bytes
    arrival: int
    next_attempt: int
    hop: int = FORWARD_HOP
    attempts: int = 0
    last_reply: str = ""
    warned: bool = False         # a delay warning has been sent for it


@dataclass
class Ending:
    """Where one recipient of one message ended."""

    queue_id: str
    recipient: str
    result: str          # one of RESULTS
    detail: str
    at: int
    bounce_id: str = ""  # the bounce that reported it
    status: str = ""     # RFC 3463 status (the DSN's Status: field for a bounced one)


@dataclass
class RelayQueue:
    world: World
    new_queue_id: Callable[[], str]
    clock: SimClock = field(default_factory=SimClock)
    seed: int = DEFAULT_SEED
    waiting: list[Delivery] = field(default_factory=list)
    hops: list[Hop] = field(default_factory=list)
    endings: list[Ending] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    remote_ids: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)   # warning id -> message id

    # -- filling it ------------------------------------------------------------------------
    def take(self, messages: list[Message], arrival: int = 0) -> list[Message]:
        """Queue host-queue messages (one recipient each), grouped by id and domain; the
        messages that did not fit (the queue is full) are returned, to stay where they were."""
        grouped: dict[tuple[str, str], Delivery] = {}
        sources: dict[tuple[str, str], list[Message]] = {}
        for message in messages:
            for recipient in message.recipients:
                domain = recipient.rpartition("@")[2].lower()
                key = (message.queue_id, domain)
                sources.setdefault(key, []).append(message)
                if key in grouped:
                    grouped[key].recipients.append(recipient)
                    continue
                grouped[key] = Delivery(message.queue_id, message.sender, [recipient],
                                        domain, message.content, arrival,
                                        arrival + PICKUP_DELAY)
        left: list[Message] = []
        seen: set[int] = set()   # by identity: a message with several domains is one
        for key, delivery in grouped.items():
            if len(self.waiting) < MAX_DELIVERIES:
                self.waiting.append(delivery)
                continue
            for message in sources[key]:
                if id(message) not in seen:
                    seen.add(id(message))
                    left.append(message)
        if left:
            self.notes.append(_(QUEUE_FULL).format(limit=MAX_DELIVERIES, count=len(left)))
        return left

    def _add(self, delivery: Delivery) -> None:
        """A bounce joins the queue; past the limit it is dropped, and the note says so."""
        if len(self.waiting) >= MAX_DELIVERIES:
            self.endings.append(Ending(delivery.queue_id, delivery.recipients[0],
                                       "not returned", _(BOUNCE_DROPPED), self.clock.now))
            return
        self.waiting.append(delivery)

    # -- running it ------------------------------------------------------------------------
    def next_event(self) -> int | None:
        """When the next attempt is due (the clock jumps there), or None when empty."""
        return min((d.next_attempt for d in self.waiting), default=None)

    def step(self) -> list[Hop]:
        """Jump to the next due delivery and attempt it; the hops it made."""
        if not self.waiting:
            return []
        delivery = min(self.waiting, key=lambda d: d.next_attempt)
        self.clock.jump_to(delivery.next_attempt)
        started = self.clock.now
        delivery.attempts += 1
        zone = self.world.zone
        assert zone is not None, "a relay queue needs the second hop's DNS (mta.internet)"
        answer = zone.lookup_mx(delivery.domain, self.seed)
        if answer.kind == "nxdomain":
            hop = Hop(delivery.hop, self.world.server.name, delivery.domain, started)
            hop.note(answer.describe(), started)
            hops = [hop]
            why = NXDOMAIN_WHY.format(domain=delivery.domain)
            outcomes = [Outcome(r, "failed", "", NXDOMAIN_STATUS) for r in delivery.recipients]
            warned = self._settle(delivery, outcomes, started,
                                  {r: why for r in delivery.recipients})
        else:
            hops, outcomes = attempt(self.world, self.clock, answer, delivery.sender,
                                     delivery.recipients, delivery.content, delivery.hop,
                                     self._remote_id)
            warned = self._settle(delivery, outcomes, started, {})
        if any(o.result == "deferred" for o in outcomes):
            deferred = sum(o.result == "deferred" for o in outcomes)
            if delivery in self.waiting:
                hops[-1].note(ngettext(
                    "{count} recipient deferred: attempt {attempt} failed, the next is at {at} "
                    "(RFC 5321 4.5.4.1)",
                    "{count} recipients deferred: attempt {attempt} failed, the next is at "
                    "{at} (RFC 5321 4.5.4.1)", deferred).format(
                        count=deferred, attempt=delivery.attempts,
                        at=label(delivery.next_attempt)), self.clock.now)
            else:
                hops[-1].note(_(GIVING_UP).format(days=LIFETIME // DAY, count=deferred),
                              self.clock.now)
        if warned:
            hops[-1].note(_(WARNED).format(hours=(started - delivery.arrival) // HOUR,
                                           warning_id=warned, sender=delivery.sender),
                          self.clock.now)
        for hop in hops:
            hop.queue_id = delivery.queue_id
        hops[0].lookup = delivery.domain   # each attempt begins with the lookup (5.1)
        self.hops.extend(hops)
        del self.hops[:-MAX_HOPS]
        return hops

    def run(self, limit: int = MAX_ATTEMPTS) -> None:
        """Attempt everything due, jumping the clock, until the queue is empty."""
        for _attempt in range(limit):
            if not self.step():
                break

    def _remote_id(self, machine: str) -> int:
        self.remote_ids[machine] = self.remote_ids.get(machine, 0) + 1
        return self.remote_ids[machine]

    def _settle(self, delivery: Delivery, outcomes: list[Outcome], started: int,
                reasons: dict[str, str]) -> str:
        """Record what an attempt decided; retry, finish or bounce each recipient; the id
        of the delay warning it sent, if any."""
        failed: list[FailedRecipient] = []
        late: list[FailedRecipient] = []
        deferred: list[str] = []
        now = self.clock.now
        date = self.clock.date(now)
        give_up = started >= delivery.arrival + LIFETIME
        for outcome in outcomes:
            delivery.last_reply = outcome.reply or delivery.last_reply
            if outcome.result == "delivered":
                detail = _(DELIVERED_FROM).format(reply=outcome.reply, remote=outcome.remote)
                self.endings.append(Ending(delivery.queue_id, outcome.recipient, "delivered",
                                           detail, now, status=outcome.status))
            elif outcome.result == "failed":
                why = reasons.get(outcome.recipient) or REFUSED_WHY.format(
                    remote=outcome.remote, reply=outcome.reply)
                failed.append(FailedRecipient(outcome.recipient, outcome.status,
                                              outcome.reply, outcome.remote, why, date))
            elif give_up:
                smtp = outcome.reply[:3].isdigit()
                why = GAVE_UP.format(days=LIFETIME // DAY, why=outcome.reply)
                failed.append(FailedRecipient(outcome.recipient, EXPIRED_STATUS,
                                              outcome.reply if smtp else "", outcome.remote,
                                              why, date))
            else:
                deferred.append(outcome.recipient)
                smtp = outcome.reply[:3].isdigit()
                why = DELAYED_WHY.format(hours=(started - delivery.arrival) // HOUR,
                                         why=outcome.reply)
                late.append(FailedRecipient(outcome.recipient, outcome.status,
                                            outcome.reply if smtp else "", outcome.remote,
                                            why, date))
        warned = ""
        if late and delivery.sender and not delivery.warned \
                and started - delivery.arrival >= WARN_AFTER:
            delivery.warned = True
            warned = self._warn(delivery, late)
        if deferred:
            delivery.recipients = deferred
            delivery.next_attempt = min(started + retry_interval(delivery.attempts),
                                        delivery.arrival + LIFETIME)
        else:
            self.waiting.remove(delivery)
        if failed:
            self._bounce(delivery, failed)
        return warned

    def _warn(self, delivery: Delivery, late: list[FailedRecipient]) -> str:
        """RFC 3464 2.3.3 "delayed": tell the sender the message is late, not lost. Like
        a bounce it goes from <> (RFC 5321 4.5.5); the message itself stays queued."""
        now = self.clock.now
        warning_id = self.new_queue_id()
        content = build_dsn(self.world.server.name, delivery.sender,
                            self.clock.date(delivery.arrival), self.clock.date(now), late,
                            delivery.content, warning_id,
                            retry_until=self.clock.date(delivery.arrival + LIFETIME))
        self.warnings[warning_id] = delivery.queue_id
        domain = delivery.sender.rpartition("@")[2].lower()
        self._add(Delivery(warning_id, "", [delivery.sender], domain, content, now, now,
                           hop=BOUNCE_HOP))
        return warning_id

    def _bounce(self, delivery: Delivery, failed: list[FailedRecipient]) -> None:
        now = self.clock.now
        if not delivery.sender:
            for f in failed:
                self.endings.append(Ending(delivery.queue_id, f.recipient, "not returned",
                                           f"{f.why}; {_(NOT_RETURNED)}", now, status=f.status))
            return
        bounce_id = self.new_queue_id()
        content = build_dsn(self.world.server.name, delivery.sender,
                            self.clock.date(delivery.arrival), self.clock.date(now), failed,
                            delivery.content, bounce_id)
        for f in failed:
            self.endings.append(Ending(delivery.queue_id, f.recipient, "bounced",
                                       f"{f.status} {f.why}", now, bounce_id, f.status))
        domain = delivery.sender.rpartition("@")[2].lower()
        self._add(Delivery(bounce_id, "", [delivery.sender], domain, content, now, now,
                           hop=BOUNCE_HOP))


def hop_label(hop: Hop, at: int) -> str:
    """``[hop 2 mail.example -> mx1.far.example 00:00:01]``"""
    return _(HOP_LABEL).format(number=hop.number, client=hop.client, server=hop.server,
                               at=label(at))
