"""Making wire text safe to show: no terminal control, no markup, bounded length.

Everything a learner types or a host sends is shown *literally*.  A backspace typed
in a telnet session (the classic ``MAIL FROM:<alice^H^H``) must appear as a visible
token, never move the cursor of the learner's terminal; ``[red]`` must stay text.
Widgets build Rich ``Text`` objects from these strings and never parse markup.
"""

from __future__ import annotations

import unicodedata

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
        out += f" … ({len(text):,} characters in all)"
    return out
