"""The exam's question kinds: for each, the function that makes a question and the one
that checks an answer.

The one place that imports every ``questions_*`` module and names, kind by kind, its
generator and checker.  The kind modules do not register themselves: this module
imports them, and the exam (:mod:`smtpsim.course.exam`), the retry pool and the quiz
export import this one, so nothing imports back up.

To add a kind: add its name to :data:`smtpsim.course.questions.KINDS` (and its title to
``KIND_TITLES``), write ``make_<kind>(rng) -> Question`` and
``check_<kind>(question, text) -> Verdict`` in a ``questions_*`` module, and add a row
to both tables below.
"""

from __future__ import annotations

from .questions import KINDS, Checker, Generator, Question, Verdict, clean_answer, unanswered
from .questions_catalogue import check_choice, make_choose, make_meaning
from .questions_dialogue import check_faulty, check_order, make_faulty, make_order
from .questions_journey import make_journey
from .questions_state import check_predict, check_type, make_predict, make_type

#: kind -> the function that makes one question of it from a seeded random source.
GENERATORS: dict[str, Generator] = {
    "predict": make_predict,
    "choose": make_choose,
    "order": make_order,
    "faulty": make_faulty,
    "meaning": make_meaning,
    "type": make_type,
    "journey": make_journey,
}

#: kind -> the function that checks a (cleaned, non-empty) answer to it.
CHECKERS: dict[str, Checker] = {
    "predict": check_predict,
    "choose": check_choice,      # a lettered choice: one checker for the three kinds
    "order": check_order,
    "faulty": check_faulty,
    "meaning": check_choice,
    "type": check_type,
    "journey": check_choice,
}
assert tuple(GENERATORS) == tuple(CHECKERS) == KINDS, "every kind in both tables"


def check(question: Question, answer: str) -> Verdict:
    """Check an answer; any text at all gives a verdict, never an exception."""
    text = clean_answer(answer)
    if not text:
        return unanswered(question)
    return CHECKERS[question.kind](question, text)
