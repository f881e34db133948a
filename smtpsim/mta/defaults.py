"""The default world, and the tour of it that ``smtpsim world`` prints.

The default world is small but complete: every reply code the simulator teaches
can be reached from it by a natural action (see the README and ``smtpsim world``).
Its own module, above :mod:`smtpsim.mta.world` (the hosts, users and messages) and
:mod:`smtpsim.mta.internet` (the hosts beyond, built of those), so that neither of
them imports the other back.
"""

from __future__ import annotations

from ..i18n import _
from .internet import build_internet, describe_internet
from .world import Host, Message, User, World


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
        lines.extend(describe_internet(world))
    return "\n".join(lines)
