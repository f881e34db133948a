"""Classroom exams ask for the student's name first: it goes into the results file.

``smtpsim exam --classroom`` (what ``smtpsim classroom --exam`` starts in each
browser tab) opens this screen before the exam's clock starts.  The name is free
text; the results file name and the teacher's CSV make it safe
(:func:`smtpsim.textsafe.safe_filename`, :func:`smtpsim.textsafe.csv_cell`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label

from ...course.classroom_status import MAX_NAME, StudentStatus, status_path, write_status
from ...course.exam import ExamSettings
from ...i18n import N_, _
from ..widgets.line_input import LineInput
from .exam_screen import open_exam

if TYPE_CHECKING:
    from textual.app import App

HEADING = N_("Exam")
PROMPT = N_("Your first and last name, as your teacher should see it in the results:")
PLACEHOLDER = N_("first and last name")
EMPTY = N_("Type your name first, then Enter.")
AFTER = N_("The clock starts when you press Enter (or the button).")
START = N_("Start the exam")


class NameScreen(Screen[str]):
    DEFAULT_CSS = """
    NameScreen { align: center middle; }
    NameScreen #name-box { width: 70; max-width: 100%; height: auto; max-height: 100%;
                           overflow-y: auto;
                           padding: 1 2; border: round $primary; }
    NameScreen #name-heading { text-style: bold; }
    NameScreen Label { width: 100%; }   /* long lines wrap inside the box, not cut */
    NameScreen Input { margin: 1 0 0 0; }
    NameScreen Button { margin: 1 0; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="name-box"):
            yield Label(_(HEADING), id="name-heading")
            yield Label(_(PROMPT), id="name-prompt")
            yield LineInput(placeholder=_(PLACEHOLDER), max_length=MAX_NAME, id="name")
            yield Button(_(START), variant="primary", id="name-start")
            yield Label(_(AFTER))

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.submit(self.query_one("#name", Input).value)

    def submit(self, typed: str) -> None:
        name = " ".join(typed.split())
        if not name:
            self.notify(_(EMPTY), timeout=3)
            return
        self.dismiss(name)


def open_named_exam(app: App, settings: ExamSettings) -> None:
    """Ask the name, tell the classroom, then start the exam with that name."""
    def named(name: str | None) -> None:
        if not name:
            return
        write_status(status_path(), StudentStatus(name, "exam"))
        open_exam(app, replace(settings, student=name))
    app.push_screen(NameScreen(), named)
