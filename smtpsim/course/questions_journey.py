"""Exam questions about hop 2, answered by running the journey: "follow the message".

Three forms, one kind (``journey``), all multiple choice:

* which MX is tried next - the key is the order the simulated DNS gives (RFC 5321 5.1);
* what a client MTA does after a reply on hop 2 - 451 (greylisting) or 550 (unknown
  user) - the key is what mail.example's queue really did with the message;
* what a bounce's Status: field says - the bounce is the one the queue really sent, and
  the choices are the catalogue's titles of RFC 3463 codes.

Every key comes from the engine (a real Session, followed by the relay queue), never
from a table written next to the question.
"""

from __future__ import annotations

import functools
import random
from email import message_from_bytes
from email.message import Message

from .. import catalogue, i18n
from ..i18n import N_, _
from ..mta import Session, default_world
from ..mta.clock import label
from ..mta.explain import as_text, explain_token
from ..mta.journey import follow
from ..mta.relay import RelayQueue
from ..mta.transcript import PREFIX
from .questions import LETTERS, Question, explain_reply

ANSWER_HINT = N_("a letter (A-D)")
MX_DOMAINS = ("far.example", "backup.example")
REPLY_CASES = ("gus@grey.example", "nobody@far.example")      # 451 4.7.1 / 550 5.1.1
STATUS_CASES = ("nobody@far.example", "who@nowhere.example", "sam@silent.example")
STATUS_DISTRACTORS = ("5.1.1", "5.1.2", "4.4.7", "5.7.1", "4.7.1", "5.2.2", "4.4.1")
# What a client MTA may do after a reply (the key is picked by what the queue did).
RETRY = N_("keep the message in the queue and try again later (at least 30 minutes later)")
BOUNCE = N_("give up at once and return the message to its sender in a bounce (a DSN)")
AGAIN_NOW = N_("send the same RCPT again on this connection until it is accepted")
POSTMASTER = N_("deliver the message to the postmaster of the next server instead")
NEXT_MX = "{name}"
SAME_AGAIN = N_("{name} again, at once, until it answers")
GIVE_UP = N_("none: the message is returned to its sender")
WAIT_SAME = N_("none: it waits 30 minutes and tries {name} again")


def make_journey(rng: random.Random) -> Question:
    form = rng.choice((_next_mx, _after_reply, _status))
    return form(rng)


def _shuffled(rng: random.Random, choices: list[str], key: str) -> tuple[tuple[str, ...], str]:
    rng.shuffle(choices)
    return tuple(choices), LETTERS[choices.index(key)]


# -- which MX next ---------------------------------------------------------------------------
def _next_mx(rng: random.Random) -> Question:
    domain = rng.choice(MX_DOMAINS)
    zone = default_world().zone
    assert zone is not None   # the default world has the second hop's DNS
    answer = zone.lookup_mx(domain)
    first, second = answer.exchanges[0], answer.exchanges[1]
    records = [f"{domain}.  IN MX {e.preference} {e.name}." for e in answer.exchanges]
    rng.shuffle(records)
    key = NEXT_MX.format(name=second.name)
    choices, letter = _shuffled(rng, [key, _(SAME_AGAIN).format(name=first.name), _(GIVE_UP),
                                      _(WAIT_SAME).format(name=first.name)], key)
    explanation = _("RFC 5321 5.1: the MX records are sorted by preference, lowest first "
                    "({records}), and when a connection to one fails the client tries the next "
                    "in the list: {second}. Only when no MX can take the message does it stay "
                    "queued for a retry (RFC 5321 4.5.4.1).").format(
        records=", ".join(f"{e.preference} {e.name}" for e in answer.exchanges),
        second=second.name)
    return Question("journey", _("mail.example has a message for someone@{domain}, whose DNS "
                                 "holds these MX records. It cannot connect to {first}. Which "
                                 "server does it try next?").format(domain=domain,
                                                                    first=first.name),
                    context=tuple(records), choices=choices, key=letter,
                    subject=(domain, first.name), answer_hint=_(ANSWER_HINT),
                    explanation=explanation)


