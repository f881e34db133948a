"""Exam questions as quiz items that Moodle can grade: what each kind becomes, and why.

Both writers in :mod:`.moodle` (Moodle XML and GIFT) render the same
:class:`QuizItem` list, so the same seed gives the same questions in every format.
Moodle grades an answer by comparing it with a list of right answers; smtpsim grades
some kinds by *running* the answer.  Where the engine's set of right answers is
finite it is written out in full; where it is not, the question is exported for the
teacher to grade:

=========  ==============  ===============================================================
predict    shortanswer     the one reply code the engine sent (alone, or followed by
                           text: Moodle's ``*`` wildcard)
choose     multichoice     one right choice (the same letters as on paper, not shuffled)
meaning    multichoice     one right choice
journey    multichoice     one right choice (the key comes from following the message)
faulty     shortanswer     "line code" for the full mark, the line alone or with another
                           code (Moodle's ``*`` wildcard) for half, as in smtpsim
order      shortanswer     every order the engine accepts, found by replaying them all
                           (numbers separated by single spaces); with more than
                           MAX_ORDERS accepted orders: an essay, as "type"
type       essay           any command with the right outcome is right, and only running
                           it can tell: graded by the teacher, with a model answer and
                           the engine's explanation in the grader information
=========  ==============  ===============================================================
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypedDict

from ..course.question_kinds import check
from ..course.questions import LETTERS, Question, key_text
from ..course.questions_dialogue import run_in_order
from ..i18n import N_, _

MAX_ORDERS = 120       # answers listed for one "order" question
CATEGORY_ROOT = "$course$/top/"
#: The category of one exam in the question bank (no GIFT special characters: ~=#{}:).
CATEGORY_NAME = N_("smtpsim exam seed {seed}")
# The texts a student or teacher reads in Moodle (msgids, translated where they are used).
ORDER_HINT = N_("Write the item numbers separated by single spaces, e.g. 2 1 3.")
FAULTY_HINT = N_("Write the line number and the reply code, separated by a space, e.g. 4 503.")
PREDICT_HINT = N_("Write the three-digit reply code, e.g. 250.")
ESSAY_HINT = N_("Write one SMTP command line.")
ESSAY_GRADER = N_("Any command that reaches the same outcome is right: type the student's "
                  "answer into smtpsim to check it. One answer that works: {model}")
ORDER_ESSAY_GRADER = N_("Any order the server accepts is right: replay the student's order "
                        "in smtpsim to check it. One order that works: {model}")
HALF = N_("The right line without the right code: half a point, as in smtpsim.")
ABOUT_KINDS = N_(
    "Question kinds: predict -> shortanswer (the code); choose, meaning, journey -> "
    "multichoice "
    "(one right answer); faulty -> shortanswer ('line code'; the line alone, or with another "
    "code, half); order "
    "-> shortanswer listing every order the engine accepts (essay beyond {max}); "
    "type -> essay graded by the teacher (any command with the right outcome is right, "
    "which only running it can tell), with a model answer.")


def about_kinds() -> str:
    """What each question kind becomes in Moodle, in the current language."""
    return _(ABOUT_KINDS).format(max=MAX_ORDERS)


@dataclass(frozen=True)
class Answer:
    text: str
    fraction: int            # percent of the mark: 100, 50 or 0
    feedback: str = ""


@dataclass(frozen=True)
class QuizItem:
    qtype: str                       # "multichoice", "shortanswer" or "essay"
    number: int
    kind: str
    name: str
    category: str
    prompt: str
    context: tuple[str, ...] = ()    # shown preformatted under the prompt
    hint: str = ""
    answers: tuple[Answer, ...] = ()
    feedback: str = ""               # general feedback: the explanation
    grader_info: str = ""            # essays: how to grade
    identifier: str = ""

    @property
    def right_answers(self) -> list[Answer]:
        return [a for a in self.answers if a.fraction == 100]


def accepted_orders(question: Question) -> list[str] | None:
    """Every order of the items the engine accepts, or None beyond MAX_ORDERS.

    A prefix that the server refuses cannot start an accepted order, so the search
    replays prefixes and only extends the accepted ones; each full order found is
    then confirmed by the exam's own grader (:func:`smtpsim.course.questions.check`).
    """
    items = list(question.setup)
    found: list[str] = []
    stack: list[list[int]] = [[]]
    while stack:
        prefix = stack.pop()
        if len(prefix) == len(items):
            answer = " ".join(str(n + 1) for n in prefix)
            if check(question, answer).correct:
                found.append(answer)
                if len(found) > MAX_ORDERS:
                    return None
            continue
        for n in reversed(range(len(items))):
            if n in prefix:
                continue
            ok = run_in_order(question.profile, [items[i] for i in prefix + [n]],
                              question.text)[0]
            if ok:
                stack.append(prefix + [n])
    return sorted(found, key=lambda a: (a != question.key, a))


class _ItemBase(TypedDict):
    """The QuizItem fields every kind of question fills the same way."""

    number: int
    kind: str
    name: str
    category: str
    prompt: str
    context: tuple[str, ...]
    feedback: str
    identifier: str


def _choice_item(base: _ItemBase, question: Question) -> QuizItem:
    key = key_text(question).split(")", 1)[0]
    right = LETTERS.find(key) if len(key) == 1 else -1
    answers = tuple(Answer(choice, 100 if index == right else 0)
                    for index, choice in enumerate(question.choices))
    return QuizItem("multichoice", answers=answers, **base)


def quiz_item(number: int, question: Question, seed: int) -> QuizItem:
    title = question.title
    base = _ItemBase(number=number, kind=question.kind, name=f"{number:02d} {title}",
                     category=CATEGORY_ROOT + _(CATEGORY_NAME).format(seed=seed) + "/" + title,
                     prompt=question.prompt, context=tuple(question.context),
                     feedback=question.explanation, identifier=question.id)
    if question.kind in ("choose", "meaning", "journey"):
        return _choice_item(base, question)
    if question.kind == "predict":
        # smtpsim reads the first number of the answer: "250 OK" is right too
        return QuizItem("shortanswer", hint=_(PREDICT_HINT),
                        answers=(Answer(question.key, 100), Answer(question.key + " *", 100)),
                        **base)
    if question.kind == "faulty":
        line, half = question.key.split()[0], _(HALF)
        return QuizItem("shortanswer", hint=_(FAULTY_HINT),
                        # Moodle tries the answers in order; * matches any code after the line
                        answers=(Answer(question.key, 100), Answer(line, 50, half),
                                 Answer(line + " *", 50, half)), **base)
    if question.kind == "order":
        orders = accepted_orders(question)
        if orders is not None:
            return QuizItem("shortanswer", hint=_(ORDER_HINT),
                            answers=tuple(Answer(o, 100) for o in orders), **base)
        return QuizItem("essay", hint=_(ORDER_HINT),
                        grader_info=_(ORDER_ESSAY_GRADER).format(model=question.key), **base)
    return QuizItem("essay", hint=_(ESSAY_HINT),
                    grader_info=_(ESSAY_GRADER).format(model=question.key), **base)


def quiz_items(questions: Sequence[Question], seed: int) -> list[QuizItem]:
    return [quiz_item(number, q, seed) for number, q in enumerate(questions, 1)]


def escape_html(text: str) -> str:
    """``<``, ``>`` and ``&`` as entities (quotes need none outside attributes)."""
    return html.escape(text, quote=False)


# A command or reply quoted in a question's own words, as the app shows it: `RCPT TO:<...>`.
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def prose_html(text: str) -> str:
    """The project's own sentences: escaped, each `quoted command` as ``<code>``."""
    return _CODE_SPAN.sub(r"<code>\1</code>", escape_html(text))


def question_html(item: QuizItem) -> str:
    """The question text as HTML: the prompt, the transcript or items preformatted,
    and how to write the answer.  Every character from the engine is escaped; the
    transcript is shown exactly as it went over the wire, backticks and all."""
    parts = [f"<p>{prose_html(item.prompt)}</p>"]
    if item.context:
        parts.append("<pre>" + escape_html("\n".join(item.context)) + "</pre>")
    if item.hint:
        parts.append(f"<p><em>{prose_html(item.hint)}</em></p>")
    return "".join(parts)


def text_html(text: str) -> str:
    """Feedback and grader information: preformatted, since it holds wire lines."""
    return "<pre>" + escape_html(text) + "</pre>" if text else ""


def categories(items: Iterable[QuizItem]) -> list[str]:
    """The categories in first-use order (one per question kind)."""
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item.category, None)
    return list(seen)


@dataclass
class Grouped:
    category: str
    items: list[QuizItem] = field(default_factory=list)


def grouped(items: Sequence[QuizItem]) -> list[Grouped]:
    groups = {name: Grouped(name) for name in categories(items)}
    for item in items:
        groups[item.category].items.append(item)
    return list(groups.values())
