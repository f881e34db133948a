"""Key descriptions, and the texts Textual itself shows, in the language of the moment.

Textual copies a class's ``BINDINGS`` into each screen (and the app) when it is made,
with the descriptions as the class wrote them.  A description translated in
``BINDINGS`` itself (``_("Next")`` in the class body) is translated once, at the first
import: a learner who switches the language with F12 afterwards would read the footer
of the next exam in the old language.  So descriptions are written with ``N_`` and
:func:`translate_bindings` says them in the current language - in a screen's
``__init__``, and for the app again after each live switch (from the English kept on
the first call).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode

from ..i18n import N_, _

#: Descriptions of bindings that Textual itself adds (the app's command palette key).
TEXTUAL_DESCRIPTIONS = (N_("palette"), N_("Open the command palette"))

#: The command palette's placeholders (Textual's CommandPalette takes one as an argument).
PALETTE_PLACEHOLDER = N_("Search for commands…")
THEMES_PLACEHOLDER = N_("Search for themes…")

#: The titles and help texts of the commands Textual's App.get_system_commands adds, as
#: Textual writes them (they are looked up by that English text).
TEXTUAL_COMMANDS = (
    N_("Theme"), N_("Change the current theme"),
    N_("Quit"), N_("Quit the application as soon as possible"),
    N_("Keys"), N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"), N_("Minimize the widget and restore to normal size"),
    N_("Maximize"), N_("Maximize the focused widget"),
    N_("Screenshot"), N_("Save an SVG 'screenshot' of the current screen"),
)


def translated_commands(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's system commands with their title and help in the current language."""
    for command in commands:
        yield command._replace(title=_(command.title), help=_(command.help))


def translate_bindings(node: DOMNode) -> None:
    """Replace ``node``'s own copy of its bindings by copies with translated texts."""
    table = node._bindings.key_to_bindings
    english: dict[str, list[Binding]] = node.__dict__.setdefault(
        "_english_bindings", {key: list(bindings) for key, bindings in table.items()})
    for key, bindings in table.items():
        originals = english.get(key, bindings)
        table[key] = [replace(binding, description=_(binding.description),
                              tooltip=_(binding.tooltip) if binding.tooltip else "")
                      for binding in originals]
