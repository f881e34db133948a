"""The world beyond mail.example: the domains hop 2 can reach, each teaching one thing.

=================  ======================================  ==============================
domain             DNS                                     what hop 2 meets
=================  ======================================  ==============================
far.example        MX 10 mx1.far.example, MX 20 mx2...     delivered by mx1 (user friend)
backup.example     MX 10 mx1 (down), MX 20 mx2             mx1 refuses: the backup MX
grey.example       MX 10 mx.grey.example                   451 4.7.1, accepted 5 min later
silent.example     MX 10 mx.silent.example                 never answers: retried, bounced
plain.example      no MX, A 198.51.100.60                  the implicit MX (RFC 5321 5.1)
new.example        MX 10 mx.new.example                    erin's new home: the 251 arrives
nowhere.example    nothing (NXDOMAIN)                      does not exist: bounced at once
=================  ======================================  ==============================

Every name not listed (elsewhere.example ...) is NXDOMAIN too.  Addresses are
the documentation ranges of RFC 5737; mail.example's own network is 192.0.2.0/24, where
client.example (192.0.2.10) lives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..i18n import N_, _
from .clock import describe_schedule
from .dns import Zone
from .world import Host, User

if TYPE_CHECKING:
    from .world import World

OWN_NETWORK = "192.0.2.0/24"        # mail.example's "mynetworks" (RFC 5737 TEST-NET-1)
CLIENT_ADDRESS = "192.0.2.10"       # client.example, the learner's machine
SERVER_ADDRESS = "192.0.2.25"       # mail.example
GREYLIST_SECONDS = 300              # the greylisting domain's delay (5 minutes)
GREYLIST_KEPT = 1000                # triplets remembered (oldest forgotten first)

# How a machine behaves when hop 2 connects (the words appear in the journey).
ANSWERS, REFUSES, SILENT = N_("answers"), N_("refuses the connection"), N_("never answers")


class Greylist:
    """Greylisting: refuse a new (client address, sender, recipient) triplet with 451 4.7.1
    until ``delay`` seconds after it was first seen.  A spam robot rarely retries; a real
    MTA does, as RFC 5321 4.5.4.1 requires (RFC 6647 describes the practice)."""

    def __init__(self, now: Callable[[], int], delay: int = GREYLIST_SECONDS) -> None:
        self.now = now
        self.delay = delay
        self.first_seen: dict[tuple[str, str, str], int] = {}

    def wait_left(self, client: str, sender: str, recipient: str) -> int:
        """Seconds still to wait for this triplet; 0 when it may pass."""
        key = (client, sender.lower(), recipient.lower())
        first = self.first_seen.get(key)
        if first is None:
            if len(self.first_seen) >= GREYLIST_KEPT:
                del self.first_seen[next(iter(self.first_seen))]
            self.first_seen[key] = self.now()
            return self.delay
        return max(0, first + self.delay - self.now())


@dataclass
class Machine:
    """A computer hop 2 can connect to: its name, address, behaviour and mail host."""

    name: str
    address: str
    behaviour: str = ANSWERS
    host: Host | None = None
    greylist_seconds: int | None = None
    greylist: Greylist | None = field(default=None, repr=False)

    def greylist_for(self, now: Callable[[], int]) -> Greylist | None:
        """The machine's greylist, made on first use with the queue run's clock."""
        if self.greylist_seconds is None:
            return None
        if self.greylist is None:
            self.greylist = Greylist(now, self.greylist_seconds)
        else:
            self.greylist.now = now
        return self.greylist


def _mail_host(users: dict[str, str]) -> dict[str, User]:
    found = {name: User(name, full) for name, full in users.items()}
    found["postmaster"] = User("postmaster", "Postmaster")
    return found


def build_internet(world: World) -> None:
    """Add the zone and the machines of the table above to ``world``."""
    zone = Zone()
    machines: dict[str, Machine] = {}

    def machine(name: str, address: str, behaviour: str = ANSWERS,
                users: dict[str, User] | None = None, domain: str | None = None,
                greylist: int | None = None) -> None:
        host = None
        if users is not None:
            host = Host(name, users=users, domains=(domain,) if domain and domain != name
                        else ())
        machines[name] = Machine(name, address, behaviour, host, greylist)
        zone.a[name] = address

    far = _mail_host({"friend": "Fran Friend"})
    zone.mx["far.example"] = ((10, "mx1.far.example"), (20, "mx2.far.example"))
    machine("mx1.far.example", "198.51.100.10", users=far, domain="far.example")
    machine("mx2.far.example", "198.51.100.20", users=far, domain="far.example")
    backup = _mail_host({"bea": "Bea Baxter"})
    zone.mx["backup.example"] = ((10, "mx1.backup.example"), (20, "mx2.backup.example"))
    machine("mx1.backup.example", "198.51.100.30", REFUSES, backup, "backup.example")
    machine("mx2.backup.example", "198.51.100.31", users=backup, domain="backup.example")
    grey = _mail_host({"gus": "Gus Green"})
    zone.mx["grey.example"] = ((10, "mx.grey.example"),)
    machine("mx.grey.example", "198.51.100.40", users=grey, domain="grey.example",
            greylist=GREYLIST_SECONDS)
    zone.mx["silent.example"] = ((10, "mx.silent.example"),)
    machine("mx.silent.example", "198.51.100.50", SILENT)
    machine("plain.example", "198.51.100.60",
            users=_mail_host({"pat": "Pat Plain"}))
    # Where mail.example forwards erin (251, RFC 5321 3.4): the forwarded copy is delivered.
    zone.mx["new.example"] = ((10, "mx.new.example"),)
    machine("mx.new.example", "198.51.100.70", users=_mail_host({"erin": "Erin Evans"}),
            domain="new.example")
    # The first hop's two hosts: client.example has no MX (its A record is its implicit
    # MX: bounces reach alice there), mail.example names itself.
    machines["client.example"] = Machine("client.example", CLIENT_ADDRESS, host=world.client)
    zone.a["client.example"] = CLIENT_ADDRESS
    machines[world.server.name] = Machine(world.server.name, SERVER_ADDRESS, host=world.server)
    zone.a[world.server.name] = SERVER_ADDRESS
    zone.mx[world.server.name] = ((10, world.server.name),)
    world.server.network = OWN_NETWORK
    world.zone, world.machines = zone, machines


def describe_internet(world: World) -> list[str]:
    """The second hop's world, for ``smtpsim world`` (one line a domain)."""
    host = world.server.name
    lines = ["", _("Beyond {host} (hop 2; addresses from RFC 5737):").format(host=host),
             "  " + _("{host} relays for its own network {network} (client.example is "
                      "{address});").format(host=host, network=world.server.network,
                                             address=CLIENT_ADDRESS),
             "  " + _("modern and hardened refuse everyone else (550 5.7.1), classic relays "
                      "for anyone;"),
             "  " + _("over TCP (serve) every peer is outside that network")]
    zone = world.zone
    if zone is None:
        return lines   # a world without hop 2 (no DNS zone): nothing beyond the server
    for domain in sorted(zone.mx):
        if domain == world.server.name:
            continue
        for exchange in zone.lookup_mx(domain).exchanges:
            m = world.machines.get(exchange.name)
            behaviour = _(m.behaviour) if m else _("unknown")
            extra = (_(", greylists (451 4.7.1 for {minutes} minutes)").format(
                minutes=m.greylist_seconds // 60) if m and m.greylist_seconds else "")
            users = ", ".join(u for u in (m.host.users if m and m.host else ())
                              if u != "postmaster")
            lines.append(f"  {domain:<15} MX {exchange.preference:<3} {exchange.name:<19} "
                         f"{exchange.address:<14} {behaviour}{extra}"
                         + (_("; users: {users}").format(users=users) if users else ""))
    implicit = [name for name, m in world.machines.items()
                if name not in zone.mx and m.host is not None and not m.host.domains]
    for name in sorted(implicit):
        m = world.machines[name]
        users = ", ".join(u for u in m.host.users if u != "postmaster") if m.host else ""
        lines.append(f"  {name:<15} " + _("no MX, A {address} implicit MX; users: {users}"
                                          ).format(address=f"{m.address:<14}", users=users))
    lines.append("  " + _("any other name  NXDOMAIN: does not exist (nowhere.example, "
                          "elsewhere.example ...)"))
    lines.append(describe_schedule() + _("; follow it with smtpsim run FILE --follow"))
    lines.append("  " + _("The queue runs on a simulated clock that jumps to each next event: "
                          "ctrl+u (next event) and ctrl+d (to the end) in the app, at once "
                          "after each message in smtpsim serve; no real internet delivery"))
    return lines
