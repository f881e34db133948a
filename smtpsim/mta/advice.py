"""What to type instead of a refused line - true in the state the session is in.

A correction that says "Type instead: MAIL FROM:<...>" is only good advice where MAIL is in
sequence.  Under RFC 5321 4.1.4 MAIL opens a transaction only after HELO/EHLO and only when
none is open, so in state RCPT that line gets 503; DATA needs an accepted recipient (RFC 5321
3.3).  The advice here names what must come first: the greeting, the transaction's missing
steps, or RSET to abort the open transaction (RFC 5321 4.1.1.5).  An RFC 821 host (the
classic profile) lets MAIL, SEND, SOML and SAML start a new transaction anywhere
(RFC 821 4.1.1), so there the line is good as it is.
"""

from __future__ import annotations

from collections import deque

from ..catalogue import Catalogue
from ..protocol.states import COMMAND_STATES, TRANSITIONS, State
from .profiles import get_profile

#: The lines that move a session one step towards a state, as a client types them (the SMTP
#: wire: never translated).  RSET only leaves a transaction: it is the way back to READY.
STEPS: dict[State, tuple[tuple[str, State], ...]] = {
    State.INIT: (("EHLO client.example", State.READY),),
    State.READY: (("MAIL FROM:<alice@client.example>", State.MAIL),),
    State.MAIL: (("RCPT TO:<bob@mail.example>", State.RCPT), ("RSET", State.READY)),
    State.RCPT: (("RSET", State.READY),),
}

#: The 502 replies to a verb RFC 5321 retired, and the line that does the same work today.
RETIRED_REPLACEMENTS = {"verb.legacy_retired": "MAIL FROM:<alice@client.example>",
                        "verb.turn_retired": "ETRN client.example"}


def steps_to(state: State, targets: frozenset[State]) -> list[str]:
    """The shortest run of lines from ``state`` into one of ``targets`` (empty if there)."""
    seen = {state}
    queue: deque[tuple[State, list[str]]] = deque([(state, [])])
    while queue:
        here, lines = queue.popleft()
        if here in targets:
            return lines
        for line, there in STEPS.get(here, ()):
            if there not in seen:
                seen.add(there)
                queue.append((there, [*lines, line]))
    return []


def advice_in_state(cat: Catalogue, line: str, state: State, profile: str | None) -> str:
    """``line`` as advice, with what must come first when its verb is out of sequence now."""
    verb = line.split(":")[0].split()[0].upper()
    row = TRANSITIONS.get(verb)
    if row is None or state not in COMMAND_STATES:
        return line
    rfc821 = profile is not None and get_profile(profile).rfc821
    steps = steps_to(state, row.allowed_on(rfc821))
    if not steps:
        return line
    general = cat.article_general
    fields = {"type": line, "verb": verb, "state": state.value,
              "steps": general["steps_and"].join(steps)}
    template = "type_after_rset" if steps == ["RSET"] else "type_after_steps"
    return general[template].format(**fields)
