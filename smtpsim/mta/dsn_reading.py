"""Reading a bounce: a DSN's parts and fields, each with what it says and where it is defined.

The mailbox reader (ctrl+b) shows a delivered message as stored; for a delivery status
notification (RFC 3464) it adds, under the header lines, one row per part of the
``multipart/report`` and one per field of its ``message/delivery-status`` part, parsed
back with the standard library's ``email`` - so what is explained is what arrived.
"""

from __future__ import annotations

from email import message_from_bytes
from email.message import Message

from ..i18n import N_, _
from ..textsafe import printable

MAX_FIELDS = 200    # fields explained in one report (a hostile one may have thousands)
REPORT = N_("A delivery status notification: multipart/report with report-type "
            "delivery-status, sent from the null reverse-path <> so that it is never "
            "answered by another (RFC 3464 2, RFC 6522 3, RFC 5321 4.5.5)")
HUMAN = N_("Part 1, text/plain: the explanation for a person, in the reporting MTA's words "
           "(RFC 6522 3: the first part is human-readable)")
STATUS_PART = N_("Part 2, message/delivery-status: the same facts for programs, one block "
                 "for the message, then one for each recipient (RFC 3464 2.1)")
RETURNED = N_("Part 3, text/rfc822-headers: the returned message's header section, without "
              "its body (RFC 6522 4)")
RETURNED_WHOLE = N_("Part 3, message/rfc822: the whole returned message (RFC 3464 2)")
OTHER_PART = N_("Another part of the report ({type})")
FIELDS = {
    "reporting-mta": N_("The MTA that writes this report, as dns; name (RFC 3464 2.2.2)"),
    "arrival-date": N_("When the reporting MTA received the message (RFC 3464 2.2.5)"),
    "final-recipient": N_("The recipient this block is about, as rfc822; address "
                          "(RFC 3464 2.3.2)"),
    "original-recipient": N_("The recipient as the sender gave it, when known "
                             "(RFC 3464 2.3.1)"),
    "action": N_("What became of it: failed (given up), delayed (still trying), delivered, "
                 "relayed or expanded (RFC 3464 2.3.3)"),
    "status": N_("The RFC 3463 status code: its first digit 5 is permanent, 4 temporary; "
                 "e.g. 5.1.1 bad mailbox, 5.1.2 bad domain, 4.4.7 delivery time expired "
                 "(RFC 3464 2.3.4, RFC 3463 3)"),
    "remote-mta": N_("The server that gave the reply, as dns; name (RFC 3464 2.3.5)"),
    "diagnostic-code": N_("The remote server's reply as it came, smtp; then the reply "
                          "(RFC 3464 2.3.6)"),
    "last-attempt-date": N_("When delivery was last tried (RFC 3464 2.3.7)"),
    "will-retry-until": N_("For a delayed report: when the MTA will give up "
                           "(RFC 3464 2.3.9)"),
}
OTHER_FIELD = N_("A field of the report (RFC 3464 2)")


def is_report(message: Message) -> bool:
    return (message.get_content_type() == "multipart/report"
            and message.get_param("report-type") == "delivery-status")


def report_parts(content: bytes) -> list[tuple[str, str]]:
    """(line shown, what it means and where it is defined) for a DSN; [] for other mail."""
    parsed = message_from_bytes(content)
    if not is_report(parsed):
        return []
    out = [("Content-Type: multipart/report; report-type=delivery-status", _(REPORT))]
    fields = 0
    payload = parsed.get_payload()   # a multipart: a list of parts
    parts = [part for part in payload if isinstance(part, Message)] if isinstance(
        payload, list) else []
    for number, part in enumerate(parts[:10], 1):
        kind = part.get_content_type()
        if kind == "text/plain" and number == 1:
            decoded = part.get_payload(decode=True)   # bytes, or None for no body
            first = decoded if isinstance(decoded, bytes) else b""
            line = first.decode("utf-8", "replace").strip().split("\n", 1)[0]
            out.append((printable(f"{kind}: {line}", 120), _(HUMAN)))
        elif kind == "message/delivery-status":
            out.append((kind, _(STATUS_PART)))
            blocks = part.get_payload()   # the parser makes each field block a Message
            for block in blocks if isinstance(blocks, list) else []:
                if not isinstance(block, Message):
                    continue
                for name, value in block.items():
                    fields += 1
                    if fields > MAX_FIELDS:
                        return out
                    out.append((printable(f"  {name}: {value}", 200),
                                _(FIELDS.get(name.lower(), OTHER_FIELD))))
        elif kind == "text/rfc822-headers":
            out.append((kind, _(RETURNED)))
        elif kind == "message/rfc822":
            out.append((kind, _(RETURNED_WHOLE)))
        else:
            out.append((printable(kind, 80), _(OTHER_PART).format(type=printable(kind, 80))))
    return out
