"""Exam questions: plain data, answer keys made by the engine, answers checked by it.

Every question is a frozen :class:`Question` holding everything needed to show it,
to check an answer and to explain the key - so a question can be printed on paper,
saved in the retry pool and checked again months later.  Nothing in a question is
written by hand: the keys come from running a real :class:`~smtpsim.mta.Session`
(``questions_state``, ``questions_dialogue``) or from the catalogue
(``questions_catalogue``), and the explanations come from ``smtpsim.mta.explain``
and the catalogue, with their RFC sections.  Which function makes and which checks
each kind is the table of :mod:`smtpsim.course.question_kinds`.

The seven kinds:

=========  ================================================================
predict    which reply code does the server send to this command, now?
choose     which command does this? (catalogue summaries)
order      put these commands in an order the server accepts (replayed)
faulty     which line of this client script is refused first, with what?
meaning    what does this digit / this code mean? (catalogue)
type       type a command that gets this outcome (run through the engine)
journey    hop 2: which MX next, what after 451 or 550, a bounce's Status
=========  ================================================================
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Any

from ..i18n import N_, _
from ..mta import Entry, Session
from ..mta.explain import as_text, explain_entry
from ..mta.transcript import PREFIX

KINDS = ("predict", "choose", "order", "faulty", "meaning", "type", "journey")
#: The kinds' titles in English (msgids: translated where they are shown, see ``title``).
KIND_TITLES = {
    "predict": N_("Predict the reply"), "choose": N_("Choose the command"),
    "order": N_("Put the commands in order"), "faulty": N_("Find the faulty line"),
    "meaning": N_("What the code means"), "type": N_("Type the command"),
    "journey": N_("Follow the message"),
}
#: The fields written in the learner's language; the id never reads them, so that the
#: same question has the same id in English and in Italian (``context`` is left out as
#: well: it is replayed from ``setup`` and its notes are translated).
WORDED_FIELDS = ("prompt", "context", "choices", "answer_hint", "explanation")
LETTERS = "ABCDEFGH"
MAX_ANSWER = 1000      # longer answers are cut: nobody types a 1000-character command


@dataclass(frozen=True)
class Question:
    kind: str
    prompt: str                        # the question, in a sentence or two
    profile: str = "modern"            # the server the question is about
    context: tuple[str, ...] = ()      # lines shown with it: a transcript, a script, items
    setup: tuple[str, ...] = ()        # what the client typed before (replayed to check)
    command: str = ""                  # predict: the command sent now; type: a model answer
    choices: tuple[str, ...] = ()      # choose / meaning: lettered A, B, C...
    text: tuple[str, ...] = ()         # order: the message text sent after a 354
    goal: str = ""                     # type: the outcome asked for (questions_state.GOALS)
    goal_args: tuple[str, ...] = ()
    key: str = ""                      # the answer as a learner would write it
    subject: tuple[str, ...] = ()      # choose / meaning: the verbs or codes behind the choices
    answer_hint: str = ""              # how to write an answer
    explanation: str = ""              # why the key is right, with RFC sections

    @property
    def id(self) -> str:
        """A short fingerprint: the same question always has the same id, whatever exam
        and whatever language it is worded in (only language-neutral fields count)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)
                if f.name not in WORDED_FIELDS}
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        return f"{self.kind}-{digest[:10]}"

    @property
    def title(self) -> str:
        return _(KIND_TITLES[self.kind]) if self.kind in KIND_TITLES else self.kind

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        names = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name not in names:
                continue
            values[name] = tuple(value) if isinstance(value, list) else value
        if values.get("kind") not in KINDS:
            raise ValueError(f"not a question kind: {values.get('kind')!r}")
        return cls(**values)


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one answer: points in [0, 1] and what to tell the learner."""

    points: float
    feedback: str

    @property
    def correct(self) -> bool:
        return self.points >= 1.0


#: A kind's checker: the question and the learner's cleaned answer in, the verdict out.
Checker = Callable[[Question, str], Verdict]
#: A kind's generator: a seeded random source in, one question out.
Generator = Callable[[random.Random], Question]


def unanswered(question: Question) -> Verdict:
    """The verdict on an empty answer, whatever the kind."""
    return Verdict(0.0, _("No answer given.") + "\n\n" + key_paragraph(question))


def clean_answer(answer: object) -> str:
    """The first line of an answer, at most MAX_ANSWER characters, always encodable."""
    text = answer if isinstance(answer, str) else ""
    text = text.encode("utf-8", "replace").decode("utf-8")   # lone surrogates and such
    return text.strip().splitlines()[0].strip()[:MAX_ANSWER] if text.strip() else ""


def key_text(question: Question) -> str:
    """The key as printed: a choice's letter with its text, anything else as it is."""
    index = letter_answer(question.key, len(question.choices)) if question.choices else None
    return f"{question.key}) {question.choices[index]}" if index is not None else question.key


def key_paragraph(question: Question) -> str:
    return _("Answer: {key}").format(key=key_text(question)) + "\n" + question.explanation


# -- helpers shared by the kinds -----------------------------------------------------------
def replay(profile: str, lines: tuple[str, ...] | list[str]) -> Session:
    """A fresh session with ``lines`` typed in order; lines after the close are dropped."""
    session = Session(profile)
    for line in lines:
        if session.closed:
            break
        session.type_line(line)
    return session


def type_and_answer(session: Session, line: str) -> tuple[list[Entry], Entry | None]:
    """Type one line; return the new entries and the server's final reply to it.

    The final reply is the last one the server sent on the learner's connection
    (sendmail's 050 progress lines come before it; after TURN the reversed
    session's replies are not answers to the learner).
    """
    entries = session.type_line(line)
    replies = [e for e in entries if e.side == "S" and not e.reversed_roles]
    return entries, (replies[-1] if replies else None)


def explain_reply(entry: Entry) -> str:
    return as_text(explain_entry(entry))


def transcript_lines(entries: list[Entry] | Any) -> tuple[str, ...]:
    return tuple(PREFIX[e.side] + line for e in entries for line in e.lines)


def letter_answer(text: str, count: int) -> int | None:
    """'B', 'b', 'b)' or '2' -> index 1; anything else -> None."""
    match = re.fullmatch(r"\(?([A-Za-z]|\d{1,2})[).]?", text.strip())
    if not match:
        return None
    token = match.group(1)
    index = int(token) - 1 if token.isdigit() else LETTERS.find(token.upper())
    return index if 0 <= index < count else None


def numbers_in(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d{1,6}", text)]


def choice_lines(choices: tuple[str, ...]) -> list[str]:
    return [f"{LETTERS[i]}) {choice}" for i, choice in enumerate(choices)]
