"""A vertical scrollbar that repaints only when what it shows has changed.

Every typed command adds rows to both transcripts and scrolls them to the newest one,
and Textual repaints a scrollbar whenever its position or sizes change - yet with
hundreds of rows the thumb moves by a visible step only now and then.  A scrollbar
repaint costs as much as a pane of text (every row of it goes through the styles
and the compositor), so this one compares what it would draw with what it drew, and
lets a change through only when the two differ.  Nothing else about it changes.

One update moves a scrollbar in steps (the rows grow, then the view scrolls down to
the newest), and a step between would differ from the picture at both ends: inside
:func:`steady_scrollbars` the scrollbars wait, and at its end each compares only its
final look with what is on the screen.

Textual 8 makes its scrollbars in ``Widget.vertical_scrollbar``; the panes here
override that property with :class:`SteadyScrollbar` (the same few steps: make,
hide, start).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.color import Color
from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

_held = 0                                   # steady_scrollbars() blocks open
_waiting: set[SteadyScrollBar] = set()    # scrollbars asked to repaint meanwhile
# What ScrollBarRender paints for a style without colours (as textual does)
_BACK, _BAR = Color.parse("#555555"), Color.parse("bright_magenta")


@contextmanager
def steady_scrollbars() -> Iterator[None]:
    """Scrollbars changed inside compare only their final look (see module doc)."""
    global _held
    _held += 1
    try:
        yield
    finally:
        _held -= 1
        if not _held:
            waiting = list(_waiting)
            _waiting.clear()
            for bar in waiting:
                bar.refresh()


class SteadyScrollBar(ScrollBar):
    """A :class:`ScrollBar` that skips repaints which would draw the same cells."""

    _painted: Hashable = None

    def _look(self) -> Hashable:
        """Everything the cells depend on: size, colours, thumb ends (1/8 cell steps)."""
        if self.parent is None or not self.is_mounted:
            return None
        bar = self.render()           # cheap: colours and numbers, nothing drawn yet
        if not isinstance(bar, ScrollBarRender) or not self.vertical:
            return None
        width, height = self.size
        style = bar.style
        if not isinstance(style, Style):   # ScrollBar.render gives a Style, never a name
            return None
        segments = bar.render_bar(size=height, virtual_size=bar.virtual_size,
                                  window_size=bar.window_size, position=bar.position,
                                  thickness=width, vertical=True,
                                  back_color=style.bgcolor or _BACK, bar_color=style.color or _BAR)
        return (width, height, style, tuple(segments.segments))

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> SteadyScrollBar:
        if not (regions or layout or recompose) and repaint:
            if _held:
                _waiting.add(self)
                return self
            look = self._look()
            if look is not None and look == self._painted:
                return self
        return super().refresh(*regions, repaint=repaint, layout=layout,
                               recompose=recompose)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._painted = self._look()      # what the screen shows after this paint
        return super().render_lines(crop)


if TYPE_CHECKING:
    _Scrolling = ScrollView   # what the mixin is mixed into (it comes before ScrollView)
else:
    _Scrolling = object


class SteadyScrollbars(_Scrolling):
    """Mix in before a scrolling widget: its vertical scrollbar is a SteadyScrollBar."""

    def set_virtual_size_quietly(self, size: Size) -> None:
        """A new virtual size for a pane whose own size never changes with it.

        Setting ``virtual_size`` the usual way lays out the whole screen; here only the
        scrollbar is told, and the screen is laid out only if the scrollbar has just
        appeared or gone (it takes a column from the pane)."""
        had_scrollbar = self.show_vertical_scrollbar
        self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_update(size)
        if self.show_vertical_scrollbar != had_scrollbar:
            self.refresh(layout=True)

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        if self._vertical_scrollbar is None:
            bar = SteadyScrollBar(vertical=True, name="vertical",
                                  thickness=self.scrollbar_size_vertical)
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar
