"""A session as the steps of a sequence diagram: arrows between two hosts, and notes.

Both diagram writers (:mod:`.mermaid` for Markdown, :mod:`.sequence_svg` for a
picture) draw the same :class:`Step` list, built here from transcript entries:

* every command is an arrow from the host that sent it, every reply an arrow back
  (a multi-line reply is one arrow with one row per line);
* the message text after a 354 is one arrow, its first lines shown;
* a reply that changes the server's state is followed by a note with the change
  (RFC 5321 4.1.4 order of commands, as the engine's state table has it);
* what happens without a line on the wire (TURN reversing the roles, a client
  hanging up) is a note across both hosts;
* with ``notes=True`` every reply also gets its explanation (code meaning, reason,
  RFC sections), for a slide that teaches by itself.

After TURN (RFC 821 3.8) the same two hosts stay, with their arrows reversed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..mta.transcript import NOTE, SERVER, Entry
from .explained import short_explanation
from .tcp import from_initiator

TEXT_ROWS_SHOWN = 6
MORE_TEXT = "… {count} more line(s) of message text"
STATE_CHANGE = "state {before} → {after}"


@dataclass(frozen=True)
class Step:
    kind: str                 # "command", "reply", "text" (arrows) or "state", "event", "why"
    rows: tuple[str, ...]     # text rows, as sent (arrows) or as written (notes)
    source: int = 0           # 0: the host that opened the connection, 1: the other one
    target: int = 1           # for a note: the host it stands by (-1: across both)

    @property
    def is_arrow(self) -> bool:
        return self.kind in ("command", "reply", "text")


@dataclass(frozen=True)
class Diagram:
    hosts: tuple[str, str]    # (the initiator, the listener)
    steps: tuple[Step, ...]


def _text_rows(lines: list[str]) -> tuple[str, ...]:
    if len(lines) <= TEXT_ROWS_SHOWN + 1:
        return tuple(lines)
    hidden = len(lines) - TEXT_ROWS_SHOWN - 1   # the final "." stays visible
    return (*lines[:TEXT_ROWS_SHOWN], MORE_TEXT.format(count=hidden), lines[-1])


def diagram_of(entries: Sequence[Entry], hosts: tuple[str, str], notes: bool = False,
               max_steps: int = 2000) -> Diagram:
    """The steps of a diagram; a session longer than ``max_steps`` steps is cut there
    (with a note saying so): a slide cannot show ten thousand arrows."""
    steps: list[Step] = []
    text: list[str] = []
    text_source = 0

    def flush_text() -> None:
        if text:
            steps.append(Step("text", _text_rows(text), text_source, 1 - text_source))
            text.clear()

    for entry in entries:
        if len(steps) >= max_steps:
            flush_text()
            steps.append(Step("event", (CUT.format(count=len(entries)),), 0, -1))
            break
        if entry.side == NOTE:
            flush_text()
            steps.append(Step("event", (entry.text,), 0, -1))
            continue
        source = 0 if from_initiator(entry) else 1
        if entry.in_data:
            text_source = source
            text.extend(entry.lines)
            continue
        flush_text()
        kind = "reply" if entry.side == SERVER else "command"
        steps.append(Step(kind, tuple(entry.lines), source, 1 - source))
        if entry.side == SERVER:
            if entry.before is not entry.after:
                steps.append(Step("state", (STATE_CHANGE.format(
                    before=entry.before.value, after=entry.after.value),), source, source))
            if notes:
                why = short_explanation(entry)
                if why:
                    steps.append(Step("why", (why,), source, -1))
    flush_text()
    return Diagram(hosts, tuple(steps))


CUT = "The diagram stops here: the session has {count} transcript lines in all."
