"""The key bar: the keys worth knowing, in one clickable line under the command line.

It is one widget (Textual's Footer builds one per key), so the app starts faster.  It
fits itself to the terminal: at a projector's 80 columns it tightens the spacing (twice:
the second time the key's block loses its padding, which keeps F1 to F6 in Italian),
then leaves out keys from the end of the row, but it always
keeps the last ones - the
command palette (ctrl+p lists every action by name) and, where shown, Quit.  Nothing
is lost: F1 and the palette list every key.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

from ...i18n import _

Key = tuple[str, str, str]   # (key, action, label)
WIDE, TIGHT, TIGHTEST = 2, 1, 0   # how much room each key takes: see _cells


def _cells(key: str, label: str, spacing: int) -> tuple[str, str]:
    """The key block and the label as shown: ``" F1 "`` then ``" Keys "`` (WIDE) or
    ``"Keys "`` (TIGHT); TIGHTEST: ``"F1"`` then ``" Keys "`` (plain spaces part them)."""
    shown = key.upper() if key.startswith("f") else key
    if spacing == TIGHTEST:
        return shown, f" {label} "
    return f" {shown} ", f" {label} " if spacing == WIDE else f"{label} "


def fit_keys(keys: list[Key], width: int, pinned: int = 1) -> tuple[list[Key], int]:
    """Which keys to show in ``width`` cells, and their spacing.

    All of them as widely spaced as fits; else the last ``pinned`` keys and as many of
    the others, from the start, as leave room for them, at the tightest spacing."""
    def size(row: list[Key], spacing: int) -> int:
        return sum(len(block) + len(label)
                   for block, label in (_cells(k, lab, spacing) for k, _, lab in row))
    for spacing in (WIDE, TIGHT, TIGHTEST):
        if size(keys, spacing) <= width:
            return keys, spacing
    head, tail = keys[:len(keys) - pinned], keys[len(keys) - pinned:]
    room = width - size(tail, TIGHTEST)
    kept: list[Key] = []
    for key in head:
        room -= size([key], TIGHTEST)
        if room < 0:
            break
        kept.append(key)
    return kept + tail, TIGHTEST


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { height: 1; background: $panel; color: $text; }
    """

    def __init__(self, keys: list[Key], *, pinned: int = 1, id: str | None = None) -> None:
        """``keys``: (key, action, label) in the order they are shown; the last ``pinned``
        are kept whatever the width."""
        super().__init__("", id=id)
        self.keys = keys
        self.pinned = pinned
        self._spans: list[tuple[int, int, str]] = []   # (start, end, action) in cells

    def set_keys(self, keys: list[Key], pinned: int = 1) -> None:
        """Show another set of keys (the browser's, in ``smtpsim classroom``)."""
        self.keys, self.pinned = keys, pinned
        self.update(self._render_keys(self.size.width or self.app.size.width))

    def on_resize(self, event: events.Resize) -> None:
        self.update(self._render_keys(event.size.width))

    def _render_keys(self, width: int) -> Text:
        # Labels are translated when drawn, so a language switch shows at the next resize.
        keys = [(key, action, _(label)) for key, action, label in self.keys]
        shown, spacing = fit_keys(keys, width, self.pinned)
        text = Text(no_wrap=True, overflow="ellipsis")
        self._spans.clear()
        for key, action, label in shown:
            block, words = _cells(key, label, spacing)
            start = len(text)
            text.append(block, "bold reverse")
            text.append(words)
            self._spans.append((start, len(text), action))
        return text

    def redraw(self) -> None:
        """Draw again at the current width (after a language switch)."""
        self.update(self._render_keys(self.size.width))

    async def on_click(self, event: events.Click) -> None:
        for start, end, action in self._spans:
            if start <= event.x < end:
                await self.app.run_action(action)
                return
