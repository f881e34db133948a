"""The exam screens: one question at a time with a clock, then the results.

The screens only show and ask; :class:`smtpsim.course.exam.Sitting` decides
everything (what counts as an answer, the verdicts, the time limit).  The clock
is the sitting's, so tests drive time by hand.

Keys: Enter answers (in practice mode a second Enter goes on), PgUp/PgDn move
between questions, ↑/↓ scroll a long question or explanation (then a long dialogue, which
on a short screen keeps its last lines in view beside the choices), F10 finishes.  In exam
mode an answer typed but not yet confirmed is kept when moving on or finishing.  The results
screen shows the same :class:`~smtpsim.course.exam_results.ExamResult` that is saved as JSON and
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
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from ...course.classroom_status import StudentStatus, status_path, write_status
from ...course.exam import ExamSettings, Sitting, start
from ...course.exam_pool import RetryPool
from ...course.exam_results import default_results_dir
from ...course.questions import Verdict, choice_lines
from ...i18n import N_, _, ngettext
from ..bindings_i18n import translate_bindings
from ..keys import ACTIONS
from ..text import printable
from ..widgets.line_input import LineInput
from .exam_results_screen import ExamResultsScreen, classroom_note, mark_style, shown

if TYPE_CHECKING:
    from textual.app import App


VERDICT_WORDS = {"right": N_("Right"), "partial": N_("Half right"), "wrong": N_("Wrong")}
#: Below this many rows the screen is laid out short (the README promises 80x24).
SHORT_SCREEN = 30
#: The fewest rows a dialogue shown with a question is given on a short screen.
SHORTEST_DIALOGUE = 4
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
    /* Fewer than 30 rows (80x24): the answer line and the buttons take a row each and
       the blank rows go, so the question, its choices and the verdict fit more often. */
    ExamScreen.-short #exam-title { margin-top: 0; }
    ExamScreen.-short #exam-prompt { margin: 0 0 1 0; }
    ExamScreen #exam-dialogue { height: auto; }
    """
    BINDINGS = [
        Binding("pageup", "move(-1)", N_("Previous")),
        Binding("pagedown", "move(1)", N_("Next")),
        Binding("f10", "finish", N_("Finish")),
        Binding("enter", "go_on", N_("Next"), show=False),
        Binding("f8", "explain", N_("Explain")),
        Binding("up", "scroll_body(-1)", N_("Scroll"), show=False),
        Binding("down", "scroll_body(1)", N_("Scroll"), show=False),
        # The simulator's own keys would change a session nobody sees, or look things
        # up during an exam: they wait until the exam screen closes.
        Binding(HELD_KEYS, "held", show=False),
    ]

    def __init__(self, sitting: Sitting, results_dir: Path | None = None,
                 leave_app: bool = False) -> None:
        super().__init__()
        translate_bindings(self)
        self.sitting = sitting
        self.results_dir = results_dir
        self.leave_app = leave_app
        self.index = 0
        self.finish_armed = False    # F10 pressed once with questions still unanswered

    # -- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="exam-status")
        with VerticalScroll(id="exam-body"):
            yield Static("", id="exam-title")
            yield Static("", id="exam-prompt")
            with VerticalScroll(id="exam-dialogue", can_focus=False):
                yield Static("", id="exam-context")
            yield Static("", id="exam-choices")
            yield Static("", id="exam-feedback")
        yield LineInput(id="exam-answer")
        with Horizontal(id="exam-buttons"):
            yield Button(_("Previous (PgUp)"), id="exam-previous")
            yield Button(_("Next (PgDn)"), id="exam-next")
            yield Button(_("Finish (F10)"), id="exam-finish", variant="primary")
        yield Footer(show_command_palette=False)   # the palette waits for the exam's end

    def on_resize(self, event: Resize) -> None:
        short = event.size.height < SHORT_SCREEN
        self.set_class(short, "-short")
        for widget in (self.answer_input, *self.query(Button)):
            widget.compact = short

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
        dialogue = self.query_one("#exam-dialogue", VerticalScroll)
        dialogue.display = bool(question.context)
        dialogue.styles.max_height = None      # its whole height, until it is fitted
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
        self.call_after_refresh(self.bring_into_view)
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

    def bring_into_view(self) -> None:
        """Lay the question out so that its start, the dialogue's last lines and the
        choices are on screen together, then scroll to what the learner needs next.

        A dialogue too long for the screen (80x24) gets a height of its own and shows its
        end, the lines the question is about; ↑/↓ scroll it once the body is at its end.
        """
        body = self.query_one("#exam-body", VerticalScroll)
        dialogue = self.query_one("#exam-dialogue", VerticalScroll)
        choices = self.query_one("#exam-choices", Static)
        last = choices if choices.display else dialogue
        overflow = last.virtual_region.bottom - body.scrollable_content_region.height
        if dialogue.display and overflow > 0:
            rows = dialogue.outer_size.height
            dialogue.styles.max_height = max(SHORTEST_DIALOGUE, rows - overflow)
            self.call_after_refresh(self.show_next_step)
        else:
            self.show_next_step()

    def show_next_step(self) -> None:
        """Scroll to the verdict once there is one, else to the choices: the question's
        start stays in view when it fits with them, otherwise they win (↑ shows it)."""
        body = self.query_one("#exam-body", VerticalScroll)
        self.query_one("#exam-dialogue", VerticalScroll).scroll_end(animate=False)
        for selector in ("#exam-feedback", "#exam-choices"):
            target = self.query_one(selector, Static)
            if target.display:
                body.scroll_to_widget(target, animate=False)
                return

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
        if self.refused(event.value):
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
            self.call_after_refresh(self.bring_into_view)
            self.refresh_status()
            self.set_focus(None)
            return
        self.sitting.answer(self.index, event.value)
        if self.index < len(self.sitting.exam) - 1:
            self.show(self.index + 1)
        else:
            self.refresh_status()
            self.notify(_("That was the last question: F10 finishes the exam."))

    def refused(self, value: str) -> bool:
        """A choice question takes only a choice: otherwise say why, and stay."""
        problem = self.sitting.not_an_answer(self.index, value)
        if problem is None:
            return False
        self.notify(problem, severity="warning", timeout=4, markup=False)
        self.query_one("#exam-answer", Input).focus()
        return True

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
        if not self.sitting.over and self.index not in self.sitting.verdicts \
                and self.refused(self.answer_input.value):
            return
        self.keep_typed()
        self.show(self.index + step)

    def action_scroll_body(self, step: int) -> None:
        """↑/↓ scroll the question and its feedback while the answer line keeps focus."""
        body = self.query_one("#exam-body", VerticalScroll)
        before = body.scroll_y
        body.scroll_relative(y=step * 2, animate=False)
        if body.scroll_y == before:      # at its end: a dialogue given its own height
            self.query_one("#exam-dialogue", VerticalScroll).scroll_relative(
                y=step * 2, animate=False)

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F8 is offered (and shown in the key bar) in practice mode only."""
        return not (action == "explain" and self.holds_app_keys)

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
            self.notify(ngettext("{count} question has no answer yet. Press F10 again to "
                                 "finish anyway.",
                                 "{count} questions have no answer yet. Press F10 again to "
                                 "finish anyway.", blank).format(count=blank), timeout=5)
            return
        self.finish_now()

    def finish_now(self) -> None:
        """Grade, save the results for the teacher, and show them."""
        if self.sitting.result is None:
            self.keep_typed()
        result = self.sitting.finish()
        # In a classroom (a browser tab) the folders are the teacher's: the student is
        # told where the result went, not a path on someone else's machine.
        classroom = status_path() is not None
        if result.mode == "exam":   # the teacher's status line learns the score
            write_status(status_path(), StudentStatus(result.student, "finished", result.score))
        directory = self.results_dir or default_results_dir()
        saved: tuple[Path, ...]
        try:
            saved = result.save(directory)
            note = _("Results saved: {json} and {csv}").format(json=saved[0], csv=saved[1])
        except OSError as error:
            saved = ()
            note = _("Could not save the results in {folder}: {error}").format(
                folder=directory, error=error.strerror or error)
        if classroom:
            note = classroom_note(result.mode, bool(saved))
        pool = None if classroom else self.sitting.pool
        if pool is not None and pool.problem:
            note += f"\n{pool.problem}"
        mine = sum(1 for question in self.sitting.exam.questions
                   if pool is not None and question in pool)
        self.app.switch_screen(ExamResultsScreen(
            result, note, pool_size=len(pool) if pool is not None else None,
            from_this_exam=mine, leave_app=self.leave_app))


def open_exam(app: App, settings: ExamSettings, clock=time.monotonic,
              pool: RetryPool | None = None, leave_app: bool = False) -> ExamScreen | None:
    """Push the exam the settings ask for on top of ``app`` (``make_app(setup=...)``);
    ``leave_app``: the app ends when the results close (``smtpsim exam``)."""
    pool = pool if pool is not None else RetryPool(settings.data_dir)
    sitting = start(settings, clock, pool)
    if not len(sitting.exam):
        app.notify(_("The retry pool is empty: nothing to practise again."))
        return None
    screen = ExamScreen(sitting, settings.results_dir, leave_app=leave_app)
    app.push_screen(screen)
    return screen
