"""An input line whose Enter is handled in the order the keys came.

Textual's :class:`~textual.widgets.Input` inserts a printable key as soon as it reads it,
but Enter is one of its bindings, and a binding is looked up only once the key has gone
up to the app.  Keys that arrive together - a fast typist, a terminal that pastes as
keystrokes (no bracketed paste), a browser on a busy network - then have the next line's
characters inserted before the Enter that ended the line is acted on: "NOOP" Enter "RSET"
Enter went out as "NOOPRSET", twice.  :class:`LineInput` answers Enter where the keys
arrive, so each Enter submits exactly what was typed before it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.widgets import Input


class LineInput(Input):
    """An :class:`Input` that submits on Enter in key order."""

    #: Empty the line at the Enter itself (a command line), so that what is typed next
    #: starts a new line; otherwise the text stays for whoever handles
    #: :class:`Input.Submitted` (an answer that may be refused and corrected).
    CLEAR_ON_ENTER: ClassVar[bool] = False

    async def _on_key(self, event: events.Key) -> None:
        if event.key != "enter":
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        line = self.value
        if self.CLEAR_ON_ENTER:
            self.value = ""
        self.post_message(self.Submitted(self, line))
