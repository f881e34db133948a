"""Verbs that ask and change nothing: VRFY, EXPN, HELP (RFC 5321 3.5, 4.1.1.6-8)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..protocol import Command, PathError, parse_mailbox
from ..protocol.states import TRANSITIONS
from .answer import Answer
from .resolve import resolve

if TYPE_CHECKING:
    from .server import ServerMTA


def _subject(argument: str) -> str:
    text = argument.strip()
    return text[1:-1] if text.startswith("<") and text.endswith(">") else text


def vrfy(server: ServerMTA, command: Command) -> Answer:
    subject = _subject(command.argument)
    if not subject:
        return Answer("args.required", {"verb": "VRFY", "what": "a user name or mailbox"})
    if not server.profile.vrfy_truthful:
        # RFC 5321 7.3: a server that will not verify must say 252, not fake 250 or 550.
        return Answer("vrfy.cannot_verify", {"subject": subject})
    host = server.host
    if "@" in subject:
        try:
            parse_mailbox(subject)
        except PathError as error:
            return Answer("path.mailbox", {"detail": error.detail, "keyword": "VRFY"})
        if subject.rpartition("@")[2].lower() != host.name:
            return Answer("vrfy.not_local", {"subject": subject})
        subject = subject.rpartition("@")[0]
    target = resolve(server.world, host, f"{subject}@{host.name}", relays=False)
    if target.kind == "local":
        return Answer("vrfy.ok", {**target.context, "mailbox": f"{target.local}@{host.name}"})
    if target.kind == "list":
        return Answer("vrfy.is_list", target.context)
    if target.kind == "forward":
        return Answer("vrfy.forward", {**target.context, "subject": subject})
    if target.kind == "moved":
        return Answer("vrfy.moved", {**target.context, "subject": subject})
    matches = host.matching_users(subject)
    if len(matches) == 1:
        user = matches[0]
        return Answer("vrfy.ok", {"user": user.name, "full_name": user.full_name,
                                  "mailbox": f"{user.name}@{host.name}"})
    if matches:
        # RFC 5321 3.5.1: an ambiguous name gets 553, optionally listing the candidates.
        listing = "\n".join(f"{u.full_name} <{u.name}@{host.name}>" for u in matches)
        return Answer("vrfy.ambiguous", {"subject": subject, "candidates": listing,
                                         "count": len(matches)})
    return Answer("vrfy.unknown", {"subject": subject})


def expn(server: ServerMTA, command: Command) -> Answer:
    subject = _subject(command.argument)
    if not subject:
        return Answer("args.required", {"verb": "EXPN", "what": "a mailing list name"})
    host = server.host
    name = subject.rpartition("@")[0] if "@" in subject else subject
    key = name.lower()
    if key in host.lists:
        members = "\n".join(f"{host.users[m].full_name} <{m}@{host.name}>"
                            for m in host.lists[key])
        return Answer("expn.ok", {"list": key, "members": members,
                                  "count": len(host.lists[key])})
    if host.find_user(name) is not None:
        return Answer("expn.not_list", {"subject": subject})
    return Answer("expn.unknown", {"subject": subject})


def help_(server: ServerMTA, command: Command) -> Answer:
    # "HELP MAIL FROM" asks about MAIL: the topic is the first word.
    words = command.argument.split()
    topic = words[0].upper() if words else ""
    offered = [verb for verb in TRANSITIONS if server.availability(verb) is None]
    if not topic:
        rows = [" ".join(offered[i:i + 8]) for i in range(0, len(offered), 8)]
        return Answer("help.summary", {"commands": "\n".join(rows)})
    if topic == "STATUS":
        host = server.host
        stored = sum(len(u.mailbox) for u in host.users.values())
        return Answer("help.status", {"profile": server.profile.name, "stored": stored,
                                      "queued": len(host.queue),
                                      "state": server.state.value})
    if topic in offered:
        entry = server.catalogue.command(topic) or {}
        return Answer("help.topic", {"topic": topic, "syntax": entry.get("syntax", topic),
                                     "summary": entry.get("summary", "")})
    return Answer("help.unknown_topic", {"topic": topic})
