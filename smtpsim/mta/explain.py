"""Why this reply, now: explanations built from a transcript entry and the catalogue.

The same :class:`Explanation` feeds the app's explanation pane, ``smtpsim run
--explain``, the Markdown export and ``smtpsim explain TOKEN``; :func:`as_text`
is its plain-text form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import catalogue as _catalogue
from ..catalogue import Catalogue, fill
from ..i18n import N_, _, ngettext
from ..protocol.states import TRANSITIONS, State, allowed_in
from .advice import RETIRED_REPLACEMENTS, advice_in_state
from .phrases import note_text, say
from .profiles import PROFILES, get_profile
from .server import availability_on
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
DIGIT_POSITIONS = (N_("First digit"), N_("Second digit"), N_("Third digit"))


def digit_labels(explanation: Explanation) -> list[tuple[str, str]]:
    """(``First digit 2``, meaning) for each digit that has a meaning."""
    return [(f"{_(DIGIT_POSITIONS[n])} {digit}", meaning)
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
    klass, subject, _detail = enhanced.split(".")
    detail = cat.enhanced_entry(enhanced)
    parts = [cat.enhanced_class.get(klass, ""), cat.enhanced_subject.get(subject, "")]
    if detail:
        parts.append(f"{detail.get('title', '')}: {detail.get('meaning', '')}")
    return enhanced, " - ".join(p for p in parts if p)


#: "VERB is allowed in ...", the phrase for a verb's place in the session, in the forms
#: it takes on screen; {states} is always listed by protocol.states.allowed_in.  The
#: explanation's sentence, the diagram's headline after a refusal (the states it draws
#: with a tick), and the command line's compact hint while the verb is typed.
ALLOWED_IN = N_("{verb} is allowed in {states}")
ALLOWED_ONLY_IN = N_(": allowed only in {states} (✓)")
ALLOWED_IN_HINT = N_("allowed in {states}")


def _allowed(verb: str) -> str:
    row = TRANSITIONS.get(verb)
    if row is None:
        return ""
    return _(ALLOWED_IN).format(verb=verb, states=_(" or ").join(allowed_in(row.allowed)))


# What the state line adds to a reply, decided by the reply's identity - never by its code:
# a 503 forced by an armed fault is no sequence error, and 554 "no valid recipients" is one.
_FAULT_IN_SEQUENCE = N_("the armed fault {fault} forced this reply: by the rules alone {verb} "
                         "was in sequence here and would have been answered normally")
_FAULT_OUT_OF_SEQUENCE = N_("the armed fault {fault} forced this reply; by the rules alone "
                             "{verb} would also have been refused here")


def _sequence_note(entry: Entry) -> str:
    reply_id, context, verb = entry.reply_id or "", entry.context, entry.verb
    if reply_id.startswith("seq.") and verb and "allowed" in context:
        # The server joins the states with " or " for its wire text; the explanation
        # speaks the learner's language.
        allowed = _(" or ").join(context["allowed"].split(" or "))
        return "; " + _(ALLOWED_IN).format(verb=verb, states=allowed)
    if reply_id.startswith("fault.") and verb and "in_sequence" in context:
        note = _FAULT_IN_SEQUENCE if context["in_sequence"] else _FAULT_OUT_OF_SEQUENCE
        return "; " + _(note).format(verb=verb, fault=context.get("fault", ""))
    return ""


def explain_entry(entry: Entry, cat: Catalogue | None = None) -> Explanation:
    cat = cat or _catalogue.load()
    if entry.side == NOTE:
        said = "\n".join(note_text(entry.lines))
        return Explanation("note", said, why=said)
    if entry.side == CLIENT:
        if entry.in_data:
            return _explain_text_line(entry)
        return _explain_command(entry, cat)
    assert entry.reply is not None and entry.reply_id is not None
    reply, code = entry.reply, entry.reply.code
    code_entry = cat.code(code) or {}
    why_entry = cat.why.get(entry.reply_id, {})
    # A value that is a phrase of the UI (a user's terminal status) is shown translated.
    context = {"state": entry.before.value,
               **{k: say(v) for k, v in entry.context.items()}}
    if isinstance(entry.context.get("allowed"), str):
        # The server joins the states with " or " for its wire text (seq.* replies).
        context["allowed"] = _(" or ").join(entry.context["allowed"].split(" or "))
    states = f"{entry.before.value} -> {entry.after.value}" + _sequence_note(entry)
    effects = tuple((_("Effect"), say(e)) for e in entry.effects)
    # A remark that holds for some verbs only (RFC 821's missing 503 for MAIL) is said for them.
    with_aside = entry.verb in why_entry.get("aside_for", ())
    aside = " " + why_entry["aside"] if with_aside else ""
    aside_rfc = tuple(why_entry.get("aside_rfc", ())) if with_aside else ()
    return Explanation(
        kind="reply",
        heading=f"{reply.code_text} {reply.enhanced or ''}".rstrip()
        + f" - {code_entry.get('title', '')}",
        title=code_entry.get("title", ""),
        meaning=code_entry.get("meaning", ""),
        digits=digit_meanings(cat, code),
        enhanced=enhanced_meaning(cat, reply.enhanced),
        why=fill(why_entry.get("why", "") + aside, context),
        states=states,
        rfc=tuple(why_entry.get("rfc", ())) + aside_rfc,
        correction=_reply_correction(entry, cat) or code_entry.get("correction", ""),
        extra=((_("Answers"), say(entry.answers or "")),) + effects,
    )


def article_advice(cat: Catalogue, word: str, profile: str | None = None,
                   state: State | None = None) -> str:
    """What to type instead of the article's word, true of the profile and state in use.

    A verb RFC 5321 retired (SEND, SOML, SAML, TURN) gets 502 on a profile that refuses
    it, so there the advice is the entry's ``type_modern``; in a ``state`` where that line
    is out of sequence the advice says what comes first (:mod:`.advice`).  With no profile known
    (``smtpsim explain WORD``) the advice names the profiles of each kind, worked out
    from the profiles themselves."""
    entry, general = cat.article_words[word], cat.article_general
    verb: str = entry["verb"]
    typed: str = entry["type"]
    instead: str = entry.get("type_modern", typed)
    if profile is not None:
        line = typed if availability_on(get_profile(profile), verb) is None else instead
        return line if state is None else advice_in_state(cat, line, state, profile)
    taking = [p.name for p in PROFILES.values() if availability_on(p, verb) is None]
    refusing = {p.name: reply_id for p in PROFILES.values()
                if (reply_id := availability_on(p, verb)) is not None}
    if not refusing:
        return typed
    code = cat.reply_codes[next(iter(refusing.values()))]
    parts = [general["type_on"].format(profiles=general["profiles_and"].join(taking),
                                        type=typed)] if taking else []
    parts.append(general["type_refused_on"].format(
        profiles=general["profiles_and"].join(refusing), verb=verb, code=code,
        type=instead))
    return "; ".join(parts)


def article_correction(cat: Catalogue, word: str, profile: str | None = None,
                       state: State | None = None) -> str:
    """The correction of one of the article's words: what it is, why, what to type."""
    entry, general = cat.article_words[word], cat.article_general
    advice = article_advice(cat, word, profile, state)
    return "\n".join((entry["title"], entry["explanation"].strip(),
                      general["never_translated"].strip(), f"{general['type_label']}: {advice}"))


