"""The smtpsim terminal app: client MTA and server MTA side by side, every line explained.

Build it with :func:`make_app` - the CLI, the tests and ``smtpsim screenshots`` all do.
The screen, selection, time travel, help, palette, themes and export are the shell's
(:class:`smtpsim.ui.shell.AppShell`, shared with ``--listen`` and ``--connect``); this
module adds the simulator's own session: typing, snapshots for time travel, faults and
the side panel.  Its keys are the table of :mod:`smtpsim.ui.keys`, acted on in
:mod:`smtpsim.ui.actions`.

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

import bisect
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.containers import Vertical
from textual.widget import Widget

from ..i18n import _, ngettext
from ..mta import Entry, Fault, Session, World, parse_fault
from ..mta.phrases import error_text
from ..protocol import KNOWN_VERBS, ProtocolError
from .actions import AppActions
from .bindings_i18n import translate_bindings
from .connections import ConnectionHistory, Kept
from .journey_actions import clock_status
from .journey_actions import refresh_panel as refresh_journey_panel
from .keys import ACTIONS, BINDINGS, SHOWN_KEYS
from .model import Exchanges, Snapshot, buffers_caption, profile_rules, role_of, take_snapshot
from .shell import DEFAULT_THEME, PROJECTOR, AppShell, Inside
from .startup import freeze_long_lived
from .widgets.command_bar import CommandBar
from .widgets.diagram import StateDiagram
from .widgets.explanation import ExplanationPane
from .widgets.key_bar import KeyBar
from .widgets.mta_pane import MtaPane
from .widgets.scrollbar import steady_scrollbars
from .widgets.text_view import TextView

if TYPE_CHECKING:
    from ..mta.live_queue import LiveQueue
    from .export import Part
    from .hop_view import HopView
    from .model import ProfileRules

__all__ = ["DEFAULT_THEME", "PROJECTOR", "SmtpsimApp", "make_app"]

Listener = Callable[[list[Entry]], None]
ACTION_NAMES = frozenset(action.split("(")[0] for _, action, *_ in ACTIONS)


class SmtpsimApp(AppActions, ConnectionHistory, AppShell):
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
        super().__init__(theme=theme, cursor_blink=cursor_blink, export_dir=export_dir)
        self.profile_name = profile
        self.faults: tuple[Fault, ...] = tuple(faults)
        self.extra = extra
        self.session_listeners: list[Listener] = []
        self.before_typed_lines: list[Callable[[], None]] = []
        self._setup = setup
        self._initial_world = world
        self.pipelining = False   # the client MTA's RFC 2920 groups (ctrl+y)
        self.messages_composed = 0   # F2: numbers the Message-ID of each composed message
        self.session: Session = Session(profile, self.faults, world)
        # Earlier connections of this app session, oldest first: viewable again
        # (ctrl+pageup) and exported with F9 (see connections.py).
        self.earlier: list[Kept] = []
        self.snapshots: list[Snapshot] = []
        self._snapshot_ends: list[int] = []

    @property
    def entries(self) -> list[Entry]:
        """The transcript on screen: the live connection's, or an earlier one's."""
        return self.session.transcript.entries

    # -- layout -----------------------------------------------------------------------------
    def pane_hosts(self) -> tuple[str, str]:
        world = self.session.world
        return world.client.name, world.server.name

    def compose_side(self) -> Iterable[Widget]:
        return [Vertical(id="side")]

    def compose_bar(self) -> Iterable[Widget]:
        return [CommandBar(id="bar", blink=self._blink)]

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

    # -- sessions -----------------------------------------------------------------------------
    def new_session(self, profile: str | None = None,
                    faults: Iterable[Fault | str] | None = None,
                    world: World | None = None) -> Session:
        if profile is not None:
            self.profile_name = profile
        if faults is not None:
            self.faults = tuple(f if isinstance(f, Fault) else parse_fault(f, KNOWN_VERBS)
                                for f in faults)
        self.stop_playing()
        self.keep_current()
        self.session = Session(self.profile_name, self.faults, world or self.session.world,
                               pipelining=self.pipelining)
        self.exchanges, self.snapshots, self._snapshot_ends = Exchanges(), [], []
        self.selected = None
        world = self.session.world
        self.query_one("#left", MtaPane).reset(world.client.name, "client")
        self.query_one("#right", MtaPane).reset(world.server.name, "server")
        self._advise_for_profile()
        self._apply(list(self.session.transcript.entries))
        return self.session

    def _advise_for_profile(self) -> None:
        """The prompt's advice follows the profile: HELO on an RFC 821 host, and the
        verbs this host refuses are marked as the learner types them."""
        rules = profile_rules(self.session.profile)
        self.query_one(CommandBar).set_host_rules(rules.greeting, dict(rules.refused),
                                                  rules.rfc821)

    def export_parts(self, whole: bool) -> list[Part]:
        """What F9 exports: this connection, or every connection of the app session."""
        from .export import session_part
        if not whole:
            return [session_part(self.session)]
        return [session_part(s, f"{s.profile.name} profile") for s in self.connections]

    def connection_count(self) -> int:
        return len(self.connections)

    def send_lines(self, lines: Sequence[str]) -> list[Entry]:
        """Type lines as the learner; stop at a closed connection and say so."""
        self.back_to_live()
        start = len(self.session.transcript)
        unsent = 0
        for n, line in enumerate(lines):
            if self.session.closed:
                unsent = len(lines) - n
                break
            try:
                self.session.type_line(line)
            except ProtocolError as error:
                self.notify(error_text(error), severity="warning", markup=False)
                unsent = len(lines) - n
                break
            if not self.session.in_data and n < len(lines) - 1:
                # Each command gets its own snapshot, so stepping back shows the buffers
                # as they were after it; message text lines share one.
                self._record_snapshot()
        new = self.session.transcript.entries[start:]
        if unsent:
            self.status_note = ngettext("{count} line not sent: the connection is closed",
                                        "{count} lines not sent: the connection is closed",
                                        unsent).format(count=unsent)
        self._apply(list(new))
        return list(new)

    def _record_snapshot(self) -> None:
        previous = self.snapshots[-1] if self.snapshots else None
        snapshot = take_snapshot(self.session, previous)
        if self._snapshot_ends and self._snapshot_ends[-1] == snapshot.upto:
            self.snapshots[-1] = snapshot
        else:
            self.snapshots.append(snapshot)
            self._snapshot_ends.append(snapshot.upto)

    def arm_fault(self, fault: Fault | str) -> Fault:
        """Arm on the current connection (from its next matching command) and on new ones."""
        if isinstance(fault, str):
            fault = parse_fault(fault, KNOWN_VERBS)
        self.faults = self.faults + (fault,)
        if fault.verb != "CONNECT" and not self.session.reversed:
            self.session.arm(fault)
        self.refresh_view()
        return fault

    def _apply(self, entries: list[Entry], notify: bool = True) -> None:
        """Everything that follows a change: panes, snapshot, selection, listeners."""
        # One layout and one paint for the whole change; scrollbars repaint only if
        # their final look differs from the one on the screen.
        with self.batch_update(), steady_scrollbars():
            if entries:
                self.exchanges.add(entries)
                for pane in self.query(MtaPane):
                    pane.add_entries(entries)
            self._record_snapshot()
            bar = self.query_one(CommandBar)
            bar.data_mode = self.session.in_data and not self.session.closed
            bar.closed = self.session.closed
            self.refresh_view()
        if notify and entries:
            for listener in list(self.session_listeners):
                try:
                    listener(entries)
                except Exception as error:   # a broken pane must not take the app down
                    self.notify(_("a session listener failed: {error!r}").format(error=error),
                                severity="error", markup=False)

    # -- what the shell shows at a line -----------------------------------------------------
    @property
    def hop_view(self) -> HopView | None:
        """A later hop shown in the panes (hop_view.py); None: this session's own lines."""
        return self.in_panes   # type: ignore[return-value]

    @hop_view.setter
    def hop_view(self, view: HopView | None) -> None:
        self.in_panes = view

    def snapshot_at(self, index: int) -> Snapshot:
        return self.snapshots[min(bisect.bisect_left(self._snapshot_ends, index),
                                  len(self.snapshots) - 1)]

    def pane_roles(self, index: int) -> tuple[str, str]:
        turned = self.entries[index].reversed_roles
        left, right = (role_of(pane.host, self.session, turned) for pane in self.query(MtaPane))
        return left, right

    def buffers_caption(self, index: int) -> str:
        return buffers_caption(index, self.snapshot_at(index).upto)

    def inner_views(self, index: int | None) -> tuple[Inside, Inside]:
        views = self.snapshot_at(index if index is not None else 0).views
        left, right = (views.get(pane.host) for pane in self.query(MtaPane))
        return left, right

    def diagram_rules(self) -> ProfileRules:
        return profile_rules(self.session.profile)

    def status_text(self, index: int | None) -> Text:
        session = self.session
        text = Text()
        text.append("smtpsim", "bold").append("  " + _("profile {name}").format(
            name=session.profile.name))
        faults = " ".join(f.spec for f in self.faults) or _("none")
        text.append("  " + _("faults {faults}").format(faults=faults))
        if self.pipelining:
            text.append("  pipelining")   # the client MTA's RFC 2920 groups (ctrl+y)
        text.append("  " + _("state {state}").format(state=session.state.value), "bold")
        if session.reversed:
            text.append("  " + _("reversed session {state}").format(
                state=session.turn_server.state.value), "bold")
        text.append(clock_status(self), "bold")   # the simulated clock of hop 2
        return text

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

    # -- the side panel ----------------------------------------------------------------------
    def open_side_panel(self, widget: Widget) -> None:
        side = self.query_one("#side", Vertical)
        side.remove_children()
        side.mount(widget)
        side.add_class("-open")
        self.query_one("#main").add_class("-side")   # the panes narrow: stack their insides

    def close_side_panel(self) -> None:
        side = self.query_one("#side", Vertical)
        side.remove_children()
        side.remove_class("-open")
        self.query_one("#main").remove_class("-side")

    @property
    def side_panel_open(self) -> bool:
        return self.query_one("#side", Vertical).has_class("-open")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The command palette offers lookups: not while an exam holds the app's keys."""
        # F8 and the rest wait for the exam's end (hidden, not run).
        held = getattr(self.screen, "holds_app_keys", False)
        return not (held and (action == "command_palette" or action in ACTION_NAMES))

    def on_click(self, event) -> None:
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

    # -- input ---------------------------------------------------------------------------------
    def on_command_bar_submitted(self, event: CommandBar.Submitted) -> None:
        self.back_to_live()
        for prepare in list(self.before_typed_lines):
            prepare()
        self.status_note = ""
        if self.session.closed:
            self.status_note = _("the connection is closed: F5 opens a new one")
            self.refresh_view()
            return
        self.selected = None
        self.send_lines(event.lines)


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
