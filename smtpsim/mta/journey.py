"""Following a session's messages past hop 1: ``smtpsim run FILE --follow``.

:func:`follow` hands the messages the session accepted for other domains to
mail.example's relay queue and runs it on the simulated clock until every delivery is
delivered, bounced or given up; :func:`journey_lines` prints every hop's dialogue,
labelled by hop, hosts and clock time, and where each message and each bounce ended.
Deterministic: nothing depends on real time, hash seeds or the network.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from ..i18n import N_, _
from ..textsafe import printable
from .clock import describe_schedule, label
from .explain import as_text, explain_entry
from .phrases import note_text
from .relay import RelayQueue, hop_label
from .transcript import NOTE, PREFIX, SERVER

if TYPE_CHECKING:
    from .link import Session
    from .relay import Ending

HEADING = N_("Hop 2 and beyond: mail.example's queue on the simulated clock")
ENDINGS = N_("Where each message ended:")
NOTHING = N_("Nothing to follow: this session queued no message for another domain.")
BOUNCED_BY = N_(" (reported in bounce {bounce_id})")
ENDED = N_("{recipient} {result} at {clock}: {detail}{bounce}")
WAITING = N_("{queue_id} still queued for {recipients} (next attempt {clock})")


def follow(session: Session) -> RelayQueue:
    """Run the relay queue for what ``session`` queued; the queue, with its hops."""
    server = session.server
    host = server.host
    # The ids this session issued: the messages it accepted (mail held in the queue before
    # it began - for TURN and ETRN - stays where it is).
    issued = {f"Q{n:04d}" for n in range(1, server.next_queue_id)}
    taken = [m for m in host.queue if m.queue_id in issued]
    for message in taken:   # the queue manager takes them off the host's queue
        host.queue.remove(message)
    queue = RelayQueue(session.world, server.new_queue_id)
    for message in queue.take(taken):   # what did not fit stays queued
        host.queue.append(message)
    queue.run()
    return queue


def follow_copy(session: Session, since: int = 0) -> RelayQueue:
    """The journey the messages queued from index ``since`` on would make, played on a copy
    of the session's world: the session itself is left exactly as it was (lesson checks)."""
    world = session.world.copy()
    issued = {f"Q{n:04d}" for n in range(1, session.server.next_queue_id)}
    taken = [m for m in list(world.server.queue)[since:] if m.queue_id in issued]
    numbers = iter(range(session.server.next_queue_id, 10_000_000))
    queue = RelayQueue(world, lambda: f"Q{next(numbers):04d}")
    queue.take(taken)
    queue.run()
    return queue


def journey_records(queue: RelayQueue, explain: bool = False) -> list[dict[str, Any]]:
    """The same journey as JSON-ready records: one per hop line, one per ending."""
    out: list[dict[str, Any]] = []
    for hop in queue.hops:
        for entry, at in zip(hop.transcript, hop.times, strict=False):
            record = {"hop": hop.number, "client": hop.client, "server": hop.server,
                      "clock": label(at), "side": entry.side, "text": entry.text}
            if explain and entry.side == SERVER:
                record["explanation"] = as_text(explain_entry(entry))
            out.append(record)
    for ending in queue.endings:
        out.append({"queue_id": ending.queue_id, "recipient": ending.recipient,
                    "result": ending.result, "clock": label(ending.at),
                    "detail": ending.detail, "bounce_id": ending.bounce_id})
    return out


def print_journey(session: Session, as_json: bool = False, explain: bool = False) -> None:
    """``smtpsim run --follow``: follow the session's messages and print the journey
    (``explain``: every reply of hop 2 explained, as ``--explain`` does for hop 1)."""
    print_queue(follow(session), as_json, explain)


def print_queue(queue: RelayQueue, as_json: bool = False, explain: bool = False) -> None:
    """Print a journey already followed (``run --follow``, after the capture is written)."""
    if as_json:
        lines = [json.dumps(record, ensure_ascii=False)
                 for record in journey_records(queue, explain)]
    else:
        lines = journey_lines(queue, explain)
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")


def journey_lines(queue: RelayQueue, explain: bool = False) -> list[str]:
    """Every hop, line by line, then one line per recipient of every message and bounce."""
    if not queue.hops and not queue.endings:
        return [_(NOTHING)]
    out = ["", PREFIX[NOTE] + _(HEADING), PREFIX[NOTE] + describe_schedule()]
    for hop in queue.hops:
        for entry, at in zip(hop.transcript, hop.times, strict=False):
            prefix = f"{hop_label(hop, at)} {PREFIX[entry.side]}"
            out.extend(prefix + printable(line) for line in note_text(entry.lines))
            if explain and entry.side == SERVER:
                out.append(as_text(explain_entry(entry), indent="   | "))
    out += [PREFIX[NOTE] + note for note in queue.notes]
    out += ["", _(ENDINGS)]
    out += ["  " + ending_line(ending) for ending in queue.endings]
    for delivery in queue.waiting:   # only if the run stopped at its bound
        out.append("  " + _(WAITING).format(
            queue_id=delivery.queue_id, recipients=", ".join(delivery.recipients),
            clock=label(delivery.next_attempt)))
    return out


def ending_line(ending: Ending) -> str:
    """``Q0001 <friend@far.example> delivered at 00:00:01: 250 ... (from mx1.far.example)``"""
    extra = _(BOUNCED_BY).format(bounce_id=ending.bounce_id) if ending.bounce_id else ""
    return f"{ending.queue_id} " + _(ENDED).format(
        recipient=f"<{printable(ending.recipient)}>", result=_(ending.result),
        clock=label(ending.at), detail=printable(ending.detail), bounce=extra)
