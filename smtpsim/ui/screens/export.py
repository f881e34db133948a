"""F9: export the session - choose the folder and the name, this connection or all of them.

The dialog shows the full path of every file before anything is written; the formats
are those of :data:`smtpsim.ui.export.EXPORTERS`, each one a checkbox.  The result is
the list of paths written (None when cancelled); errors stay in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from ...i18n import N_, _
from ..export import EXPORTERS, Part, next_free_stem, render, write
from .pickers import FORM_CSS, show_error

TITLE = N_("Export the session: a replayable script, an explained transcript, a capture "
           "and a sequence diagram")
THIS_ONE = N_("This connection")
EVERY_ONE = N_("Whole session ({count} connections)")
WILL_WRITE = N_("writes:")
NO_FORMAT = N_("Tick at least one format.")

Parts = Callable[[bool], Sequence[Part]]   # whole session? -> its parts


class FormatCheckbox(Checkbox):
    """A checkbox whose label wraps: Textual's is one line, cut at the dialog's edge, and a
    format's description in Italian is longer than an 80-column dialog."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # the styles are the rules a visual reads (Textual's own Widget passes them so)
        return max(1, self.render().get_height(cast(RulesMap, self.styles), width))


class ExportScreen(ModalScreen[list[Path] | None]):
    DEFAULT_CSS = FORM_CSS.format(name="ExportScreen") + """
    ExportScreen .form Horizontal > Label { width: 10; padding: 1 0; }
    ExportScreen Input { width: 1fr; }
    ExportScreen #export-paths { height: auto; padding: 0 0 1 0; }   /* the form scrolls */
    ExportScreen Button { margin: 0 1; min-width: 10; }   /* three fit in 80 columns */
    ExportScreen Checkbox {
        border: none; padding: 0 1; height: auto; width: 1fr; margin: 0; text-wrap: wrap;
    }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"))]

    def __init__(self, parts: Parts, connections: int, folder: Path) -> None:
        super().__init__()
        self.parts = parts
        self.connections = connections
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_(TITLE), classes="title")
            with VerticalScroll(classes="form", id="export-form"):
                with Horizontal():
                    yield Label(_("Folder"))
                    yield Input(str(self.folder), id="export-folder")
                with Horizontal():
                    yield Label(_("Name"))
                    yield Input(next_free_stem(self.folder), id="export-name")
                for n, exporter in enumerate(EXPORTERS):
                    yield FormatCheckbox(_(exporter.label), True, id=f"export-format-{n}")
                yield Static("", id="export-paths")
            with Vertical(classes="actions"):
                yield Label("", classes="error", id="export-error")
                with Horizontal():
                    yield Button(_(THIS_ONE), id="export-this", variant="primary")
                    if self.connections > 1:
                        yield Button(_(EVERY_ONE).format(count=self.connections),
                                     id="export-all")
                    yield Button(_("Cancel"), id="export-cancel")

    def on_mount(self) -> None:
        self.preview()
        self.query_one("#export-this", Button).focus()

    # -- what will be written -----------------------------------------------------------
    def chosen(self) -> list:
        return [exporter for n, exporter in enumerate(EXPORTERS)
                if self.query_one(f"#export-format-{n}", Checkbox).value]

    def target(self) -> tuple[Path, str]:
        folder = Path(self.query_one("#export-folder", Input).value.strip() or ".")
        name = self.query_one("#export-name", Input).value.strip()
        return folder.expanduser(), name

    def files(self, whole: bool) -> list[tuple[str, str | bytes]]:
        _folder, name = self.target()
        return render(self.parts(whole), name, self.chosen())

    def preview(self) -> None:
        folder, _stem = self.target()
        text, problem = Text(), ""
        choices = [(False, _(THIS_ONE))]
        if self.connections > 1:
            choices.append((True, _(EVERY_ONE).format(count=self.connections)))
        for whole, label in choices:
            try:
                names = [name for name, _content in self.files(whole)]
            except Exception as error:   # a name the formats cannot use: say so
                names, problem = [], str(error)
            if not names:
                problem = problem or _(NO_FORMAT)
                continue
            text.append(f"{label} - {_(WILL_WRITE)}\n", "bold")
            for name in names:
                text.append(f"  {folder.absolute() / name}\n", "")   # never markup
        self.query_one("#export-paths", Static).update(text)
        show_error(self.query_one("#export-error", Label), problem)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.preview()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.preview()

    # -- writing -------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-cancel":
            self.dismiss(None)
            return
        self.export(whole=event.button.id == "export-all")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.export(whole=False)

    def export(self, whole: bool) -> None:
        folder, name = self.target()
        error = self.query_one("#export-error", Label)
        if not name or Path(name).name != name:
            show_error(error, _("The name is a file name, without a folder."))
            return
        try:
            files = self.files(whole)
            if not files:
                show_error(error, _(NO_FORMAT))
                return
            paths = write(files, folder)
        except OSError as problem:
            show_error(error, _("Not exported: {problem}").format(problem=problem))
            return
        self.dismiss([path.absolute() for path in paths])
