"""One attempt of hop 2: mail.example, now a client MTA, takes a message to the next server.

The attempt follows RFC 5321 5.1: the MX list of the destination, in order; a server that
refuses the connection or never greets is skipped for the next one, and so is a greeting
of 4yz; the first one that talks gets the whole transaction - EHLO, MAIL, RCPT for every
recipient of that domain, DATA, the text, QUIT - from the same :class:`ClientMTA` the
learner's outbox uses, and answers with the same :class:`ServerMTA`.  Each reply to RCPT
decides that recipient alone; a refusal of MAIL, DATA or the text decides them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..i18n import N_, _
from ..protocol import State
from .client import ClientMTA
from .clock import MINUTE, SimClock
from .dns import Exchange, MxAnswer
from .internet import REFUSES, SERVER_ADDRESS, SILENT, Machine
from .outgoing import OutgoingMessage
from .profiles import MODERN
from .server import ServerMTA, ServerReply
from .transcript import CLIENT, NOTE, SERVER, Transcript
from .world import World

GREETING_TIMEOUT = 5 * MINUTE    # RFC 5321 4.5.3.2.1: the initial 220 message, 5 minutes
MAX_HOP_STEPS = 400              # commands of one hop, whatever the recipients
# What the journey says between the wire lines (one place, for a translator).
REFUSED = N_("connect to {name} [{address}]: connection refused; trying the next MX "
             "(RFC 5321 5.1)")
NO_GREETING = N_("connected to {name} [{address}], but no greeting in {minutes} minutes "
                  "(RFC 5321 4.5.3.2.1): giving up on this MX")
NO_ADDRESS = N_("{name} has no A record: cannot connect; trying the next MX")
GREETING_4YZ = N_("{name} greets with {code}: not now; trying the next MX (RFC 5321 5.1)")
NO_MORE_MX = N_("no MX of {domain} could take the message")


@dataclass
class Outcome:
    """What one attempt decided for one recipient: delivered, deferred or failed."""

    recipient: str
    result: str
    reply: str                  # the reply that decided it, as on the wire (or a note)
    status: str                 # RFC 3463 status for a DSN (2.0.0, 4.4.1, 5.1.1 ...)
    remote: str = ""            # the server that gave the reply (Remote-MTA)


@dataclass
class Hop:
    """One connection of the journey (or an attempt to make one)."""

    number: int
    client: str
    server: str
    started: int
    transcript: Transcript = field(default_factory=Transcript)
    queue_id: str = ""          # the queued message (or bounce) this hop carries
    lookup: str = ""            # the domain whose MX lookup opens this hop (its first note)
    times: list[int] = field(default_factory=list)    # the clock at each entry

    def note(self, text: str, at: int) -> None:
        self.transcript.add(side=NOTE, lines=(text,), sender=self.client,
                            before=State.INIT, after=State.INIT)
        self.times.append(at)


def attempt(world: World, clock: SimClock, answer: MxAnswer, sender: str,
            recipients: list[str], content: bytes, number: int,
            next_queue_id: Callable[[str], int]) -> tuple[list[Hop], list[Outcome]]:
    """Try the MX list once, in order; the hops made and one outcome per recipient."""
    client_name = world.server.name
    hops: list[Hop] = []
    for exchange in answer.exchanges:
        hop = Hop(number, client_name, exchange.name, clock.now)
        hops.append(hop)
        if not hops[:-1]:
            hop.note(answer.describe(), clock.now)
        machine = world.machines.get(exchange.name)
        outcomes = _connect(world, clock, hop, exchange, machine, sender, recipients,
                            content, next_queue_id)
        if outcomes is not None:
            return hops, outcomes
    last = hops[-1] if hops else Hop(number, client_name, answer.domain, clock.now)
    if not hops:
        hops.append(last)
    last.note(_(NO_MORE_MX).format(domain=answer.domain), clock.now)
    status = "4.4.1"   # RFC 3463 3.5: no answer from host
    reason = last.transcript.entries[-2].text if len(last.transcript) > 1 else ""
    return hops, [Outcome(r, "deferred", reason, status, last.server) for r in recipients]


def _connect(world: World, clock: SimClock, hop: Hop, exchange: Exchange,
             machine: Machine | None, sender: str, recipients: list[str], content: bytes,
             next_queue_id: Callable[[str], int]) -> list[Outcome] | None:
    """One server: None to go on to the next MX, else an outcome for every recipient."""
    facts = {"name": exchange.name, "address": exchange.address}
    if exchange.address is None:
        hop.note(_(NO_ADDRESS).format(**facts), clock.now)
        return None
    if machine is None or machine.behaviour == REFUSES:   # nothing listens there
        hop.note(_(REFUSED).format(**facts), clock.now)
        return None
    if machine.behaviour == SILENT or machine.host is None:
        clock.advance(GREETING_TIMEOUT)
        hop.note(_(NO_GREETING).format(minutes=GREETING_TIMEOUT // MINUTE, **facts), clock.now)
        return None
    server = ServerMTA(world, MODERN, host=machine.host, clock=clock.date,
                       client_address=SERVER_ADDRESS,
                       greylist=machine.greylist_for(lambda: clock.now),
                       queue_id_start=next_queue_id(machine.name))
    server.checks_sender = False   # it receives from MTAs, not from its own users
    client = ClientMTA(hop.client, [OutgoingMessage(sender, list(recipients), content)])
    greeting = server.greet()
    _record(hop, greeting, clock)
    client.receive(b"".join(r.wire for r in greeting))
    if greeting[0].reply.code // 100 == 4:
        _converse(hop, client, server, clock)   # QUIT, politely, then the next MX
        hop.note(_(GREETING_4YZ).format(code=greeting[0].reply.code, **facts), clock.now)
        return None
    per_recipient, decisive = _converse(hop, client, server, clock)
    job = (client.done or list(client.outbox))[0]
    return _outcomes(job, per_recipient, decisive or _wire_text(greeting[0]), exchange.name)


def _converse(hop: Hop, client: ClientMTA, server: ServerMTA,
              clock: SimClock) -> tuple[dict[str, str], str]:
    """Play the client MTA against the server to the end: the reply to each RCPT, and the
    last reply that decided the whole message (to EHLO, MAIL, DATA or the text)."""
    per_recipient: dict[str, str] = {}
    decisive = ""
    for _step in range(MAX_HOP_STEPS):
        before = server.state
        wire = client.next_output()
        if wire is None:
            break
        lines = tuple(wire.decode("utf-8", "replace").split("\r\n")[:-1])
        in_data = before is State.DATA
        verb = None if in_data else lines[0].split(" ", 1)[0].upper()
        hop.transcript.add(side=CLIENT, lines=lines, sender=client.host, before=before,
                           after=before, in_data=in_data, verb=verb)
        hop.times.append(clock.now)
        replies = server.receive(wire)
        _record(hop, replies, clock)
        for reply in replies:
            if reply.verb == "RCPT" and reply.reply.code >= 200:
                address = reply.answers.partition("<")[2].partition(">")[0]
                per_recipient[address] = _wire_text(reply)
            elif reply.verb not in _NOT_DECISIVE and reply.reply.code >= 200:
                decisive = _wire_text(reply)
        client.receive(b"".join(r.wire for r in replies))
    return per_recipient, decisive


def _record(hop: Hop, replies: list[ServerReply], clock: SimClock) -> None:
    for reply in replies:
        hop.transcript.add(side=SERVER, lines=tuple(_wire_text(reply).split("\n")),
                           sender=hop.server, before=reply.before, after=reply.after,
                           reply=reply.reply, reply_id=reply.reply_id,
                           context=reply.context, answers=reply.answers, verb=reply.verb,
                           effects=reply.effects)
        hop.times.append(clock.now)


def _wire_text(reply: ServerReply) -> str:
    return "\n".join(reply.wire.decode("utf-8", "replace").split("\r\n")[:-1])


_NOT_DECISIVE = frozenset({"RCPT", "RSET", "QUIT"})


def _outcomes(job: OutgoingMessage, per_recipient: dict[str, str], final: str,
              remote: str) -> list[Outcome]:
    """Every recipient's fate after a transaction (RFC 5321 4.2.1: the first digit)."""
    out = []
    for rcpt in job.recipients:
        reply = per_recipient.get(rcpt, final)
        if rcpt in job.failed:
            out.append(Outcome(rcpt, "failed", reply, _status(reply, "5.0.0"), remote))
        elif rcpt in job.deferred:
            out.append(Outcome(rcpt, "deferred", reply, _status(reply, "4.0.0"), remote))
        elif rcpt in job.accepted and job.outcome == "delivered":
            out.append(Outcome(rcpt, "delivered", final, _status(final, "2.0.0"), remote))
        elif job.outcome == "failed":
            out.append(Outcome(rcpt, "failed", final, _status(final, "5.0.0"), remote))
        else:   # deferred after RCPT (MAIL, DATA or the text got 4yz), or never asked
            out.append(Outcome(rcpt, "deferred", final, _status(final, "4.0.0"), remote))
    return out


def _status(reply: str, default: str) -> str:
    """The enhanced status code of a reply (RFC 3463), or the class's generic one."""
    words = reply.split("\n")[-1].split(" ")
    if len(words) > 1 and words[1].count(".") == 2 and words[1][0] in "245":
        return words[1]
    return default
