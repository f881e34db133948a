"""Questions read from the catalogue: "choose the command" and "what the code means".

The catalogue is the one place that says what every verb does and what every reply
code and digit means (``smtpsim/catalogue/data``), so the keys here are correct by
construction: the right choice *is* the catalogue entry the question was made from,
and the distractors are other entries of the same table - each checked not to be right
as well: a command that does everything the key does (EHLO for HELO's summary, HELO for
RSET's) is found by running both (``command_facts``) and never offered, and no two code
titles that read almost the same (:func:`near_identical`) are offered together.
"""

from __future__ import annotations

import random
import re

from .. import catalogue
from ..i18n import N_, _
from ..mta.explain import digit_labels, explain_token
from .command_facts import could_answer
from .questions import LETTERS, Question, Verdict, key_paragraph, letter_answer

# Verbs that are easily confused make the best distractors for one another.
FAMILIES = (("HELO", "EHLO"), ("SEND", "SOML", "SAML", "MAIL"), ("VRFY", "EXPN"),
            ("TURN", "ETRN"), ("RSET", "NOOP", "QUIT"), ("VERB", "TICK", "HELP"))
FIRST_DIGITS = ("2", "3", "4", "5")        # RFC 5321 4.2.1: the reply classes in use
SECOND_DIGITS = ("0", "1", "2", "5")       # RFC 5321 4.2.1: the groups it assigns
DIGIT_SOURCES = ("RFC 5321 4.2.1", "RFC 821 App. E")   # where the digits are explained
#: A command's status in the catalogue (commands.toml), as the key shows it (msgids).
STATUSES = {"core": N_("core"), "extension": N_("extension"), "obsolete": N_("obsolete"),
            "vendor": N_("vendor")}
#: The digit positions as a prompt names them (msgids).
POSITIONS = {"first": N_("first"), "second": N_("second")}


def digit_label(position: str, digit: str) -> str:
    """The name a digit's catalogue text starts with: "Transient negative completion"."""
    text = catalogue.load().digits[position][digit].strip()
    return text.split(":", 1)[0].strip()


def standard_codes() -> list[str]:
    """Reply codes an RFC defines (not sendmail's 050, not the tutorials' 403)."""
    cat = catalogue.load()
    return sorted(code for code, entry in cat.codes.items() if entry.get("standard", True))


def _mask(text: str, verb: str) -> str:
    return re.sub(rf"\b{verb}\b", _("this command"), " ".join(text.split()))




def _choices_with(rng: random.Random, key: str, pool: list[str], related: list[str],
                  size: int = 4) -> list[str]:
    """The key, up to two related distractors, then others from the pool, shuffled."""
    near = [x for x in related if x != key]
    rng.shuffle(near)
    picked = near[:2]
    rest = [x for x in pool if x != key and x not in picked]
    picked += rng.sample(rest, size - 1 - len(picked))
    out = picked + [key]
    rng.shuffle(out)
    return out


# -- choose the command -------------------------------------------------------------------
def make_choose(rng: random.Random) -> Question:
    cat = catalogue.load()
    verbs = sorted(cat.commands)
    verb = rng.choice(verbs)
    wrong = [v for v in verbs if v != verb and not could_answer(v, verb)]
    related = [v for v in next((f for f in FAMILIES if verb in f), ()) if v in wrong]
    choices = _choices_with(rng, verb, wrong, related)
    entry = cat.commands[verb]
    summary = _mask(entry["summary"], verb)
    explanation = "\n".join((
        f"{verb} - {entry.get('title', '')}: {' '.join(entry['summary'].split())}",
        _("Syntax: {text}").format(text=entry.get("syntax", "")),
        _("Status: {text}").format(text=_(STATUSES.get(entry.get("status", ""), ""))
                                   or entry.get("status", "")),
        _("See:") + " " + "; ".join(entry.get("rfc", ())),
    ))
    return Question(
        kind="choose", prompt=_("Which command does this? \"{summary}\"").format(
            summary=summary),
        choices=tuple(choices), key=LETTERS[choices.index(verb)], subject=tuple(choices),
        answer_hint=_("a letter (A-D) or a command name from the list"), explanation=explanation)


# -- what the code means --------------------------------------------------------------------
def make_meaning(rng: random.Random) -> Question:
    variant = rng.choice(("first", "second", "title"))
    codes = standard_codes()
    if variant == "first":
        code = rng.choice([c for c in codes if c[0] in FIRST_DIGITS])
        return _digit_question(code, "first", 0, FIRST_DIGITS)
    if variant == "second":
        code = rng.choice([c for c in codes if c[1] in SECOND_DIGITS])
        return _digit_question(code, "second", 1, SECOND_DIGITS)
    return _title_question(rng, rng.choice(codes), codes)


