"""Questions about one command in one state: "predict the reply" and "type the command".

The state is built by running a real session with a prefix of commands; the key is
what the engine does next.  "Predict" asks for the reply code to a given command;
"type" asks for a command with a given *outcome* - the learner's line is run in the
same state and any line that gets the outcome passes (RSET and EHLO both abandon a
transaction; ``RCPT TO:<Postmaster>`` adds postmaster@mail.example).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from ..i18n import N_, _
from ..mta import Entry, Session, get_profile
from ..mta.envelope import Envelope
from ..mta.transcript import PREFIX, SERVER
from ..protocol import State
from ..protocol.states import TRANSITIONS, after_data, next_state
from .questions import (
    Question,
    Verdict,
    explain_reply,
    key_paragraph,
    numbers_in,
    replay,
    transcript_lines,
    type_and_answer,
)

ALICE = "alice@client.example"
MAIL = f"MAIL FROM:<{ALICE}>"
RCPT_BOB = "RCPT TO:<bob@mail.example>"
MESSAGE = ("DATA", "Subject: exam", "", "Hello Bob.", ".")
PROFILE_WEIGHTS = ("modern", "modern", "classic", "hardened")

# Commands whose reply a learner can work out from the profile, the dialogue so far and
# the default world (``smtpsim world``).  Which code each one gets is left to the engine.
# Only what the RFCs decide: HELP STATUS is left out, since its 211 summary is this
# simulator's own choice (RFC 5321 4.1.1.8 leaves a HELP argument's answer to the server).
PROBES = (
    "HELO client.example", "EHLO client.example", "HELO", "HELO: client.example",
    MAIL, "MAIL FROM:<bob@mail.example>", "MAIL FROM:<x@tempfail.example>",
    f"MAIL FROM:<{ALICE}> SIZE=99999999", f"MAIL FROM: <{ALICE}>", "MAIL FROM:<>",
    RCPT_BOB, "RCPT TO:<erin@mail.example>", "RCPT TO:<frank@mail.example>",
    "RCPT TO:<nobody@mail.example>", "RCPT TO:<someone@other.example>",
    "RCPT TO:bob@mail.example", "RCPT TO:<Postmaster>", "DATA", "RSET", "NOOP",
    "VRFY bob", "VRFY smith", "VRFY erin", "EXPN staff", "EXPN bob", "HELP",
    "TURN", f"SOML FROM:<{ALICE}>", f"SEND FROM:<{ALICE}>", f"SMOL FROM:<{ALICE}>",
    "VERB", "TICK 0001", "ETRN client.example", "QUIT",
)


def greeting_for(profile: str, rng: random.Random) -> str:
    if not get_profile(profile).esmtp:
        return "HELO client.example"
    return rng.choice(("EHLO client.example", "EHLO client.example", "HELO client.example"))


def prefixes(greet: str) -> list[tuple[str, ...]]:
    """States worth asking about: before HELO, greeted, in MAIL, in RCPT, after a message."""
    return [(), (greet,), (greet, MAIL), (greet, MAIL, RCPT_BOB),
            (greet, MAIL, RCPT_BOB, *MESSAGE)]


def state_after(lines: tuple[str, ...]) -> State:
    """The state a prefix leads to when every command in it succeeds, read from the
    transition table (a command's lowest success code; the final dot ends the text)."""
    state = State.INIT
    for line in lines:
        if state is State.DATA:
            if line == ".":
                state = after_data(state, 250)
            continue
        verb = line.split(" ", 1)[0].upper()
        state = next_state(state, verb, min(TRANSITIONS[verb].success))
    return state


def profile_sentence(profile: str) -> str:
    return _("The server runs the {profile} profile: {summary}.").format(
        profile=profile, summary=_(get_profile(profile).summary))


# -- predict the reply --------------------------------------------------------------------------
def make_predict(rng: random.Random) -> Question:
    profile = rng.choice(PROFILE_WEIGHTS)
    probe = rng.choice(PROBES)
    options = [(state_after(prefix), prefix) for prefix in prefixes(greeting_for(profile, rng))]
    row = TRANSITIONS.get(probe.split(" ", 1)[0])
    if row is not None and rng.random() < 0.7:
        # Mostly a state where the command is in sequence, so that the question is
        # about what it does there; otherwise any state (and often a 503).
        options = [option for option in options if option[0] in row.allowed] or options
    setup = rng.choice(options)[1]
    session = replay(profile, setup)
    context = transcript_lines(session.transcript.entries)
    _entries, reply = type_and_answer(session, probe)
    assert reply is not None, f"{probe!r} got no reply"   # every command gets one
    return Question(
        kind="predict", profile=profile, setup=setup, command=probe, context=context,
        prompt=profile_sentence(profile) + " " + _(
            "After the dialogue shown, the client sends `{command}`. Which reply code does "
            "the server send?").format(command=probe),
        key=str(reply.code), answer_hint=_("a reply code, e.g. 250"),
        explanation="\n".join(PREFIX[SERVER] + line for line in reply.lines) + "\n"
        + explain_reply(reply))


def check_predict(question: Question, text: str) -> Verdict:
    codes = [n for n in numbers_in(text) if 0 <= n <= 999]
    if not codes:
        return Verdict(0.0, _("{answer} is not a reply code: write three digits, "
                              "e.g. 250.").format(answer=repr(text)) + "\n\n"
                       + key_paragraph(question))
    if f"{codes[0]:03d}" == question.key.zfill(3):
        return Verdict(1.0, _("Right: {answer}.").format(answer=question.key) + "\n"
                       + question.explanation)
    return Verdict(0.0, _("Not {answer}.").format(answer=f"{codes[0]:03d}") + "\n\n"
                   + key_paragraph(question))


# -- type the command ---------------------------------------------------------------------------
Outcome = Callable[[Session, Entry, tuple[str, ...]], bool]


@dataclass(frozen=True)
class Goal:
    """An outcome to reach, where to start from, and one command that reaches it."""

    text: str                                  # {0} is the goal's argument (a msgid)
    setup: Callable[[str], tuple[str, ...]]    # greeting -> the lines typed before
    model: Callable[[str, tuple[str, ...]], str]   # profile, args -> a model answer
    outcome: Outcome
    args: tuple[str, ...] = ()                 # one is picked per question


def _envelope(session: Session) -> Envelope:
    return session.server.envelope


def _reply_is(reply_id: str, **context: str) -> Outcome:
    def outcome(session: Session, reply: Entry, args: tuple[str, ...]) -> bool:
        if reply.reply_id != reply_id:
            return False
        return all(str(reply.context.get(k, "")).lower() == v.format(*args).lower()
                   for k, v in context.items())
    return outcome


GOALS: dict[str, Goal] = {
    "greet": Goal(
        N_("Introduce your host, client.example, to the server."),
        lambda g: (),
        lambda p, a: "EHLO client.example" if get_profile(p).esmtp else "HELO client.example",
        lambda s, r, a: s.state is State.READY
        and (s.server.client_name or "").lower() == "client.example"),
    "open": Goal(
        N_("Open a mail transaction whose failure reports go to alice@client.example."),
        lambda g: (g,), lambda p, a: MAIL,
        lambda s, r, a: s.state is State.MAIL
        and (_envelope(s).sender or "").lower() == ALICE),
    "add": Goal(
        N_("Add {0} to the recipients of the open transaction."),
        lambda g: (g, MAIL), lambda p, a: f"RCPT TO:<{a[0]}>",
        lambda s, r, a: a[0] in [x.lower() for x in _envelope(s).forward_paths],
        ("bob@mail.example", "carol@mail.example", "postmaster@mail.example",
         "erin@mail.example", "staff@mail.example")),
    "text": Goal(
        N_("The transaction has a sender and a recipient. Ask to send the message text."),
        lambda g: (g, MAIL, RCPT_BOB), lambda p, a: "DATA",
        lambda s, r, a: s.state is State.DATA),
    "abandon": Goal(
        N_("Abandon the open transaction, but keep the connection open."),
        lambda g: (g, MAIL, RCPT_BOB), lambda p, a: "RSET",
        lambda s, r, a: s.state is State.READY and _envelope(s).via == ""),
    "close": Goal(
        N_("End the session: the server should say goodbye and close the connection."),
        lambda g: (g, MAIL, RCPT_BOB, *MESSAGE), lambda p, a: "QUIT",
        lambda s, r, a: s.closed and r.code == 221),
    "verify": Goal(
        N_("Ask the server whether {0} is one of its users, without sending any mail."),
        lambda g: (g,), lambda p, a: f"VRFY {a[0]}",
        _reply_is("vrfy.ok", mailbox="{0}@mail.example"), ("bob", "carol", "dave")),
    "expand": Goal(
        N_("Ask the server for the members of its mailing list {0}."),
        lambda g: (g,), lambda p, a: f"EXPN {a[0]}", _reply_is("expn.ok", list="{0}"),
        ("staff",)),
    "help": Goal(
        N_("Ask the server for help about the {0} command."),
        lambda g: (), lambda p, a: f"HELP {a[0]}", _reply_is("help.topic", topic="{0}"),
        ("MAIL", "RCPT", "DATA", "VRFY", "NOOP")),
    "queue": Goal(
        N_("mail.example holds a message for client.example. Ask it to hand over what it "
           "holds for client.example."),
        lambda g: (g,),
        lambda p, a: "TURN" if get_profile(p).legacy_verbs else "ETRN client.example",
        lambda s, r, a: not s.server.host.queued_for("client.example")),
    "soml": Goal(
        N_("Open a transaction for alice@client.example whose message is shown on each "
           "recipient's terminal when possible, and otherwise put in the mailbox."),
        lambda g: (g,), lambda p, a: f"SOML FROM:<{ALICE}>",
        lambda s, r, a: s.state is State.MAIL and _envelope(s).via == "SOML"),
    "saml": Goal(
        N_("Open a transaction for alice@client.example whose message always goes to each "
           "recipient's mailbox, and also to the terminal when the user is there."),
        lambda g: (g,), lambda p, a: f"SAML FROM:<{ALICE}>",
        lambda s, r, a: s.state is State.MAIL and _envelope(s).via == "SAML"),
}


def reached(question: Question, line: str) -> tuple[bool, Session, list[Entry], Entry | None]:
    """Run ``line`` in the question's state; did it get the outcome asked for?"""
    goal = GOALS[question.goal]
    session = replay(question.profile, question.setup)
    entries, reply = type_and_answer(session, line)
    ok = reply is not None and goal.outcome(session, reply, question.goal_args)
    return ok, session, entries, reply


def make_type(rng: random.Random) -> Question:
    for _attempt in range(50):
        profile = rng.choice(PROFILE_WEIGHTS)
        name = rng.choice(sorted(GOALS))
        goal = GOALS[name]
        args = (rng.choice(goal.args),) if goal.args else ()
        greet = greeting_for(profile, rng)
        draft = Question(kind="type", prompt="", profile=profile, setup=goal.setup(greet),
                         goal=name,
                         goal_args=args, command=goal.model(profile, args))
        ok, _session, entries, reply = reached(draft, draft.command)
        if not ok or reply is None:
            continue   # this server cannot do it (EXPN on hardened, SOML on modern...)
        context = transcript_lines(replay(profile, draft.setup).transcript.entries)
        return Question(
            kind="type", profile=profile, setup=draft.setup, goal=name, goal_args=args,
            command=draft.command, context=context, key=draft.command,
            prompt=profile_sentence(profile) + " " + _(
                "After the dialogue shown, type one command that does this: {goal}").format(
                    goal=_(goal.text).format(*args)),
            answer_hint=_("one SMTP command line"),
            explanation="\n".join(transcript_lines(entries)) + "\n" + explain_reply(reply))
    raise RuntimeError("no goal reachable")   # cannot happen: 'greet' works everywhere


def check_type(question: Question, text: str) -> Verdict:
    ok, _session, entries, reply = reached(question, text)
    shown = "\n".join(transcript_lines(entries))
    why = explain_reply(reply) if reply is not None else ""
    if ok:
        return Verdict(1.0, _("Right: the engine ran it.") + f"\n{shown}\n{why}")
    goal = _(GOALS[question.goal].text).format(*question.goal_args)
    return Verdict(0.0, _("The engine ran it, and that did not reach the goal ({goal})").format(
        goal=goal) + f"\n{shown}\n{why}\n\n" + _("A command that reaches it:") + "\n"
        + key_paragraph(question))
