"""The teacher's terminal: who joined, who gave which name, who finished - and one status line.

Events are printed one a line as they happen (a log the teacher can scroll back
through); on a terminal the last line is a status line redrawn in place:
``12/25 connected · 4 sitting the exam · 3 finished``.  Names are what students
typed, so they are shown through :func:`smtpsim.textsafe.printable`.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

from ..course.classroom_status import StudentStatus
from ..i18n import N_, _, ngettext
from ..textsafe import printable
from .students import UNNAMED, Roster, Student

JOINED = N_("+ {who} joined from {address}")
LEFT = N_("- {who} left")
LEFT_UNFINISHED = N_("- {who} left before finishing the exam")
NAMED = N_("  {who} is {name}")
FINISHED = N_("* {name} finished the exam: {score}")
NO_SCORE = N_("no score")
NAMES_SHOWN = 5


def score_text(score: float | None) -> str:
    return _(NO_SCORE) if score is None else f"{score:g}%"


def counts_text(connected: int, capacity: int, sitting: int, finished: int) -> str:
    """``12/25 connected · 4 sitting the exam · 3 finished``, in the class's language."""
    return " · ".join((
        ngettext("{connected}/{capacity} connected", "{connected}/{capacity} connected",
                 connected).format(connected=connected, capacity=capacity),
        ngettext("{count} sitting the exam", "{count} sitting the exam", sitting).format(
            count=sitting),
        ngettext("{count} finished", "{count} finished", finished).format(count=finished)))


class StatusLine:
    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.live = bool(getattr(self.out, "isatty", lambda: False)())
        self._drawn = ""

    def _write(self, text: str) -> None:
        try:
            self.out.write(text)
            self.out.flush()
        except (OSError, ValueError):
            pass

    def event(self, text: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        clear = "\r\x1b[K" if self.live and self._drawn else ""
        self._write(f"{clear}{stamp} {text}\n")
        if self.live and self._drawn:
            self._write(self._drawn)

    def joined(self, student: Student, roster: Roster) -> None:
        self.event(_(JOINED).format(who=printable(student.label, 60),
                                    address=student.address))
        self.draw(roster)

    def left(self, student: Student, roster: Roster) -> None:
        left = LEFT_UNFINISHED if student.status.state == "exam" else LEFT
        self.event(_(left).format(who=printable(student.label, 60)))
        self.draw(roster)

    def changed(self, student: Student, status: StudentStatus, roster: Roster) -> None:
        unnamed = _(UNNAMED).format(number=student.number)
        name = printable(status.name, 60) or unnamed
        if status.state == "finished":
            self.event(_(FINISHED).format(name=name, score=score_text(status.score)))
        elif status.name:
            self.event(_(NAMED).format(who=unnamed, name=name))

    def line(self, roster: Roster) -> str:
        connected, sitting, finished = roster.counts()
        text = counts_text(connected, roster.capacity, sitting, finished)
        names = [printable(s.status.name, 30) for s in roster.students.values()
                 if s.status.state == "exam"]
        if names:
            more = len(names) - NAMES_SHOWN
            text += ": " + ", ".join(names[:NAMES_SHOWN]) + (f" +{more}" if more > 0 else "")
        return text

    def draw(self, roster: Roster) -> None:
        """Redraw the status line (on a terminal only: a log file gets the events)."""
        if not self.live:
            return
        width = shutil.get_terminal_size((100, 24)).columns - 1
        text = self.line(roster)[:width]
        if text != self._drawn:
            self._drawn = text
            self._write("\r\x1b[K" + text)
