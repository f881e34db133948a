"""The app shell: the screen and the keys that the simulator, ``--listen`` and ``--connect``
share.

Every mode shows one conversation as two transcript panes (client MTA, server MTA),
the state diagram and the explanation of the selected line, with a status line on
top and the key bar at the bottom.  :class:`AppShell` owns all of that: the layout
and its compact form, the entries on screen and the selection in them, time travel
(PgUp / PgDn / Esc), the key table (F1 help and the command palette are made from
it), the themes, the lookup (F8) and the export (F9).

A mode is a subclass that fills in what only it knows:

``pane_hosts()``
    the names the two panes start with;
``entries``
    the conversation on screen (a list of :class:`smtpsim.mta.Entry`);
``inner_views(index)`` / ``pane_roles(index)``
    what each pane shows under its transcript, and which part each host plays, as
    at line ``index``;
``status_text(index)`` and ``diagram_rules()``
    the first words of the status line, and the profile the diagram draws;
``compose_side()`` / ``compose_bar()``
    widgets beside the panes (the simulator's side panel for lessons and exams) and
    the bottom bar (the command line, a lookup prompt);
``ACTIONS``
    the mode's key table (rows of :mod:`smtpsim.ui.keys`) with ``BINDINGS`` made
    from it by :func:`smtpsim.ui.keys.bindings_for`.

New views plug in the same way: a pane beside the transcripts through
``compose_side()`` (or, at run time, ``open_side_panel`` in the simulator), a key
through a row of the mode's ``ACTIONS`` and its ``action_*`` method, and anything
that must follow the selection by overriding :meth:`AppShell.refresh_view` and
calling ``super()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from rich.text import Text
from textual.app import App, ComposeResult, SystemCommand
from textual.command import CommandPalette
from textual.containers import Horizontal
from textual.screen import Screen
from textual.theme import Theme, ThemeProvider
from textual.widget import Widget
from textual.widgets import Static

from ..i18n import _, ngettext
from ..mta import Entry
from ..mta.explain import explain_entry
from .bindings_i18n import (
    PALETTE_PLACEHOLDER,
    THEMES_PLACEHOLDER,
    translate_bindings,
    translated_commands,
)
from .keys import COMMON_ACTIONS, shown_keys
from .model import (
    ClientView,
    Exchanges,
    ProfileRules,
    ServerView,
    buffers_caption,
    moment_at,
    viewing,
)
from .widgets.diagram import StateDiagram
from .widgets.explanation import ExplanationPane
from .widgets.key_bar import KeyBar
from .widgets.mta_pane import MtaPane
from .widgets.transcript_view import TranscriptView

if TYPE_CHECKING:
    from .export import Part

# Themes: a pinned default (so screenshots repeat) and a high-contrast one for projectors.
DEFAULT_THEME = "textual-dark"

#: Pure black and white with saturated accents: readable from the back of a classroom,
#: and focus borders that cannot be missed.
PROJECTOR = Theme(
    name="smtpsim-projector",
    primary="#00A0FF",
    secondary="#FFD700",
    accent="#FF00FF",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    success="#00FF00",
    warning="#FFD700",
    error="#FF4040",
    boost="#303030",
    dark=True,
    variables={
        "text-muted": "#E0E0E0",
        "footer-key-foreground": "#FFD700",
        "input-selection-background": "#FF00FF 50%",
    },
)

#: What a pane shows under its transcript: a machine's insides as they were (the
#: simulator's own hosts, a listening server), words where they are out of sight
#: (a remote host), or None (a host that takes no part in the connection now).
Inside = Text | ServerView | ClientView | None
_ROLES, _ROLES_TURNED = ("client", "server"), ("server", "client")   # left pane, right pane


def show_inside(pane: MtaPane, body: Inside, caption: str) -> None:
    if isinstance(body, Text):
        pane.show_message(body, caption)
    else:
        pane.show_inner(body, caption)


def open_export(app: AppShell, parts: Callable[[bool], list[Part]], connections: int,
                folder: Path) -> None:
    """F9 in every mode: the export dialog, then say where the files went (full paths)."""
    from .screens.export import ExportScreen

    def done(paths: list[Path] | None) -> None:
        if not paths:
            return
        app.status_note = ngettext("exported {count} file to {folder}",
                                   "exported {count} files to {folder}", len(paths)).format(
            count=len(paths), folder=paths[0].parent)
        app.notify("\n".join(str(path) for path in paths), title=_("Exported"),
                   timeout=10, markup=False)
        app.refresh_view()
    app.push_screen(ExportScreen(parts, connections, folder), done)


class OtherConversation(Protocol):
    """A conversation a mode shows in the two panes instead of its own (the simulator's
    later hops, hop_view.py): it takes the selection and draws itself."""

    def select(self, index: int | None) -> None: ...

    def show(self) -> None: ...


class AppShell(App[None]):
    """The screen every mode shares; see the module docstring for what a mode fills in."""

    CSS_PATH = "app.tcss"
    TITLE = "smtpsim"
    ACTIONS: list[tuple] = COMMON_ACTIONS
    INTRO = ""          # the F1 help's first paragraph (a msgid), if the mode has one
    PINNED_KEYS = 1     # key bar entries kept whatever the width (the palette)

    if TYPE_CHECKING:
        # Each mode provides it: a list it keeps (--listen, --connect) or a property (the
        # simulator's live session); the shell only reads it.
        @property
        def entries(self) -> list[Entry]:
            """The conversation on screen, oldest line first."""

    def __init__(self, *, theme: str = DEFAULT_THEME, cursor_blink: bool = True,
                 export_dir: Path | None = None) -> None:
        super().__init__()
        translate_bindings(self)   # the key table's words in the current language
        self.register_theme(PROJECTOR)
        self.theme = theme
        self._blink = cursor_blink
        self._export_dir = Path(export_dir) if export_dir else None
        self.exchanges = Exchanges()
        self.selected: int | None = None        # None: follow the newest line
        self.status_note = ""
        self._status_text: Text | None = None
        self._status_rows = 1
        # Set while the panes show another conversation (a later hop): it gets the keys.
        self.in_panes: OtherConversation | None = None

    @property
    def export_dir(self) -> Path:
        """F9's first folder: the one given, else the default (worked out when needed)."""
        if self._export_dir is None:
            from .export import default_folder  # F9 only: not on the start-up path
            self._export_dir = default_folder()
        return self._export_dir

    # -- layout -----------------------------------------------------------------------------
    def pane_hosts(self) -> tuple[str, str]:
        """The names of the client pane's and the server pane's hosts, at the start."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        client, server = self.pane_hosts()
        yield Static("", id="status")
        with Horizontal(id="main"):
            yield MtaPane(client, "client", id="left")
            yield MtaPane(server, "server", id="right")
            yield from self.compose_side()
        with Horizontal(id="lower"):
            yield StateDiagram(id="diagram")
            yield ExplanationPane(id="explanation")
        yield from self.compose_bar()
        yield KeyBar(self.shown_keys(), pinned=self.PINNED_KEYS, id="keys")

    def compose_side(self) -> Iterable[Widget]:
        """Widgets to the right of the two panes (none by default)."""
        return ()

    def compose_bar(self) -> Iterable[Widget]:
        """The bar above the key bar (none by default)."""
        return ()

    def shown_keys(self) -> list[tuple[str, str, str]]:
        return shown_keys(self.ACTIONS)

    def on_resize(self, event) -> None:
        compact = event.size.width < 100 or event.size.height < 30
        if compact != self.screen.has_class("-compact"):
            self.screen.set_class(compact, "-compact")
        if self._status_text is not None:     # shown once, so the line exists
            self.show_status(self._status_text)

    # -- selection and time travel ---------------------------------------------------------
    def newest_reply(self) -> int:
        """What the panes show by default: the newest reply (or the newest line)."""
        entries = self.entries
        for index in range(len(entries) - 1, -1, -1):
            if entries[index].side == "S":
                return index
        return len(entries) - 1

    def select_entry(self, index: int | None) -> None:
        """Show the conversation as it was at ``index``; None follows the newest line."""
        if self.in_panes is not None:
            self.in_panes.select(index)
            return
        entries = self.entries
        last = len(entries) - 1
        if last < 0 or (index is not None and index >= last and entries[last].side == "S"):
            index = None
        self.selected = None if index is None else max(0, index)
        self.refresh_view()

    def on_transcript_view_line_selected(self, event: TranscriptView.LineSelected) -> None:
        self.select_entry(event.index)

    def action_travel(self, step: int) -> None:
        if self.entries:
            current = self.newest_reply() if self.selected is None else self.selected
            self.select_entry(max(0, current + step))

    def action_live(self) -> None:
        self.select_entry(None)

    # -- the conversation on screen -----------------------------------------------------------
    def refresh_view(self) -> None:
        """Panes, diagram, explanation and status as at the selected line (or the newest)."""
        if self.in_panes is not None:
            self.in_panes.show()
            return
        entries = self.entries
        if not entries:
            self.show_empty()
            return
        selected = self.selected
        live = selected is None
        index = self.newest_reply() if selected is None else min(selected, len(entries) - 1)
        entry = entries[index]
        pair = self.exchanges.members(index)
        caption = "" if live else self.buffers_caption(index)
        turned = entry.reversed_roles
        for pane, role, body in zip(self.query(MtaPane), self.pane_roles(index),
                                    self.inner_views(index), strict=False):
            # After TURN (RFC 821 3.8) the same two hosts play the other parts: titles say so.
            pane.set_role(pane.host, role, turned=turned)
            pane.view.show_selection(index, pair, follow=live)
            show_inside(pane, body, caption)
        where = _("newest line") if live else viewing(index, len(entries)) + " " + _(
            "(Esc: newest)")
        self.query_one(StateDiagram).show(moment_at(entries, index), where,
                                          self.diagram_rules())
        self.query_one(ExplanationPane).show(explain_entry(entry), where)
        self.update_status(index)

    def show_empty(self) -> None:
        """Nothing said yet (a port no client has reached): the panes say what they can."""
        for pane, body in zip(self.query(MtaPane), self.inner_views(None), strict=False):
            show_inside(pane, body, "")
        self.query_one(StateDiagram).show(None, "")
        self.query_one(ExplanationPane).show(None, "")
        self.update_status(None)

    def pane_roles(self, index: int) -> tuple[str, str]:
        """The parts the left and right pane's hosts play at line ``index``."""
        return _ROLES_TURNED if self.entries[index].reversed_roles else _ROLES

    def buffers_caption(self, index: int) -> str:
        """The panes' caption while time travelling at line ``index``."""
        return buffers_caption(index, index)

    def inner_views(self, index: int | None) -> tuple[Inside, Inside]:
        """What the client pane and the server pane show under the conversation, as it
        was at line ``index``: words, or a server's buffers and users."""
        return Text(), Text()

    def diagram_rules(self) -> ProfileRules | None:
        """The profile the state diagram draws; None: the server's profile is unknown
        (a real server), so every transition of the table is drawn."""
        return None

    def status_text(self, index: int | None) -> Text:
        """The status line's first words (the mode, its profile or its peer)."""
        return Text("smtpsim", "bold")

    def update_status(self, index: int | None) -> None:
        text = self.status_text(index)
        # index is None only with nothing to show (select_entry then follows the newest)
        text.append("  " + (_("live") if self.selected is None or index is None else _(
            "viewing {where}").format(where=viewing(index, len(self.entries)))), "italic")
        if self.status_note:
            text.append(f"  · {self.status_note}")
        if text != self._status_text:
            self.show_status(text)

    def show_status(self, text: Text) -> None:
        """The status line: one row, or two when the text is wider than the screen (80
        columns, `--listen`'s counts in Italian); a layout pass only when that changes."""
        self._status_text = text
        rows = 1 if text.cell_len <= self.size.width - 2 else 2     # its padding: 0 1
        status = self.query_one("#status", Static)
        status.update(text, layout=False)
        if rows != self._status_rows:
            self._status_rows = rows
            status.styles.height = rows

    # -- keys, help, palette, lookup, theme ------------------------------------------------
    def everywhere_keys(self) -> list[tuple[str, str]]:
        """F1's first group: the mode's key table, then the keys Textual adds."""
        keys = [(key, f"{_(title)} - {_(help_)}") for key, _a, _l, title, help_, _s
                in self.ACTIONS]
        return keys + [("ctrl+p", _("Command palette - every action by name")),
                       ("ctrl+q", _("Quit")), ("tab / shift+tab", _("Move focus between panes"))]

    def key_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        return [(_("Everywhere"), self.everywhere_keys())]

    def action_help(self) -> None:
        from .screens.info import HelpScreen  # screens load on first use: a faster start
        self.push_screen(HelpScreen(self.key_groups(),
                                    intro=_(self.INTRO) if self.INTRO else ""))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for _k, action, _l, title, help_, _s in self.ACTIONS:
            yield SystemCommand(_(title), _(help_), self._palette_callback(action))
        yield from translated_commands(super().get_system_commands(screen))

    def action_command_palette(self) -> None:
        """Textual's ctrl+p palette, with its placeholder in the learner's language."""
        # (CommandPalette.is_open, which wants an App[object], tests the same screen class)
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder=_(PALETTE_PLACEHOLDER)))

    def search_themes(self) -> None:
        """The palette's Theme command: Textual's theme search, its placeholder translated."""
        self.push_screen(CommandPalette(providers=[ThemeProvider],
                                        placeholder=_(THEMES_PLACEHOLDER)))

    def _palette_callback(self, action: str):
        async def run() -> None:
            await self.run_action(action)
        return run

    def action_lookup(self) -> None:
        from .screens.info import LookupScreen
        self.push_screen(LookupScreen())

    def action_toggle_theme(self) -> None:
        self.theme = DEFAULT_THEME if self.theme == PROJECTOR.name else PROJECTOR.name

    # -- export (F9) ------------------------------------------------------------------------
    def export_parts(self, whole: bool) -> list[Part]:
        """What F9 exports: the conversation on screen, or (``whole``) every one kept."""
        raise NotImplementedError

    def connection_count(self) -> int:
        return 1

    def action_export(self) -> None:
        open_export(self, self.export_parts, self.connection_count(), self.export_dir)
