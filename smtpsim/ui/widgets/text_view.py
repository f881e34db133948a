"""A scrollable pane of Rich ``Text`` drawn line by line: the base of the teaching panes.

A ``Static`` in a scroll container changes its height with every new text, and each
change lays out the whole screen; this pane keeps its size, wraps the text itself and
draws only the lines on screen, so an update repaints one pane and nothing else.

Wrapping Rich text is the dearest step of an update, and the panes show the same
texts again and again (every NOOP has the same explanation, every RSET the same
diagram, stepping back revisits old ones): :meth:`TextView.show_keyed` keeps the
wrapped and styled lines of recent texts by a key the caller names, and a text seen
before is shown without being built, wrapped or styled again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable

from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .scrollbar import SteadyScrollbars

#: Texts kept per pane: the commonest replies and states, a few hundred lines in all.
KEPT_TEXTS = 24


class _Wrapped:
    """A text wrapped to one width; its lines styled on the pane's style when drawn."""

    __slots__ = ("lines", "styled", "styled_base", "text", "width")

    def __init__(self, text: Text, width: int, lines: list[Strip]) -> None:
        self.text, self.width, self.lines = text, width, lines
        self.styled: list[Strip] = []
        self.styled_base: Style | None = None

    def styled_on(self, base: Style) -> list[Strip]:
        if base != self.styled_base:
            self.styled_base = base
            self.styled = [line.apply_style(base) for line in self.lines]
        return self.styled


class TextView(SteadyScrollbars, ScrollView, can_focus=True):
    # The scrollbar's column is always kept free (scrollbar-gutter: stable): the text is
    # wrapped to the width beside it, and a scrollbar that appears later never paints
    # over the last column of lines wrapped before it came.
    DEFAULT_CSS = """
    TextView { height: 1fr; overflow-x: hidden; scrollbar-gutter: stable; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._wrapped = _Wrapped(Text(), 0, [])
        self._kept: OrderedDict[Hashable, _Wrapped] = OrderedDict()
        self._base: Style | None = None      # the pane's style at the last repaint
        self._caption: object = None

    @property
    def text(self) -> Text:
        """The text shown (tests and callers read what the learner sees)."""
        return self._wrapped.text

    def set_caption(self, caption: str) -> None:
        """The border subtitle; set only when it changes, since setting it (even to the
        same words) repaints every line of the pane."""
        if caption != self._caption:
            self._caption = caption
            self.border_subtitle = caption

    def show_text(self, text: Text) -> None:
        """Show ``text`` from its first line."""
        self._show(self._wrap(text))

    def show_keyed(self, key: Hashable, build: Callable[[], Text]) -> None:
        """Show the text ``build()`` makes, which depends on ``key`` alone.

        A key seen lately reuses its text and lines, wrapped and styled as before; a
        text already on show is left as it is (no repaint, no scroll to the top).
        """
        width = self.scrollable_content_region.width
        shown = self._wrapped
        wrapped = self._kept.get(key)
        if wrapped is None or wrapped.width != width:
            text = build() if wrapped is None else wrapped.text
            wrapped = shown if text == shown.text and shown.width == width else self._wrap(text)
            if wrapped.width:        # not laid out yet: nothing worth keeping
                self._kept[key] = wrapped
                if len(self._kept) > KEPT_TEXTS:
                    self._kept.popitem(last=False)
        else:
            self._kept.move_to_end(key)
        if wrapped is not shown:
            self._show(wrapped)

    def _wrap(self, text: Text) -> _Wrapped:
        width = self.scrollable_content_region.width
        if width <= 0 or not self.is_mounted:
            return _Wrapped(text, 0, [])
        console = self.app.console
        options = console.options.update_width(width).update(highlight=False)
        lines = [Strip(line) for line in
                 console.render_lines(text, options, pad=False, new_lines=False)]
        return _Wrapped(text, width, lines)

    def _show(self, wrapped: _Wrapped) -> None:
        self._wrapped = wrapped
        size = Size(wrapped.width, len(wrapped.lines))
        if wrapped.width and size != self.virtual_size:
            # The pane keeps its own size: only the scrollbar needs to know (see module doc).
            self.set_virtual_size_quietly(size)
        self.refresh()
        self.scroll_to(0, 0, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._wrapped.width:
            self._show(self._wrap(self._wrapped.text))

    def render_lines(self, crop: Region) -> list[Strip]:
        self._base = self.rich_style          # once per repaint, not once per line
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self._base or self.rich_style
        lines = self._wrapped.styled_on(base)
        if row >= len(lines):
            return Strip.blank(width, base)
        return lines[row].crop_extend(0, width, base)
