"""The simulated world: hosts, users, mailboxes, terminals, lists and forwarding.

The default world, built of these, is in :mod:`smtpsim.mta.defaults`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ..i18n import N_

if TYPE_CHECKING:
    from .dns import Zone
    from .internet import Machine


# Not frozen: one is built for every message delivered, and a frozen dataclass costs
# several times more to build; treat it as read-only (a copy in a mailbox is never edited).
@dataclass(slots=True)
class Message:
    """One delivered copy of a message, as a user sees it."""

    sender: str            # the reverse-path ('' for the null path)
    recipients: tuple[str, ...]
    content: bytes
    via: str               # MAIL, SEND, SOML or SAML: how it was asked to be delivered
    queue_id: str


class HeldMail(Protocol):
    """A host's queue, as the engine uses it: a ``list[Message]`` in memory, or
    ``serve --maildir``'s queue on disk (:class:`smtpsim.net.queue.DiskQueue`).

    251 forwarding and relaying append to it; TURN, ETRN and the queue manager remove
    what they hand out; ``len`` counts it; iteration reads every held message."""

    def append(self, message: Message, /) -> None: ...

    def remove(self, message: Message, /) -> None: ...

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Message]: ...


@dataclass
class User:
    """A local user of a host: a mailbox always, a terminal when logged in."""

    name: str
    full_name: str
    logged_in: bool = False
    accepts_messages: bool = True   # like `mesg y` / `mesg n` on a Unix terminal
    mailbox_full: bool = False
    mailbox: list[Message] = field(default_factory=list)
    terminal: list[Message] = field(default_factory=list)

    @property
    def reachable_at_terminal(self) -> bool:
        """RFC 821 3.4: terminal delivery needs the user active and accepting."""
        return self.logged_in and self.accepts_messages

    @property
    def terminal_status(self) -> str:
        if not self.logged_in:
            return N_("not logged in")
        return N_("logged in, accepts messages") if self.accepts_messages else \
            N_("logged in, refuses messages")


@dataclass
class Host:
    name: str
    users: dict[str, User] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    forwards: dict[str, str] = field(default_factory=dict)   # 251: we forward for them
    moved: dict[str, str] = field(default_factory=dict)      # 551: try this address
    # held for other hosts: a list, or a queue on disk with held_for(domain) too
    # (serve --maildir, smtpsim.net.queue)
    queue: HeldMail = field(default_factory=list[Message])
    domains: tuple[str, ...] = ()      # other domains whose mail it takes (an MX's domain)
    network: str | None = None         # its own network (CIDR): it relays for clients there
    # The next queue id this host hands out: kept with the host, not the connection, so
    # that ids stay unique for the life of the world across every new connection.
    next_queue_id: int = 1

    def find_user(self, local: str) -> User | None:
        # RFC 5321 2.4: local-parts are case-sensitive in general, but a host may
        # treat its own users case-insensitively, as nearly all do; Postmaster must be.
        return self.users.get(local) or self.users.get(local.lower())

    def queued_for(self, domain: str) -> list[Message]:
        held_for = getattr(self.queue, "held_for", None)   # a queue on disk (net.queue)
        if held_for is not None:
            held: list[Message] = held_for(domain)
            return held
        return [m for m in self.queue
                if any(r.rpartition("@")[2].lower() == domain.lower() for r in m.recipients)]

    def matching_users(self, text: str) -> list[User]:
        """Users whose name or full name contains ``text`` (VRFY's fuzzy match)."""
        needle = text.lower()
        return [u for u in self.users.values()
                if needle in u.name.lower() or needle in u.full_name.lower()]


@dataclass
class World:
    client: Host
    server: Host
    learner: str = "alice"
    tempfail_domains: frozenset[str] = frozenset({"tempfail.example"})
    # The second hop's world (internet.py): the DNS zone and the machines it names.
    zone: Zone | None = None
    machines: dict[str, Machine] = field(default_factory=dict)

    def copy(self) -> World:
        return copy.deepcopy(self)

    def host(self, domain: str) -> Host | None:
        domain = domain.lower()
        for host in (self.client, self.server):
            if host.name == domain:
                return host
        for machine in self.machines.values():   # hop 2's hosts, by name or mail domain
            if machine.host is not None and (machine.host.name == domain
                                             or domain in machine.host.domains):
                return machine.host
        return None
