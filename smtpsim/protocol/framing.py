"""Turning a byte stream into command lines and message text, by RFC 5321's rules.

Two modes share one buffer:

* command mode: a line ends with CRLF and nothing else (RFC 5321 2.3.8).  A bare
  LF still ends the *input* so that the server can explain the mistake instead
  of waiting forever (a learner using ``nc`` without ``-C`` sends bare LFs);
* data mode: only ``<CRLF>.<CRLF>`` ends the text; bare CR and bare LF are
  ordinary bytes of the message (RFC 5321 4.1.1.4 - treating ``LF.LF`` as the
  end is what makes "SMTP smuggling" possible).
"""

from __future__ import annotations

import re

from .dotstuff import unstuff_line
from .events import BadLine, Command, MessageData
from .phrase import Phrase

COMMAND_LINE_LIMIT = 512   # RFC 5321 4.5.3.1.4, verb and CRLF included
TEXT_LINE_LIMIT = 1000     # RFC 5321 4.5.3.1.6, CRLF included, stuffed dot excluded
SIZE_EXTRA_OCTETS = 26     # RFC 1870 3: SIZE lengthens the MAIL line by 26 octets
_KEEP_OF_LONG_LINE = 64    # how much of an over-long line is kept to show the learner
KNOWN_LINES_KEPT = 64      # parsed lines remembered per session (see CommandFramer._known)

_CONTROL_NAMES = {
    0x00: "NUL", 0x04: "EOT (Ctrl-D)", 0x07: "BEL", 0x08: "BS (backspace)",
    0x09: "TAB", 0x1B: "ESC (often an arrow key)", 0x7F: "DEL (backspace on many terminals)",
}


# What a learner reads when a line is refused (Phrase templates, see .phrase).
BYTE = "0x{value:02X} ({name})"
A_CONTROL_CHARACTER = "a control character"
CR_NUL = "CR NUL (telnet's bare CR)"
LONGER_THAN = "longer than {limit} octets"
BARE_LF = "line ended with LF alone, not CRLF"
TOO_LONG = "{octets} octets with CRLF; the limit is {limit}"
BARE_CR = "a CR inside the line that is not followed by LF"
NOT_ASCII = "0x{value:02X} is not US-ASCII"
EMPTY = "an empty line"
NOT_A_WORD = "{verb!r} is not a command word"


def describe_byte(value: int) -> Phrase:
    return Phrase(BYTE, value=value, name=Phrase(_CONTROL_NAMES.get(value, A_CONTROL_CHARACTER)))