# -- 451 against 550 ---------------------------------------------------------------------------
def _after_reply(rng: random.Random) -> Question:
    recipient = rng.choice(REPLY_CASES)
    lines, reply, retried, ending = _hop_reply(recipient, i18n.language())
    key = _(RETRY) if retried else _(BOUNCE)
    choices, letter = _shuffled(rng, [_(RETRY), _(BOUNCE), _(AGAIN_NOW), _(POSTMASTER)], key)
    explanation = reply + "\n" + _(
        "What mail.example's queue did: <{recipient}> {ending}.\nRFC 5321 4.2.1: a 4yz reply "
        "means not now, so the client keeps the message and retries (4.5.4.1: at least 30 "
        "minutes later); a 5yz reply means never, so it stops and returns the message to the "
        "sender (RFC 5321 6.1, RFC 3464).").format(recipient=recipient, ending=ending)
    return Question("journey", _("On hop 2 mail.example gets this reply for <{recipient}>. "
                                 "What does it do next?").format(recipient=recipient),
                    context=lines, choices=choices, key=letter, subject=(recipient,),
                    answer_hint=_(ANSWER_HINT), explanation=explanation)


@functools.cache
def _hop_reply(recipient: str, language: str) -> tuple[tuple[str, ...], str, bool, str]:
    """The first hop-2 dialogue up to the reply to RCPT, that reply explained (in
    ``language``, which is part of what is remembered), whether the queue tried again,
    and where the message ended."""
    why = _("Why: {text}").format(text="")
    queue = _followed(recipient)[1]
    hop = next(h for h in queue.hops if h.number == 2 and len(h.transcript) > 1)
    lines: list[str] = []
    explained = ""
    for entry in hop.transcript:
        lines += [PREFIX[entry.side] + line for line in entry.lines]
        if entry.side == "S" and entry.verb == "RCPT":
            rows = explain_reply(entry).splitlines()
            explained = next((row for row in rows if row.startswith(why)), rows[0])
            break
    ending = next(e for e in queue.endings if e.recipient == recipient)
    retried = sum(1 for h in queue.hops if h.server == hop.server) > 1
    return tuple(lines), explained, retried, _("{result} at {time}").format(
        result=_(ending.result), time=label(ending.at))


# -- the Status field of a bounce ----------------------------------------------------------------
def _status(rng: random.Random) -> Question:
    recipient = rng.choice(STATUS_CASES)
    block, status = _bounce_block(recipient)
    others = [code for code in STATUS_DISTRACTORS if code != status]
    picked = rng.sample(others, 3) + [status]
    titles = [_status_words(code) for code in picked]
    choices, letter = _shuffled(rng, titles, _status_words(status))
    explained = explain_token(status)
    explanation = _("Status: {status} is an RFC 3463 code: class {klass}, subject {subject}, "
                    "detail {detail} (RFC 3464 2.3.4).").format(
        status=status, klass=status[0], subject=status.split(".")[1],
        detail=status.split(".")[2]) + "\n" + (as_text(explained) if explained else "")
    return Question("journey", _("alice received a bounce. Here is the per-recipient part of "
                                 "its message/delivery-status. What does the Status field "
                                 "say?"),
                    context=block, choices=choices, key=letter, subject=(recipient, *picked),
                    answer_hint=_(ANSWER_HINT), explanation=explanation)


def _status_words(code: str) -> str:
    cat = catalogue.load()
    entry = cat.enhanced_entry(code) or {}
    # no code in the words: the learner reads the code in the bounce and says what it means
    return f"{cat.enhanced_class[code[0]]} - {entry.get('title', '')}"


@functools.cache
def _bounce_block(recipient: str) -> tuple[tuple[str, ...], str]:
    session = _followed(recipient)[0]
    bounce = session.world.client.users["alice"].mailbox[-1]
    # The DSN (RFC 3464): its second part is the delivery-status, whose second block
    # is the per-recipient one.
    report = message_from_bytes(bounce.content).get_payload(1)
    assert isinstance(report, Message)
    blocks = report.get_payload()
    assert isinstance(blocks, list)
    per_recipient = blocks[1]
    assert isinstance(per_recipient, Message)
    return tuple(f"{name}: {value}" for name, value in per_recipient.items()), \
        per_recipient["Status"]


@functools.cache
def _followed(recipient: str) -> tuple[Session, RelayQueue]:
    """alice's message to ``recipient`` over hop 1 (modern), then followed to its end."""
    session = Session("modern")
    for line in ("EHLO client.example", "MAIL FROM:<alice@client.example>",
                 f"RCPT TO:<{recipient}>", "DATA", "Subject: Exam", "", "Hello.", ".",
                 "QUIT"):
        session.type_line(line)
    return session, follow(session)
