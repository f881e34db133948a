"""A scrollable pane of Rich ``Text`` drawn line by line: the base of the teaching panes.

A ``Static`` in a scroll container changes its height with every new text, and each
change lays out the whole screen; this pane keeps its size, wraps the text itself and
draws only the lines on screen, so an update repaints one pane and nothing else.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class TextView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    TextView { height: 1fr; overflow-x: hidden; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = Text()
        self._lines: list[Strip] = []
        self._styled: list[Strip] = []      # _lines on the pane's own style, made once
        self._styled_base: Style | None = None
        self._width = 0
        self._caption: object = None

    def set_caption(self, caption: str) -> None:
        """The border subtitle; set only when it changes, since setting it (even to the
        same words) repaints every line of the pane."""
        if caption != self._caption:
            self._caption = caption
            self.border_subtitle = caption

    def show_text(self, text: Text) -> None:
        """Show ``text`` from its first line."""
        self.text = text
        self._wrap()
        self.scroll_to(0, 0, animate=False, immediate=True)

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        self._width = width
        if width <= 0 or not self.is_mounted:
            self._lines = []
            return
        console = self.app.console
        options = console.options.update_width(width).update(highlight=False)
        self._lines = [Strip(line) for line in
                       console.render_lines(self.text, options, pad=False, new_lines=False)]
        self._styled_base = None
        size = Size(width, len(self._lines))
        if size != self.virtual_size:
            had_scrollbar = self.show_vertical_scrollbar
            # The pane keeps its own size: only the scrollbar needs to know (see module doc).
            self.set_reactive(TextView.virtual_size, size)
            self._scroll_update(size)
            if self.show_vertical_scrollbar != had_scrollbar:
                self.refresh(layout=True)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._wrap()

    def render_lines(self, crop: Region) -> list[Strip]:
        base = self.rich_style          # once per repaint, not once per line
        if base != self._styled_base:
            self._styled_base = base
            self._styled = [line.apply_style(base) for line in self._lines]
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self._styled_base or self.rich_style
        if row >= len(self._styled) or self._styled_base is None:
            return Strip.blank(width, base)
        return self._styled[row].crop_extend(0, width, base)