def enhanced_rfc(detail: dict[str, Any], status: str) -> tuple[str, ...]:
    """Where an enhanced code is read: RFC 3463 2 for class.subject.detail, the section that
    defines its detail (RFC 3463 3.1 to 3.8 by subject, or the entry's own ``rfc``), and
    RFC 2034 4, which puts the code at the start of a reply's text."""
    subject = int(status.split(".")[1])
    defined = detail.get("rfc") or ([f"RFC 3463 3.{subject + 1}"] if subject <= 7 else [])
    return ("RFC 3463 2", *defined, "RFC 2034 4")


def _reply_correction(entry: Entry, cat: Catalogue) -> str:
    """A refusal of a line the article taught (POSTA DA, SMOL, MAIL DA:, RCPT TO: with no
    address) carries the article's correction - found from the line, whatever the code.
    A retired verb's 502 says what does its work today, in the state the session is in."""
    if entry.code is None or entry.code < 500 or not entry.answers:
        return ""
    profile = entry.context.get("profile")
    word = cat.article_word(entry.answers)
    if word is not None:
        return article_correction(cat, word, profile, entry.before)
    replacement = RETIRED_REPLACEMENTS.get(entry.reply_id or "")
    if replacement is not None:
        advice = advice_in_state(cat, replacement, entry.before, profile)
        return f"{cat.article_general['type_label']}: {advice}"
    if (entry.reply_id or "").startswith("path.") and entry.verb in ("MAIL", "RCPT"):
        correction: str = (cat.command(entry.verb) or {}).get("correction", "")
        return correction
    return ""


