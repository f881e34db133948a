"""The exam screens: one question at a time with a clock, then the results.

The screens only show and ask; :class:`smtpsim.course.exam.Sitting` decides
everything (what counts as an answer, the verdicts, the time limit).  The clock
is the sitting's, so tests drive time by hand.

Keys: Enter answers (in practice mode a second Enter goes on), PgUp/PgDn move
between questions, ↑/↓ scroll a long question or explanation, F10 finishes.  In exam mode an answer typed but not yet
confirmed is kept when moving on or finishing.  The results screen shows the
same :class:`~smtpsim.course.exam_results.ExamResult` that is saved as JSON and
CSV, so the screen and the teacher's files always agree; Esc closes it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from ...course.classroom_status import StudentStatus, status_path, write_status
from ...course.exam import ExamSettings, Sitting, start
from ...course.exam_pool import RetryPool
from ...course.exam_results import MARKS, ExamResult, ItemResult, default_results_dir
from ...course.questions import Verdict, choice_lines
from ...i18n import N_, _
from ..actions import ACTIONS
from ..text import printable

if TYPE_CHECKING:
    from textual.app import App


STYLES = {"right": "bold green", "partial": "bold yellow", "wrong": "bold red",
          "unanswered": "bold red"}
VERDICT_WORDS = {"right": N_("Right"), "partial": N_("Half right"), "wrong": N_("Wrong")}
RESULTS_TITLE = {"exam": N_("Exam results"), "practice": N_("Practice results")}


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
    text.append(_(RESULTS_TITLE[result.mode]) + "  ·  " + who + "  ·  "
                + _("seed {seed}").format(seed=result.seed), "bold")
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
    BINDINGS = [Binding("escape,q", "close", _("Close"))]

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
            note += "\n" + _("Retry pool: {count} question(s) to practise again (smtpsim exam "
                              "--retry); each leaves after three right answers in a row.").format(
                                  count=self.pool_size)
        yield Static(Text(note.strip()), id="results-note")
        with VerticalScroll(id="results-items"):
            for item in self.result.items:
                yield Static(item_text(item), classes="result-item",
                             id=f"result-{item.number}")
        yield Footer()

    def action_close(self) -> None:
        self.app.pop_screen()


#: The app's keys this screen holds back: all but those it uses itself (PgUp/PgDn move
#: between questions, F8 explains in practice mode) and the projector theme.
HELD_KEYS = ",".join(key for key, *_ in ACTIONS if key not in ("pageup", "pagedown", "f8",
                                                               "ctrl+t"))


def clock_text(seconds: float) -> str:
    whole = int(seconds + 0.999)   # 0.2 s left still shows 0:01
    return f"{whole // 60}:{whole % 60:02d}"


class ExamScreen(Screen[None]):
    DEFAULT_CSS = """
    ExamScreen { layout: vertical; }
    ExamScreen #exam-status { height: 1; padding: 0 1; background: $panel; }
    ExamScreen #exam-body { height: 1fr; padding: 0 1; }
    ExamScreen #exam-title { text-style: bold; margin-top: 1; }
    ExamScreen #exam-prompt { margin: 1 0; }
    ExamScreen #exam-context { background: $surface; padding: 0 1; }
    ExamScreen #exam-choices { margin-top: 1; }
    ExamScreen #exam-feedback { margin-top: 1; }
    ExamScreen #exam-buttons { height: auto; padding: 0 1; }
    ExamScreen #exam-buttons Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("pageup", "move(-1)", _("Previous")),
        Binding("pagedown", "move(1)", _("Next")),
        Binding("f10", "finish", _("Finish")),
        Binding("enter", "go_on", _("Next"), show=False),
        Binding("f8", "explain", _("Explain")),
        Binding("up", "scroll_body(-1)", _("Scroll"), show=False),
        Binding("down", "scroll_body(1)", _("Scroll"), show=False),
        # The simulator's own keys would change a session nobody sees, or look things
        # up during an exam: they wait until the exam screen closes.
        Binding(HELD_KEYS, "held", show=False),
    ]

    def __init__(self, sitting: Sitting, results_dir: Path | None = None) -> None:
        super().__init__()
        self.sitting = sitting
        self.results_dir = results_dir
        self.index = 0
        self.finish_armed = False    # F10 pressed once with questions still unanswered

    # -- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="exam-status")
        with VerticalScroll(id="exam-body"):
            yield Static("", id="exam-title")
            yield Static("", id="exam-prompt")
            yield Static("", id="exam-context")
            yield Static("", id="exam-choices")
            yield Static("", id="exam-feedback")
        yield Input(id="exam-answer")
        with Horizontal(id="exam-buttons"):
            yield Button(_("Previous (PgUp)"), id="exam-previous")
            yield Button(_("Next (PgDn)"), id="exam-next")
            yield Button(_("Finish (F10)"), id="exam-finish", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        if self.sitting.limit is not None:
            self.set_interval(1.0, self.tick)
        self.show(0)

    # -- showing a question -------------------------------------------------------------
    @property
    def answer_input(self) -> Input:
        return self.query_one("#exam-answer", Input)

    def show(self, index: int) -> None:
        exam = self.sitting.exam
        self.index = max(0, min(index, len(exam) - 1))
        question = exam.questions[self.index]
        self.query_one("#exam-title", Static).update(
            Text(f"{self.index + 1}. {question.title}"))
        self.query_one("#exam-prompt", Static).update(Text(question.prompt))
        context = self.query_one("#exam-context", Static)
        context.update(Text("\n".join(printable(row) for row in question.context)))
        context.display = bool(question.context)
        choices = self.query_one("#exam-choices", Static)
        choices.update(Text("\n".join(choice_lines(question.choices))))
        choices.display = bool(question.choices)
        box = self.answer_input
        box.value = self.sitting.answers.get(self.index, "")
        box.placeholder = _("your answer: {answer}").format(answer=question.answer_hint)
        verdict = self.sitting.verdicts.get(self.index)
        box.disabled = verdict is not None or self.sitting.over
        self.show_feedback(verdict)
        self.query_one("#exam-body", VerticalScroll).scroll_home(animate=False)
        if not box.disabled:
            box.focus()
        self.refresh_status()

    def show_feedback(self, verdict: Verdict | None) -> None:
        feedback = self.query_one("#exam-feedback", Static)
        feedback.display = verdict is not None
        if verdict is None:
            feedback.update("")
            return
        result = "right" if verdict.correct else "partial" if verdict.points else "wrong"
        mark, style = mark_style(result)
        text = Text()
        text.append(f"{mark} ", style).append(
            _(VERDICT_WORDS[result]), style)
        text.append("  " + _("(Enter or PgDn: next question)") + "\n", "dim")
        text.append(shown(verdict.feedback))
        feedback.update(text)

    def refresh_status(self) -> None:
        sitting, exam = self.sitting, self.sitting.exam
        parts = [_(sitting.mode).capitalize(), _("seed {seed}").format(seed=exam.seed),
                 _("question {number} of {count}").format(number=self.index + 1, count=len(exam)),
                 _("answered {count}").format(count=len(exam) - len(sitting.unanswered()))]
        if sitting.student:
            parts.insert(0, printable(sitting.student, 60))
        left = sitting.remaining()
        if left is not None:
            parts.append(_("{time} left").format(time=clock_text(left)))
        self.query_one("#exam-status", Static).update(Text("  ·  ".join(parts)))

    # -- answering ------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.sitting.over:
            self.finish_now()
            return
        if self.sitting.practice:
            if self.index in self.sitting.verdicts:
                self.action_move(1)
                return
            verdict = self.sitting.answer(self.index, event.value)
            if verdict is None:
                self.notify(_("Type an answer first (PgDn skips this question)."), timeout=3)
                return
            self.answer_input.disabled = True
            self.show_feedback(verdict)
            self.refresh_status()
            self.set_focus(None)
            return
        self.sitting.answer(self.index, event.value)
        if self.index < len(self.sitting.exam) - 1:
            self.show(self.index + 1)
        else:
            self.refresh_status()
            self.notify(_("That was the last question: F10 finishes the exam."))

    def keep_typed(self) -> None:
        """Exam mode: what is in the answer line counts, confirmed with Enter or not."""
        if self.sitting.practice or self.sitting.over:
            return
        value = self.answer_input.value
        if value != self.sitting.answers.get(self.index, ""):
            self.sitting.answer(self.index, value)

    def action_move(self, step: int) -> None:
        if self.sitting.practice and self.index in self.sitting.verdicts \
                and step > 0 and self.index == len(self.sitting.exam) - 1:
            self.notify(_("That was the last question: F10 shows your results."))
            return
        self.keep_typed()
        self.show(self.index + step)

    def action_scroll_body(self, step: int) -> None:
        """↑/↓ scroll the question and its feedback while the answer line keeps focus."""
        body = self.query_one("#exam-body", VerticalScroll)
        body.scroll_relative(y=step * 2, animate=False)

    def action_go_on(self) -> None:
        """Enter after practice feedback (the answer line is locked then): next question."""
        if self.sitting.practice and self.index in self.sitting.verdicts:
            self.action_move(1)

    @property
    def holds_app_keys(self) -> bool:
        """True while the app should refuse its own actions (an exam in progress)."""
        return not self.sitting.practice and self.sitting.result is None

    def action_held(self) -> None:
        self.notify(_("The simulator's keys come back when this screen closes "
                      "(F10 finishes)."), timeout=3)

    def action_explain(self) -> None:
        """F8: the catalogue lookup, in practice mode only - in an exam it would tell."""
        if self.holds_app_keys or not hasattr(self.app, "action_lookup"):
            self.notify(_("Explain (F8) is for practice mode, not during an exam."), timeout=3)
            return
        self.app.action_lookup()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"exam-previous": lambda: self.action_move(-1),
                   "exam-next": lambda: self.action_move(1),
                   "exam-finish": self.action_finish}
        action = actions.get(event.button.id or "")
        if action is not None:
            action()

    def tick(self) -> None:
        if self.sitting.expired and self.sitting.result is None:
            self.finish_now()
        else:
            self.refresh_status()

    def action_finish(self) -> None:
        """F10: finish - after a second F10 when questions are still unanswered."""
        self.keep_typed()
        blank = len(self.sitting.unanswered())
        if blank and not self.sitting.over and not self.finish_armed:
            self.finish_armed = True
            self.notify(_("{count} question(s) have no answer yet. Press F10 again to finish "
                          "anyway.").format(count=blank), timeout=5)
            return
        self.finish_now()

    def finish_now(self) -> None:
        """Grade, save the results for the teacher, and show them."""
        if self.sitting.result is None:
            self.keep_typed()
        result = self.sitting.finish()
        # In a classroom the teacher's status line learns the score (no-op elsewhere).
        write_status(status_path(), StudentStatus(result.student, "finished", result.score))
        directory = self.results_dir or default_results_dir()
        try:
            saved = result.save(directory)
            note = _("Results saved: {json} and {csv}").format(json=saved[0], csv=saved[1])
        except OSError as error:
            note = _("Could not save the results in {folder}: {error}").format(
                folder=directory, error=error.strerror or error)
        pool = self.sitting.pool
        if pool is not None and pool.problem:
            note += f"\n{pool.problem}"
        self.app.switch_screen(ExamResultsScreen(result, note, pool_size=len(pool)
                                                 if pool is not None else None))


def open_exam(app: "App", settings: ExamSettings, clock=time.monotonic,
              pool: RetryPool | None = None) -> ExamScreen | None:
    """Push the exam the settings ask for on top of ``app`` (``make_app(setup=...)``)."""
    pool = pool if pool is not None else RetryPool(settings.data_dir)
    sitting = start(settings, clock, pool)
    if not len(sitting.exam):
        app.notify(_("The retry pool is empty: nothing to practise again."))
        return None
    screen = ExamScreen(sitting, settings.results_dir)
    app.push_screen(screen)
    return screen
