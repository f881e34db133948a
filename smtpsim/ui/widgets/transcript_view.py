"""One host's view of the conversation: what it sent (→) and what it received (←).

A line-API widget: only the rows on screen are drawn, so a 10,000-line message or
a long session scrolls as fast as a short one.  Rows are plain strings made safe by
:func:`smtpsim.ui.text.printable`; they are drawn as segments, never parsed as markup.
"""

from __future__ import annotations

from rich.cells import chop_cells
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...i18n import N_
from ...mta import Entry
from ...mta.phrases import note_text
from ...mta.transcript import NOTE
from ..text import printable
from .scrollbar import SteadyScrollbars

CONTINUED = "↪ "   # starts a row that continues the wire line above it (two cells)


def _chop(text: str, width: int, words: bool) -> list[str]:
    """``text`` in pieces of at most ``width`` cells that join back to it exactly.

    Wire lines break anywhere (``words`` False); the simulator's own notes are prose and
    break after a space where there is one in the piece."""
    pieces = chop_cells(text, width)
    if not words or len(pieces) == 1:
        return pieces
    out: list[str] = []
    rest = text
    while rest:
        piece = chop_cells(rest, width)[0]
        if len(piece) < len(rest):
            space = piece.rfind(" ")
            if space > 0:
                piece = piece[:space + 1]
        out.append(piece)
        rest = rest[len(piece):]
    return out


