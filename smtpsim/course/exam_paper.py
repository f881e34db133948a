"""The paper exam: questions, answer key, or both with a page break between.

``smtpsim exam --print --seed N --count N`` prints :func:`paper` (the command line is
in :mod:`smtpsim.commands.exam`).  The same seed gives the same paper as in the app,
and its first questions stay the same as ``--count`` grows.  Nothing here imports
Textual.
"""

from __future__ import annotations

import textwrap

from ..i18n import N_, _
from ..mta import PROFILES, default_world, describe
from ..mta.transcript import PREFIX
from .exam import Exam
from .questions import Question, choice_lines, key_text

WIDTH = 78
PAGE_BREAK = "\f"
PARTS = ("all", "questions", "key")


# -- the paper exam ------------------------------------------------------------------------
def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=indent,
                         subsequent_indent=indent) or [indent.rstrip()]


def _heading(exam: Exam, what: str) -> list[str]:
    title = _("smtpsim exam - seed {seed} - {count} questions - {what}").format(
        seed=exam.seed, count=len(exam), what=_(what))
    return [title, "=" * len(title), ""]


def questions_text(exam: Exam) -> str:
    lines = _heading(exam, N_("questions"))
    lines += [_("Name: ______________________________   Date: ______________"), ""]
    lines += [_("Every question uses the simulator's default world (`smtpsim world`):"), ""]
    lines += ["    " + row if row else "" for row in describe(default_world()).splitlines()]
    lines += ["", _("The server profiles:")]
    for profile in PROFILES.values():
        lines += _wrap(f"{profile.name} - {_(profile.summary)}", "    ")
    lines.append("")
    for number, question in enumerate(exam.questions, 1):
        lines += question_block(number, question)
    return "\n".join(lines).rstrip() + "\n"


def question_block(number: int, question: Question) -> list[str]:
    lines = [f"{number}. {question.title}"]
    lines += _wrap(question.prompt, "   ")
    if question.context:
        lines.append("")
        lines += ["      " + row for row in question.context]
    if question.choices:
        lines.append("")
        lines += ["   " + row for row in choice_lines(question.choices)]
    lines += ["", "   " + _("Answer ({hint}):").format(hint=question.answer_hint) + " "
              + "_" * 30, ""]
    return lines


def key_text_block(number: int, question: Question) -> list[str]:
    lines = [f"{number}. {question.title}: {key_text(question)}"]
    if question.kind in KEY_NOTES:
        lines += _wrap(_(KEY_NOTES[question.kind]), "   ")
    for row in question.explanation.splitlines():
        # Wire lines stay as they were sent; explanations are wrapped for paper.
        wire = row.startswith(tuple(PREFIX.values())) or len(row) <= WIDTH - 3
        lines += ["   " + row] if wire else _wrap(row, "   ")
    lines.append("")
    return lines


KEY_NOTES = {
    "order": N_("Any other order the server accepts is also right (replay it in smtpsim to "
                "check)."),
    "type": N_("Any other command with the same outcome is also right (type it in smtpsim "
               "to check)."),
    "faulty": N_("The right line alone earns half a point."),
}


def key_sheet(exam: Exam) -> str:
    lines = _heading(exam, N_("answer key"))
    for number, question in enumerate(exam.questions, 1):
        lines += key_text_block(number, question)
    return "\n".join(lines).rstrip() + "\n"


def paper(exam: Exam, part: str = "questions") -> str:
    """The paper exam: the questions, the key, or "all": both with a page break between."""
    if part not in PARTS:
        raise ValueError(f"print one of {', '.join(PARTS)}, not {part!r}")
    if part == "questions":
        return questions_text(exam)
    if part == "key":
        return key_sheet(exam)
    return questions_text(exam) + PAGE_BREAK + "\n" + key_sheet(exam)
