"""Transparency: dot-stuffing on send, un-stuffing on receive (RFC 5321 4.5.2).

The sender doubles a dot that starts a line, so that no line of the message can
look like the terminator; the receiver removes that first dot again.
"""

from __future__ import annotations

TERMINATOR = b".\r\n"


def stuff(content: bytes) -> bytes:
    """Wire form of a message body: CRLF lines, leading dots doubled, then ``.CRLF``.

    Bare LFs are turned into CRLF first (RFC 5321 2.3.8: a client must not send
    them), and a missing final CRLF is added, because the first CRLF of
    ``<CRLF>.<CRLF>`` belongs to the last text line (RFC 5321 4.1.1.4).
    """
    if not content:
        return TERMINATOR
    crlf = content.count(b"\r\n")
    if content.count(b"\r") == crlf == content.count(b"\n") and b"\n." not in content \
            and content[:1] != b".":
        # The common case, checked at C speed: CRLF lines only, none starting with a dot -
        # the text goes on the wire as it is.
        return content + (TERMINATOR if content[-2:] == b"\r\n" else b"\r\n" + TERMINATOR)
    text = content.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    if text[-1] == b"":
        text.pop()
    lines = [b"." + line if line.startswith(b".") else line for line in text]
    return b"\r\n".join(lines) + b"\r\n" + TERMINATOR


def unstuff_line(line: bytes) -> bytes:
    """RFC 5321 4.5.2: if a received text line starts with a dot, delete that dot."""
    return line[1:] if line.startswith(b".") else line


def normalise(content: bytes) -> bytes:
    """What :func:`stuff` followed by un-stuffing gives back: CRLF lines, final CRLF."""
    if not content:
        return b""
    text = content.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    if text[-1] == b"":
        text.pop()
    return b"".join(line + b"\r\n" for line in text)
