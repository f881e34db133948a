"""The smtpsim terminal app: client MTA and server MTA side by side, every line explained.

Build it with :func:`make_app` - the CLI, the tests and ``smtpsim screenshots`` all do.
The screen, selection, time travel, help, palette, themes and export are the shell's
(:class:`smtpsim.ui.shell.AppShell`, shared with ``--listen`` and ``--connect``); the
simulator's own session - typing, snapshots for time travel, faults and the side panel -
is :class:`smtpsim.ui.simulator.Simulator`.  This module adds what the keys do (compose,
step, play, connections, profiles, faults, the course, the journey, mailboxes, tall view,
language): the keys are the table of :mod:`smtpsim.ui.keys`, and their ``action_*``
methods are the app's own, so each can hand ``self`` (the whole app) to the lesson pane,
the exam screen or the journey panel.

Public API (stable; the course panes under ``smtpsim.ui.course`` build on it):

``app.session``
    The current :class:`smtpsim.mta.Session`.  Read it; change it only through the
    methods below, so that every pane stays in step.
``app.new_session(profile=None, faults=None, world=None) -> Session``
    Open a new connection (``None`` keeps the current profile / faults / world; pass
    ``world=default_world()`` for a fresh world).  Listeners are then called with the
    new session's first entries (its greeting).
``app.send_lines(lines) -> list[Entry]``
    Type lines as the learner would (after a 354 they are message text).
``app.open_side_panel(widget)`` / ``app.close_side_panel()``
    A right-hand column, hidden by default, for a lesson or exam pane; opening it
    again replaces its content.
``app.session_listeners: list[Callable[[list[Entry]], None]]``
    Called after every change to the transcript with the entries it added (typed
    lines, client MTA steps, a new connection's greeting).  ``app.session`` is
    already up to date when they run; a listener that raises is reported, not fatal.
``app.before_typed_lines: list[Callable[[], None]]``
    Called when the learner submits a line, before it is sent: a lesson waiting to open
    its next step's connection opens it there, so the line goes to the new connection.
``app.extra``
    The extra keyword options given to :func:`make_app` (e.g. a lesson id), untouched.
``make_app(..., setup=callable)``
    ``setup(app)`` runs once the screen is mounted: the place to open a side panel.
    When extra options were given and ``smtpsim.ui.course`` defines ``attach(app)``,
    it is called next, so ``make_app(profile, faults, lesson_id=...)`` is enough.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.binding import Binding

from ..i18n import _
from ..mta import Fault, OutgoingMessage, World, default_world, parse_fault
from ..protocol import KNOWN_VERBS
from .bindings_i18n import translate_bindings
from .journey_actions import refresh_panel as refresh_journey_panel
from .keys import ACTIONS, BINDINGS, SHOWN_KEYS
from .shell import DEFAULT_THEME, PROJECTOR
from .simulator import Listener, Simulator
from .startup import freeze_long_lived
from .widgets.command_bar import CommandBar, CommandInput
from .widgets.diagram import StateDiagram
from .widgets.explanation import ExplanationPane
from .widgets.key_bar import KeyBar
from .widgets.mta_pane import MtaPane
from .widgets.text_view import TextView
from .widgets.transcript_view import TranscriptView

if TYPE_CHECKING:
    from ..mta.live_queue import LiveQueue

__all__ = ["DEFAULT_THEME", "PROJECTOR", "SmtpsimApp", "make_app"]

ACTION_NAMES = frozenset(action.split("(")[0] for _key, action, *_rest in ACTIONS)
PLAY_INTERVAL = 0.4   # seconds between two steps of the client MTA when playing


class SmtpsimApp(Simulator):
    """The simulator: its session (:class:`Simulator`) and what its keys do."""

    ACTIONS = ACTIONS
    BINDINGS = BINDINGS
    # Set on first use by journey_actions (read there with getattr, so never assigned here)
    _live_queue: LiveQueue
    _journey_listener: Listener

    def __init__(self, profile: str = "modern", faults: Sequence[Fault] = (),
                 world: World | None = None, *, export_dir: Path | None = None,
                 theme: str = DEFAULT_THEME, cursor_blink: bool = True,
                 setup: Callable[[SmtpsimApp], None] | None = None,
                 **extra: Any) -> None:
        super().__init__(profile, faults, world, export_dir=export_dir, theme=theme,
                         cursor_blink=cursor_blink)
        self.extra = extra
        self._setup = setup
        self.messages_composed = 0   # F2: numbers the Message-ID of each composed message

    def shown_keys(self) -> list[tuple[str, str, str]]:
        return SHOWN_KEYS

    def on_mount(self) -> None:
        self._advise_for_profile()
        self._apply(list(self.session.transcript.entries), notify=False)
        self.query_one(CommandBar).input.focus()
        if self.is_web:   # in a browser tab (smtpsim classroom)
            from .served import serve_keys
            serve_keys(self)
        if self._setup is not None:
            self._setup(self)
        if self.extra:
            self._attach_course()

    def _attach_course(self) -> None:
        """Options such as ``lesson_id`` are for the course panes: ``ui.course.attach(app)``."""
        try:
            from . import course
        except ModuleNotFoundError as error:
            if error.name != f"{__package__}.course":
                raise
            return
        attach = getattr(course, "attach", None)
        if attach is not None:
            attach(self)

    # -- help: the simulator's groups after the shell's ----------------------------------
    def key_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        # BINDINGS may hold tuples too: make_bindings reads them as Textual does
        input_keys = [(b.key, _(b.description)) for b in Binding.make_bindings(
            CommandInput.BINDINGS) if not b.action.startswith("app.")]   # app keys: above
        input_keys += [(_("→ at the end"), _("Accept the grey completion")),
                       ("enter", _("Send the line (in DATA mode: a line of message text)")),
                       (_("paste"), _("A pasted block is sent line by line, like a script"))]
        pane_keys = [(b.key, _(b.description))
                     for b in Binding.make_bindings(TranscriptView.BINDINGS)]
        pane_keys.append((_("click"), _("Select that line")))
        groups = [(_("Everywhere"), self.everywhere_keys()), (_("Command line"), input_keys),
                  (_("Transcript panes (client and server)"), pane_keys)]
        if self.is_web:
            from .served import HELP_GROUP, help_rows
            groups.insert(1, (_(HELP_GROUP), help_rows()))
        return groups

    # -- the client MTA plays by itself ---------------------------------------------------
    def action_compose(self) -> None:
        from .screens.compose import ComposeScreen
        world = self.session.world
        first_user = next(iter(world.server.users))
        # every composed message gets its own Message-ID (RFC 5322 3.6.4), also when
        # the same text is composed twice
        self.messages_composed += 1
        screen = ComposeScreen(f"{world.learner}@{world.client.name}",
                               f"{first_user}@{world.server.name}",
                               number=self.messages_composed)
        self.push_screen(screen, self._on_message_composed)

    def _on_message_composed(self,
                             result: tuple[OutgoingMessage, bool] | None) -> None:
        if result is None:
            return
        message, play = result
        self.queue_message(message)
        if play:
            self.action_play()

    def queue_message(self, message: OutgoingMessage) -> None:
        if self.session.closed:
            self.new_session()
        self.session.queue_message(message)
        self.status_note = _("queued for {recipients}: F3 steps, F4 plays").format(
            recipients=", ".join(message.recipients))
        self._apply([])

    def action_step(self) -> bool:
        """One step of the client MTA; False when it has nothing left to do."""
        self.back_to_live()
        self.selected = None
        entries = self.session.play_step()
        self.status_note = "" if entries else _("the client MTA has nothing to send")
        self._apply(entries)
        return bool(entries)

    def action_play(self) -> None:
        if self._play_timer is not None:
            self.stop_playing()
            self.status_note = _("paused: F3 steps, F4 plays on")
            self.refresh_view()
            return
        self._play_timer = self.set_interval(PLAY_INTERVAL, self._play_tick)

    def _play_tick(self) -> None:
        if not self.action_step():
            self.stop_playing()

    def action_toggle_pipelining(self) -> None:
        self.pipelining = not self.pipelining
        if not self.pipelining:
            self.status_note = _("client pipelining off: one command, then its reply; new "
                                 "connection")
        elif self.session.profile.advertises("PIPELINING"):
            self.status_note = _("client pipelining on (RFC 2920): MAIL, RCPT and DATA go out "
                                 "together, replies come back in order; new connection")
        else:
            self.status_note = _("client pipelining on, but the {profile} server lists no "
                                 "PIPELINING: one command at a time; new connection").format(
                profile=self.session.profile.name)
        self.new_session()

    # -- connections, profiles, faults -------------------------------------------------------
    def action_new_connection(self) -> None:
        self.status_note = _("new connection")
        self.new_session()

    def action_reset(self) -> None:
        self.status_note = _("fresh world, new connection")
        self.new_session(world=default_world())

    def action_pick_profile(self) -> None:
        from .screens.pickers import ProfilePicker

        def chosen(name: str | None) -> None:
            if name:
                self.status_note = _("profile {name}: new connection").format(name=name)
                self.new_session(profile=name)
        self.push_screen(ProfilePicker(self.session.profile.name), chosen)

    def action_pick_fault(self) -> None:
        from .screens.pickers import FaultPicker

        def chosen(fault: Fault | None) -> None:
            if fault is not None:
                self.arm_fault(fault)
                where = (_("the next connection (F5)") if fault.verb == "CONNECT"
                         else _("this connection and new ones"))
                self.status_note = _("armed {fault} on {where}").format(fault=fault.spec,
                                                                       where=where)
                self.refresh_view()
        self.push_screen(FaultPicker(), chosen)

    # -- the course: lessons and exam practice -------------------------------------------
    def action_lessons(self) -> None:
        from .course.lesson_pane import open_lesson_picker
        open_lesson_picker(self)

    def action_lesson(self, name: str) -> None:
        """The open lesson's hint / answer / reconnect, whichever widget has focus."""
        from .course.lesson_pane import LessonPane
        panes = list(self.query(LessonPane))
        if not panes:
            self.notify(_("No lesson is open: ctrl+l picks one."), timeout=3)
            return
        for pane in panes:
            getattr(pane, "action_" + name)()

    def action_exam_practice(self) -> None:
        """Practice mode (feedback after each answer, no clock) on a newly drawn seed."""
        import secrets

        from ..course.exam import MAX_SEED, ExamSettings
        from .course.exam_screen import open_exam
        seed = secrets.randbelow(MAX_SEED) + 1
        screen = open_exam(self, ExamSettings(seed=seed, practice=True))
        if screen is not None:
            self.notify(_("Practice questions, seed {seed} (smtpsim exam --seed {seed} "
                          "gives them again)").format(seed=seed), timeout=5, markup=False)

    # -- the journey, export, mailboxes, views, language ---------------------------------
    def action_journey(self) -> None:
        from .journey_actions import toggle_panel
        toggle_panel(self)

    def action_clock_next(self) -> None:
        from .journey_actions import advance
        advance(self)

    def action_queue_to_end(self) -> None:
        from .journey_actions import run_to_end
        run_to_end(self)

    def action_export(self) -> None:
        if self.is_web:   # in a browser tab: the files go to the student's browser
            from .served import deliver_export
            deliver_export(self)
            self.refresh_view()
            return
        super().action_export()

    def action_mailboxes(self, user: str | None = None) -> None:
        from .screens.mailbox import MailboxScreen
        world = self.session.turn_server.world if self.session.turn_server else \
            self.session.world
        self.push_screen(MailboxScreen(world, user))

    def action_toggle_tall(self) -> None:
        self.screen.toggle_class("-tall")

    def action_live(self) -> None:
        if self.selected is None and self.viewing is not None:
            self.back_to_live()   # Esc at an earlier connection's newest line: live again
            return
        super().action_live()

    def action_switch_language(self) -> None:
        """The next language smtpsim has, for this run and (in the settings file) the next;
        the session, the world and lesson progress are untouched."""
        from .. import i18n, settings
        languages = i18n.available()
        current = i18n.language()
        chosen = i18n.set_language(
            languages[(languages.index(current) + 1) % len(languages)]
            if current in languages else i18n.ENGLISH)
        try:
            settings.save(language=chosen)
        except OSError as error:
            self.notify(_("Language not saved: {error}").format(error=error),
                        severity="warning", markup=False)
        self.status_note = _("Language: {name}").format(
            name=i18n.NATIVE_NAMES.get(chosen, chosen))
        self.retranslate()

    def retranslate(self) -> None:
        """Show the current language everywhere it is drawn (after F12): titles, key bar,
        status, explanation; the session, the world and any open lesson stay as they are."""
        for pane in self.query(MtaPane):
            pane.border_title = ""   # set_role (from refresh_view) titles it again
        self.query_one(ExplanationPane).border_title = _("why this reply, now")
        self.query_one(StateDiagram).retitle()
        self.query_one(CommandBar).say_again()
        self.query_one(KeyBar).redraw()
        refresh_journey_panel(self)   # its words, if it is open (no second refresh_view)
        translate_bindings(self)
        self.refresh_view()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The command palette offers lookups: not while an exam holds the app's keys."""
        # F8 and the rest wait for the exam's end (hidden, not run).
        held = getattr(self.screen, "holds_app_keys", False)
        return not (held and (action == "command_palette" or action in ACTION_NAMES))

    def on_click(self, event: events.Click) -> None:
        """A click on a user in the server pane opens that user's delivered mail."""
        widget = event.widget
        if not (isinstance(widget, TextView) and widget.has_class("users")):
            return
        offset = event.get_content_offset(widget)
        if offset is None:
            return
        rows = widget.text.plain.split("\n")
        row = offset.y + widget.scroll_offset.y
        name = rows[row].split(" ", 1)[0] if 0 <= row < len(rows) else ""
        if name in self.session.world.server.users:
            self.action_mailboxes(name)


def make_app(profile: str = "modern", faults: Sequence[Fault | str] = (),
             world: World | None = None, **extra: Any) -> SmtpsimApp:
    """The one factory: CLI, tests and screenshots build the app the same way.

    ``faults`` may be :class:`Fault` objects or specs like ``"RCPT#2=452"``.
    Known options: ``export_dir``, ``theme``, ``cursor_blink``, ``setup``; any other
    keyword is kept in ``app.extra`` for the course panes.
    """
    armed = tuple(f if isinstance(f, Fault) else parse_fault(f, KNOWN_VERBS) for f in faults)
    app = SmtpsimApp(profile, armed, world, **extra)
    freeze_long_lived()   # start-up: the collector skips the imports' objects (~30 ms)
    return app
