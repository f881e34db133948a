"""Earlier connections of the app's session: kept, viewable again, exported with F9.

A new connection (F5, a profile, a lesson step) used to replace the old one on
screen for good - a lesson's reversed TURN session vanished the moment the next step
connected.  Now each connection is kept with what the panes need to show it again
(its exchanges and its buffer snapshots), and ctrl+pageup / ctrl+pagedown step
through them: the panes, the diagram and the explanation show that connection, and
selecting a line time-travels in it as in the live one.  Typing, F3 or a new
connection go back to the live connection first.  At most ``EARLIER_KEPT`` are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from ..i18n import N_, _
from ..mta import Session
from .model import Exchanges, Snapshot
from .widgets.mta_pane import MtaPane

if TYPE_CHECKING:
    from textual.widget import Widget

    from .hop_view import HopView

    _W = TypeVar("_W", bound=Widget)

EARLIER_KEPT = 20
VIEWING = N_("connection {number} of {total} (earlier: ctrl+pagedown goes on, typing goes "
             "live)")
NO_EARLIER = N_("no earlier connection in this session")


@dataclass
class Kept:
    """One connection and what its panes showed."""

    session: Session
    exchanges: Exchanges
    snapshots: list[Snapshot]
    snapshot_ends: list[int]


class _App(Protocol):
    """What ConnectionHistory uses of the app it is mixed into (the simulator,
    :class:`smtpsim.ui.simulator.Simulator`)."""

    earlier: list[Kept]
    viewing: int | None
    _live: Kept | None
    session: Session
    exchanges: Exchanges
    snapshots: list[Snapshot]
    _snapshot_ends: list[int]
    status_note: str
    selected: int | None
    hop_view: HopView | None

    def query_one(self, selector: str, expect_type: type[_W]) -> _W: ...
    def refresh_view(self) -> None: ...
    def back_to_live(self) -> None: ...
    def _put_on_screen(self, kept: Kept) -> None: ...


class ConnectionHistory:
    """Mixed into the app: ``self.earlier`` and ``self.viewing`` (None: the live one)."""

    earlier: list[Kept]
    viewing: int | None = None
    _live: Kept | None = None
    # The app's, set here too: the selection (AppShell's; None follows the newest line)
    # and the later hop in the panes (the simulator's, hop_view.py).
    selected: int | None
    hop_view: HopView | None

    def keep_current(self: _App) -> None:
        """Before a new connection replaces it on screen."""
        self.back_to_live()
        self.earlier.append(Kept(self.session, self.exchanges, self.snapshots,
                                 self._snapshot_ends))
        del self.earlier[:-EARLIER_KEPT]

    @property
    def connections(self: _App) -> list[Session]:
        """Every connection of the app session, oldest first, the live one last."""
        live = self._live.session if self._live is not None else self.session
        return [kept.session for kept in self.earlier] + [live]

    def action_view_connection(self: _App, step: int) -> None:
        """ctrl+pageup / ctrl+pagedown: the connection before / after the one shown."""
        here = len(self.earlier) if self.viewing is None else self.viewing
        target = max(0, min(len(self.earlier), here + step))
        if not self.earlier:
            self.status_note = _(NO_EARLIER)
            self.refresh_view()
            return
        if target == len(self.earlier):
            self.back_to_live()
            return
        if self._live is None:
            self._live = Kept(self.session, self.exchanges, self.snapshots,
                              self._snapshot_ends)
        self.viewing = target
        self._put_on_screen(self.earlier[target])
        self.status_note = _(VIEWING).format(number=target + 1, total=len(self.earlier) + 1)
        self.refresh_view()

    def back_to_live(self: _App) -> None:
        if self.hop_view is not None:   # a later hop was shown: the live session again
            self.hop_view.leave()
        if self._live is None:
            return
        live, self._live, self.viewing = self._live, None, None
        self.status_note = ""
        self._put_on_screen(live)
        self.refresh_view()

    def _put_on_screen(self: _App, kept: Kept) -> None:
        self.hop_view = None   # a connection of hop 1 replaces a later hop in the panes
        self.session, self.exchanges = kept.session, kept.exchanges
        self.snapshots, self._snapshot_ends = kept.snapshots, kept.snapshot_ends
        self.selected = None
        world = kept.session.world
        entries = list(kept.session.transcript.entries)
        for pane, host, role in ((self.query_one("#left", MtaPane), world.client.name,
                                  "client"),
                                 (self.query_one("#right", MtaPane), world.server.name,
                                  "server")):
            pane.reset(host, role)
            pane.add_entries(entries)
