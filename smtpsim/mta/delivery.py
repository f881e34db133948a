"""Final delivery after a 250 at the end of data: mailboxes, terminals, the queue.

RFC 821 3.4 gives the rules for the three ways of asking:

    MAIL  mailbox only               SEND  terminal only
    SOML  terminal, else mailbox     SAML  mailbox always, terminal too if possible

RFC 5321 4.4 adds the trace: a ``Received:`` line at the top on every hop and a
``Return-Path:`` line at final delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..i18n import N_
from ..protocol.phrase import Phrase
from .world import Host, Message, User

if TYPE_CHECKING:
    from .envelope import Envelope, Recipient
    from .server import ServerMTA


def trace_headers(server: ServerMTA, queue_id: str) -> bytes:
    """RFC 5321 4.4: the FROM clause SHOULD hold the EHLO name and, in brackets, the
    client's IP address from the connection, when the server knows it."""
    protocol = "ESMTP" if server.used_ehlo else "SMTP"
    address = f" ([{server.client_address}])" if server.client_address else ""
    return (f"Received: from {server.client_name or 'unknown'}{address} by {server.host.name} "
            f"with {protocol} id {queue_id}; {server.clock()}\r\n").encode()


# Not frozen: one is built for every copy delivered, and a frozen dataclass costs several
# times more to build; treat it as read-only.
@dataclass(slots=True)
class Copy:
    """One copy of an accepted message and where it goes: a user's ``mailbox`` or
    ``terminal``, or the ``queue`` for the next hop (``owner`` is then the target address)."""

    owner: str
    place: str
    message: Message


class StoreError(Exception):
    """Stable storage refused a message; the server answers 451 and delivers nothing."""


# The non-delivery notice (RFC 5321 6.1), plain text: a real server sends an RFC 3464
# multipart/report; this one names the same facts in readable form.
NOTICE_SUBJECT = "Undelivered Mail Returned to Sender"
NOTICE_BODY = ("Your message {queue_id} was delivered to some recipients, but not to:\r\n"
               "{failed}\r\n"
               "Reason: mailbox full (RFC 3463 X.2.2). Delivery to them was not retried.\r\n")
# What a delivery did, as the explanation's "Effect" lines say it (Phrases: said again in
# the learner's language when shown).
NOTICE_EFFECT = N_("not delivered to {failed}: mailbox full; a non-delivery notice "
                   "{notice_id} to <{sender}> is queued (RFC 5321 4.4, 6.1)")
NO_NOTICE_EFFECT = N_("not delivered to {failed}: mailbox full; no notice is sent, because "
                      "the reverse-path is null (RFC 5321 4.5.5)")
QUEUED_EFFECT = N_("queued {queue_id} at {host} for <{target}> (next hop)")
DELIVERED_EFFECT = N_("delivered {queue_id} to {user}'s {where}")
BOTH_PLACES = N_("{first} and {second}")
PLACE_WORDS = (N_("mailbox"), N_("terminal"))
_PLACE_SAID = {word: Phrase(word) for word in PLACE_WORDS}   # made once, not per delivery


def full_mailboxes(host: Host, envelope: Envelope) -> list[Recipient]:
    """The recipients whose copy would go to a mailbox that is full."""
    full = []
    for rcpt in envelope.recipients:
        if rcpt.local is None:
            continue
        users = _users(host, rcpt.local)
        if users and all(u.mailbox_full and "mailbox" in _places(envelope.via, u)
                         for u in users):
            full.append(rcpt)
    return full


def _notice(server: ServerMTA, sender: str, failed: tuple[str, ...],
            queue_id: str) -> Message:
    host = server.host.name
    text = (f"From: MAILER-DAEMON@{host}\r\nTo: <{sender}>\r\n"
            f"Subject: {NOTICE_SUBJECT}\r\nDate: {server.clock()}\r\n\r\n"
            + NOTICE_BODY.format(queue_id=queue_id,
                                 failed="\r\n".join(f"  <{a}>" for a in failed)))
    # The null reverse-path: a notice about a notice would never end (RFC 5321 4.5.5).
    return Message("", (sender,), text.encode(), "MAIL", f"{queue_id}-N")


