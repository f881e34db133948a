"""Who is an address?  The one place that answers, for RCPT and VRFY alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .world import Host, User, World


# Not frozen (one is built for every RCPT and VRFY, and a frozen dataclass costs several
# times more to build); treat it as read-only.
@dataclass(slots=True)
class Target:
    """What an address means on this host.

    ``kind`` is ``local`` (a user), ``list`` (a mailing list), ``forward``
    (moved; we forward: 251), ``moved`` (moved; try elsewhere: 551), ``unknown``
    (550), ``relay`` (another domain, accepted: an open relay), ``relay_network``
    (another domain, accepted: the client is in this host's own network) or
    ``relay_denied`` (550 5.7.1).
    """

    kind: str
    local: str | None = None
    users: tuple[User, ...] = ()
    forward_to: str | None = None
    context: dict[str, Any] = field(default_factory=dict)


def resolve(world: World, host: Host, address: str, *, relays: bool,
            own_network: bool = False) -> Target:
    """``relays``: an open relay (relays for anyone); ``own_network``: the client's address
    is in this host's network, for which it relays (as Postfix's ``mynetworks``)."""
    local, _, domain = address.rpartition("@")
    lowered = domain.lower()
    if lowered != host.name and lowered not in host.domains:
        if relays:
            return Target("relay", forward_to=address, context={"domain": domain})
        if own_network:
            return Target("relay_network", forward_to=address, context={"domain": domain})
        return Target("relay_denied", context={"domain": domain})
    user = host.find_user(local)
    if user is not None:
        return Target("local", user.name, (user,), context={"user": user.name,
                                                            "full_name": user.full_name})
    key = local.lower()
    if key in host.lists:
        members = tuple(host.users[m] for m in host.lists[key])
        return Target("list", key, members, context={"list": key,
                                                     "members": ", ".join(host.lists[key])})
    if key in host.forwards:
        return Target("forward", None, forward_to=host.forwards[key],
                      context={"forward": host.forwards[key]})
    if key in host.moved:
        return Target("moved", context={"forward": host.moved[key]})
    return Target("unknown", context={"user": local})
