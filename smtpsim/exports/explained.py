"""One short explanation per transcript entry, for a packet comment or a diagram note.

The app's explanation pane shows everything :func:`smtpsim.mta.explain.explain_entry`
knows; a packet comment in Wireshark or a note on a slide has room for one sentence:
the heading (the code and its meaning, or the command and its name), the reason, and
the RFC sections behind it.
"""

from __future__ import annotations

from ..mta.explain import explain_entry
from ..mta.transcript import NOTE, SERVER, Entry

REMOTE = "remote"   # reply_id of a real server's reply: only its code can be explained
TEXT_BLOCK = "Message text, {count} line(s) as sent after the 354"
TEXT_END = ", ended by <CRLF>.<CRLF> (RFC 5321 4.1.1.4)"
TEXT_DOTS = "; a line starting with a dot gets a second one on the wire (RFC 5321 4.5.2)"


def short_explanation(entry: Entry) -> str:
    """``250 2.1.0 - Requested mail action okay, completed: why... (RFC 5321 4.1.1.2)``.

    Message text gets a comment only where it teaches something: a line starting
    with a dot (transparency) and the final dot; other text lines get none.
    """
    if entry.side == NOTE:
        return entry.text
    if entry.in_data and len(entry.lines) > 1:
        return text_block(entry.lines)
    if entry.in_data and not entry.text.startswith("."):
        return ""
    explanation = explain_entry(entry)
    text = explanation.heading
    why = explanation.why if entry.side != SERVER or entry.reply_id != REMOTE else ""
    if why and why != explanation.heading:
        text += ": " + " ".join(why.split())
    if explanation.rfc:
        text += " (" + "; ".join(explanation.rfc) + ")"
    return text


def text_block(lines: tuple[str, ...]) -> str:
    """Several lines of message text in one entry (the client MTA's whole message)."""
    ended = lines[-1] == "."
    text = TEXT_BLOCK.format(count=len(lines) - ended) + (TEXT_END if ended else "")
    if any(line.startswith(".") for line in lines[:-1]):
        text += TEXT_DOTS
    return text