def _digit_question(code: str, position: str, index: int, digits: tuple[str, ...]) -> Question:
    cat = catalogue.load()
    digit = code[index]
    choices = tuple(digit_label(position, d) for d in digits)
    entry = cat.codes[code]
    explanation = "\n".join((
        f"{code} - {entry.get('title', '')}",
        _("The {position} digit, {digit}: {text}").format(
            position=_(POSITIONS[position]), digit=digit,
            text=" ".join(cat.digits[position][digit].split())),
        _("See:") + " " + "; ".join(dict.fromkeys((*DIGIT_SOURCES, *entry.get("rfc", ())))),
    ))
    return Question(
        kind="meaning",
        prompt=_("The server replies {code}. What does the {position} digit, {digit}, tell "
                 "the client?").format(code=code, position=_(POSITIONS[position]),
                                       digit=digit),
        choices=choices, key=LETTERS[digits.index(digit)],
        subject=(code, position, *digits),
        answer_hint=_("a letter (A-D)"), explanation=explanation)


def title_words(title: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", title.lower()))


def near_identical(one: str, other: str) -> bool:
    """Titles that differ in fewer than a third of their words read as the same answer:
    450's "Requested mail action not taken: mailbox unavailable" and 550's "Requested
    action not taken: mailbox unavailable" differ by one word in six, so a learner asked
    what 450 means cannot tell the key from the distractor by reading."""
    a, b = title_words(one), title_words(other)
    return 3 * len(a ^ b) < len(a | b)


def _title_choices(rng: random.Random, code: str, codes: list[str], size: int = 4) -> list[str]:
    """The key, up to two codes of its class, then others - no two near-identical titles
    (judged on the English titles, so that the draws, and the questions a seed gives,
    are the same in every language)."""
    cat = catalogue.load("en")
    title = {c: cat.codes[c]["title"] for c in codes}
    same_class = [c for c in codes if c != code and c[0] == code[0]]
    others = [c for c in codes if c != code and c[0] != code[0]]
    rng.shuffle(same_class)
    rng.shuffle(others)
    picked = [code]
    for candidate in same_class + others:
        if len(picked) == size:
            break
        if candidate in same_class and len(picked) > 2:
            continue   # at most two of the key's class: the rest come from the others
        if not any(near_identical(title[candidate], title[p]) for p in picked):
            picked.append(candidate)
    rng.shuffle(picked)
    return picked


def _title_question(rng: random.Random, code: str, codes: list[str]) -> Question:
    cat = catalogue.load()
    picked = _title_choices(rng, code, codes)
    choices = tuple(cat.codes[c]["title"] for c in picked)
    found = explain_token(code)
    assert found is not None   # the code was taken from the catalogue
    meaning = found.meaning.strip().split("\n\n")[0]
    explanation = "\n".join((
        found.heading, " ".join(meaning.split()),
        *(f"{label}: {text.split(':', 1)[0].strip()}"
          for label, text in digit_labels(found)[:2]),
        _("See:") + " " + "; ".join(found.rfc),
    ))
    return Question(
        kind="meaning", prompt=_("What does reply code {code} mean?").format(code=code),
        choices=choices, key=LETTERS[picked.index(code)], subject=(code, *picked),
        answer_hint=_("a letter (A-D)"), explanation=explanation)


# -- checking -----------------------------------------------------------------------------------
def chosen_index(question: Question, text: str) -> int | None:
    """A letter, a number, or the text of a choice (``SOML``) picks a choice."""
    index = letter_answer(text, len(question.choices))
    if index is not None:
        return index
    lowered = " ".join(text.split()).lower()
    for i, choice in enumerate(question.choices):
        # the name alone ("HELO"), or letter and name as the key prints them ("D) HELO")
        if lowered in (choice.lower(), f"{LETTERS[i]}) {choice}".lower()):
            return i
    return None


def check_choice(question: Question, text: str) -> Verdict:
    index = chosen_index(question, text)
    key = letter_answer(question.key, len(question.choices))
    if index is None:
        return Verdict(0.0, _("{answer} is not one of the choices (A-{last}).").format(
            answer=repr(text), last=LETTERS[len(question.choices) - 1]) + "\n\n"
            + key_paragraph(question))
    picked = f"{LETTERS[index]}) {question.choices[index]}"
    if index == key:
        return Verdict(1.0, _("Right: {answer}.").format(answer=picked) + "\n"
                       + question.explanation)
    return Verdict(0.0, _("Not {answer}.").format(answer=picked) + "\n\n"
                   + key_paragraph(question))
