"""The key bar at the bottom: every shown key in one line of text, clickable.

One widget instead of Textual's Footer (which builds a widget per key): the app
starts faster, and the line can say which keys matter now.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { height: 1; background: $panel; color: $text; }
    """

    def __init__(self, keys: list[tuple[str, str, str]], *, id: str | None = None) -> None:
        """``keys``: (key, action, label) in the order they are shown."""
        super().__init__("", id=id)
        self.keys = keys
        self._spans: list[tuple[int, int, str]] = []   # (start, end, action) in cells

    def on_mount(self) -> None:
        self.update(self._render_keys())

    def _render_keys(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        self._spans.clear()
        for key, action, label in self.keys:
            start = len(text)
            text.append(f" {key.upper() if key.startswith('f') else key} ", "bold reverse")
            text.append(f" {label} ")
            self._spans.append((start, len(text), action))
        return text

    async def on_click(self, event: events.Click) -> None:
        for start, end, action in self._spans:
            if start <= event.x < end:
                await self.app.run_action(action)
                return
