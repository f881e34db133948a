"""Bounces: the delivery status notification of RFC 3464, built with the ``email`` package.

A DSN is a ``multipart/report; report-type=delivery-status`` message (RFC 6522) of three
parts:

1. a human-readable explanation (text/plain);
2. ``message/delivery-status`` (RFC 3464 2): one block of per-message fields
   (Reporting-MTA, Arrival-Date) and one block per recipient (Final-Recipient, Action,
   Status, Remote-MTA, Diagnostic-Code, Last-Attempt-Date);
3. the returned message's headers (text/rfc822-headers, RFC 6522 4), not its body.

It is sent with the null reverse-path ``MAIL FROM:<>`` so that it is never answered by
another one (RFC 5321 6.1: servers MUST NOT send notifications about problems
transporting notifications; 4.5.5); ``Auto-Submitted: auto-replied``
(RFC 3834 5) tells programs not to answer it either.
"""

from __future__ import annotations

from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

WIRE = policy.compat32.clone(linesep="\r\n", max_line_length=998)   # RFC 5322 2.1.1
SUBJECT = "Undelivered Mail Returned to Sender"   # Postfix's subject for a failed DSN
FROM_NAME = "Mail Delivery System"
HUMAN = ("This is the mail system at host {host}.\n\n"
         "I'm sorry to have to inform you that your message could not\n"
         "be delivered to one or more recipients. Its headers are attached below.\n\n"
         "For further assistance, please send mail to postmaster.\n\n"
         "{lines}\n")
HUMAN_LINE = "<{recipient}>: {why}"
GAVE_UP = "gave up after {days} days of retrying; the last attempt said: {why}"
# The warning after the first day (RFC 3464 2.3.3 Action: delayed): not a bounce - the
# message stays queued - so it says so first (the wording is ours; Postfix's says the same).
DELAYED_SUBJECT = "Delayed Mail (still being retried)"
DELAYED_HUMAN = ("This is the mail system at host {host}.\n\n"
                 "THIS IS A WARNING ONLY: you do not need to send your message again.\n\n"
                 "Your message could not be delivered to one or more recipients yet.\n"
                 "It stays in the queue and will be retried until {until}.\n\n"
                 "{lines}\n")
DELAYED_WHY = "still trying after {hours} hours; the last attempt said: {why}"


@dataclass(frozen=True)
class FailedRecipient:
    """One recipient the DSN reports: RFC 3464 2.3's per-recipient fields."""

    recipient: str
    status: str            # RFC 3463, e.g. 5.1.1, or 4.4.7 once the queue gave up
    diagnostic: str        # the remote reply as on the wire, or "" when there was none
    remote: str            # the server that answered (or did not), "" if none was reached
    why: str               # the human part's sentence
    last_attempt: str      # RFC 5322 date of the last attempt


def build_dsn(reporting_mta: str, sender: str, arrival: str, date: str,
              failed: list[FailedRecipient], original: bytes, message_id: str,
              retry_until: str = "") -> bytes:
    """The bounce for ``sender``, as bytes with CRLF line ends, ready for DATA; with
    ``retry_until`` it is a delay warning instead (Action: delayed, Will-Retry-Until)."""
    delayed = bool(retry_until)
    # A fixed boundary (the queue id is unique): the same script gives the same bytes.
    report = MIMEMultipart("report", boundary=f"=_report_{message_id}",
                           report_type="delivery-status")
    report["From"] = f"{FROM_NAME} <MAILER-DAEMON@{reporting_mta}>"
    report["To"] = f"<{sender}>"
    report["Subject"] = DELAYED_SUBJECT if delayed else SUBJECT
    report["Date"] = date
    report["Message-ID"] = f"<{message_id}@{reporting_mta}>"
    report["Auto-Submitted"] = "auto-replied"   # RFC 3834 5
    lines = "\n".join(HUMAN_LINE.format(recipient=f.recipient, why=f.why) for f in failed)
    human = (DELAYED_HUMAN.format(host=reporting_mta, until=retry_until, lines=lines)
             if delayed else HUMAN.format(host=reporting_mta, lines=lines))
    report.attach(MIMEText(human, "plain"))
    status = MIMEBase("message", "delivery-status")
    blocks: list[Message | str] = [_block(("Reporting-MTA", f"dns; {reporting_mta}"),
                                          ("Arrival-Date", arrival))]
    for f in failed:
        fields = [("Final-Recipient", f"rfc822; {f.recipient}"),
                  ("Action", "delayed" if delayed else "failed"), ("Status", f.status)]
        if f.remote:
            fields.append(("Remote-MTA", f"dns; {f.remote}"))
        if f.diagnostic:
            # RFC 3464 2.3.6: the reply as received, multi-line replies on one line
            fields.append(("Diagnostic-Code", "smtp; " + " ".join(f.diagnostic.split("\n"))))
        fields.append(("Last-Attempt-Date", f.last_attempt))
        if delayed:
            fields.append(("Will-Retry-Until", retry_until))   # RFC 3464 2.3.9
        blocks.append(_block(*fields))
    status.set_payload(blocks)
    report.attach(status)
    report.attach(MIMEText(_headers_of(original), "rfc822-headers"))
    for part in report.get_payload():
        assert isinstance(part, Message)   # a multipart's payload is its parts
        del part["MIME-Version"]   # RFC 2045 4: needed in the top-level header only
    return report.as_bytes(policy=WIRE)


def is_dsn(content: bytes) -> bool:
    """A multipart/report of report-type delivery-status (what must never be bounced)."""
    parsed = parse(content)
    return (parsed.get_content_type() == "multipart/report"
            and parsed.get_param("report-type") == "delivery-status")


def parse(content: bytes) -> Message:
    return message_from_bytes(content)


def _block(*fields: tuple[str, str]) -> Message:
    block = Message()
    for name, value in fields:
        block[name] = value
    return block


def _headers_of(original: bytes) -> str:
    """The returned message's header section (up to the first empty line), as text."""
    head = original.split(b"\r\n\r\n", 1)[0]
    return head.decode("utf-8", "replace").replace("\r\n", "\n") + "\n"
