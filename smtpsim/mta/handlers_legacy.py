"""The historic and vendor verbs: TURN (RFC 821 3.8), VERB (sendmail), TICK (batch
SMTP) and TURN's safe successor ETRN (RFC 1985).

SEND, SOML and SAML are opened by MAIL's handler and delivered by ``delivery``.
Whether a profile offers these verbs at all is decided in ``server.availability``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import N_
from ..protocol import Command
from ..protocol.phrase import Phrase
from .answer import Answer
from .handlers_core import no_argument_allowed

if TYPE_CHECKING:
    from .server import ServerMTA

ROLES_REVERSED = N_("roles reversed: {host} will now deliver {count} queued message(s) to "
                    "{client}")
QUEUE_RUN_EFFECT = N_("queue run: a new connection to {domain} delivered {queue_id} to "
                      "{user}'s mailbox")


def turn(server: ServerMTA, command: Command) -> Answer:
    if command.argument:
        return no_argument_allowed(server, "TURN")
    # RFC 821 3.8: on 250 the receiver takes on the role of the sender-SMTP.
    # Nothing checks who is asking - the reason RFC 5321 App. F.1 retired TURN.
    server.turned = True
    waiting = server.host.queued_for((server.client_name or "").lower())
    return Answer("turn.ok", {"count": len(waiting)},
                  (Phrase(ROLES_REVERSED, host=server.host.name, count=len(waiting),
                          client=server.client_name),))


def verb(server: ServerMTA, command: Command) -> Answer:
    # sendmail: VERB takes no argument; it stays on for the rest of the session.
    server.verbose = True
    return Answer("verb.on", {})


def tick(server: ServerMTA, command: Command) -> Answer:
    ticket = command.argument.strip()
    if not ticket:
        return Answer("args.required", {"verb": "TICK", "what": "a ticket identifier"})
    server.tickets.append(ticket)
    return Answer("tick.ok", {"ticket": ticket})


def etrn(server: ServerMTA, command: Command) -> Answer:
    node = command.argument.strip()
    if not node:
        return Answer("args.required", {"verb": "ETRN", "what": "a node name, e.g. "
                                        "client.example"})
    if node.startswith("#"):
        # RFC 1985 3: "#" names an implementation-defined queue; this host has none.
        return Answer("etrn.cannot_queue", {"node": node})
    domain = node.lstrip("@").lower()
    target = server.world.host(domain)
    if target is None or target is server.host:
        return Answer("etrn.not_allowed", {"node": domain})
    waiting = server.host.queued_for(domain)
    if not waiting:
        return Answer("etrn.nothing", {"node": domain})
    # The queue run opens a NEW connection to the node (RFC 1985 1): no role reversal,
    # so nobody can collect someone else's mail by asking.
    effects = []
    for message in waiting:
        server.host.queue.remove(message)
        for address in message.recipients:
            user = target.find_user(address.rpartition("@")[0])
            if user is not None:
                user.mailbox.append(message)
                effects.append(Phrase(QUEUE_RUN_EFFECT, domain=domain,
                                      queue_id=message.queue_id, user=user.name))
    return Answer("etrn.started", {"node": domain, "count": len(waiting)}, tuple(effects))
