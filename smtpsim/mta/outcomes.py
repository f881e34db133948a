"""What the client MTA says when a message is done: per recipient, who got it, who did
not and why, and what a sender does next (RFC 5321 4.2.1: 2yz done, 4yz retry later,
5yz report to the sender; 4.5.4 on retries).

Every note is a :class:`~smtpsim.protocol.phrase.Phrase`: the transcript keeps the
English, and a pane says it in the learner's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import N_
from ..protocol.phrase import Phrase

if TYPE_CHECKING:
    from .outgoing import OutgoingMessage

_OUTCOME = {outcome: Phrase(outcome) for outcome in
            (N_("delivered"), N_("deferred"), N_("failed"))}
_ADVICE = {"delivered": Phrase(N_("the server took responsibility for it")),
           "deferred": Phrase(N_("keep it and retry later (4yz)")),
           "failed": Phrase(N_("give up and report it to the sender (5yz)"))}
# The end of a message, per recipient (RFC 5321 4.2.1, 4.5.4): who got it, who did not.
SUMMARY = N_("message to {recipients}: {outcome} ({why}); {advice}")
SUMMARY_NOT_TO = N_("message to {recipients}: {outcome} ({why}); {advice}; not to {refused}")
REFUSED_RECIPIENT = {4: N_("{address} ({code}: temporary, retry it later)"),
                     5: N_("{address} ({code}: permanent, report it to the sender)")}


def summary(job: OutgoingMessage, outcome: str, why: str) -> Phrase:
    """The message's end, per recipient: a delivered message names only the recipients
    the server accepted, then those it refused at RCPT and with which code."""
    def refused(address: str) -> str:
        code = job.refusals.get(address)
        if code is None or code // 100 not in REFUSED_RECIPIENT:
            return f"<{address}>"
        return Phrase(REFUSED_RECIPIENT[code // 100], address=f"<{address}>", code=code)

    def listed(items: list[str]) -> str:
        # A list whose items may be Phrases: its template names them, so that each is
        # said in the learner's language (the template itself needs no translation).
        # Addresses alone are never translated, so they are simply joined.
        if not any(isinstance(item, Phrase) for item in items):
            return ", ".join(items)
        return Phrase(", ".join(f"{{i{n}}}" for n in range(len(items))),
                      **{f"i{n}": item for n, item in enumerate(items)})

    if outcome == "delivered":
        names = ", ".join([f"<{r}>" for r in job.accepted])
    else:
        names = listed([refused(r) for r in job.recipients])
    fields = {"recipients": names, "outcome": _OUTCOME[outcome], "why": why,
              "advice": _ADVICE[outcome]}
    if outcome == "delivered" and job.refusals:
        return Phrase(SUMMARY_NOT_TO, refused=listed([refused(r) for r in job.refusals]),
                      **fields)
    return Phrase(SUMMARY, **fields)
