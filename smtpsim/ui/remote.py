"""What the two real-TCP modes of the app share: ``--listen PORT`` and ``--connect HOST:PORT``.

In both, the conversation is not the app's own :class:`smtpsim.mta.Session`: the
other end is a real program.  The screen is the simulator's (client pane, server pane,
state diagram, explanation), fed with the same :class:`smtpsim.mta.Entry` objects
that ``smtpsim.net`` records, so selecting a line, time travel (PgUp/PgDn/Esc) and
the explanation work as in the app.  What the app cannot see of the remote side it
does not draw: each pane says in words what is real and what is out of sight.

* :mod:`smtpsim.ui.listen` - the server MTA on a port; students connect with telnet.
* :mod:`smtpsim.ui.connect` - the learner's command line talks to a real server.

Each mode has its own key table (the simulator's compose / step / profile / fault /
lesson keys would act on a session that is not on screen, so they are not offered).
The screen, the selection, time travel, help, palette, lookup, themes and export are
the shell's (:class:`smtpsim.ui.shell.AppShell`), as in the simulator; this module
adds what both real-TCP modes hold: the list of entries on screen, shown from its
start when the conversation changes.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult

from ..i18n import N_, _
from ..mta import Entry, Transcript
from .export import Part
from .model import Exchanges
from .shell import DEFAULT_THEME, AppShell
from .widgets.mta_pane import MtaPane


class RemoteApp(AppShell):
    """The simulator's panes around one conversation with a real program.

    Subclasses set ``ACTIONS`` (their key table, ``BINDINGS = bindings_for(ACTIONS)``),
    compose the bottom bar in :meth:`compose_bar` and describe what each pane cannot
    show in :meth:`inner_views`.
    """

    CSS = """
    #lookup-bar { height: 1; }
    #lookup-prompt { width: 9; padding: 0 1; background: $secondary; color: $background;
                     text-style: bold; }
    #lookup-bar Input { border: none; height: 1; padding: 0 1; width: 1fr;
                        background: $boost; }
    #lookup-bar Input:focus { background: $primary 25%; border: none; }
    """
    PINNED_KEYS = 2     # the palette and Quit

    def __init__(self, client_label: str, server_label: str, *,
                 theme: str = DEFAULT_THEME, cursor_blink: bool = True,
                 export_dir: Path | None = None) -> None:
        super().__init__(theme=theme, cursor_blink=cursor_blink, export_dir=export_dir)
        self.client_label = client_label
        self.server_label = server_label
        self.entries: list[Entry] = []

    def pane_hosts(self) -> tuple[str, str]:
        return self.client_label, self.server_label

    def shown_keys(self) -> list[tuple[str, str, str]]:
        return super().shown_keys() + [("ctrl+q", "quit", N_("Quit"))]

    def compose_bar(self) -> ComposeResult:
        yield from ()

    # -- the conversation on screen -----------------------------------------------------------
    def show_conversation(self, entries: list[Entry], client_label: str,
                          server_label: str) -> None:
        """Show another conversation from its start (a new connection, another client)."""
        self.entries, self.exchanges, self.selected = [], Exchanges(), None
        self.client_label, self.server_label = client_label, server_label
        self.query_one("#left", MtaPane).reset(client_label, "client")
        self.query_one("#right", MtaPane).reset(server_label, "server")
        self.add_entries(entries)

    def add_entries(self, entries: list[Entry]) -> None:
        """New lines of the conversation on screen (their ``index`` continues the list)."""
        with self.batch_update():
            if entries:
                self.entries.extend(entries)
                self.exchanges.add(entries)
                for pane in self.query(MtaPane):
                    pane.add_entries(entries)
            self.refresh_view()

    # -- export (F9): the conversation on screen, as in the simulator ---------------------
    def export_about(self) -> tuple[str, str]:
        """(what the Markdown says this conversation was, the command that replays it)."""
        return "", "smtpsim run FILE"

    def export_parts(self, whole: bool) -> list[Part]:
        """The conversation on screen (a mode with several connections offers them all)."""
        transcript = Transcript()
        transcript.entries = list(self.entries)
        about, replay = self.export_about()
        return [Part(transcript, about, replay)]

    # -- keys, help -----------------------------------------------------------------------------
    def key_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        keys = self.everywhere_keys() + [
            (_("↑/↓ in a pane, click"), _("Select a line of the conversation"))]
        return [(_("Everywhere"), keys)]