class CommandFramer:
    """Cuts command lines out of a buffer, checking length and characters."""

    def __init__(self, mail_extra_octets: int = 0) -> None:
        self.mail_extra_octets = mail_extra_octets
        self._overflow: bytes | None = None   # start of a line that already passed the limit
        # Valid lines already parsed, by their bytes: saves a regex match and a Command for each
        # line a session sends again, such as NOOP (10 % of a transaction in bench_engine).
        self._known: dict[bytes, Command] = {}
        # After a CR NUL line: telnet fed a CR LF from a pipe as CR NUL CR LF (RFC 854's
        # NVT rules), so an empty line right behind it is the same line's end, not a new one.
        self._after_cr_nul = False

    def limit_for(self, start: bytes) -> int:
        if self.mail_extra_octets and start[:5].upper() == b"MAIL ":
            return COMMAND_LINE_LIMIT + self.mail_extra_octets
        return COMMAND_LINE_LIMIT

    def take(self, buffer: bytearray) -> Command | BadLine | None:
        """Remove and return the next complete line, or None if none is complete."""
        if self._after_cr_nul and buffer:
            self._after_cr_nul = False
            if buffer[:2] == b"\r\n":
                del buffer[:2]   # one command line, one reply (the CR NUL's 501)
            elif buffer == b"\r":
                self._after_cr_nul = True   # the LF may follow in the next read
                return None
        end = buffer.find(b"\n")
        if self._overflow is None and 0 <= end < COMMAND_LINE_LIMIT:
            # The common case: a short, well-formed line - one lookup or one regex match.
            raw = bytes(buffer[: end + 1])
            command = self._known.get(raw)
            if command is None and (valid := _VALID_LINE.fullmatch(raw)):
                # RFC 5321 4.1.1: trailing blanks are tolerated; verbs are case-insensitive.
                argument = valid.group(2)
                command = Command(valid.group(1).decode("ascii").upper(),
                                  argument.decode("ascii").rstrip(" \t") if argument else "")
                if len(self._known) >= KNOWN_LINES_KEPT:
                    self._known.clear()
                self._known[raw] = command
            if command is not None:
                del buffer[: end + 1]
                return command
        cr_nul = buffer.find(b"\r\x00", 0, end if end >= 0 else len(buffer))
        if cr_nul >= 0 and self._overflow is None:
            # RFC 854: telnet sends CR NUL for a carriage return alone (Enter in character
            # mode).  It is no SMTP line ending, but waiting for an LF that never comes
            # would leave the learner staring at silence: answer it as a line of its own.
            raw = bytes(buffer[:cr_nul])
            del buffer[: cr_nul + 2]
            self._after_cr_nul = True
            return BadLine("cr_nul", raw[:_KEEP_OF_LONG_LINE], Phrase(CR_NUL))
        if end < 0:
            self._guard_overflow(buffer)
            return None
        raw = bytes(buffer[: end + 1])
        del buffer[: end + 1]
        if self._overflow is not None:
            start, self._overflow = self._overflow, None
            return BadLine("too_long", start, Phrase(LONGER_THAN, limit=self.limit_for(start)))
        if not raw.endswith(b"\r\n"):
            # RFC 5321 2.3.8: a bare LF is not a line ending; we say so rather than wait.
            return BadLine("bare_lf", raw[:-1], Phrase(BARE_LF))
        if len(raw) > COMMAND_LINE_LIMIT and len(raw) > self.limit_for(raw):
            return BadLine("too_long", raw[:_KEEP_OF_LONG_LINE],
                           Phrase(TOO_LONG, octets=len(raw), limit=self.limit_for(raw)))
        return check_line(raw[:-2])

    def _guard_overflow(self, buffer: bytearray) -> None:
        """Drop the tail of a line that can no longer be valid, so memory stays bounded."""
        if self._overflow is None and len(buffer) > COMMAND_LINE_LIMIT \
                and len(buffer) > self.limit_for(bytes(buffer[:5])):
            self._overflow = bytes(buffer[:_KEEP_OF_LONG_LINE])
        if self._overflow is not None:
            del buffer[:]


# A whole valid command line at once: a command word of letters and digits, then
# optionally a space and printable US-ASCII or TAB (RFC 5321 2.4, 4.1.2), then CRLF.
# A line it does not match is not necessarily wrong: check_line decides, and explains.
_VALID_LINE = re.compile(rb"([A-Za-z0-9]+)(?: ([\t\x20-\x7e]*))?\r\n")
_NOT_COMMAND_TEXT = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f-\xff]")   # TAB is allowed


def check_line(content: bytes) -> Command | BadLine:
    """Validate the characters of one command line (without CRLF) and parse it."""
    if b"\r" in content:
        return BadLine("bare_cr", content, Phrase(BARE_CR))
    bad = _NOT_COMMAND_TEXT.search(content)   # the first offending byte, if any
    if bad:
        value = content[bad.start()]
        if value >= 0x80:
            # RFC 5321 2.4: 8-bit octets in commands need SMTPUTF8, which is not offered.
            return BadLine("eight_bit", content, Phrase(NOT_ASCII, value=value))
        # RFC 5321 4.1.2: a command with invalid characters gets 501.
        return BadLine("control", content, describe_byte(value))
    text = content.decode("ascii").rstrip(" \t")  # RFC 5321 4.1.1: tolerate trailing blanks
    if not text.strip():
        return BadLine("empty", content, Phrase(EMPTY))
    verb, _, argument = text.partition(" ")
    if not verb.isascii() or not verb.isalnum():
        return BadLine("bad_verb", content, Phrase(NOT_A_WORD, verb=verb))
    return Command(verb.upper(), argument)


