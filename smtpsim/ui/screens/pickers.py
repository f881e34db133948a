"""Pick a server profile, or arm a fault: both lists come from the engine and the catalogue."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from ... import catalogue
from ...i18n import N_, _
from ...mta import PROFILES
from ...mta.faults import FAULT_CODES, PSEUDO_VERBS, Fault, FaultError, parse_fault
from ...protocol import KNOWN_VERBS

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90%; max-width: 100; height: auto; max-height: 90%;
    border: thick $accent; background: $surface; padding: 0 1;
}}
{name} Label.title {{ text-style: bold; width: 1fr; }}
{name} Label.error {{ color: $error; }}
{name} OptionList {{ height: auto; max-height: 16; }}
{name} Horizontal {{ height: auto; }}
"""

# A dialog with a form and action buttons (F2, F9): the title is docked at the top, the
# error line and the buttons at the bottom, and the form between them scrolls.  At 80x24
# the buttons stay in view, and a widget reached with Tab is scrolled into view (Textual
# scrolls the focused widget's container) instead of being focused out of sight.
FORM_CSS = MODAL_CSS + """
{name} > Vertical > Label.title {{ dock: top; }}
{name} > Vertical > .form {{ height: auto; max-height: 100%; }}
{name} > Vertical > .actions {{ dock: bottom; height: auto; }}
{name} .actions > Label.error {{ width: 1fr; }}
"""


def show_error(label: Label, problem: str) -> None:
    """A form's error line: the problem as plain text (never markup), hidden when none."""
    label.update(Text(problem))
    label.display = bool(problem)


class ProfilePicker(ModalScreen[str | None]):
    """The three eras of the same host; picking one opens a new connection."""

    DEFAULT_CSS = MODAL_CSS.format(name="ProfilePicker")
    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"))]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        options = []
        for name, profile in PROFILES.items():
            prompt = Text()
            prompt.append(name + (" " + _("(now)") if name == self.current else ""), "bold")
            prompt.append("\n" + _(profile.summary))
            options.append(Option(prompt, id=name))
        with Vertical():
            yield Label(_("Server profile - a new connection starts with it"), classes="title")
            yield OptionList(*options, id="profiles")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.highlighted = list(PROFILES).index(self.current)
        option_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


def fault_code_options() -> list[Option]:
    """Every code a fault can produce, with its title from the catalogue."""
    cat = catalogue.load()
    options = []
    for code in sorted(FAULT_CODES):
        entry = cat.code(code) or {}
        prompt = Text()
        prompt.append(f"{code} ", "bold")
        prompt.append(entry.get("title", ""))
        options.append(Option(prompt, id=str(code)))
    return options


class FaultPicker(ModalScreen[Fault | None]):
    """VERB, which occurrence, which code: ``RCPT#2=452`` without remembering the syntax."""

    DEFAULT_CSS = MODAL_CSS.format(name="FaultPicker") + """
    FaultPicker Select { width: 24; }
    FaultPicker Input { width: 16; }
    FaultPicker Label.field { padding: 1 1 0 0; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"))]

    def compose(self) -> ComposeResult:
        verbs = sorted(KNOWN_VERBS) + list(PSEUDO_VERBS)
        with Vertical():
            yield Label(_("Arm a fault on the current connection: it fires when the chosen "
                          "occurrence of the command arrives (CONNECT: the next connection's "
                          "greeting; DOT: the end of the message text)."), classes="title")
            with Horizontal():
                yield Label(_("Command"), classes="field")
                yield Select([(v, v) for v in verbs], value="RCPT", allow_blank=False,
                             id="verb")
                yield Label(_("Occurrence #"), classes="field")
                yield Input(placeholder=_("every time"), id="occurrence", type="integer")
            yield Label(_("Reply code (Enter arms it):"))
            yield OptionList(*fault_code_options(), id="codes")
            yield Label("", classes="error", id="fault-error")
            yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#codes", OptionList).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        verb = self.query_one("#verb", Select).value
        nth = self.query_one("#occurrence", Input).value.strip()
        spec = f"{verb}{'#' + nth if nth else ''}={event.option.id}"
        try:
            fault = parse_fault(spec, KNOWN_VERBS)
        except FaultError as error:
            self.query_one("#fault-error", Label).update(Text(str(error)))
            return
        self.dismiss(fault)
