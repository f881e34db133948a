"""``smtpsim serve``'s queue for other domains: hop 2 on the simulated clock, at once.

A message a TCP client gets accepted for another domain (relayed by the classic profile,
forwarded by 251) goes through the same queue as in the app and ``run --follow``
(:class:`smtpsim.mta.live_queue.LiveQueue`): right after the 250 the queue runs to the
end on a *simulated* clock that jumps from one event to the next, so a greylisting
server's five minutes or a dead server's five days of retries (RFC 5321 4.5.4.1) take no
real time.  The far hosts are the simulated world's (``smtpsim world``): nothing is ever
delivered on the real internet.  Mail for the client host (client.example) stays in the
queue for TURN and ETRN (RFC 1985), as before; so does the world's own waiting mail.
"""

from __future__ import annotations

from collections.abc import Callable

from ..mta import World
from ..mta.journey import ending_line
from ..mta.live_queue import LiveQueue


def serve_queue(world: World, new_queue_id: Callable[[], str]) -> LiveQueue:
    """The live queue of a served world: it takes every message queued from now on
    except those for the client host, which wait for TURN/ETRN."""
    held = {m.queue_id for m in list(world.server.queue)}
    client = world.client.name.lower()

    def takes(message) -> bool:
        if message.queue_id in held:
            return False
        return not all(r.rpartition("@")[2].lower() == client for r in message.recipients)
    return LiveQueue(world, new_queue_id, takes)


def run_serve_queue(live: LiveQueue) -> list[str]:
    """Run the queue to the end; one line per recipient that reached its end."""
    if not live.not_taken():
        return []
    known = {id(e) for e in live.relay.endings}
    live.run_to_end()
    # Nobody looks at serve's hops afterwards, and each holds its message's text: keep none
    # (the endings, bounded by the queue, say what happened).
    live.relay.hops.clear()
    return ["[queue] " + ending_line(e) for e in live.relay.endings if id(e) not in known]
