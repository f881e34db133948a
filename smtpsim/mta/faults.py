"""Faults a teacher or learner arms on purpose: "the Nth RCPT gets 452".

Syntax (CLI ``--fault``, lesson files, the app's picker): ``VERB[#N]=CODE``.
Without ``#N`` every occurrence of the verb fires.  Besides the verbs, ``CONNECT``
names the greeting and ``DOT`` the end of the message text.  Faults are
deterministic - never random - so that a class sees the same thing every time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..i18n import _

#: Codes a fault can produce, each with its reply in the catalogue (a realistic text).
FAULT_REPLIES = {
    403: "fault.403", 421: "fault.421", 450: "fault.450", 451: "fault.451",
    452: "fault.452", 455: "fault.455", 458: "fault.458", 500: "fault.500",
    501: "fault.501", 502: "fault.502", 503: "fault.503", 504: "fault.504",
    550: "fault.550", 551: "fault.551", 552: "fault.552", 553: "fault.553",
    554: "fault.554", 555: "fault.555",
}
FAULT_CODES = frozenset(FAULT_REPLIES)
PSEUDO_VERBS = ("CONNECT", "DOT")
_SPEC = re.compile(r"^\s*([A-Za-z]{3,7})\s*(?:#\s*(\d+))?\s*=\s*(\d{3})\s*$")


class FaultError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Fault:
    verb: str
    occurrence: int | None   # None: every time
    code: int

    @property
    def spec(self) -> str:
        nth = f"#{self.occurrence}" if self.occurrence is not None else ""
        return f"{self.verb}{nth}={self.code:03d}"


def parse_fault(text: str, known_verbs: frozenset[str] | set[str]) -> Fault:
    match = _SPEC.match(text)
    if not match:
        raise FaultError(_("bad fault {spec}: write VERB[#N]=CODE, e.g. RCPT#2=452").format(
            spec=repr(text)))
    verb, nth, code = match.group(1).upper(), match.group(2), int(match.group(3))
    if verb not in known_verbs and verb not in PSEUDO_VERBS:
        raise FaultError(_("bad fault {spec}: {verb} is not a verb the server knows "
                           "(or CONNECT / DOT)").format(spec=repr(text), verb=verb))
    if nth is not None and int(nth) < 1:
        raise FaultError(_("bad fault {spec}: occurrences count from #1").format(
            spec=repr(text)))
    if code not in FAULT_CODES:
        raise FaultError(_("bad fault {spec}: a fault makes a command fail; choose one of "
                           "{codes}").format(spec=repr(text),
                                             codes=", ".join(str(c) for c in sorted(FAULT_CODES))))
    if verb == "CONNECT" and code != 421:
        raise FaultError(_("bad fault {spec}: the simulator refuses a greeting with 421 only"
                           ).format(spec=repr(text)))
    return Fault(verb, int(nth) if nth is not None else None, code)


def find_fault(faults: tuple[Fault, ...], verb: str, occurrence: int) -> Fault | None:
    for fault in faults:
        if fault.verb == verb and fault.occurrence in (None, occurrence):
            return fault
    return None
