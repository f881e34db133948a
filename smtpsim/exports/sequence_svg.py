"""A session as a self-contained SVG sequence diagram, drawn by smtpsim itself.

``smtpsim run FILE --svg OUT.svg [--notes]`` writes the same steps as the Mermaid
diagram (:mod:`.sequence`) as one SVG file: no browser, no network, no fonts to
fetch - a monospace font is asked for, and the layout assumes its usual advance of
0.6 em, so that wire lines line up as in a terminal.  Replies are coloured by their
first digit (RFC 5321 4.2.1: 2 positive completion, 3 positive intermediate, 4
transient negative, 5 permanent negative); commands and message text are solid
arrows, replies dashed, as in UML.  Every text is XML-escaped and shown with control characters as
visible tokens (``smtpsim.textsafe.printable``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from xml.sax.saxutils import escape

from ..mta.transcript import Entry
from ..textsafe import printable
from .sequence import Diagram, Step, diagram_of

FONT_SIZE = 13
CHAR_WIDTH = FONT_SIZE * 0.6
ROW = 17
MARGIN = 20
BOX_HEIGHT = 32
MAX_ROW_CHARS = 90          # longer rows are cut with an ellipsis
NOTE_CHARS = 64             # notes wrap at this width
MIN_GAP = 300
TITLE = "SMTP session: {client} and {server}"
CODE_COLOURS = {"2": "#1a7f37", "3": "#0550ae", "4": "#9a6700", "5": "#cf222e"}
COMMAND_COLOUR, TEXT_COLOUR, NOTE_FILL, STATE_FILL = "#24292f", "#57606a", "#fff8c5", "#ddf4ff"
STYLE = ("text{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;"
         f"font-size:{FONT_SIZE}px;fill:#24292f}}.host{{font-weight:bold}}"
         f".title{{font-size:{FONT_SIZE + 3}px;font-weight:bold}}")


def _cut(row: str) -> str:
    row = printable(row, MAX_ROW_CHARS * 4)
    return row if len(row) <= MAX_ROW_CHARS else row[:MAX_ROW_CHARS - 1] + "…"


def _step_rows(step: Step) -> list[str]:
    if step.is_arrow or step.kind == "state":
        return [_cut(row) for row in step.rows] or [""]
    rows: list[str] = []
    for row in step.rows:
        rows += textwrap.wrap(printable(row, 4000), NOTE_CHARS) or [""]
    return rows


def _width(rows: list[str]) -> float:
    return max((len(r) for r in rows), default=0) * CHAR_WIDTH


def _text(x: float, y: float, row: str, anchor: str = "start", colour: str = "",
          css: str = "") -> str:
    fill = f' style="fill:{colour}"' if colour else ""
    klass = f' class="{css}"' if css else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{klass}{fill} '
            f'xml:space="preserve">{escape(row)}</text>')


def _colour(step: Step) -> str:
    if step.kind == "reply":
        return CODE_COLOURS.get(step.rows[0][:1] if step.rows else "", COMMAND_COLOUR)
    return TEXT_COLOUR if step.kind == "text" else COMMAND_COLOUR


def render(diagram: Diagram) -> str:
    hosts = [printable(h, 80) for h in diagram.hosts]
    laid = [(step, _step_rows(step)) for step in diagram.steps]
    box = max(len(h) for h in hosts) * CHAR_WIDTH + 24
    widest = max([_width(rows) for step, rows in laid if step.is_arrow] + [0])
    gap = max(MIN_GAP, widest + 40, box + 40)
    notes_wide = max([_width(rows) + 16 for step, rows in laid if step.target < 0] + [0])
    # a state note stands centred on its lifeline: after TURN on the left one too
    side = max([_width(rows) / 2 + 10 for step, rows in laid if step.kind == "state"] + [0])
    left = MARGIN + max(box / 2, side, (notes_wide - gap) / 2, 0)
    xs = (left, left + gap)
    width = xs[1] + max(box / 2, side, (notes_wide - gap) / 2) + MARGIN
    body: list[str] = []
    y = MARGIN + 24 + BOX_HEIGHT + 16
    for step, rows in laid:
        if step.is_arrow:
            x1, x2 = xs[step.source], xs[step.target]
            colour = _colour(step)
            # one row: centred on the arrow; several (a multi-line reply, message text):
            # left-aligned, as they read in a terminal
            x, anchor = ((x1 + x2) / 2, "middle") if len(rows) == 1 else \
                (min(x1, x2) + 16, "start")
            for n, row in enumerate(rows):
                body.append(_text(x, y + n * ROW + FONT_SIZE, row, anchor, colour))
            y += len(rows) * ROW + 6
            dash = ' stroke-dasharray="6 4"' if step.kind == "reply" else ""
            tip = 8 if x2 > x1 else -8
            body.append(f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{x2 - tip:.1f}" y2="{y:.1f}" '
                        f'stroke="{colour}" stroke-width="1.5"{dash}/>')
            body.append(f'<path d="M{x2:.1f},{y:.1f} l{-tip:.1f},-4 l0,8 z" '
                        f'fill="{colour}"/>')
            y += 14
            continue
        if step.target < 0:
            x, w = (xs[0] + xs[1]) / 2, max(_width(rows) + 16, gap + 40)
        else:
            x, w = xs[step.target], _width(rows) + 16
        h = len(rows) * ROW + 8
        fill = STATE_FILL if step.kind == "state" else NOTE_FILL
        body.append(f'<rect x="{x - w / 2:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h}" '
                    f'rx="3" fill="{fill}" stroke="#8c959f"/>')
        for n, row in enumerate(rows):
            body.append(_text(x - w / 2 + 8, y + 4 + n * ROW + FONT_SIZE, row))
        y += h + 10
    bottom = y + 6
    height = bottom + BOX_HEIGHT + MARGIN
    top = MARGIN + 24
    head = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}">',
            f"<style>{STYLE}</style>",
            '<rect width="100%" height="100%" fill="#ffffff"/>',
            _text(MARGIN, MARGIN + 6, TITLE.format(client=hosts[0], server=hosts[1]),
                  css="title")]
    for x, host in zip(xs, hosts, strict=False):
        head.append(f'<line x1="{x:.1f}" y1="{top + BOX_HEIGHT}" x2="{x:.1f}" '
                    f'y2="{bottom:.1f}" stroke="#8c959f" stroke-dasharray="2 3"/>')
        for box_y in (top, bottom):
            head.append(f'<rect x="{x - box / 2:.1f}" y="{box_y:.1f}" width="{box:.1f}" '
                        f'height="{BOX_HEIGHT}" rx="4" fill="#f6f8fa" stroke="#24292f"/>')
            head.append(_text(x, box_y + 21, host, "middle", css="host"))
    return "\n".join(head + body + ["</svg>"]) + "\n"


def sequence_svg(entries: Sequence[Entry], hosts: tuple[str, str], notes: bool = False) -> str:
    return render(diagram_of(entries, hosts, notes))
