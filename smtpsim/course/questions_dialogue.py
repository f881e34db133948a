"""Questions about whole dialogues: "put the commands in order" and "find the faulty line".

Both start from a dialogue the engine accepts from start to end (greeting, a
transaction, one to three recipients, the message, QUIT).  "Order" shuffles its
commands; an answer passes when the engine accepts the commands in the learner's
order - any such order, not just the one the question was made from.  "Faulty"
breaks one line (out of order, bad syntax or a wrong verb) and the engine says
which line it refuses first and with which code.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from ..i18n import N_, _
from ..mta import Entry, Session, get_profile
from ..mta.transcript import CLIENT, PREFIX, SERVER
from ..protocol.states import TRANSITIONS
from .questions import (
    Question,
    Verdict,
    explain_reply,
    key_paragraph,
    numbers_in,
    transcript_lines,
    type_and_answer,
)
from .questions_state import ALICE, PROFILE_WEIGHTS, greeting_for, profile_sentence

TEXT = ("Subject: exam", "", "Hello.")
RECIPIENTS = {"MAIL": ("bob", "carol", "dave", "postmaster", "staff", "erin"),
              "SOML": ("bob", "carol", "dave", "postmaster", "staff", "erin"),
              "SAML": ("bob", "carol", "dave", "postmaster", "staff", "erin"),
              "SEND": ("bob", "erin")}     # SEND needs a terminal (RFC 821 3.4)
FREE_COMMANDS = ("NOOP", "VRFY bob")       # commands that fit almost anywhere
#: The state table's rules (smtpsim.protocol.states keeps them in English, free of
#: gettext), listed here so that they are extracted and shown translated.
RULE_MESSAGES = (
    N_("RFC 5321 4.1.4: HELO/EHLO may be sent at any time outside DATA; an accepted one "
       "resets the session like RSET"),
    N_("RFC 5321 4.1.4: a transaction starts only when no other is open, and only after "
       "HELO/EHLO"),
    N_("RFC 5321 3.3: RCPT is only valid after MAIL (or SEND/SOML/SAML)"),
    N_("RFC 5321 3.3: DATA needs an open transaction with at least one accepted recipient"),
    N_("RFC 5321 4.1.1.5: RSET is valid at any time outside DATA"),
    N_("RFC 5321 4.1.1.9: NOOP is valid at any time outside DATA"),
    N_("RFC 5321 4.1.1.8: HELP is valid at any time outside DATA"),
    N_("RFC 5321 4.1.4: VRFY works at any time outside DATA, even before HELO"),
    N_("RFC 5321 4.1.4: EXPN works at any time outside DATA, even before HELO"),
    N_("RFC 5321 4.1.1.10: QUIT is valid at any time outside DATA"),
    N_("RFC 821 4.3: TURN is only possible between transactions (503 otherwise)"),
    N_("sendmail: VERB is session-wide and valid at any time outside DATA"),
    N_("batch SMTP: TICK marks the response file and never changes the state"),
    N_("RFC 1985 5: ETRN needs a greeted session and no open transaction"),
)


def make_dialogue(rng: random.Random, profile: str, extra: bool) -> list[str]:
    """Commands of a dialogue (DATA stands for DATA, the text and the final dot)."""
    opener = "MAIL"
    if get_profile(profile).legacy_verbs:
        opener = rng.choice(("MAIL", "MAIL", "SOML", "SAML", "SEND"))
    pool = RECIPIENTS[opener]
    people = rng.sample(pool, min(len(pool), rng.choice((1, 2, 2, 3))))
    commands = [greeting_for(profile, rng), f"{opener} FROM:<{ALICE}>",
                *(f"RCPT TO:<{p}@mail.example>" for p in people), "DATA", "QUIT"]
    if extra:
        commands.insert(rng.randrange(0, len(commands)), rng.choice(FREE_COMMANDS))
    return commands


def script_of(commands: list[str], text: tuple[str, ...] = TEXT) -> list[str]:
    out: list[str] = []
    for command in commands:
        out.append(command)
        if command == "DATA":
            out.extend((*text, "."))
    return out


def run_in_order(profile: str, commands: list[str], text: tuple[str, ...]
                 ) -> tuple[bool, Session, Entry | None]:
    """Send the commands in this order; the message text follows a 354 by itself.

    Accepted means every command, and the end of the message, got a reply below
    400: the server did what each one asked.  Returns the first refusal, if any.
    """
    session = Session(profile)
    for command in commands:
        if session.closed:
            return False, session, None
        _entries, reply = type_and_answer(session, command)
        if reply is None or (reply.code or 0) >= 400:   # a server entry has a code
            return False, session, reply
        if session.in_data:
            for line in (*text, "."):
                _entries, reply = type_and_answer(session, line)
            if reply is None or (reply.code or 0) >= 400:
                return False, session, reply
    return True, session, None


# -- put the commands in order ---------------------------------------------------------------
def make_order(rng: random.Random) -> Question:
    for _attempt in range(50):
        profile = rng.choice(PROFILE_WEIGHTS)
        commands = make_dialogue(rng, profile, extra=rng.random() < 0.5)
        ok, session, _refused = run_in_order(profile, commands, TEXT)
        if not ok:
            continue
        shown = commands[:]
        while shown == commands:
            rng.shuffle(shown)
        key = " ".join(str(shown.index(c) + 1) for c in commands)
        rules = sorted({_(TRANSITIONS[c.split()[0]].rule) for c in commands})
        return Question(
            kind="order", profile=profile, setup=tuple(shown), text=TEXT,
            context=tuple(f"{i}) {c}" for i, c in enumerate(shown, 1)),
            prompt=profile_sentence(profile) + " " + _(
                "Put these commands in an order the server accepts, every one of them "
                "(after a 354 the message text and its final '.' follow by themselves)."),
            key=key, answer_hint=_("the item numbers in order, e.g. 2 1 3"),
            explanation=_("One order the server accepts:") + "\n"
            + "\n".join(transcript_lines(session.transcript.entries)) + "\n"
            + _("The rules behind it (the server's state table):") + "\n" + "\n".join(rules))
    raise RuntimeError("no dialogue accepted")   # cannot happen with the default world


def check_order(question: Question, text: str) -> Verdict:
    items = list(question.setup)
    picked = numbers_in(text)
    if sorted(picked) != list(range(1, len(items) + 1)):
        return Verdict(0.0, _("Give every item number from 1 to {count} exactly once, in the "
                              "order you would send them.").format(count=len(items))
                       + "\n\n" + key_paragraph(question))
    order = [items[n - 1] for n in picked]
    ok, session, refused = run_in_order(question.profile, order, question.text)
    shown = "\n".join(transcript_lines(session.transcript.entries))
    if ok:
        return Verdict(1.0, _("Right: the server accepted every command in that order.")
                       + "\n" + shown)
    why = explain_reply(refused) if refused is not None else \
        _("The connection was already closed when more commands followed.")
    return Verdict(0.0, _("The server refused a command in that order:")
                   + f"\n{shown}\n{why}\n\n" + key_paragraph(question))


# -- find the faulty line ---------------------------------------------------------------------
GREETINGS = ("HELO", "EHLO")
OPENERS = ("MAIL", "SEND", "SOML", "SAML")


Edit = Callable[[list[str]], list[str]]   # a change made to a dialogue's commands


def _edit(prefixes: tuple[str, ...], old: str, new: str) -> Edit:
    """Change ``old`` to ``new`` in the first command starting with one of ``prefixes``."""
    def apply(commands: list[str]) -> list[str]:
        out = commands[:]
        for i, command in enumerate(out):
            if command.startswith(prefixes) and old in command:
                out[i] = command.replace(old, new, 1)
                break
        return out
    return apply


def _move_before(moving: tuple[str, ...], anchor: tuple[str, ...]) -> Edit:
    """Move the first command starting with ``moving`` just before the first ``anchor``."""
    def apply(commands: list[str]) -> list[str]:
        out = commands[:]
        line = next(c for c in out if c.startswith(moving))
        out.remove(line)
        out.insert(next(i for i, c in enumerate(out) if c.startswith(anchor)), line)
        return out
    return apply


def _no_brackets(commands: list[str]) -> list[str]:
    out = commands[:]
    i = next(i for i, c in enumerate(out) if c.startswith("RCPT"))
    out[i] = out[i].replace("<", "").replace(">", "")
    return out


def _second_opener(commands: list[str]) -> list[str]:
    out = commands[:]
    opener = next(c for c in out if c.startswith(OPENERS))
    out.insert(out.index("DATA"), opener)
    return out


# Each mistake changes one command; which line the server refuses, and how, is the
# engine's answer (a mistake that this server happens to accept yields no question).
MISTAKES = (
    _move_before(("RCPT",), OPENERS),           # out of order: RCPT before MAIL
    _move_before(("DATA",), ("RCPT",)),         # out of order: DATA before any RCPT
    _move_before(OPENERS, GREETINGS),           # out of order: MAIL before HELO
    _second_opener,                             # out of order: MAIL inside a transaction
    _edit(OPENERS, "FROM:<", "FROM: <"),        # bad syntax: a space after the colon
    _no_brackets,                               # bad syntax: no angle brackets
    _edit(GREETINGS, " client.example", ""),    # bad syntax: no domain
    _edit(GREETINGS, "O ", "O: "),              # bad syntax: HELO: with a colon
    _edit(OPENERS, "FROM:", "TO:"),             # wrong keyword
    _edit(("RCPT",), "TO:", "FROM:"),           # wrong keyword
    _edit(("RCPT",), "RCPT", "RCTP"),           # wrong verb: misspelt
    _edit(("MAIL",), "MAIL", "SEND"),           # wrong verb: retired on RFC 5321 servers
    _edit(("SOML",), "SOML", "SMOL"),           # wrong verb: the tutorials' misspelling
    _edit(("HELO",), "HELO", "EHLO"),           # wrong verb: EHLO on an RFC 821 server
)


def first_refusal(profile: str, script: list[str]
                  ) -> tuple[int | None, Entry | None, list[Entry]]:
    """The first line of the script the server refused with a 5xx, and that reply."""
    session = Session(profile)
    for number, line in enumerate(script, 1):
        if session.closed:
            break
        entries, reply = type_and_answer(session, line)
        if reply is not None and (reply.code or 0) >= 500 and not entries[0].in_data:
            return number, reply, session.transcript.entries
    return None, None, session.transcript.entries


def make_faulty(rng: random.Random) -> Question:
    for _attempt in range(100):
        profile = rng.choice(PROFILE_WEIGHTS)
        commands = make_dialogue(rng, profile, extra=False)
        broken = rng.choice(MISTAKES)(commands)
        if broken == commands or not run_in_order(profile, commands, TEXT)[0]:
            continue
        script = script_of(broken)
        number, reply, _entries = first_refusal(profile, script)
        if number is None or reply is None:
            continue   # this server accepts the changed line: try another mistake
        return Question(
            kind="faulty", profile=profile, setup=tuple(script),
            context=tuple(f"{n:>2}  {PREFIX[CLIENT]}{line}" for n, line in enumerate(script, 1)),
            prompt=profile_sentence(profile) + " " + _(
                "A client sent this script, line by line. Which line did the server refuse "
                "first with a 5xx reply, and with which code?"),
            key=f"{number} {reply.code}",
            answer_hint=_("the line number and the code, e.g. 4 503"),
            explanation=_("Line {number}:").format(number=number)
            + f" {PREFIX[CLIENT]}{script[number - 1]}\n"
            + "\n".join(PREFIX[SERVER] + line for line in reply.lines) + "\n"
            + explain_reply(reply))
    raise RuntimeError("no faulty script found")   # cannot happen with the default world


def check_faulty(question: Question, text: str) -> Verdict:
    """The right line earns half; the right line with the right code earns it all."""
    key_line, key_code = (int(n) for n in question.key.split())
    given = numbers_in(text)
    if not given:
        return Verdict(0.0, _("Write the line number and the reply code, e.g. 4 503.")
                       + "\n\n" + key_paragraph(question))
    if given[0] != key_line:
        return Verdict(0.0, _("Not line {line}.").format(line=given[0]) + "\n\n"
                       + key_paragraph(question))
    if len(given) > 1 and given[1] == key_code:
        return Verdict(1.0, _("Right: line {line}, refused with {code}.").format(
            line=key_line, code=key_code) + "\n" + question.explanation)
    code = _("not {code}").format(code=given[1]) if len(given) > 1 else _("no code given")
    return Verdict(0.5, _("Right line, but the code is {code} ({given}): half a point.").format(
        code=key_code, given=code) + "\n\n" + key_paragraph(question))