def _explain_command(entry: Entry, cat: Catalogue) -> Explanation:
    verb = entry.verb or ""
    command = cat.command(verb)
    if command is None:
        return Explanation("command", entry.text, why=_(
            "{verb} is not an SMTP command the catalogue knows; see the server's reply."
        ).format(verb=verb or _("This")))
    return Explanation(
        kind="command", heading=f"{verb} - {command.get('title', '')}",
        title=command.get("title", ""), meaning=command.get("meaning", ""),
        why=command.get("summary", ""), states=_allowed(verb),
        rfc=tuple(command.get("rfc", ())), correction=command.get("correction", ""),
        extra=((_("Syntax"), command.get("syntax", "")),
               (_("Today"), command.get("modern", ""))),
    )


TEXT_RFC = ("RFC 5321 4.5.2", "RFC 5321 4.1.1.4")


def _explain_text_line(entry: Entry) -> Explanation:
    lines = entry.lines
    if len(lines) > 1:
        # The client MTA sends a message's text in one write: show it as the text it is.
        body = lines[:-1] if lines[-1] == "." else lines
        stuffed = sum(1 for line in body if line.startswith("."))
        why = _("The message text, {count} lines sent in one go after the 354, each "
                "ending with CRLF; the lone '.' at the end is <CRLF>.<CRLF>, which ends it."
                ).format(count=len(lines))
        extra = [(_("Sent"), "\n".join(lines))]
        if stuffed:
            why += " " + ngettext(
                "{count} of them starts with a doubled dot: the client added one "
                "(transparency) and the server removes it again, so it stores the text below.",
                "{count} of them start with a doubled dot: the client added one "
                "(transparency) and the server removes it again, so it stores the text below.",
                stuffed).format(count=stuffed)
            extra.append((_("Stored"), "\n".join(line[1:] if line.startswith(".") else line
                                                 for line in body)))
        return Explanation("text", _("message text: {count} lines").format(count=len(lines)),
                           why=why,
                           rfc=TEXT_RFC, states="DATA", extra=tuple(extra))
    line = entry.text
    if line == ".":
        why = _("A line holding only '.' ends the message text: the wire carries "
                "<CRLF>.<CRLF>. The server now gives one final reply for the whole message.")
    elif line.startswith("."):
        why = _("A text line starting with a dot: the receiver removes the first dot "
                "(transparency), so the server stores '{stored}'. A client must double a "
                "leading dot.").format(stored=line[1:])
    else:
        why = _("A line of message text, sent as is after the 354. It ends with CRLF.")
    return Explanation("text", _("message text: {line}").format(line=line), why=why,
                       rfc=TEXT_RFC, states="DATA")


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
            extra=((_("Sent for"), ", ".join(entry.get("commands", ()))),
                   (_("Try it"), entry.get("try_it", "")),
                   (_("Standard"), _("yes") if entry.get("standard", True) else
                    _("NO - not an SMTP reply code defined by any RFC"))))
    if found.kind == "extension":
        return Explanation(
            "extension", f"{found.key} - {entry.get('title', '')} " + _("(EHLO keyword)"),
            title=entry.get("title", ""), meaning=entry.get("meaning", ""),
            why=entry.get("summary", ""), rfc=tuple(entry.get("rfc", ())),
            extra=((_("Try it"), entry.get("try_it", "")),))
    if found.kind == "article":
        verb = entry["verb"]
        command = cat.command(verb) or {}
        # Leads with what the word really is; then the real verb, and its own correction
        # (SMAL carries SAML's: the article gets its meaning backwards).
        return Explanation(
            "article", entry["title"], title=entry["title"],
            meaning=command.get("meaning", ""),
            why=entry["explanation"].strip() + " "
            + cat.article_general["never_translated"].strip(),
            states=_allowed(verb), rfc=tuple(entry.get("rfc", ())),
            correction=command.get("correction", ""),
            extra=((cat.article_general["type_label"], article_advice(cat, found.key)),
                   (cat.article_general["verb_label"],
                    f"{verb} - {command.get('title', '')}"),
                   (_("Syntax"), command.get("syntax", "")),
                   (_("Try it"), command.get("try_it", ""))))
    if found.kind == "enhanced":
        status, meaning = enhanced_meaning(cat, found.key) or (found.key, "")
        return Explanation("enhanced", f"{status} - {entry.get('title', '')}",
                           title=entry.get("title", ""), meaning=meaning,
                           rfc=enhanced_rfc(entry, found.key))
    keyword = cat.extension(found.key)
    return Explanation(
        "command", f"{found.key} - {entry.get('title', '')}", title=entry.get("title", ""),
        meaning=entry.get("meaning", ""), why=entry.get("summary", ""),
        states=_allowed(found.key), rfc=tuple(entry.get("rfc", ())),
        correction=entry.get("correction", ""),
        extra=((_("Syntax"), entry.get("syntax", "")), (_("Example"), entry.get("example", "")),
               (_("Origin"), entry.get("origin", "")), (_("Today"), entry.get("modern", "")),
               (_("Replies"), " ".join(str(c) for c in entry.get("replies", ()))),
               (_("Try it"), entry.get("try_it", "")),
               (_("EHLO keyword"), keyword.get("meaning", "") if keyword else "")))


