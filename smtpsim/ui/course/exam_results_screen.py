"""The results of an exam: the percentage, a tick or a cross per item, the explanations.

Everything shown comes from :class:`smtpsim.course.exam_results.ExamResult`, the
same object that is saved as JSON and CSV, so the screen and the teacher's files
always agree.  Esc (or q) closes it and returns to the simulator.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...course.exam_results import MARKS, ExamResult, ItemResult
from ..text import printable

STYLES = {"right": "bold green", "partial": "bold yellow", "wrong": "bold red",
          "unanswered": "bold red"}


def shown(text: str, limit: int = 2_000) -> str:
    """Wire text and learner text made safe to show, line by line (newlines kept)."""
    return "\n".join(printable(line, limit) for line in text.splitlines())


def mark_style(result: str) -> tuple[str, str]:
    """The mark of a result (✓ ½ ✗) and the style it is drawn in."""
    return MARKS[result], STYLES[result]


def item_text(item: ItemResult) -> Text:
    mark, style = mark_style(item.result)
    text = Text()
    text.append(f"{mark} ", style).append(f"{item.number}. {item.question.title}", "bold")
    text.append(f"  ({item.points:g} of 1 point)\n")
    text.append(shown(item.question.prompt) + "\n", "italic")
    answer = printable(item.answer.strip(), 200) or "(no answer)"
    text.append("Your answer: ", "bold").append(answer + "\n")
    text.append(shown(item.feedback))
    return text


def score_text(result: ExamResult) -> Text:
    who = printable(result.student, 60) if result.student else "(no name given)"
    text = Text()
    text.append(f"{result.mode.capitalize()} results  ·  {who}  ·  seed {result.seed}", "bold")
    if result.source != "seed":
        text.append(f"  ·  from the {result.source}")
    text.append("\n")
    style = "bold green" if result.score >= 50 else "bold red"
    text.append(f"Score: {result.summary}", style)
    text.append("\n")
    for item in result.items:
        mark, mark_colour = mark_style(item.result)
        text.append(mark + " ", mark_colour)
    return text


class ExamResultsScreen(Screen[None]):
    DEFAULT_CSS = """
    ExamResultsScreen { layout: vertical; }
    ExamResultsScreen #results-score { padding: 1 1 0 1; height: auto; }
    ExamResultsScreen #results-note { padding: 0 1; color: $text-muted; height: auto; }
    ExamResultsScreen #results-items { height: 1fr; padding: 0 1; }
    ExamResultsScreen .result-item { margin-top: 1; }
    """
    BINDINGS = [Binding("escape,q", "close", "Close")]

    def __init__(self, result: ExamResult, note: str = "", pool_size: int | None = None
                 ) -> None:
        super().__init__()
        self.result = result
        self.note = note
        self.pool_size = pool_size

    def compose(self) -> ComposeResult:
        yield Static(score_text(self.result), id="results-score")
        note = self.note
        if self.pool_size is not None:
            note += (f"\nRetry pool: {self.pool_size} question(s) to practise again "
                     "(smtpsim exam --retry); each leaves after three right answers in a row.")
        yield Static(Text(note.strip()), id="results-note")
        with VerticalScroll(id="results-items"):
            for item in self.result.items:
                yield Static(item_text(item), classes="result-item",
                             id=f"result-{item.number}")
        yield Footer()

    def action_close(self) -> None:
        self.app.pop_screen()