class TranscriptView(SteadyScrollbars, ScrollView, can_focus=True):
    """Rows for every transcript entry, seen from ``host``; one selected exchange."""

    DEFAULT_CSS = """
    TranscriptView { height: 1fr; background: $surface; overflow-x: hidden;
                     scrollbar-gutter: stable; }
    TranscriptView > .transcript--sent { color: $text; text-style: bold; }
    TranscriptView > .transcript--received { color: $text-muted; }
    TranscriptView > .transcript--data { color: $text-muted; text-style: italic; }
    TranscriptView > .transcript--note { color: $warning; text-style: italic; }
    TranscriptView > .transcript--mark { color: $secondary; text-style: not bold; }
    TranscriptView > .transcript--pair { background: $primary 30%; }
    TranscriptView > .transcript--cursor { background: $primary 60%; }
    TranscriptView:focus > .transcript--cursor { background: $accent; color: $text; }
    TranscriptView > .transcript--code-2 { color: $success; text-style: bold; }
    TranscriptView > .transcript--code-3 { color: $secondary; text-style: bold; }
    TranscriptView > .transcript--code-4 { color: $warning; text-style: bold; }
    TranscriptView > .transcript--code-5 { color: $error; text-style: bold; }
    """
    COMPONENT_CLASSES = {
        "transcript--sent", "transcript--received", "transcript--data", "transcript--note",
        "transcript--pair", "transcript--cursor", "transcript--mark", "transcript--code-2",
        "transcript--code-3", "transcript--code-4", "transcript--code-5",
    }
    BINDINGS = [
        Binding("up", "move(-1)", N_("Earlier line"), show=False),
        Binding("down", "move(1)", N_("Later line"), show=False),
        Binding("pageup", "move(-10)", N_("Ten lines earlier"), show=False),
        Binding("pagedown", "move(10)", N_("Ten lines later"), show=False),
        Binding("home", "first", N_("First line"), show=False),
        Binding("end", "last", N_("Newest line"), show=False),
    ]

    class LineSelected(Message):
        """The learner picked a transcript entry here (keys or mouse)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, host: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.host = host
        # Logical rows: one per wire line.
        self._row_entry: list[int] = []
        self._row_text: list[str] = []
        self._row_kind: list[str] = []
        self._first_row: list[int] = []       # entry index -> its first logical row
        # Visual rows: logical rows wrapped to the width (row, start offset in its text).
        self._visual: list[tuple[int, int]] = []
        self._first_visual: list[int] = []    # logical row -> its first visual row
        self._wrap_width = 0
        self.cursor: int | None = None        # selected entry index
        self.pair: frozenset[int] = frozenset()
        self._follow = True
        self._styles: dict[str, Style] = {}
        # Drawn rows by visual row: (cursor?, in the pair?) -> strip.  Following the
        # newest line scrolls every row up one place per command; a row already drawn
        # is then reused, not built again (emptied with the width, the styles, clear()).
        self._drawn: dict[int, tuple[tuple[bool, bool], Strip]] = {}

    # -- content ------------------------------------------------------------------------
    def clear(self, host: str | None = None) -> None:
        self.host = host or self.host
        for rows in (self._row_entry, self._row_text, self._row_kind, self._first_row,
                     self._visual, self._first_visual):
            rows.clear()
        self._drawn.clear()
        self.cursor, self.pair = None, frozenset()
        self._set_virtual_size(Size(0, 0))
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def add_entries(self, entries: list[Entry]) -> None:
        start = len(self._row_entry)
        for entry in entries:
            self._first_row.append(len(self._row_entry))
            mine = entry.sender == self.host
            if entry.side == NOTE:
                kind, arrow = "note", "* "
            elif entry.in_data:
                kind, arrow = "data", "→ " if mine else "← "
            else:
                kind, arrow = ("sent", "→ ") if mine else ("received", "← ")
            for line in note_text(entry.lines):
                self._row_entry.append(entry.index)
                self._row_text.append(arrow + printable(line))
                self._row_kind.append(kind)
        self._wrap_from(start)

    def _wrap_from(self, start: int) -> None:
        """Wrap logical rows from ``start`` (all earlier ones are wrapped) to the width.

        A wire line breaks where the width ends, even inside a word (it is shown as it
        went on the wire); each continuation row starts with ``CONTINUED`` so that
        ``wri`` / ``tten`` is read as one word broken, not two.
        """
        width = max(8, self._wrap_width - 1)    # one cell for the selection gutter
        for row in range(start, len(self._row_text)):
            self._first_visual.append(len(self._visual))
            text = self._row_text[row]
            prose = self._row_kind[row] == "note"
            first = _chop(text, width, prose)[0] if text else ""
            self._visual.append((row, 0))
            offset = len(first)
            if offset < len(text):
                for chunk in _chop(text[offset:], width - 2, prose):
                    self._visual.append((row, offset))
                    offset += len(chunk)
        self._set_virtual_size(Size(self._wrap_width, len(self._visual)))

    def _set_virtual_size(self, size: Size) -> None:
        """New rows never change this widget's own size, so no screen layout is needed."""
        if size != self.virtual_size:
            self.set_virtual_size_quietly(size)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if width != self._wrap_width:
            self._wrap_width = width
            self._visual.clear()
            self._first_visual.clear()
            self._drawn.clear()
            self._wrap_from(0)
            if self.cursor is not None:
                self.show_selection(self.cursor, list(self.pair), follow=False)

    @property
    def row_count(self) -> int:
        return len(self._visual)

    def rows_of(self, index: int) -> list[str]:
        """The wire lines shown for entry ``index`` (tests read what the learner sees)."""
        start = self._first_row[index]
        return [t for t, e in zip(self._row_text[start:start + 200],
                                  self._row_entry[start:start + 200], strict=False) if e == index]

    def _visual_span(self, index: int) -> tuple[int, int]:
        first_row = self._first_row[index]
        rows = len(self.rows_of(index))
        last_row = first_row + rows - 1
        end = (self._first_visual[last_row + 1] if last_row + 1 < len(self._first_visual)
               else len(self._visual))
        return self._first_visual[first_row], end - 1

    def show_selection(self, index: int | None, pair: list[int], *, follow: bool) -> None:
        self.cursor, self.pair = index, frozenset(pair)
        self._follow = follow
        self.refresh()
        if self.scrollable_content_region.height:
            self._scroll_to_cursor()
        else:
            # Not laid out yet: scroll once it is, or the offset would be clamped to 0.
            self.call_after_refresh(self._scroll_to_cursor)

    def _scroll_to_cursor(self) -> None:
        index = self.cursor
        if index is None or index >= len(self._first_row) or not self._first_visual:
            return
        height = max(1, self.scrollable_content_region.height)
        if self._follow:
            self.scroll_to(y=max(0, self.row_count - height), animate=False, immediate=True)
            return
        first, last = self._visual_span(index)
        top = self.scroll_offset.y
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last >= top + height:
            self.scroll_to(y=max(0, min(first, last - height + 1)), animate=False,
                           immediate=True)

    # -- drawing ------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # Styles are looked up once, not once per line: they change only with the CSS
        # (a theme, focus), and then notify_style_update empties the cache.
        if not self._styles:
            styles = {name: self.get_component_rich_style(name)
                      for name in self.COMPONENT_CLASSES}
            styles["base"] = self.rich_style
            self._styles = styles
        return super().render_lines(crop)

    def notify_style_update(self) -> None:
        self._styles = {}
        self._drawn.clear()
        super().notify_style_update()

    def _style(self, name: str) -> Style:
        styles = self._styles
        return styles[name] if styles else (self.rich_style if name == "base" else
                                            self.get_component_rich_style(name))

    def render_line(self, y: int) -> Strip:
        row_y = self.scroll_offset.y + y
        if row_y >= len(self._visual):
            return Strip.blank(self.scrollable_content_region.width, self._style("base"))
        index = self._row_entry[self._visual[row_y][0]]
        marks = (index == self.cursor, index in self.pair)
        drawn = self._drawn.get(row_y)
        if drawn is not None and drawn[0] == marks:
            return drawn[1]
        strip = self._draw_row(row_y)
        if self._styles:                 # styles looked up for this repaint: keep it
            if len(self._drawn) > 4 * max(10, self.scrollable_content_region.height):
                self._forget_far_rows(row_y)      # a strip holds caches: keep few
            self._drawn[row_y] = (marks, strip)
        return strip

    def _forget_far_rows(self, near: int) -> None:
        keep = 2 * max(10, self.scrollable_content_region.height)
        self._drawn = {row: drawn for row, drawn in self._drawn.items()
                       if abs(row - near) <= keep}

    def _draw_row(self, row_y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._style("base")
        row, offset = self._visual[row_y]
        index, text, kind = self._row_entry[row], self._row_text[row], self._row_kind[row]
        style = base + self._style(f"transcript--{kind}")
        background = Style()
        if index == self.cursor:
            background = self._style("transcript--cursor")
        elif index in self.pair:
            background = self._style("transcript--pair")
        gutter = "▌" if index == self.cursor else " "
        segments = [Segment(gutter, style + background)]
        next_start = (self._visual[row_y + 1][1]
                      if row_y + 1 < len(self._visual) and self._visual[row_y + 1][0] == row
                      else len(text))
        piece = text[offset:next_start]
        if offset:
            segments.append(Segment(CONTINUED, style + self._style("transcript--mark")
                                    + background))
            segments.append(Segment(piece, style + background))
        elif kind in ("sent", "received") and text[2:5].isdigit() and text[5:6] in " -":
            code_style = self._styles.get(f"transcript--code-{text[2]}", Style()) \
                if self._styles else Style()
            segments += [Segment(piece[:2], style + background),
                         Segment(piece[2:5], style + code_style + background),
                         Segment(piece[5:], style + background)]
        else:
            segments.append(Segment(piece, style + background))
        return Strip(segments).crop_extend(0, width, base + background)

    # -- interaction --------------------------------------------------------------------
    def _select(self, index: int) -> None:
        if self._first_row:
            index = max(0, min(index, len(self._first_row) - 1))
            self.post_message(self.LineSelected(index))

    def action_move(self, delta: int) -> None:
        start = self.cursor if self.cursor is not None else len(self._first_row) - 1
        self._select(start + delta)

    def action_first(self) -> None:
        self._select(0)

    def action_last(self) -> None:
        self._select(len(self._first_row) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + self.scroll_offset.y
        if 0 <= row < len(self._visual):
            self._select(self._row_entry[self._visual[row][0]])
