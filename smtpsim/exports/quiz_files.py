"""``smtpsim exam --print --format moodle|gift``: an exam as a Moodle import file."""

from __future__ import annotations

from ..course.exam import Exam
from .gift import gift_text
from .moodle import moodle_xml

WRITERS = {"moodle": moodle_xml, "gift": gift_text}


def quiz_file(exam: Exam, format_name: str) -> str:
    """The exam's questions, with their answers, in ``format_name`` (moodle or gift)."""
    return WRITERS[format_name](exam.questions, exam.seed)