def deliver(server: ServerMTA, envelope: Envelope, content: bytes,
            queue_id: str, undeliverable: tuple[str, ...] = ()
            ) -> tuple[tuple[str, ...], list[str]]:
    """Deliver one accepted message; return (effects for the learner, VERB progress lines).

    ``undeliverable``: recipients accepted at RCPT whose copy cannot be delivered; the
    sender gets a non-delivery notice for them, queued for the next hop.

    With stable storage (``server.store``), every copy is planned first and handed to it
    in one call, so that a storage failure leaves nothing half delivered (raises
    :class:`StoreError`); without, each copy goes straight to its place.
    """
    host = server.host
    received = trace_headers(server, queue_id)
    sender, via = envelope.sender or "", envelope.via
    final = None   # the text with Return-Path, built once if any copy is delivered here
    relayed = None   # the text for the next hop, built once if any copy is queued
    recipients = tuple([r.address for r in envelope.recipients])
    store = server.store
    copies: list[Copy] | None = [] if store is not None else None
    keep = server.keep_in_memory
    effects: list[str] = []
    progress: list[str] = []
    verbose = server.verbose   # the 050 lines are only worded for VERB mode
    for rcpt in envelope.recipients:
        if rcpt.local is None:
            # Not ours: keep it queued for the next hop (251 forwarding, or relaying).
            target = rcpt.forward_to or rcpt.address
            if relayed is None:   # one text for every queued copy: they are identical
                relayed = received + content
            queued = Message(sender, (target,), relayed, via, queue_id)
            if copies is None:
                _file(host, target, "queue", queued, keep)
            else:
                copies.append(Copy(target, "queue", queued))
            effects.append(Phrase(QUEUED_EFFECT, queue_id=queue_id, host=host.name,
                                  target=target))
            if verbose:
                progress.append(f"<{target}>... Queued for relay")
            continue
        if final is None:
            final = b"Return-Path: <" + sender.encode() + b">\r\n" + received + content
        for user in _users(host, rcpt.local):
            message = Message(sender, recipients, final, via, queue_id)
            places = _places(via, user)
            if copies is not None:
                copies.extend([Copy(user.name, place, message) for place in places])
            else:
                for place in places:
                    _file(host, user.name, place, message, keep)
            said = [_PLACE_SAID[place] for place in places]
            where = said[0] if len(said) == 1 else Phrase(BOTH_PLACES, first=said[0],
                                                          second=said[1])
            effects.append(Phrase(DELIVERED_EFFECT, queue_id=queue_id, user=user.name,
                                  where=where))
            if verbose:
                progress.append(f"<{user.name}@{host.name}>... Connecting to local...")
                progress.append(f"<{user.name}@{host.name}>... Sent ({where})")
    if undeliverable:
        failed = ", ".join(f"<{a}>" for a in undeliverable)
        if sender:
            notice = _notice(server, sender, undeliverable, queue_id)
            if copies is None:
                _file(host, sender, "queue", notice, keep)
            else:
                copies.append(Copy(sender, "queue", notice))
            effects.append(Phrase(NOTICE_EFFECT, failed=failed, notice_id=notice.queue_id,
                                  sender=sender))
        else:
            effects.append(Phrase(NO_NOTICE_EFFECT, failed=failed))
    if copies is None:
        return tuple(effects), progress
    assert store is not None   # copies are planned only for stable storage
    try:
        store(copies)
    except Exception as error:   # any storage failure: never say 250 for it
        raise StoreError(str(error) or type(error).__name__) from error
    # A store that keeps the queue itself (serve --maildir) holds queued copies on disk.
    queue_on_disk = getattr(store, "keeps_queue", False)
    for copy in copies:
        if not (queue_on_disk and copy.place == "queue"):
            _file(host, copy.owner, copy.place, copy.message, keep)
    return tuple(effects), progress


def _file(host: Host, owner: str, place: str, message: Message, keep: bool) -> None:
    """One accepted copy into its place: the queue for the next hop, or a user's mailbox
    or terminal (in memory only if ``keep``: with a Maildir they live on disk)."""
    if place == "queue":
        host.queue.append(message)   # TURN and ETRN hand these out
    elif keep:
        user = host.users[owner]
        (user.mailbox if place == "mailbox" else user.terminal).append(message)


def _users(host: Host, local: str) -> list[User]:
    if local in host.lists:
        return [host.users[name] for name in host.lists[local]]
    user = host.find_user(local)
    return [user] if user else []


def _places(via: str, user: User) -> tuple[str, ...]:
    if via == "MAIL":
        return _MAILBOX   # the common case first
    at_terminal = user.reachable_at_terminal
    if via == "SEND":
        return _TERMINAL
    if via == "SOML":
        return _TERMINAL if at_terminal else _MAILBOX
    if via == "SAML":
        return ("terminal", "mailbox") if at_terminal else _MAILBOX
    return _MAILBOX


_MAILBOX, _TERMINAL = ("mailbox",), ("terminal",)
