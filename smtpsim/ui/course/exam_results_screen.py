"""The exam's results screen: the score, each item with its verdict, the retry pool.

It shows the same :class:`~smtpsim.course.exam_results.ExamResult` that is saved as
JSON and CSV, so the screen and the teacher's files always agree; Esc closes it (and,
after ``smtpsim exam``, the app).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...course.exam_results import MARKS, ExamResult, ItemResult
from ...i18n import N_, _, ngettext
from ..bindings_i18n import translate_bindings
from ..text import printable

RESULTS_TITLE = {"exam": N_("Exam results"), "practice": N_("Practice results")}
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
    text.append("  " + _("({points} of 1 point)").format(points=f"{item.points:g}") + "\n")
    text.append(shown(item.question.prompt) + "\n", "italic")
    answer = printable(item.answer.strip(), 200) or _("(no answer)")
    text.append(_("Your answer:") + " ", "bold").append(answer + "\n")
    text.append(shown(item.feedback))
    return text


def score_text(result: ExamResult) -> Text:
    who = printable(result.student, 60) if result.student else _("(no name given)")
    text = Text()
    text.append(_(RESULTS_TITLE.get(result.mode, RESULTS_TITLE["exam"])) + "  ·  " + who
                + "  ·  " + _("seed {seed}").format(seed=result.seed), "bold")
    if result.source != "seed":
        text.append("  ·  " + _("from the retry pool"))
    text.append("\n")
    style = "bold green" if result.score >= 50 else "bold red"
    text.append(_("Score: {summary}").format(summary=result.summary), style)
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
    BINDINGS = [Binding("escape,q", "close", N_("Close"))]

    def __init__(self, result: ExamResult, note: str = "", pool_size: int | None = None,
                 from_this_exam: int = 0, leave_app: bool = False) -> None:
        """``pool_size``: questions in the retry pool now, ``from_this_exam`` of them from
        this sitting; ``leave_app``: closing the results ends the app (``smtpsim exam``)."""
        super().__init__()
        translate_bindings(self)
        self.result = result
        self.note = note
        self.from_this_exam = from_this_exam
        self.leave_app = leave_app
        self.pool_size = pool_size

    def compose(self) -> ComposeResult:
        yield Static(score_text(self.result), id="results-score")
        note = self.note
        if self.pool_size is not None:
            # A skipped question is no mistake and stays out of the pool: say so, or an
            # exam left blank would end "nothing to practise again".
            skipped = sum(1 for item in self.result.items if not item.answered)
            note += "\n" + pool_note(self.pool_size, self.from_this_exam, skipped,
                                      self.result.seed if self.result.source == "seed" else None)
        yield Static(Text(note.strip()), id="results-note")
        with VerticalScroll(id="results-items"):
            for item in self.result.items:
                yield Static(item_text(item), classes="result-item",
                             id=f"result-{item.number}")
        yield Footer()

    def action_close(self) -> None:
        if self.leave_app:
            self.app.exit()   # `smtpsim exam` was for the exam: its end ends the app
        else:
            self.app.pop_screen()


def pool_note(size: int, from_this_exam: int, unanswered: int = 0,
              seed: int | None = None) -> str:
    """The retry pool after a sitting: this exam's mistakes told apart from older ones,
    and the ``unanswered`` questions, which the pool does not keep (only wrong answers
    enter it); ``seed``: the exam's seed, which asks them again (None: not a seed exam)."""
    skipped = ""
    if unanswered and seed is None:
        skipped = " " + ngettext(
            "{count} question was not answered: it is not in the retry pool.",
            "{count} questions were not answered: they are not in the retry pool.",
            unanswered).format(count=unanswered)
    elif unanswered:
        skipped = " " + ngettext(
            "{count} question was not answered: it is not in the retry pool; the same exam "
            "(--seed {seed}) asks it again.",
            "{count} questions were not answered: they are not in the retry pool; the same "
            "exam (--seed {seed}) asks them again.", unanswered).format(count=unanswered,
                                                                       seed=seed)
    if not size:
        return _(POOL_EMPTY_KEEPS_WRONG if unanswered else POOL_EMPTY) + skipped
    earlier = size - from_this_exam
    parts = []
    if from_this_exam:
        parts.append(ngettext("{count} question of this exam", "{count} questions of this exam",
                              from_this_exam).format(count=from_this_exam))
    if earlier:
        parts.append(ngettext("{count} question from earlier sittings",
                              "{count} questions from earlier sittings", earlier).format(
            count=earlier))
    return _(POOL_NOTE).format(what=_(" and ").join(parts)) + skipped


POOL_NOTE = N_("Retry pool: {what} to practise again (smtpsim exam --retry); each leaves "
               "after three right answers in a row.")
POOL_EMPTY = N_("Retry pool: empty - nothing to practise again.")
POOL_EMPTY_KEEPS_WRONG = N_("Retry pool: empty - it keeps the questions answered wrong.")

# In a classroom (``smtpsim classroom``, the app in a browser tab) the results folder is
# on the teacher's machine and the retry pool lives only as long as the class: the
# student reads where the result went and what they can do in the browser.
HANDED_IN = N_("Your result has been handed to your teacher.")
NOT_HANDED_IN = N_("Your result could not be handed to your teacher: tell them now, and "
                   "keep this screen open.")
PRACTICE_KEPT = N_("Practice: this result stays here; it is not sent to your teacher.")
IN_THE_BROWSER = N_("Esc closes the results: the simulator behind them is yours, to try "
                    "what you got wrong.")


def classroom_note(mode: str, saved: bool) -> str:
    """The results note in a classroom: no path, no command line."""
    outcome = HANDED_IN if saved else NOT_HANDED_IN
    first = outcome if mode == "exam" else PRACTICE_KEPT
    return _(first) + "\n" + _(IN_THE_BROWSER)
