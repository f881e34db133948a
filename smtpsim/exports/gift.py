"""An exam in GIFT, Moodle's plain-text question format.

``smtpsim exam --print --format gift --seed 42 --count 10 > quiz.gift.txt``, then in
Moodle: Question bank, Import, "GIFT format".  Syntax (docs.moodle.org, "GIFT
format"): ``$CATEGORY:`` lines, ``::title::`` then the question text, the answers in
braces - ``=`` a right one, ``~`` a wrong one, ``%50%`` a weight, ``#`` its feedback,
``####`` the general feedback, nothing at all for an essay - and a blank line
between questions.  ``~ = # { } :`` are escaped with a backslash, and so is the
backslash itself; a newline is written as ``\\n``, so that no blank line can end a
question early.  The question text is HTML (``[html]``), so that ``<alice@...>``
shows as typed.

GIFT cannot carry an essay's grader information: for the kinds graded by the
teacher (see :mod:`.quiz`) the model answer is in the general feedback.
"""

from __future__ import annotations

from typing import Sequence

from ..course.questions import Question
from .quiz import (ABOUT_KINDS, QuizItem, escape_html, grouped, question_html, quiz_items,
                   text_html)

SPECIAL = "\\~=#{}:"
HEADER = "// Made by smtpsim from exam seed {seed} ({count} questions)."
ESSAY_NOTE = ("// GIFT has no grader information: the model answer of an essay is in its "
              "general feedback.")


def escape(text: str) -> str:
    """Every GIFT special character (and the backslash) escaped; newlines as ``\\n``."""
    out = "".join("\\" + c if c in SPECIAL else c for c in text)
    return out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _answer(marker: str, fraction: int, text: str, feedback: str) -> str:
    weight = f"%{fraction}%" if 0 < fraction < 100 else ""
    line = f"    {marker}{weight}{escape(text)}"
    return line + (f" #{escape(feedback)}" if feedback else "")


def question_gift(item: QuizItem) -> list[str]:
    head = f"::{escape(item.name)}::[html]{escape(question_html(item))}" + " {"
    lines = [f"// question {item.number}: {item.kind} ({item.identifier})", head]
    if item.qtype == "multichoice":
        # in the question's format, [html]: the choices are HTML too
        lines += [_answer("=" if a.fraction == 100 else "~", 0, escape_html(a.text), a.feedback)
                  for a in item.answers]
    elif item.qtype == "shortanswer":
        lines += [_answer("=", a.fraction, a.text, a.feedback) for a in item.answers]
    feedback = item.feedback if item.qtype != "essay" else \
        item.grader_info + "\n\n" + item.feedback
    lines += [f"    ####{escape(text_html(feedback))}", "}"]
    return lines


def gift_text(questions: Sequence[Question], seed: int) -> str:
    items = quiz_items(questions, seed)
    lines = [HEADER.format(seed=seed, count=len(items)), "// " + ABOUT_KINDS, ESSAY_NOTE, ""]
    for group in grouped(items):
        # The category line is read to its end, unescaped: our names hold no specials.
        lines += [f"$CATEGORY: {group.category}", ""]
        for item in group.items:
            lines += question_gift(item) + [""]
    return "\n".join(lines)
