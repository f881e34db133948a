"""Key descriptions in the language of the moment.

Textual copies a class's ``BINDINGS`` into each screen when the screen is made, with
the descriptions as the class wrote them.  A description translated in ``BINDINGS``
itself (``_("Next")`` in the class body) is translated once, at the first import: a
learner who switches the language with F12 afterwards would read the footer of the
next exam in the old language.  So screens write their descriptions with ``N_`` and
call :func:`translate_bindings` in ``__init__``: each new screen says its keys in the
language chosen now.
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from ..i18n import _


def translate_bindings(node: DOMNode) -> None:
    """Replace ``node``'s own copy of its bindings by copies with translated texts."""
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [replace(binding, description=_(binding.description),
                              tooltip=_(binding.tooltip) if binding.tooltip else "")
                      for binding in bindings]
