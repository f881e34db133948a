"""A later hop in the two MTA panes: mail.example as the client, the next server beside it.

Selecting a hop in the journey panel (ctrl+k) puts that hop's dialogue where hop 1's is:
the left pane is the hop's client (mail.example, now a client MTA: "a given host may act
both as server and client in a relay situation", RFC 5321 2.3.2), the right pane the
server it reached.  The
state diagram and the explanation pane follow the selected line exactly as on hop 1 - the
explanation is found by the reply's id (``explain_entry``) - and the servers of hop 2 run
the modern profile.  Typing, F3 or selecting hop 1 put the live session back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from ..i18n import N_, _
from ..mta.clock import label
from ..mta.explain import explain_entry
from ..mta.profiles import MODERN
from ..mta.transcript import SERVER
from .connections import Kept
from .model import Exchanges, moment_at, profile_rules, viewing
from .widgets.diagram import StateDiagram
from .widgets.explanation import ExplanationPane
from .widgets.mta_pane import MtaPane

if TYPE_CHECKING:
    from ..mta.hops import Hop
    from .app import SmtpsimApp

STATUS = N_("hop {number} {client} -> {server} at {clock}: {where} · typing or hop 1 "
            "in the journey goes live")
CLIENT_SIDE = N_("{host} is the client MTA on this hop: it took the message from its queue "
                 "and opened this connection itself - a relay is a server on one side and a "
                 "client on the other (RFC 5321 2.3.2, 2.3.10)")
SERVER_SIDE = N_("{host}: a server of the wider world (modern profile); its insides are out "
                 "of sight")
NO_SERVER = N_("{host}: no server talked on this hop; the notes say why")


class HopView:
    """The app's panes showing one hop; ``app.hop_view`` holds it while it is shown."""

    def __init__(self, app: SmtpsimApp, hop: Hop) -> None:
        self.app = app
        self.hop = hop
        self.entries = list(hop.transcript.entries)
        self.exchanges = Exchanges()
        self.exchanges.add(self.entries)
        self.index = 0

    def enter(self, index: int = 0) -> None:
        app = self.app
        if app.hop_view is None:
            app.back_to_live()   # from an earlier connection, the live one first
        app.stop_playing()
        app.hop_view = self
        left, right = app.query_one("#left", MtaPane), app.query_one("#right", MtaPane)
        left.reset(self.hop.client, "client")
        right.reset(self.hop.server, "server")
        left.add_entries(self.entries)
        right.add_entries(self.entries)
        self.select(index)

    def select(self, index: int | None) -> None:
        """A line of the hop (None: its newest), shown with its pair and explanation."""
        last = len(self.entries) - 1
        self.index = last if index is None else max(0, min(index, last))
        self.app.selected = self.index
        self.show()

    def show(self) -> None:
        app, hop = self.app, self.hop
        if not self.entries:
            return
        entry = self.entries[self.index]
        pair = self.exchanges.members(self.index)
        where = viewing(self.index, len(self.entries))
        answered = any(e.side == SERVER for e in self.entries)
        for pane in app.query(MtaPane):
            pane.view.show_selection(self.index, pair, follow=False)
            if pane.role == "client":
                words = _(CLIENT_SIDE)
            else:
                words = _(SERVER_SIDE) if answered else _(NO_SERVER)
            pane.show_message(Text(words.format(host=pane.host), "dim"), where)
        app.query_one(StateDiagram).show(moment_at(self.entries, self.index), where,
                                         profile_rules(MODERN))
        app.query_one(ExplanationPane).show(explain_entry(entry), where)
        status = Text(_(STATUS).format(number=hop.number, client=hop.client,
                                       server=hop.server, clock=label(hop.started),
                                       where=where), "bold")
        if app.status_note:
            status.append(f"  · {app.status_note}")
        app.show_status(status)

    def leave(self) -> None:
        """Hop 1 again: the live session's lines, buffers and explanation."""
        app = self.app
        app.hop_view = None
        app._status_text = None
        app._put_on_screen(Kept(app.session, app.exchanges, app.snapshots,
                                app._snapshot_ends))
        app.refresh_view()


def show_hop(app: SmtpsimApp, hop: Hop | None, index: int = 0) -> None:
    """Show ``hop`` in the panes; None: hop 1, the live session."""
    if hop is None:
        if app.hop_view is not None:
            app.hop_view.leave()
        return
    if app.hop_view is not None and app.hop_view.hop is hop:
        app.hop_view.select(index)
        return
    HopView(app, hop).enter(index)