class DataFramer:
    """Collects message text until the line that holds only a dot."""

    def __init__(self, max_octets: int | None = None) -> None:
        self.max_octets = max_octets
        self._parts: list[bytes] = []
        self._size = 0
        self._long_lines = 0
        self._overflow = False
        self._scan_from = 0

    def take(self, buffer: bytearray) -> MessageData | None:
        # The buffer always starts at the beginning of a line.  When the terminator is
        # already in it, the whole block is cut at once (C speed); otherwise complete
        # lines are taken one by one and an incomplete one waits.
        if buffer[:3] == b".\r\n":
            del buffer[:3]
            return self._finish()
        end = buffer.find(b"\r\n.\r\n")
        if end >= 0:
            self._add_block(bytes(buffer[:end]))
            del buffer[:end + 5]
            self._scan_from = 0
            return self._finish()
        start = 0
        try:
            while True:
                end = buffer.find(b"\r\n", start + self._scan_from)
                if end < 0:
                    self._hold_partial(buffer, start)
                    return None
                self._scan_from = 0
                line = bytes(buffer[start:end])
                start = end + 2
                if line == b".":
                    # RFC 5321 4.1.1.4: <CRLF>.<CRLF> - and only that - ends the data.
                    return self._finish()
                self._add(line)
        finally:
            del buffer[:start]

    def _hold_partial(self, buffer: bytearray, start: int) -> None:
        """Remember where to resume the search; drop an endless line once it cannot fit."""
        pending = len(buffer) - start
        if self.max_octets is not None and pending > self.max_octets + 2:
            self._overflow = True
            self._parts.clear()
            self._size += pending - 1
            del buffer[start:len(buffer) - 1]   # keep a last CR: it may start the CRLF
        # The caller deletes the first ``start`` bytes: resume at the last byte kept,
        # which may be the CR of a CRLF still to come.
        self._scan_from = max(0, len(buffer) - start - 1)

    def _add(self, line: bytes) -> None:
        text = unstuff_line(line)
        if len(text) + 2 > TEXT_LINE_LIMIT:
            self._long_lines += 1
        self._size += len(text) + 2
        if self.max_octets is not None and self._size > self.max_octets:
            self._overflow = True
            self._parts.clear()   # the message will be refused; do not hold it in memory
        if not self._overflow:
            self._parts.append(text)
            self._parts.append(b"\r\n")

    def _add_block(self, block: bytes) -> None:
        """Every line of ``block`` (CRLF-separated, without the last CRLF), as ``_add`` would."""
        if not block.startswith(b".") and b"\r\n." not in block:
            # The common case: no line starts with a dot, so the block is the text as it
            # is, and no line can pass the limit when the whole block is shorter than it.
            text, size = block, len(block) + 2
            long_lines = 0 if size <= TEXT_LINE_LIMIT else sum(
                1 for line in block.split(b"\r\n") if len(line) + 2 > TEXT_LINE_LIMIT)
        else:
            # RFC 5321 4.5.2: a received line starting with a dot loses that dot.
            texts = [line[1:] if line[:1] == b"." else line for line in block.split(b"\r\n")]
            text, size = b"\r\n".join(texts), sum(map(len, texts)) + 2 * len(texts)
            long_lines = sum(1 for line in texts if len(line) + 2 > TEXT_LINE_LIMIT)
        self._long_lines += long_lines
        self._size += size
        if self.max_octets is not None and self._size > self.max_octets:
            self._overflow = True
            self._parts.clear()
        if not self._overflow:
            self._parts.append(text)
            self._parts.append(b"\r\n")

    def _finish(self) -> MessageData:
        content = b"".join(self._parts)
        return MessageData(content, self._long_lines, self._size, self._overflow)
