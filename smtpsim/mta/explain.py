"""Why this reply, now: explanations built from a transcript entry and the catalogue.

The same :class:`Explanation` feeds the app's explanation pane, ``smtpsim run
--explain``, the Markdown export and ``smtpsim explain TOKEN``; :func:`as_text`
is its plain-text form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import catalogue as _catalogue
from ..catalogue import Catalogue, fill
from ..protocol import State
from ..protocol.states import TRANSITIONS
from .transcript import CLIENT, NOTE, Entry


@dataclass(frozen=True)
class Explanation:
    kind: str                       # "reply", "command", "text", "note", "code", "enhanced"
    heading: str
    title: str = ""
    meaning: str = ""
    digits: tuple[tuple[str, str], ...] = ()
    enhanced: tuple[str, str] | None = None
    why: str = ""
    states: str = ""
    rfc: tuple[str, ...] = ()
    correction: str = ""
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (label, text)


# A reply code's digits are read by position (RFC 5321 4.2.1): say which one, since
# "Digit 2 ... Digit 2" for 221 does not tell the first 2 from the second.
DIGIT_POSITIONS = ("First digit", "Second digit", "Third digit")


def digit_labels(explanation: Explanation) -> list[tuple[str, str]]:
    """(``First digit 2``, meaning) for each digit that has a meaning."""
    return [(f"{DIGIT_POSITIONS[n]} {digit}", meaning)
            for n, (digit, meaning) in enumerate(explanation.digits[:3]) if meaning]


def digit_meanings(cat: Catalogue, code: int) -> tuple[tuple[str, str], ...]:
    text = f"{code:03d}"
    entry = cat.code(code) or {}
    first = cat.digits.get("first", {}).get(text[0], "")
    second = cat.digits.get("second", {}).get(text[1], "")
    return ((text[0], first), (text[1], second), (text[2], entry.get("third", "")))


def enhanced_meaning(cat: Catalogue, enhanced: str | None) -> tuple[str, str] | None:
    if not enhanced:
        return None
    klass, subject, _ = enhanced.split(".")
    detail = cat.enhanced_entry(enhanced)
    parts = [cat.enhanced_class.get(klass, ""), cat.enhanced_subject.get(subject, "")]
    if detail:
        parts.append(f"{detail.get('title', '')}: {detail.get('meaning', '')}")
    return enhanced, " - ".join(p for p in parts if p)


def _allowed(verb: str) -> str:
    row = TRANSITIONS.get(verb)
    if row is None:
        return ""
    names = [s.value for s in State if s in row.allowed]
    return f"{verb} is allowed in {' or '.join(names)}"


def explain_entry(entry: Entry, cat: Catalogue | None = None) -> Explanation:
    cat = cat or _catalogue.load()
    if entry.side == NOTE:
        return Explanation("note", entry.text, why=entry.text)
    if entry.side == CLIENT:
        if entry.in_data:
            return _explain_text_line(entry)
        return _explain_command(entry, cat)
    assert entry.reply is not None and entry.reply_id is not None
    reply, code = entry.reply, entry.reply.code
    code_entry = cat.code(code) or {}
    why_entry = cat.why.get(entry.reply_id, {})
    context = {"state": entry.before.value, **entry.context}
    states = f"{entry.before.value} -> {entry.after.value}"
    if entry.verb and code == 503:
        states += f"; {_allowed(entry.verb)}"
    effects = tuple(("Effect", e) for e in entry.effects)
    return Explanation(
        kind="reply",
        heading=f"{reply.code_text} {reply.enhanced or ''}".rstrip()
        + f" - {code_entry.get('title', '')}",
        title=code_entry.get("title", ""),
        meaning=code_entry.get("meaning", ""),
        digits=digit_meanings(cat, code),
        enhanced=enhanced_meaning(cat, reply.enhanced),
        why=fill(why_entry.get("why", ""), context),
        states=states,
        rfc=tuple(why_entry.get("rfc", ())),
        correction=code_entry.get("correction", ""),
        extra=(("Answers", entry.answers or ""),) + effects,
    )


def _explain_command(entry: Entry, cat: Catalogue) -> Explanation:
    verb = entry.verb or ""
    command = cat.command(verb)
    if command is None:
        return Explanation("command", entry.text, why=f"{verb or 'This'} is not an SMTP "
                           "command the catalogue knows; see the server's reply.")
    return Explanation(
        kind="command", heading=f"{verb} - {command.get('title', '')}",
        title=command.get("title", ""), meaning=command.get("meaning", ""),
        why=command.get("summary", ""), states=_allowed(verb),
        rfc=tuple(command.get("rfc", ())), correction=command.get("correction", ""),
        extra=(("Syntax", command.get("syntax", "")), ("Today", command.get("modern", ""))),
    )


TEXT_RFC = ("RFC 5321 4.5.2", "RFC 5321 4.1.1.4")


def _explain_text_line(entry: Entry) -> Explanation:
    lines = entry.lines
    if len(lines) > 1:
        # The client MTA sends a message's text in one write: show it as the text it is.
        body = lines[:-1] if lines[-1] == "." else lines
        stuffed = sum(1 for line in body if line.startswith("."))
        why = (f"The message text, {len(lines)} lines sent in one go after the 354, each "
               "ending with CRLF; the lone '.' at the end is <CRLF>.<CRLF>, which ends it.")
        extra = [("Sent", "\n".join(lines))]
        if stuffed:
            why += (f" {stuffed} of them start with a doubled dot: the client added one "
                    "(transparency) and the server removes it again, so it stores the text "
                    "below.")
            extra.append(("Stored", "\n".join(line[1:] if line.startswith(".") else line
                                              for line in body)))
        return Explanation("text", f"message text: {len(lines)} lines", why=why,
                           rfc=TEXT_RFC, states="DATA", extra=tuple(extra))
    line = entry.text
    if line == ".":
        why = ("A line holding only '.' ends the message text: the wire carries "
               "<CRLF>.<CRLF>. The server now gives one final reply for the whole message.")
    elif line.startswith("."):
        why = (f"A text line starting with a dot: the receiver removes the first dot "
               f"(transparency), so the server stores '{line[1:]}'. A client must double a "
               "leading dot.")
    else:
        why = "A line of message text, sent as is after the 354. It ends with CRLF."
    return Explanation("text", f"message text: {line}", why=why, rfc=TEXT_RFC, states="DATA")


def explain_token(token: str, cat: Catalogue | None = None) -> Explanation | None:
    """``smtpsim explain 550`` / ``SOML`` / ``5.7.1``: None when nothing matches."""
    cat = cat or _catalogue.load()
    found = cat.lookup(token)
    if found is None:
        return None
    entry = found.entry
    if found.kind == "code":
        code = int(found.key)
        return Explanation(
            "code", f"{found.key} - {entry.get('title', '')}", title=entry.get("title", ""),
            meaning=entry.get("meaning", ""), digits=digit_meanings(cat, code),
            rfc=tuple(entry.get("rfc", ())), correction=entry.get("correction", ""),
            extra=(("Sent for", ", ".join(entry.get("commands", ()))),
                   ("Try it", entry.get("try_it", "")),
                   ("Standard", "yes" if entry.get("standard", True) else
                    "NO - not an SMTP reply code defined by any RFC")))
    if found.kind == "extension":
        return Explanation(
            "extension", f"{found.key} - {entry.get('title', '')} (EHLO keyword)",
            title=entry.get("title", ""), meaning=entry.get("meaning", ""),
            why=entry.get("summary", ""), rfc=tuple(entry.get("rfc", ())),
            extra=(("Try it", entry.get("try_it", "")),))
    if found.kind == "enhanced":
        code, meaning = enhanced_meaning(cat, found.key) or (found.key, "")
        return Explanation("enhanced", f"{code} - {entry.get('title', '')}",
                           title=entry.get("title", ""), meaning=meaning,
                           rfc=("RFC 3463", "RFC 2034"))
    keyword = cat.extension(found.key)
    return Explanation(
        "command", f"{found.key} - {entry.get('title', '')}", title=entry.get("title", ""),
        meaning=entry.get("meaning", ""), why=entry.get("summary", ""),
        states=_allowed(found.key), rfc=tuple(entry.get("rfc", ())),
        correction="\n\n".join(x for x in (found.note, entry.get("correction", "")) if x),
        extra=(("Syntax", entry.get("syntax", "")), ("Example", entry.get("example", "")),
               ("Origin", entry.get("origin", "")), ("Today", entry.get("modern", "")),
               ("Replies", " ".join(str(c) for c in entry.get("replies", ()))),
               ("Try it", entry.get("try_it", "")),
               ("EHLO keyword", keyword.get("meaning", "") if keyword else "")))


def as_text(explanation: Explanation, indent: str = "", brief: bool = False) -> str:
    """Plain text, one labelled paragraph after another.

    ``brief``: the heading, why this reply now, the state change and the RFC sections -
    not the digit, enhanced-code and meaning paragraphs that repeat for every reply."""
    rows: list[str] = [explanation.heading]
    if explanation.why:
        rows.append(f"Why: {explanation.why}")
    if brief:
        if explanation.states:
            rows.append(f"State: {explanation.states}")
        if explanation.rfc:
            rows.append("See: " + "; ".join(explanation.rfc))
        return "\n".join(indent + line for row in rows for line in row.splitlines())
    for label, meaning in digit_labels(explanation):
        rows.append(f"{label}: {meaning}")
    if explanation.enhanced:
        rows.append(f"Enhanced {explanation.enhanced[0]}: {explanation.enhanced[1]}")
    if explanation.meaning and explanation.kind != "reply":
        rows.append(explanation.meaning.strip())
    if explanation.states:
        rows.append(f"State: {explanation.states}")
    for label, text in explanation.extra:
        if text:
            rows.append(f"{label}: {text.strip()}")
    if explanation.correction:
        rows.append(f"Correction: {explanation.correction.strip()}")
    if explanation.rfc:
        rows.append("See: " + "; ".join(explanation.rfc))
    return "\n".join(indent + line for row in rows for line in row.splitlines())
