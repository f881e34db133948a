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
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from ..i18n import N_, _
from ..mta import Entry, Transcript
from ..mta.explain import explain_entry
from .actions import ACTIONS, open_export
from .actions import shown_keys as app_shown_keys
from .app import DEFAULT_THEME, PROJECTOR
from .export import Part, default_folder
from .model import Exchanges, ProfileRules, ServerView, buffers_caption, moment_at, viewing
from .widgets.diagram import StateDiagram
from .widgets.explanation import ExplanationPane
from .widgets.key_bar import KeyBar
from .widgets.mta_pane import MtaPane
from .widgets.transcript_view import TranscriptView

#: Keys every remote mode shares with the simulator: the same rows of its actions table.
COMMON_ACTIONS = [row for row in ACTIONS
                  if row[1] in ("help", "lookup", "export", "toggle_theme", "travel(-1)",
                                "travel(1)", "live")]


def shown_keys(actions: list[tuple]) -> list[tuple[str, str, str]]:
    return app_shown_keys(actions) + [("ctrl+q", "quit", N_("Quit"))]


Inside = Text | ServerView


def show_inside(pane: MtaPane, body: Inside, caption: str) -> None:
    if isinstance(body, ServerView):
        pane.show_inner(body, caption)
    else:
        pane.show_message(body, caption)


_ROLES, _ROLES_TURNED = ("client", "server"), ("server", "client")   # left pane, right pane


