"""The simulated DNS: MX and A records, and NXDOMAIN for every name it does not define.

RFC 5321 5.1 tells a client MTA where to send a message for a domain:

* look up the domain's MX records and sort them by preference, lowest first;
* MX records of equal preference are tried in a random order, to share the load -
  here "random" is derived from a seed, so that a script replays the same way;
* on a failure to connect (or a 4yz greeting) the next MX is tried;
* no MX record but an A record: the domain itself is the one, implicit MX (preference 0);
* neither: the domain does not exist for mail, and the message is returned.

Nothing here touches a real resolver: the zone is data, built with the world.
"""

from __future__ import annotations

import ipaddress
import random
from dataclasses import dataclass, field

from ..i18n import N_, _

DEFAULT_SEED = 5321   # the seed for equal preferences when nobody injects another
# The lookup as the journey tells it (one place, for a translator).
NO_DOMAIN = N_("DNS: {domain} has no MX and no A record (NXDOMAIN): the domain does not exist "
               "for mail (RFC 5321 5.1)")
IMPLICIT = N_("DNS: {domain} has no MX record but an A record {address}: the domain is its "
              "own, implicit MX (RFC 5321 5.1)")
MX_ORDER = N_("DNS: MX for {domain}: {order} (lowest preference first, RFC 5321 5.1)")


@dataclass(frozen=True)
class Exchange:
    """One mail exchanger to try: its preference, name and address."""

    preference: int
    name: str
    address: str | None     # None: the MX names a host with no A record


@dataclass(frozen=True)
class MxAnswer:
    """What a lookup found: ``mx`` (MX records), ``implicit`` (an A record only) or
    ``nxdomain`` (no such name); ``exchanges`` in the order they are to be tried."""

    domain: str
    kind: str
    exchanges: tuple[Exchange, ...] = ()

    def describe(self) -> str:
        """The lookup as one line of the journey (the teaching is in the order)."""
        if self.kind == "nxdomain":
            return _(NO_DOMAIN).format(domain=self.domain)
        if self.kind == "implicit":
            return _(IMPLICIT).format(domain=self.domain, address=self.exchanges[0].address)
        order = ", ".join(f"{e.preference} {e.name}" for e in self.exchanges)
        return _(MX_ORDER).format(domain=self.domain, order=order)


@dataclass
class Zone:
    """Every record the simulated world has; any other name is NXDOMAIN."""

    mx: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    a: dict[str, str] = field(default_factory=dict)

    def address(self, name: str) -> str | None:
        return self.a.get(name.lower().rstrip("."))

    def lookup_mx(self, domain: str, seed: int = DEFAULT_SEED) -> MxAnswer:
        """RFC 5321 5.1, deterministic: the same seed gives the same order."""
        domain = domain.lower().rstrip(".")
        records = self.mx.get(domain)
        if not records:
            address = self.address(domain)
            if address is None:
                return MxAnswer(domain, "nxdomain")
            return MxAnswer(domain, "implicit", (Exchange(0, domain, address),))
        # Shuffle first, then a stable sort by preference: equal preferences keep the
        # shuffled order, which the seed and the domain decide (not Python's hash seed).
        shuffled = list(records)
        random.Random(f"{seed}/{domain}").shuffle(shuffled)
        shuffled.sort(key=lambda record: record[0])
        return MxAnswer(domain, "mx", tuple(Exchange(pref, name, self.address(name))
                                            for pref, name in shuffled))


@dataclass(frozen=True)
class Network:
    """A host's own network, judged by the client's IP address as Postfix's ``mynetworks``
    is (never by the HELO name, which a client may choose freely: RFC 5321 4.1.4)."""

    cidr: str

    def contains(self, address: str | None) -> bool:
        if not address:
            return False   # an address the simulation does not know: a stranger
        try:
            return ipaddress.ip_address(address) in ipaddress.ip_network(self.cidr)
        except ValueError:
            return False


def is_ip_address(text: str) -> bool:
    """An IPv4 or IPv6 address in its usual notation (what ``--client-address`` takes)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
