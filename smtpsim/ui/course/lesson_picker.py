"""The lesson picker: every lesson with the learner's completion, and the broken ones.

A lesson file that does not load is listed too, greyed out, with its
``file:line: message``: a teacher sees what to fix, a learner sees that the
rest still works.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ...course import LessonSet, Progress
from ...i18n import N_, _
from ..screens.pickers import MODAL_CSS
from ..text import printable

BAR_WIDTH = 10


def completion_bar(done: int, total: int) -> str:
    filled = round(BAR_WIDTH * done / total) if total else 0
    return "█" * filled + "░" * (BAR_WIDTH - filled)


class LessonPicker(ModalScreen[str | None]):
    DEFAULT_CSS = MODAL_CSS.format(name="LessonPicker") + """
    LessonPicker OptionList { max-height: 24; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"))]

    def __init__(self, lessons: LessonSet, progress: Progress) -> None:
        super().__init__()
        self.lessons = lessons
        self.progress = progress

    def compose(self) -> ComposeResult:
        options = []
        for number, lesson in enumerate(self.lessons.lessons, start=1):
            entry = self.progress.get(lesson.id)
            total = len(lesson.steps)
            done = min(entry.steps_done, total) if entry else 0
            prompt = Text()
            prompt.append("✓ " if done == total else "  ", "bold green")
            prompt.append(f"{number:2d}. {lesson.title}", "bold")
            prompt.append(f"\n     {completion_bar(done, total)} "
                          + _("{done}/{total} steps").format(done=done, total=total) + "  ")
            prompt.append(lesson.goal, "italic")
            options.append(Option(prompt, id=lesson.id))
        for broken in self.lessons.broken:
            prompt = Text()
            prompt.append("  !  " + _("{title} (cannot be opened)").format(title=broken.title),
                          "bold red")
            prompt.append("\n     " + printable(broken.error))
            options.append(Option(prompt, id=f"broken:{broken.path}", disabled=True))
        with Vertical():
            yield Label(_("Lessons - Enter opens one beside the simulator"), classes="title")
            if self.progress.problem:
                yield Label(printable(self.progress.problem), classes="error")
            yield OptionList(*options, id="lessons")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.highlighted = self._first_unfinished()
        option_list.focus()

    def _first_unfinished(self) -> int:
        for index, lesson in enumerate(self.lessons.lessons):
            entry = self.progress.get(lesson.id)
            if entry is None or not entry.finished:
                return index
        return 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
