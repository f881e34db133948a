"""The envelope: what a server holds for the mail transaction in progress.

RFC 821 3.1 names three buffers - the reverse-path, the forward-path and the mail
data; MAIL (or SEND, SOML, SAML) clears them and starts a new transaction, RSET and
the reply to the final dot clear them again.  The mail data is not kept here: it
arrives whole, as one event, at the end of the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Recipient:
    """One accepted forward-path, and where the server will take it."""

    address: str
    local: str | None      # local user or list name, None when relayed or forwarded
    forward_to: str | None = None


@dataclass(slots=True)
class Envelope:
    """RFC 821 3.1: the reverse-path and forward-path buffers of one transaction."""

    via: str = ""                  # the verb that opened it (MAIL, SEND, SOML, SAML); "" = none
    sender: str | None = None
    recipients: list[Recipient] = field(default_factory=list)
    size_declared: int | None = None
    rcpt_attempts: int = 0
    # RCPTs accepted, repeats of a recipient included: the 100-recipient limit counts
    # commands (RFC 5321 4.5.3.1.8), as Postfix's smtpd_recipient_limit does, while a
    # repeat adds no forward-path (see handlers_core.rcpt).
    named: int = 0

    @property
    def forward_paths(self) -> list[str]:
        return [r.address for r in self.recipients]
