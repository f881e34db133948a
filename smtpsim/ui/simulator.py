"""The simulator's session on the app shell: what :class:`smtpsim.ui.app.SmtpsimApp` is
made of, below its keys.

:class:`Simulator` holds the live :class:`smtpsim.mta.Session` and everything that keeps
the panes in step with it: a new connection, the lines the learner types, the snapshots
that time travel shows, the faults armed, the side panel for a lesson or an exam, and
what the shell (:mod:`smtpsim.ui.shell`) asks a mode at a line - the panes' insides, their
roles, the diagram's profile and the status line.  The earlier connections are
:class:`smtpsim.ui.connections.ConnectionHistory`'s.

What the keys do (compose, step, play, profiles, faults, the course, the journey, ...) is
the app's own, in :mod:`smtpsim.ui.app`: there ``self`` is the whole app, so an action can
hand it to the lesson pane, the exam screen or the journey panel as it is.  The public
API (``session``, ``new_session``, ``send_lines``, the side panel, the listeners) is
described in :mod:`smtpsim.ui.app`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import Vertical
from textual.widget import Widget

from ..i18n import _, ngettext
from ..mta import Entry, Fault, Session, World, parse_fault
from ..mta.phrases import error_text
from ..protocol import KNOWN_VERBS, ProtocolError
from .connections import ConnectionHistory, Kept
from .hop_view import HopView
from .journey_actions import clock_status
from .model import Exchanges, Snapshot, buffers_caption, profile_rules, role_of, take_snapshot
from .shell import DEFAULT_THEME, AppShell, Inside
from .widgets.command_bar import CommandBar
from .widgets.mta_pane import MtaPane
from .widgets.scrollbar import steady_scrollbars

if TYPE_CHECKING:
    from textual.timer import Timer

    from .export import Part
    from .model import ProfileRules

Listener = Callable[[list[Entry]], None]


class Simulator(ConnectionHistory, AppShell):
    """The live session and its panes; see the module docstring."""

    _play_timer: Timer | None = None   # F4: the client MTA steps by itself while it runs

    def __init__(self, profile: str = "modern", faults: Sequence[Fault] = (),
                 world: World | None = None, *, export_dir: Path | None = None,
                 theme: str = DEFAULT_THEME, cursor_blink: bool = True) -> None:
        super().__init__(theme=theme, cursor_blink=cursor_blink, export_dir=export_dir)
        self.profile_name = profile
        self.faults: tuple[Fault, ...] = tuple(faults)
        self.session_listeners: list[Listener] = []
        self.before_typed_lines: list[Callable[[], None]] = []
        self.pipelining = False   # the client MTA's RFC 2920 groups (ctrl+y)
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

    def stop_playing(self) -> None:
        """F4's play ends (a new connection, a later hop in the panes, or F4 again)."""
        if self._play_timer is not None:
            self._play_timer.stop()
            self._play_timer = None

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
        view = self.in_panes
        return view if isinstance(view, HopView) else None

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
        # After TURN (RFC 821 3.8) the session keeps the server that answers now, the
        # learner's own host: set when the roles swap, together with session.reversed.
        if session.turn_server is not None:
            text.append("  " + _("reversed session {state}").format(
                state=session.turn_server.state.value), "bold")
        text.append(clock_status(self), "bold")   # the simulated clock of hop 2
        return text

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
