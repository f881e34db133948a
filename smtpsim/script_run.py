"""``smtpsim run``: a client script played against the simulated server, in constant memory.

Three stages, each holding only what it works on now:

* :func:`read_script` reads the script line by line (a line is cut at LF, a CR before it
  dropped), never more than :data:`SCRIPT_LINE_LIMIT` octets at a time - ``run /dev/zero``
  ends with a one-line error instead of filling memory;
* :func:`play` types each line into a :class:`smtpsim.mta.Session` (message text in blocks
  of :data:`TEXT_BLOCK_LINES` lines) and yields every transcript entry once, as soon as it is
  recorded; the session then forgets it (``Transcript.drain``);
* writers consume the entries: :class:`TextWriter` (``C:``/``S:`` lines, ``--explain``) and
  :class:`JsonWriter` (``--json``).  A writer is any object with ``entry(entry)`` and
  ``finish(session)``; a new output of ``run`` is one more writer in the list.

Every line a terminal shows goes through :func:`smtpsim.textsafe.printable`: a script (or
a reply quoting it) can hold ESC, C1 controls or OSC sequences, shown as ``<0x1B>``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Protocol, TextIO

from .i18n import N_, _, ngettext
from .mta import Entry, Session
from .mta.explain import as_text, explain_entry
from .mta.phrases import note_text
from .mta.transcript import PREFIX
from .textsafe import printable

SCRIPT_LINE_LIMIT = 65536   # octets a script line; RFC 5321 allows 1000 a text line
TEXT_BLOCK_LINES = 1024     # message text lines typed at a time
OUTPUT_BATCH = 2048         # transcript lines per write

LINE_TOO_LONG = N_("line {number} of {source} is longer than {limit} octets without a line "
                 "end: a script holds one SMTP line a line (is it a text file?)")


class ScriptError(Exception):
    """The script cannot be read as a script; one line for the user."""


def read_script(stream: BinaryIO, source: str) -> Iterator[str]:
    """The script's lines, decoded as UTF-8 (other bytes kept as surrogate escapes).

    Only LF (or CR LF) separates lines: a CR or a control byte inside a line is sent
    as typed, so that the server can explain it."""
    number = 0
    while True:
        raw = stream.readline(SCRIPT_LINE_LIMIT + 1)
        if not raw:
            return
        number += 1
        if raw.endswith(b"\n"):
            raw = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
        elif len(raw) > SCRIPT_LINE_LIMIT:
            raise ScriptError(_(LINE_TOO_LONG).format(number=number, source=source,
                                                   limit=SCRIPT_LINE_LIMIT))
        yield raw.decode("utf-8", "surrogateescape")


def _skipped(line: str) -> bool:
    """Outside DATA, blank lines and '#' comments are not sent."""
    return not line.strip() or line.lstrip().startswith("#")


def play(session: Session, lines: Iterable[str]) -> Iterator[Entry]:
    """Type every line; yield each transcript entry once, in order, then forget it."""
    drain = session.transcript.drain
    text: list[str] = []
    unsent = 0
    for line in lines:
        if text or session.in_data:
            text.append(line)   # message text, sent in blocks up to the lone "."
            if line == "." or len(text) >= TEXT_BLOCK_LINES:
                session.type_lines(text)
                text = []
                yield from drain()
            continue
        if _skipped(line):
            continue
        if session.closed:
            unsent += 1
            continue
        session.type_line(line)
        yield from drain()
    if text:
        session.type_lines(text)
    if session.in_data:
        session.hang_up()   # the script ended before the lone "."
    if unsent:
        session.transcript.add(side="*", lines=(ngettext(
            "{count} more script line not sent: the connection is closed",
            "{count} more script lines not sent: the connection is closed",
            unsent).format(count=unsent),),
                               sender=session.client.host, before=session.state,
                               after=session.state)
    yield from drain()


class Writer(Protocol):
    def entry(self, entry: Entry) -> None: ...

    def finish(self, session: Session) -> None: ...


class _Batched:
    """Lines written in batches: with an unbuffered stdout (PYTHONUNBUFFERED, or a pipe
    some tools set up) one write per line would be one system call per line.
    ``explain``: each reply explained; ``brief`` (--brief): without the digit paragraphs."""

    def __init__(self, explain: bool = False, out: TextIO | None = None,
                 brief: bool = False) -> None:
        self.out = out if out is not None else sys.stdout
        self.lines: list[str] = []
        self.explain, self.brief = explain, brief

    def flush(self) -> None:
        if self.lines:
            self.out.write("\n".join(self.lines) + "\n")
            self.lines.clear()

    def finish(self, session: Session) -> None:
        self.flush()


class TextWriter(_Batched):
    """``C: EHLO ...`` / ``S: 250 ...`` lines; with ``explain``, each reply explained."""

    def entry(self, entry: Entry) -> None:
        prefix = PREFIX[entry.side]
        self.lines.extend([prefix + printable(line, SCRIPT_LINE_LIMIT)
                           for line in note_text(entry.lines)])
        if self.explain and entry.side == "S":
            self.lines.append(as_text(explain_entry(entry), indent="   | ", brief=self.brief))
        if len(self.lines) >= OUTPUT_BATCH:
            self.flush()


# JSON escapes C0 controls itself; C1 controls (U+0080-U+009F) it would write raw, and
# some terminals act on them (U+009B is CSI): written as \u escapes, the same JSON text.
_C1 = re.compile("[\x80-\x9f]")


class JsonWriter(_Batched):
    """One JSON object per transcript entry (``--json``)."""

    def entry(self, entry: Entry) -> None:
        data = entry.to_json()
        if self.explain and entry.side == "S":
            data["explanation"] = as_text(explain_entry(entry), brief=self.brief)
        line = json.dumps(data, ensure_ascii=False)
        self.lines.append(_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", line))
        if len(self.lines) >= OUTPUT_BATCH:
            self.flush()


def run_script(session: Session, lines: Iterable[str], writers: list[Writer]) -> None:
    """Play ``lines`` and hand every entry to every writer; then let them finish."""
    try:
        for entry in play(session, lines):
            for writer in writers:
                writer.entry(entry)
    finally:
        for writer in writers:
            writer.finish(session)
