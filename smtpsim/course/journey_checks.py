"""The ``followed`` check: what hop 2 makes of the messages a step queued.

Hop 2 happens after the learner's session, on the simulated clock (mta/relay.py), so a
step about MX records, greylisting or bounces cannot look at the learner's transcript.
This check plays the journey of the messages queued since the step began on a *copy* of
the world - the learner's session is never changed by being checked - and asks where a
message for ``to`` ended:

=========  =========================================================================
field      meaning
=========  =========================================================================
to         the recipient address (required)
result     ``delivered``, ``bounced`` or ``not returned`` (required)
code       a reply code that must appear on hop 2 for it (e.g. 451 before the retry)
status     the RFC 3463 status of that ending (``5.1.1``; a bounce's DSN Status: field)
=========  =========================================================================
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .. import catalogue
from ..i18n import N_, _
from ..mta.clock import label
from ..mta.journey import follow_copy
from ..mta.relay import RESULTS

if TYPE_CHECKING:
    from ..mta import Session
    from ..mta.relay import Ending

FOLLOWED_FIELDS = {"to", "result", "code", "status"}
_STATUS = re.compile(r"^[245]\.\d{1,3}\.\d{1,3}$")   # RFC 3463 2: class.subject.detail
SEE_IT = N_("smtpsim run FILE --follow prints every hop")


def validate_followed(f: dict[str, Any]) -> str | None:
    """What is wrong with a ``followed`` check's fields, or None."""
    if not isinstance(f["to"], str) or "@" not in f["to"]:
        return _("'to' must be an address like friend@far.example")
    if f["result"] not in RESULTS:
        return _("result must be one of {results}").format(results=", ".join(RESULTS))
    if "code" in f and (not isinstance(f["code"], int) or isinstance(f["code"], bool)
                        or catalogue.load().code(f["code"]) is None):
        return _("{code!r} is not a reply code the catalogue knows").format(code=f["code"])
    if "status" in f and not (isinstance(f["status"], str) and _STATUS.match(f["status"])):
        return _("status must be an RFC 3463 status code like 5.1.1")
    return None


def describe_followed(f: dict[str, Any]) -> str:
    """The check in a learner's words."""
    words = _("a message for <{address}> {result} after hop 2").format(
        address=f["to"], result=_(f["result"]))
    if "code" in f:
        words += _(", with a {code} on the way").format(code=f["code"])
    if "status" in f:
        words += _(", status {status}").format(status=f["status"])
    return words


def check_followed(session: Session, f: dict[str, Any], since: int) -> tuple[bool, str]:
    """(passed, what was found) for the messages queued from index ``since`` on."""
    queue = follow_copy(session, since)
    wanted = f["to"].lower()
    mine = [e for e in queue.endings if e.recipient.lower() == wanted]
    if not mine:
        return False, _("no message for <{address}> was queued in this step").format(
            address=f["to"])
    codes = {entry.code for hop in queue.hops for entry in hop.transcript
             if entry.reply is not None}
    for ending in mine:
        if ending.result != f["result"]:
            continue
        if "status" in f and ending.status != f["status"]:
            continue
        if "code" in f and f["code"] not in codes:
            continue
        return True, _found(ending)
    return False, "; ".join(_found(e) for e in mine) + f" ({_(SEE_IT)})"


def _found(ending: Ending) -> str:
    status = _(", status {status}").format(status=ending.status) if ending.status else ""
    return _("<{address}> {result} at {clock}").format(
        address=ending.recipient, result=_(ending.result), clock=label(ending.at)) + status
