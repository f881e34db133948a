"""Reading the mail that was delivered: every mailbox and terminal, each message whole.

A delivered message is the text the client sent with two kinds of lines put on top
by the server, and the learner can only see that by reading one.  This module lists
what every user holds and says who wrote each header line and why:

* ``Return-Path:`` - the server that makes final delivery, from the envelope's
  reverse-path (RFC 5321 4.4);
* ``Received:`` - every server that accepts the message, prepended at the top of
  the mail data (RFC 5321 4.1.1.4, format in 4.4);
* ``Date:``, ``Message-ID:``, ``From:``, ``To:``, ``Subject:`` - the sender's side,
  as part of the message text (RFC 5322 3.6); the servers do not read them.

Pure Python: the app's mailbox reader and ``smtpsim run --mailboxes`` both use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..catalogue import fill
from ..i18n import N_, _
from ..textsafe import printable
from .world import Host, Message, World

PLACES = ("mailbox", "terminal")
# RFC 5322 3.6.8: a field name is printable US-ASCII except the colon, no spaces.
FIELD_NAME = re.compile(r"[!-9;-~]+")
MAX_MESSAGE_LINES = 400   # a message shown whole, up to this many lines (then a note)

# Who wrote which header line, and why (field name in lower case -> explanation).
ORIGINS = {
    "return-path": N_("{host} added it at final delivery: the envelope's reverse-path "
                       "(MAIL FROM), the address a bounce would go to. Only the last server "
                       "adds it, because only it knows the message has arrived "
                       "(RFC 5321 4.4)."),
    "received": N_("{by} added it when it accepted the message: the sender's HELO/EHLO name "
                    "(from), the receiving host (by), the protocol, the queue id and the "
                    "time. Every server on the way prepends one and never changes an earlier "
                    "one, so they read from the newest (top) to the oldest "
                    "(RFC 5321 4.1.1.4, 4.4)."),
    "date": N_("The sender's side wrote it, as part of the message text: when the message "
                "was written, not when it travelled. Required (RFC 5322 3.6.1)."),
    "message-id": N_("The sender's side wrote it: one id for this message, unique "
                      "worldwide - the domain on the right is one the sender controls. "
                      "Recommended (RFC 5322 3.6.4)."),
    "from": N_("The sender's side wrote it. The servers do not check it: delivery follows "
                "the envelope (MAIL FROM, RCPT TO), not these lines (RFC 5321 3.3, "
                "RFC 5322 3.6.2)."),
    "to": N_("The sender's side wrote it. Delivery follows the RCPT TO commands, not this "
              "line: a Bcc recipient is in the envelope only (RFC 5321 3.3, RFC 5322 3.6.3)."),
    "subject": N_("The sender's side wrote it, for the reader (RFC 5322 3.6.5)."),
}
OTHER_ORIGIN = N_("Part of the message text as the client sent it (RFC 5322 2.2).")
NO_DATE = N_("This message has no Date: line, although RFC 5322 3.6 requires one: the text "
              "was typed without it, and a relay does not add it (a submission server may, "
              "RFC 6409 8.2).")
EMPTY = N_("No mailbox or terminal holds a message.")
TOO_LONG = N_("... {more} more {more:line|lines} not shown")
NO_DATE_LINE = N_("(no Date: line)")
#: The two places a user's mail is kept, as the reader names them.
PLACE_NAMES = {"mailbox": N_("mailbox"), "terminal": N_("terminal")}
MESSAGE_HEAD = N_("-- message {number}: {queue_id}, via {via}, from <{sender}> --")
PLACE_HEAD = N_("== {place}: {count} {count:message|messages} ==")


@dataclass(frozen=True)
class Place:
    """One user's mailbox or terminal on one host, and the messages it holds."""

    host: str
    user: str
    place: str            # "mailbox" or "terminal"
    messages: tuple[Message, ...]

    @property
    def label(self) -> str:
        return f"{self.user}@{self.host} {self.place_name}"

    @property
    def place_name(self) -> str:
        """"mailbox" or "terminal" in the learner's language."""
        return _(PLACE_NAMES[self.place])


def places(world: World, only_filled: bool = True) -> list[Place]:
    """Every user's mailbox and terminal, server host first; only those holding mail
    unless ``only_filled`` is False."""
    found = []
    for host in (world.server, world.client):
        found += host_places(host, only_filled)
    return found


def host_places(host: Host, only_filled: bool = True) -> list[Place]:
    found = []
    for user in host.users.values():
        for place in PLACES:
            held = tuple(user.mailbox if place == "mailbox" else user.terminal)
            if held or not only_filled:
                found.append(Place(host.name, user.name, place, held))
    return found


def message_lines(message: Message) -> list[str]:
    """The message as stored, one line each (CRLF removed), safe to print."""
    text = message.content.decode("utf-8", "replace")
    lines = text.split("\r\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [printable(line) for line in lines]


def header_origins(message: Message, host: str) -> list[tuple[str, str]]:
    """(header line, who wrote it and why) for each line of the header section."""
    out: list[tuple[str, str]] = []
    for line in message_lines(message):
        if not line:
            break   # RFC 5322 2.1: an empty line ends the header section
        if line[:1] in " \t" and out:
            out[-1] = (out[-1][0] + "\n" + line, out[-1][1])   # a folded line (2.2.3)
            continue
        name, colon, _value = line.partition(":")
        if not colon or not FIELD_NAME.fullmatch(name):
            break   # not a header field: the text has no (more) headers, the body begins
        name = name.lower()
        by = host
        if name == "received" and " by " in line:
            by = line.split(" by ", 1)[1].split()[0]
        out.append((line, _(ORIGINS.get(name, OTHER_ORIGIN)).format(host=host, by=by)))
    if not any(line.lower().startswith("date:") for line, _why in out):
        out.append((_(NO_DATE_LINE), _(NO_DATE)))
    return out


def message_text(message: Message, number: int, limit: int = MAX_MESSAGE_LINES) -> list[str]:
    """One message as the CLI prints it: a heading, then every line as stored."""
    lines = message_lines(message)
    head = _(MESSAGE_HEAD).format(number=number, queue_id=message.queue_id, via=message.via,
                                  sender=printable(message.sender))
    shown = lines[:limit]
    if len(lines) > limit:
        shown.append(fill(_(TOO_LONG), {"more": len(lines) - limit}))
    return [head, *shown]


def describe_places(world: World) -> str:
    """What every mailbox and terminal holds at the end, each message whole."""
    filled = places(world)
    if not filled:
        return _(EMPTY)
    out: list[str] = []
    for place in filled:
        count = len(place.messages)
        out.append(fill(_(PLACE_HEAD), {"place": place.label, "count": count}))
        for number, message in enumerate(place.messages, 1):
            out += message_text(message, number)
        out.append("")
    return "\n".join(out).rstrip() + "\n"
