"""The simulated world: hosts, users, mailboxes, terminals, lists and forwarding.

The default world is small but complete: every reply code the simulator teaches
can be reached from it by a natural action (see the README and ``smtpsim world``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..i18n import N_, _

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
    # held for other hosts: a list, or anything with its append/remove/len/iteration
    # and held_for(domain) - serve --maildir keeps it on disk (smtpsim.net.queue)
    queue: list[Message] = field(default_factory=list)
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


def default_world() -> World:
    """The world every lesson, exam and the app start from (documented in the README)."""
    server = Host("mail.example")
    for user in (
        User("bob", "Bob Baker", logged_in=True, accepts_messages=True),
        User("carol", "Carol Clark", logged_in=False),
        User("dave", "Dave Dawson", logged_in=True, accepts_messages=False),
        User("postmaster", "Postmaster"),
        User("john.smith", "John Smith"),
        User("jane.smith", "Jane Smith"),
        User("gina", "Gina Gray", mailbox_full=True),
    ):
        server.users[user.name] = user
    server.lists["staff"] = ["bob", "carol", "dave"]
    server.forwards["erin"] = "erin@new.example"
    server.moved["frank"] = "frank@elsewhere.example"
    server.queue.append(Message(
        sender="postmaster@mail.example", recipients=("alice@client.example",),
        content=(b"From: postmaster@mail.example\r\nTo: alice@client.example\r\n"
                 b"Subject: Waiting for you\r\n\r\n"
                 b"This message waited in mail.example's queue until you asked for it.\r\n"),
        via="MAIL", queue_id="Q0000"))
    client = Host("client.example")
    client.users["alice"] = User("alice", "Alice Archer", logged_in=True)
    client.users["postmaster"] = User("postmaster", "Postmaster")
    world = World(client=client, server=server)
    from .internet import build_internet  # it builds on this module's Host and User
    build_internet(world)
    return world


def describe(world: World) -> str:
    """A plain-text tour of the world, for ``smtpsim world`` and the app."""
    s = world.server
    lines = [
        _("Client host  {host}   learner: {learner}").format(host=world.client.name,
                                                              learner=world.learner),
        _("Server host  {host}").format(host=s.name),
        "",
        _("Local users of {host}:").format(host=s.name),
    ]
    for user in s.users.values():
        extra = _(", mailbox full (452 at end of data; 552 on classic)") \
            if user.mailbox_full else ""
        lines.append(f"  {user.name:<11} {user.full_name:<13} " + _("terminal: {status}").format(
            status=_(user.terminal_status)) + extra)
    lines.append("")
    for name, members in s.lists.items():
        lines.append(_("Mailing list {name} = {members}   (EXPN {name})").format(
            name=name, members=", ".join(members)))
    for name, target in s.forwards.items():
        lines.append(_("{name} has moved; {host} forwards to <{target}>   (251)").format(
            name=name, host=s.name, target=target))
    for name, target in s.moved.items():
        lines.append(_("{name} has moved, no forwarding; try <{target}>   (551)").format(
            name=name, target=target))
    smiths = [u.name for u in s.users.values() if "smith" in u.name]
    lines.append(_("{names}: VRFY smith is ambiguous   (553)").format(
        names=_(" and ").join(smiths)))
    lines.append(_("Sender domains with a temporary DNS failure: {domains}   (451)").format(
        domains=", ".join(sorted(world.tempfail_domains))))
    for message in s.queue:
        lines.append(_("Queued at {host} for {recipients} (TURN on classic, ETRN on modern)"
                       ).format(host=s.name, recipients=", ".join(message.recipients)))
    if world.zone is not None:
        from .internet import describe_internet
        lines.extend(describe_internet(world))
    return "\n".join(lines)
