"""Making text safe to show or store: no terminal control, no markup, no formulas, bounded length.

Everything a learner types or a host sends is shown *literally*.  A backspace typed
in a telnet session (the classic ``MAIL FROM:<alice^H^H``) must appear as a visible
token, never move the cursor of the learner's terminal; ``[red]`` must stay text.
Widgets build Rich ``Text`` objects from these strings and never parse markup.
"""

from __future__ import annotations

import unicodedata

from .i18n import N_, _

CUT = N_("({count} characters in all)")   # after a line cut short
THOUSANDS = N_(",")    # the thousands separator, as the language writes it (5,000 / 5.000)

#: Longest row kept for display; the full line stays in the transcript and the export.
MAX_SHOWN = 400

# Categories that would move the cursor, hide text or reorder it on a terminal:
# controls (Cc), format characters such as RIGHT-TO-LEFT OVERRIDE (Cf), lone
# surrogates left by undecodable bytes (Cs) and the Unicode line separators.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _token(char: str) -> str:
    value = ord(char)
    if 0xDC80 <= value <= 0xDCFF:   # a byte that was not UTF-8 (surrogateescape)
        return f"<0x{value - 0xDC00:02X}>"
    if value < 0x100:
        return f"<0x{value:02X}>"
    return f"<U+{value:04X}>"


def printable(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` with every invisible or cursor-moving character shown as a token."""
    clipped = text[:limit]
    if clipped.isprintable():
        out = clipped
    else:
        out = "".join(_token(c) if unicodedata.category(c) in _HIDDEN else c
                      for c in clipped)
    if len(text) > limit:
        count = format(len(text), ",").replace(",", _(THOUSANDS))
        out += " … " + _(CUT).format(count=count)
    return out


# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV
# Injection"): "=HYPERLINK(...)" typed as a student's name must stay text.  Tab and
# carriage return start a formula in some spreadsheets too.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """``value`` safe for a CSV cell a teacher opens in a spreadsheet.

    A cell that a spreadsheet would evaluate gets a leading apostrophe, which every
    common spreadsheet shows as text and hides; anything else is returned unchanged.
    """
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def safe_filename(name: str, limit: int = 60) -> str:
    """A file-name stem made from free text (a student's name): letters, digits,
    ``-`` and ``_`` only, never empty, never a path, at most ``limit`` characters."""
    kept = "".join(c if c.isalnum() or c in "-_" else "_" for c in name.strip())
    kept = kept.strip("_.")[:limit]
    return kept or "anonymous"