class RemoteApp(App[None]):
    """The simulator's panes around one conversation with a real program.

    Subclasses set ``ACTIONS`` (their key table, ``BINDINGS = bindings_for(ACTIONS)``),
    compose the bottom bar in :meth:`compose_bar` and describe what each pane cannot
    show in :meth:`inner_views`.
    """

    CSS_PATH = "app.tcss"
    CSS = """
    #lookup-bar { height: 1; }
    #lookup-prompt { width: 9; padding: 0 1; background: $secondary; color: $background;
                     text-style: bold; }
    #lookup-bar Input { border: none; height: 1; padding: 0 1; width: 1fr;
                        background: $boost; }
    #lookup-bar Input:focus { background: $primary 25%; border: none; }
    """
    TITLE = "smtpsim"
    ACTIONS: list[tuple] = COMMON_ACTIONS
    INTRO = ""

    def __init__(self, client_label: str, server_label: str, *,
                 theme: str = DEFAULT_THEME, cursor_blink: bool = True,
                 export_dir: Path | None = None) -> None:
        super().__init__()
        self.export_dir = Path(export_dir) if export_dir else default_folder()
        self.register_theme(PROJECTOR)
        self.theme = theme
        self._blink = cursor_blink
        self.client_label = client_label
        self.server_label = server_label
        self.entries: list[Entry] = []
        self.exchanges = Exchanges()
        self.selected: int | None = None        # None: follow the newest line
        self.status_note = ""

    # -- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="status")
        with Horizontal(id="main"):
            yield MtaPane(self.client_label, "client", id="left")
            yield MtaPane(self.server_label, "server", id="right")
        with Horizontal(id="lower"):
            yield StateDiagram(id="diagram")
            yield ExplanationPane(id="explanation")
        yield from self.compose_bar()
        yield KeyBar(shown_keys(self.ACTIONS), pinned=2, id="keys")   # palette, Quit

    def compose_bar(self) -> ComposeResult:
        yield from ()

    def on_resize(self, event) -> None:
        compact = event.size.width < 100 or event.size.height < 30
        if compact != self.screen.has_class("-compact"):
            self.screen.set_class(compact, "-compact")

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

    def diagram_rules(self) -> ProfileRules | None:
        """The profile the state diagram draws; None: the server's profile is unknown
        (a real server), so every transition of the table is drawn."""
        return None

    def refresh_view(self) -> None:
        entries = self.entries
        if not self.is_mounted:
            return
        if not entries:
            for pane, body in zip(self.query(MtaPane), self.inner_views(None), strict=False):
                show_inside(pane, body, "")
            self.query_one(StateDiagram).show(None, "")
            self.query_one(ExplanationPane).show(None, "")
            self.update_status(None)
            return
        live = self.selected is None
        index = self.newest_reply() if live else min(self.selected, len(entries) - 1)
        where = _("newest line") if live else viewing(index, len(entries)) + " " + _(
            "(Esc: newest)")
        caption = "" if live else buffers_caption(index, index)
        pair = self.exchanges.members(index)
        # After TURN (RFC 821 3.8) the same two hosts play the other parts: the titles say so.
        turned = entries[index].reversed_roles
        for pane, body, role in zip(self.query(MtaPane), self.inner_views(index),
                                    _ROLES_TURNED if turned else _ROLES, strict=False):
            pane.set_role(pane.host, role, turned=turned)
            pane.view.show_selection(index, pair, follow=live)
            show_inside(pane, body, caption)
        self.query_one(StateDiagram).show(moment_at(entries, index), where,
                                          self.diagram_rules())
        self.query_one(ExplanationPane).show(explain_entry(entries[index]), where)
        self.update_status(index)

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

    def connection_count(self) -> int:
        return 1

    def action_export(self) -> None:
        open_export(self, self.export_parts, self.connection_count(), self.export_dir)

    def inner_views(self, index: int | None) -> tuple[Inside, Inside]:
        """What the client pane and the server pane show under the conversation, as it
        was at line ``index``: words, or a server's buffers and users."""
        return Text(), Text()

    def status_text(self, index: int | None) -> Text:
        return Text("smtpsim", "bold")

    def update_status(self, index: int | None) -> None:
        text = self.status_text(index)
        text.append("  " + (_("live") if self.selected is None else _("viewing {where}").format(
            where=viewing(index, len(self.entries)))), "italic")
        if self.status_note:
            text.append(f"  · {self.status_note}")
        self.query_one("#status", Static).update(text, layout=False)

    def newest_reply(self) -> int:
        for index in range(len(self.entries) - 1, -1, -1):
            if self.entries[index].side == "S":
                return index
        return len(self.entries) - 1

    def select_entry(self, index: int | None) -> None:
        last = len(self.entries) - 1
        if last < 0 or (index is not None and index >= last and self.entries[last].side == "S"):
            index = None
        self.selected = None if index is None else max(0, index)
        self.refresh_view()

    def on_transcript_view_line_selected(self, event: TranscriptView.LineSelected) -> None:
        self.select_entry(event.index)

    # -- keys, help, palette --------------------------------------------------------------------
    def key_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        keys = [(key, f"{_(title)} - {_(help_)}") for key, _a, _l, title, help_, _s in self.ACTIONS]
        keys += [("ctrl+p", _("Command palette - every action by name")), ("ctrl+q", _("Quit")),
                 ("tab / shift+tab", _("Move focus between panes")),
                 (_("↑/↓ in a pane, click"), _("Select a line of the conversation"))]
        return [(_("Everywhere"), keys)]

    def action_help(self) -> None:
        from .screens.info import HelpScreen
        self.push_screen(HelpScreen(self.key_groups(), intro=_(self.INTRO)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for _k, action, _l, title, help_, _s in self.ACTIONS:
            yield SystemCommand(_(title), _(help_), self._palette_callback(action))
        yield from super().get_system_commands(screen)

    def _palette_callback(self, action: str):
        async def run() -> None:
            await self.run_action(action)
        return run

    def action_lookup(self) -> None:
        from .screens.info import LookupScreen
        self.push_screen(LookupScreen())

    def action_toggle_theme(self) -> None:
        self.theme = DEFAULT_THEME if self.theme == PROJECTOR.name else PROJECTOR.name

    def action_travel(self, step: int) -> None:
        if self.entries:
            current = self.newest_reply() if self.selected is None else self.selected
            self.select_entry(max(0, current + step))

    def action_live(self) -> None:
        self.select_entry(None)
