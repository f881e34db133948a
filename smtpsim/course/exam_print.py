"""A paper exam: the questions, and separately the answer key, as plain text.

``smtpsim exam --print --seed N --count N`` prints both, the key after a form
feed (a printer starts a new page there) so the teacher can keep it back;
``--print questions`` or ``--print key`` prints one part only.  The same seed
gives the same paper as the same seed in the app.
"""

from __future__ import annotations

import textwrap

from ..mta import PROFILES, default_world, describe
from .exam import Exam
from .questions import Question, choice_lines, key_text

WIDTH = 78
PAGE_BREAK = "\f"
PARTS = ("all", "questions", "key")


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=indent,
                         subsequent_indent=indent) or [indent.rstrip()]


def _heading(exam: Exam, what: str) -> list[str]:
    title = f"smtpsim exam - seed {exam.seed} - {len(exam)} questions - {what}"
    return [title, "=" * len(title), ""]


def questions_text(exam: Exam) -> str:
    lines = _heading(exam, "questions")
    lines += ["Name: ______________________________   Date: ______________", ""]
    lines += ["Every question uses the simulator's default world (`smtpsim world`):", ""]
    lines += ["    " + row if row else "" for row in describe(default_world()).splitlines()]
    lines += ["", "The server profiles:"]
    for profile in PROFILES.values():
        lines += _wrap(f"{profile.name} - {profile.summary}", "    ")
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
    lines += ["", f"   Answer ({question.answer_hint}): " + "_" * 30, ""]
    return lines


def key_text_block(number: int, question: Question) -> list[str]:
    lines = [f"{number}. {question.title}: {key_text(question)}"]
    if question.kind == "order":
        lines.append("   Any other order the server accepts is also right (replay it in "
                     "smtpsim to check).")
    if question.kind == "type":
        lines.append("   Any other command with the same outcome is also right (type it "
                     "in smtpsim to check).")
    if question.kind == "faulty":
        lines.append("   The right line alone earns half a point.")
    for row in question.explanation.splitlines():
        # Wire lines stay as they were sent; explanations are wrapped for paper.
        wire = row.startswith(("C: ", "S: ", "* ")) or len(row) <= WIDTH - 3
        lines += ["   " + row] if wire else _wrap(row, "   ")
    lines.append("")
    return lines


def key_sheet(exam: Exam) -> str:
    lines = _heading(exam, "answer key")
    for number, question in enumerate(exam.questions, 1):
        lines += key_text_block(number, question)
    return "\n".join(lines).rstrip() + "\n"


def paper(exam: Exam, part: str = "all") -> str:
    """The paper exam: the questions, the key, or both with a page break between."""
    if part not in PARTS:
        raise ValueError(f"print one of {', '.join(PARTS)}, not {part!r}")
    if part == "questions":
        return questions_text(exam)
    if part == "key":
        return key_sheet(exam)
    return questions_text(exam) + PAGE_BREAK + "\n" + key_sheet(exam)
