"""A message handed to the client MTA, and how a user agent composes one (RFC 5322).

The client MTA (:mod:`smtpsim.mta.client`) takes these from its outbox and records on each
what the server said: who was accepted, deferred or refused, and the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .server import SIMULATED_DATE


@dataclass
class OutgoingMessage:
    sender: str
    recipients: list[str]
    content: bytes
    accepted: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    outcome: str = "waiting"     # waiting, delivered, deferred, failed
    refusals: dict[str, int] = field(default_factory=dict)   # recipient -> RCPT's 4yz/5yz
    next_recipient: int = 0
    started: bool = False


def compose(sender: str, recipients: list[str], subject: str, body: str, *,
            date: str = SIMULATED_DATE, message_id: str | None = None) -> OutgoingMessage:
    """A message with RFC 5322 headers, as a user agent would hand it to the client MTA.

    RFC 5322 3.6: ``Date:`` (the origination date) and ``From:`` are required, and
    ``Message-ID:`` should be present (3.6.4).  Both are injected: the simulator's clock
    stands still (``SIMULATED_DATE``, as in its ``Received:`` lines) and, without a
    ``message_id``, the id is made from the message's own fields - the same message
    composed twice gets the same id, so a caller sending it twice passes its own ids.
    """
    text_body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    if message_id is None:
        import hashlib  # composing is rare; the engine's start-up does not need it
        digest = hashlib.sha256("\0".join((date, sender, *recipients, subject, text_body))
                                .encode("utf-8", "surrogateescape")).hexdigest()[:16]
        message_id = make_message_id(sender, digest)
    headers = [f"Date: {date}", f"From: <{sender}>",
               f"To: {', '.join(f'<{r}>' for r in recipients)}",
               f"Subject: {subject}", f"Message-ID: {message_id}"]
    text = "\r\n".join(headers) + "\r\n\r\n" + text_body
    return OutgoingMessage(sender, list(recipients), text.encode("utf-8", "surrogateescape"))


def make_message_id(sender: str, unique: str) -> str:
    """RFC 5322 3.6.4 msg-id ``<unique@domain>``: the right side is the sender's domain
    (a name the sender controls), the left side unique under it."""
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<{unique}@{domain}>"
