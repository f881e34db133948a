"""A small reader of gettext ``.po`` files: enough for the catalogues Babel writes.

smtpsim reads its translations from the ``.po`` text at run time instead of a compiled
``.mo`` file, so that nothing generated is committed and a translator's edit shows at
the next start.  Read: ``msgctxt`` (entries with a context are skipped: smtpsim uses
none), ``msgid``, ``msgid_plural``, ``msgstr``, ``msgstr[N]``, strings continued over
several lines, C escapes; fuzzy entries and empty translations are left out, as
``msgfmt`` leaves them out.  A broken file gives what could be read, never an error.
"""

from __future__ import annotations

import re
from pathlib import Path

MAX_BYTES = 4 * 1024 * 1024     # a catalogue is far smaller; a bigger file is not read
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a",
            "b": "\b", "f": "\f", "v": "\v"}


_ESCAPE = re.compile(r"\\(.)")


def unquote(text: str) -> str:
    """The value of a C string literal (``"a\\nb"`` -> ``a`` newline ``b``)."""
    body = text.strip()
    if len(body) < 2 or body[0] != '"' or body[-1] != '"':
        raise ValueError("not a quoted string")
    body = body[1:-1]
    if "\\" not in body:
        return body          # the usual line: no escapes to read
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


class _Entry:
    __slots__ = ("current", "fields", "fuzzy")

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}
        self.fuzzy = False
        self.current: str | None = None


def parse(text: str) -> list[tuple[dict[str, str], bool]]:
    """Every entry of a .po text as (fields, fuzzy); fields are ``msgid``, ``msgstr``,
    ``msgstr[0]``, ... with their strings joined."""
    entries: list[tuple[dict[str, str], bool]] = []
    entry = _Entry()

    def finish() -> None:
        nonlocal entry
        if "msgid" in entry.fields:
            entries.append((entry.fields, entry.fuzzy))
        entry = _Entry()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if entry.current is not None and "msgstr" in "".join(entry.fields):
                finish()
            if line.startswith("#,") and "fuzzy" in line:
                entry.fuzzy = True
            continue
        try:
            if line.startswith('"'):
                if entry.current is not None:
                    entry.fields[entry.current] += unquote(line)
                continue
            keyword, _, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and any(
                    key.startswith("msgstr") for key in entry.fields):
                finish()
            entry.fields[keyword] = unquote(rest)
            entry.current = keyword
        except ValueError:
            entry.current = None        # a broken line: skip it, keep reading
    finish()
    return entries


def read_translations(path: Path) -> dict[str, str | tuple[str, ...]]:
    """msgid -> translation (a tuple of plural forms when the entry has msgid_plural)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return {}
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    table: dict[str, str | tuple[str, ...]] = {}
    for fields, fuzzy in parse(text):
        msgid = fields.get("msgid", "")
        if fuzzy or not msgid or "msgctxt" in fields:
            continue     # the header (empty msgid), unreviewed and context entries
        if "msgid_plural" in fields:
            forms = tuple(fields[key] for key in sorted(
                (k for k in fields if k.startswith("msgstr[")),
                key=lambda k: int(k[7:-1]) if k[7:-1].isdigit() else 0))
            if any(forms):
                table[msgid] = forms
        elif fields.get("msgstr"):
            table[msgid] = fields["msgstr"]
    return table
