"""A detail phrase that knows what it was made from, so that it can be said again in
another language.

The protocol layer explains what is wrong with a line or a path in a few English
words ("the closing '>' of the path is missing", "0x1B (ESC (often an arrow key))").
It stays free of gettext and of everything above it, so it cannot translate them; a
:class:`Phrase` is that English text (it *is* a ``str``: every caller that prints it,
stores it in a reply's context or compares it keeps working) which also carries its
template and fields.  The explanation layer (``smtpsim.mta.explain``) looks the
template up in the learner's language and fills in the same fields.  The fields are
protocol facts (octets, bytes, the learner's own text) and are never translated,
except a field that is itself a Phrase (a byte's name inside "0x1B (...)").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Phrase(str):
    """``template.format(**fields)``, remembering ``template`` and ``fields``."""

    template: str
    fields: dict[str, Any]

    def __new__(cls, template: str, **fields: Any) -> Phrase:
        phrase = super().__new__(cls, template.format(**fields) if fields else template)
        phrase.template, phrase.fields = template, fields
        return phrase

    def render(self, translate: Callable[[str], str]) -> str:
        """The phrase with ``translate`` applied to its template and to Phrase fields."""
        fields = {name: value.render(translate) if isinstance(value, Phrase) else value
                  for name, value in self.fields.items()}
        try:
            return translate(self.template).format(**fields)
        except (KeyError, IndexError, ValueError):
            return str(self)   # a broken translation shows the English, never crashes