def as_text(explanation: Explanation, indent: str = "", brief: bool = False) -> str:
    """Plain text, one labelled paragraph after another.

    ``brief``: the heading, why this reply now, the state change and the RFC sections -
    not the digit, enhanced-code and meaning paragraphs that repeat for every reply."""
    rows: list[str] = [explanation.heading]
    if explanation.why:
        rows.append(_("Why: {text}").format(text=explanation.why))
    if brief:
        if explanation.states:
            rows.append(_("State: {text}").format(text=explanation.states))
        if explanation.rfc:
            rows.append(_("See:") + " " + "; ".join(explanation.rfc))
        return "\n".join(indent + line for row in rows for line in row.splitlines())
    for label, meaning in digit_labels(explanation):
        rows.append(f"{label}: {meaning}")
    if explanation.enhanced:
        rows.append(_("Enhanced {code}: {text}").format(code=explanation.enhanced[0],
                                                        text=explanation.enhanced[1]))
    if explanation.meaning and explanation.kind != "reply":
        rows.append(explanation.meaning.strip())
    if explanation.states:
        rows.append(_("State: {text}").format(text=explanation.states))
    for label, text in explanation.extra:
        if text:
            rows.append(f"{label}: {text.strip()}")
    if explanation.correction:
        rows.append(_("Correction: {text}").format(text=explanation.correction.strip()))
    if explanation.rfc:
        rows.append(_("See:") + " " + "; ".join(explanation.rfc))
    return "\n".join(indent + line for row in rows for line in row.splitlines())
