"""Final delivery after a 250 at the end of data: mailboxes, terminals, the queue.

RFC 821 3.4 gives the rules for the three ways of asking:

    MAIL  mailbox only               SEND  terminal only
    SOML  terminal, else mailbox     SAML  mailbox always, terminal too if possible

RFC 5321 4.4 adds the trace: a ``Received:`` line at the top on every hop and a
``Return-Path:`` line at final delivery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .world import Host, Message, User

if TYPE_CHECKING:
    from .server import Envelope, ServerMTA


def trace_headers(server: "ServerMTA", queue_id: str) -> bytes:
    protocol = "ESMTP" if server.used_ehlo else "SMTP"
    return (f"Received: from {server.client_name or 'unknown'} by {server.host.name} "
            f"with {protocol} id {queue_id}; {server.clock()}\r\n").encode()


def deliver(server: "ServerMTA", envelope: "Envelope", content: bytes,
            queue_id: str) -> tuple[tuple[str, ...], list[str]]:
    """Deliver one accepted message; return (effects for the learner, VERB progress lines)."""
    host = server.host
    received = trace_headers(server, queue_id)
    final = f"Return-Path: <{envelope.sender or ''}>\r\n".encode() + received + content
    recipients = tuple(envelope.forward_paths)
    effects: list[str] = []
    progress: list[str] = []
    for rcpt in envelope.recipients:
        if rcpt.local is None:
            # Not ours: keep it queued for the next hop (251 forwarding, or relaying).
            target = rcpt.forward_to or rcpt.address
            host.queue.append(Message(envelope.sender or "", (target,), received + content,
                                      envelope.via, queue_id))
            effects.append(f"queued {queue_id} at {host.name} for <{target}> (next hop)")
            progress.append(f"<{target}>... Queued for relay")
            continue
        for user in _users(host, rcpt.local):
            message = Message(envelope.sender or "", recipients, final, envelope.via, queue_id)
            places = _places(envelope.via, user)
            if "terminal" in places:
                user.terminal.append(message)
            if "mailbox" in places:
                user.mailbox.append(message)
            where = " and ".join(places)
            effects.append(f"delivered {queue_id} to {user.name}'s {where}")
            progress.append(f"<{user.name}@{host.name}>... Connecting to local...")
            progress.append(f"<{user.name}@{host.name}>... Sent ({where})")
    return tuple(effects), progress


def _users(host: Host, local: str) -> list[User]:
    if local in host.lists:
        return [host.users[name] for name in host.lists[local]]
    user = host.find_user(local)
    return [user] if user else []


def _places(via: str, user: User) -> list[str]:
    at_terminal = user.reachable_at_terminal
    if via == "SEND":
        return ["terminal"]
    if via == "SOML":
        return ["terminal"] if at_terminal else ["mailbox"]
    if via == "SAML":
        return ["terminal", "mailbox"] if at_terminal else ["mailbox"]
    return ["mailbox"]
