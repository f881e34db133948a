"""The lesson pane: beside the simulator, the current step, its check and its hints.

The pane only shows; :class:`smtpsim.course.LessonRun` decides.  It listens to the
app's session (``app.session_listeners``) and, after every line the learner types
into the ordinary command line, asks the run whether the step is now passed.  When
a step needs a new connection the run asks the app for one
(``app.new_session(..., world=default_world())``: every lesson starts from the
documented world).  If the learner opens a connection of their own (F5, a new
profile, a reset world), the run follows it and the step starts again.

A step followed by one on a new connection leaves its connection on screen when it
passes: its success text sits beside what it describes (lesson 12's reversed TURN
session).  The next step's connection opens when the learner moves on - ctrl+n, or the
next command they type (``app.before_typed_lines``) - and the finished connection stays
one ctrl+pageup away.

Keys: ctrl+g the hint, ctrl+o the model answer, ctrl+n a new connection for this
step - bound here and in the app (``action_lesson``), so they work while the command
line has focus.  The buttons do the same with a click.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.widgets import Button, ProgressBar, Static

from ...course import Lesson, LessonRun, LessonSet, Progress
from ...course.lessons_run import CLOSED, PASSED, TYPING, Feedback
from ...i18n import N_, _
from ...mta import Entry, Fault, Session, default_world
from ..text import printable

if TYPE_CHECKING:
    from textual import getters

    from ..app import SmtpsimApp
    from .lesson_picker import LessonPicker

def reflow(text: str) -> str:
    """Join the hard-wrapped lines of a lesson's prose so that a narrow pane wraps them.

    Paragraphs with an indented or bulleted line (tables of codes, lists, commands)
    keep their lines as the teacher wrote them.
    """
    out = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.splitlines()
        laid_out = any(line[:1].isspace() or line.lstrip().startswith(("* ", "- "))
                       for line in lines)
        out.append(paragraph if laid_out else " ".join(line.strip() for line in lines))
    return "\n\n".join(out)


def step_marks(done: int, total: int) -> str:
    """✓ for each passed step, ▶ for the current one, · for those to come."""
    return "".join("✓" if i < done else "▶" if i == done else "·" for i in range(total))


RESTARTED_NOTE = N_("A new connection: this step starts again.")
WAITING_NOTE = N_("This connection stays on screen until you move on. The next step runs on "
                  "a new connection: press ctrl+n, or type its first command, to open it.")
MOVED_ON_NOTE = N_("A new connection for this step. ctrl+pageup shows the one before it (and "
                   "ctrl+pagedown comes back).")
MARKS = {PASSED: ("✓ ", "bold green"), CLOSED: ("✗ ", "bold red"), TYPING: ("… ", "italic")}


class LessonPane(Vertical, can_focus=True):
    DEFAULT_CSS = """
    LessonPane { height: 1fr; padding: 0 1; }
    LessonPane #lesson-title { text-style: bold; }
    LessonPane #lesson-buttons { height: auto; margin-bottom: 1; }
    LessonPane #lesson-buttons > Horizontal { width: auto; height: 1; }
    LessonPane #lesson-buttons Button { width: auto; min-width: 0; margin-right: 1; }
    /* Too narrow for one row (80 columns): two rows, the help's and the lesson's; the
       bar goes (the step line's marks say the same), so the step keeps its rows. */
    LessonPane.-narrow { padding: 0 0 0 1; }
    LessonPane.-narrow #lesson-bar { display: none; }
    LessonPane.-narrow #lesson-buttons { layout: vertical; margin-bottom: 0; }
    /* The focus border takes the left padding's column: the content keeps its width. */
    LessonPane:focus { border-left: thick $accent; padding-left: 0; }
    LessonPane #lesson-body { height: 1fr; }
    LessonPane #lesson-result { margin-top: 1; }
    LessonPane #lesson-help { margin-top: 1; color: $text-muted; }
    LessonPane #lesson-text { margin-top: 1; padding-top: 1; border-top: solid $primary; }
    """
    BINDINGS = [
        Binding("ctrl+g", "hint", N_("Hint")),
        Binding("ctrl+o", "answer", N_("Model answer")),
        Binding("ctrl+n", "reconnect", N_("New connection")),
        Binding("ctrl+f", "next", N_("Next lesson")),
    ]

    if TYPE_CHECKING:   # the pane lives in the simulator's app (open_lesson mounts it)
        app = getters.app(SmtpsimApp)   # textual's way to name the app's class

    class Finished(Message):
        """The learner passed the last step of the lesson."""

        def __init__(self, lesson_id: str) -> None:
            super().__init__()
            self.lesson_id = lesson_id

    def __init__(self, lesson: Lesson, progress: Progress | None = None,
                 lessons: LessonSet | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lesson = lesson
        self.progress = progress if progress is not None else Progress()
        self.lessons = lessons
        self.run: LessonRun | None = None
        self._busy = False          # our own calls into the app must not re-enter update()
        self.help_text = ""

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # Title, progress and buttons stay in view; the step and its feedback come first
        # in the scrolling part, the teaching text after them.
        yield Static(Text(self._title()), id="lesson-title")
        yield ProgressBar(total=len(self.lesson.steps), show_eta=False, id="lesson-bar")
        with Horizontal(id="lesson-buttons"):
            with Horizontal():      # the step's help
                yield Button("^G " + _("Hint"), id="lesson-hint", compact=True)
                yield Button("^O " + _("Answer"), id="lesson-answer", compact=True)
            with Horizontal():      # the connection and the lesson itself
                yield Button("^N " + _("New"), id="lesson-reconnect", compact=True,
                             tooltip=_("a new connection for this step"))
                if self.lessons is not None:
                    yield Button(_("Lessons"), id="lesson-picker", compact=True)
                yield Button("✕", id="lesson-close", compact=True,
                             tooltip=_("close the lesson"))
        with VerticalScroll(id="lesson-body"):
            yield Static("", id="lesson-step")
            yield Static("", id="lesson-result")
            yield Static("", id="lesson-help")
            about = Text()
            about.append(_("Goal:") + " ", "bold").append(self.lesson.goal + "\n\n")
            about.append(reflow(self.lesson.text))
            yield Static(about, id="lesson-text")

    def _title(self) -> str:
        if self.lessons is not None and self.lesson in self.lessons.lessons:
            number = self.lessons.lessons.index(self.lesson) + 1
            return _("Lesson {number} of {count} · {title}").format(
                number=number, count=len(self.lessons.lessons), title=self.lesson.title)
        return _("Lesson · {title}").format(title=self.lesson.title)

    def on_mount(self) -> None:
        self._busy = True
        try:
            self.run = LessonRun(self.lesson, self._connect, wait_to_connect=True)
        finally:
            self._busy = False
        self.app.session_listeners.append(self._on_entries)
        self.app.before_typed_lines.append(self.move_on)
        self._show(None)
        self.call_after_refresh(self._focus_command_line)

    def on_resize(self, event: Resize) -> None:
        """Two rows of buttons when one row would be cut: each button is its label, a
        column of padding either side and a column of margin (the last one's may go).
        Measured on the pane's outer width less its padding (or focus border), which the
        narrow padding does not change, so the layout cannot flip back."""
        buttons = self.query_one("#lesson-buttons").query(Button)
        one_row = sum(Text(str(button.label)).cell_len + 3 for button in buttons) - 1
        self.set_class(one_row > self.outer_size.width - 2, "-narrow")

    def _focus_command_line(self) -> None:
        """The learner answers in the app's command line, so that is where focus goes."""
        from ..widgets.command_bar import CommandBar
        for bar in self.app.query(CommandBar):
            bar.input.focus()

    def on_unmount(self) -> None:
        self.detach()

    def detach(self) -> None:
        """Stop following the session (the pane is closing or being replaced)."""
        if self._on_entries in self.app.session_listeners:
            self.app.session_listeners.remove(self._on_entries)
        if self.move_on in self.app.before_typed_lines:
            self.app.before_typed_lines.remove(self.move_on)
        self.run = None

    # -- the engine side ------------------------------------------------------------------
    def _connect(self, profile: str, faults: tuple[Fault, ...]) -> Session:
        app: SmtpsimApp = self.app
        return app.new_session(profile, faults, world=default_world())

    def _on_entries(self, entries: list[Entry]) -> None:
        run = self.run
        if self._busy or run is None or run.done:
            return
        session = self.app.session
        if run.waiting_to_connect:
            if session is not run.session:
                self.move_on()   # F5 or a new profile while waiting: the step's own connection
            return
        if session is not run.session:
            run.attach(session)      # the learner opened a connection of their own
            self._show(None, note=_(RESTARTED_NOTE))
            return
        self._busy = True
        try:
            feedback = run.update()
        finally:
            self._busy = False
        if feedback is not None:
            if feedback.status == PASSED:
                self.progress.record(self.lesson.id, run.completed, len(run.steps),
                                     run.hints_used)
                self.help_text = ""
            self._show(feedback)
            if run.done:
                self.post_message(self.Finished(self.lesson.id))

    # -- what the learner sees ----------------------------------------------------------------
    def _show(self, feedback: Feedback | None, note: str = "",
              reveal_help: bool = False) -> None:
        run = self.run
        if run is None:
            return
        self.query_one(ProgressBar).update(progress=run.completed)
        step_text = Text()
        if run.done:
            step_text.append(_("Lesson complete."), "bold green")
            following = self._next_lesson()
            if following is not None:
                step_text.append("\n" + _("Next: {title} (ctrl+f)").format(
                    title=following.title))
        else:
            step = run.current
            assert step is not None   # not done: a step is current
            step_text.append(_("Step {number} of {count}").format(number=step.number,
                                                                   count=len(run.steps)), "bold")
            step_text.append(f"  {step_marks(run.completed, len(run.steps))}\n")
            step_text.append(reflow(step.instruction))
        self.query_one("#lesson-step", Static).update(step_text)
        self.query_one("#lesson-result", Static).update(self._result(feedback, note))
        self.query_one("#lesson-help", Static).update(Text(self.help_text))
        # What the learner just asked for or just did is brought into view, once the new
        # text is laid out: a hint or model answer, else a check's result.
        if self.help_text and reveal_help:
            self.call_after_refresh(self._reveal, "#lesson-help")
        elif feedback is not None or note:
            self.call_after_refresh(self._reveal, "#lesson-result")

    def _reveal(self, selector: str) -> None:
        if self.is_mounted:
            body = self.query_one("#lesson-body", VerticalScroll)
            body.scroll_to_widget(self.query_one(selector, Static), animate=False,
                                  immediate=True)

    def _result(self, feedback: Feedback | None, note: str) -> Text:
        result = Text()
        if note:
            result.append(note + "\n", "italic")
        if feedback is None:
            return result
        if self.run is not None and self.run.waiting_to_connect:
            # The success first, beside the connection it describes; then how to go on.
            return result.append("✓ ", "bold green").append(
                printable(feedback.message, 2000)).append("\n\n" + _(WAITING_NOTE), "italic")
        mark, style = MARKS.get(feedback.status, ("✗ ", "bold yellow"))
        result.append(mark, style)
        result.append(printable(feedback.message, 2000))
        if feedback.explanation:
            # The heading and the "Why" of the engine's explanation; the app's own
            # explanation pane below shows the rest (digits, state, RFC).
            rows = feedback.explanation.splitlines()[:2]
            result.append("\n\n" + _("What happened:") + " ", "bold")
            result.append("\n".join(printable(row, 1000) for row in rows))
        return result

    def _next_lesson(self) -> Lesson | None:
        if self.lessons is None or self.lesson not in self.lessons.lessons:
            return None
        index = self.lessons.lessons.index(self.lesson) + 1
        return self.lessons.lessons[index] if index < len(self.lessons.lessons) else None

    @property
    def result_text(self) -> str:
        return str(self.query_one("#lesson-result", Static).render())

    @property
    def step_text(self) -> str:
        return str(self.query_one("#lesson-step", Static).render())

    # -- actions ----------------------------------------------------------------------------
    def action_hint(self) -> None:
        if self.run is not None and not self.run.done:
            self.help_text = _("Hint:") + " " + self.run.hint()
            self._show(self._feedback_kept(), reveal_help=True)

    def action_answer(self) -> None:
        if self.run is not None and not self.run.done:
            lines = "\n".join("  " + printable(line) for line in self.run.model_answer())
            self.help_text = _("Model answer - type:") + "\n" + lines
            self.run.hints_used += 1
            self._show(self._feedback_kept(), reveal_help=True)

    def _feedback_kept(self) -> Feedback | None:
        """What stays in the result area when help is asked for: the current step's last
        feedback, or, while the next connection waits, the success of the step before."""
        run = self.run
        if run is None or run.last is None:
            return None
        return run.last if run.last.step is run.current or run.waiting_to_connect else None

    def action_next(self) -> None:
        """The next lesson of the set, in place of this one (after it, or to skip it)."""
        following = self._next_lesson()
        if following is None:
            self.app.notify(_("This is the last lesson: ctrl+l lists them all.") if
                            self.lessons is not None else _("No lesson set to go on in."),
                            timeout=3)
            return
        open_lesson(self.app, following, self.progress, self.lessons)

    def move_on(self) -> None:
        """Open the connection the current step waits for (ctrl+n, or the learner typed
        its first command); nothing when it waits for none."""
        if self.run is not None and self.run.waiting_to_connect:
            self._open_connection(self.run.move_on, MOVED_ON_NOTE)

    def action_reconnect(self) -> None:
        if self.run is None or self.run.done:
            return
        if self.run.waiting_to_connect:
            self.move_on()
        else:
            self._open_connection(self.run.reconnect, RESTARTED_NOTE)

    def _open_connection(self, open_it: Callable[[], object], note: str) -> None:
        """Open a connection for the run (its greeting is no line to judge), then say so."""
        self._busy = True
        try:
            open_it()
        finally:
            self._busy = False
        self._show(None, note=_(note))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id
        if button == "lesson-hint":
            self.action_hint()
        elif button == "lesson-answer":
            self.action_answer()
        elif button == "lesson-reconnect":
            self.action_reconnect()
        elif button == "lesson-close":
            self.app.close_side_panel()
        elif button == "lesson-picker":
            open_lesson_picker(self.app, self.progress, self.lessons)


def open_lesson(app: SmtpsimApp, lesson: Lesson | str, progress: Progress | None = None,
                lessons: LessonSet | None = None) -> LessonPane | None:
    """Open a lesson (by id or object) in the app's side panel; None if there is no such id."""
    if isinstance(lesson, str):
        from ...course import load_lessons
        lessons = lessons or load_lessons()
        found = lessons.get(lesson)
        if found is None:
            app.notify(_("no lesson {id}").format(id=repr(lesson)), severity="error")
            return None
        lesson = found
    for previous in app.query(LessonPane):
        previous.detach()   # before the new pane opens its connection
    pane = LessonPane(lesson, progress, lessons)
    app.open_side_panel(pane)
    return pane


def open_lesson_picker(app: SmtpsimApp, progress: Progress | None = None,
                       lessons: LessonSet | None = None) -> LessonPicker:
    """Show the picker; the lesson chosen opens in the app's side panel (here, beside
    :func:`open_lesson`, so that the picker itself knows nothing of the pane)."""
    from ...course import load_lessons
    from .lesson_picker import LessonPicker
    lessons = lessons if lessons is not None else load_lessons()
    progress = progress if progress is not None else Progress()

    def chosen(lesson_id: str | None) -> None:
        if lesson_id is not None:
            open_lesson(app, lesson_id, progress, lessons)

    picker = LessonPicker(lessons, progress)
    app.push_screen(picker, chosen)
    return picker
