"""F1 help (every key, generated from the bindings) and the explain lookup (F8)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ... import catalogue
from ...i18n import N_, _
from ...mta.explain import explain_token
from ..widgets.explanation import render_explanation
from .pickers import MODAL_CSS

INTRO = N_(
    "You are the client MTA on the left (client.example); the server MTA on the right "
    "(mail.example) answers. Type SMTP commands below; every line is explained. Select any "
    "line (Tab to a pane, then ↑/↓, or click) to see both sides of that exchange, its "
    "explanation and the state diagram as it was then. Esc returns to the newest line."
)


def key_rows(bindings: list[tuple[str, str]]) -> Table:
    """Two columns, the description wrapping under itself."""
    table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("does", ratio=1)
    for key, description in bindings:
        table.add_row(Text(key), Text(description))
    return table


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = MODAL_CSS.format(name="HelpScreen") + """
    HelpScreen VerticalScroll { height: auto; max-height: 30; }
    """
    BINDINGS = [Binding("escape,f1,q", "dismiss(None)", N_("Close"))]

    def __init__(self, groups: list[tuple[str, list[tuple[str, str]]]],
                 intro: str = "") -> None:
        super().__init__()
        self.groups = groups
        self.intro = intro or _(INTRO)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("smtpsim - keys (Esc closes)"), classes="title")
            with VerticalScroll():
                yield Static(Text(self.intro + "\n"))
                for title, rows in self.groups:
                    yield Static(Text(title, "bold underline"))
                    yield Static(key_rows(rows))
                yield Static(Text(_("Glossary (smtpsim explain --glossary)"),
                                  "bold underline"))
                yield Static(glossary_rows())


def glossary_rows() -> Table:
    """The glossary of the current language: each term once, as every text uses it."""
    return key_rows([(term + (f"\n({english})" if english else ""), meaning)
                     for term, english, meaning, _rfc in catalogue.load().glossary_rows()])


class LookupScreen(ModalScreen[None]):
    """Like ``smtpsim explain TOKEN``: a reply code, a command or an enhanced code."""

    DEFAULT_CSS = MODAL_CSS.format(name="LookupScreen") + """
    LookupScreen VerticalScroll { height: auto; max-height: 24; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", N_("Close"))]

    def __init__(self, token: str = "") -> None:
        super().__init__()
        self.token = token

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Explain a reply code (550), a command (SOML) or an enhanced code "
                          "(5.7.1)"), classes="title")
            yield Input(self.token, placeholder="550, SOML, 5.7.1 ...", id="token")
            with VerticalScroll():
                yield Static("", id="lookup-result")

    def on_mount(self) -> None:
        self.query_one("#token", Input).focus()
        if self.token:
            self.show(self.token)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show(event.value)

    def show(self, token: str) -> None:
        result = self.query_one("#lookup-result", Static)
        if not token.strip():
            result.update("")
            return
        explanation = explain_token(token)
        if explanation is None:
            hints = catalogue.load().suggestions(token)
            tip = " " + _("Did you mean: {names}?").format(names=", ".join(hints)) if hints else ""
            result.update(Text(_("Nothing is called {token} in the catalogue.").format(
                token=repr(token[:40])) + tip))
            return
        result.update(render_explanation(explanation))
