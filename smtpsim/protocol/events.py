"""Events that cross the wire, identical on both sides, read-only once made.

What the client sends (a :class:`Command`) is exactly what the server receives;
what the server sends (a :class:`Reply`) is exactly what the client receives.
Events validate themselves, so a malformed one can never reach the wire.

Most are frozen dataclasses.  :class:`Reply` and :class:`MessageData` are made for
every message (a new queue id each time), and a frozen dataclass sets each field
through ``object.__setattr__``, which costs about five times a plain slot: those
two are plain slotted dataclasses that nothing writes to after they are made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# RFC 3463 2: class "." subject "." detail; the class repeats the reply's first digit.
_ENHANCED = re.compile(r"^([245])\.(\d{1,3})\.(\d{1,3})$")
# On the wire the code is followed by a space, or ends the line when the text is empty.
_ENHANCED_PREFIX = re.compile(r"^([245]\.\d{1,3}\.\d{1,3})(?: |$)")


# (enhanced code, reply class) pairs already checked: a session sends and hears the same
# few again and again.  Bounded, because a real server may send any.
_FITTING: set[tuple[str, int]] = set()
_FITTING_KEPT = 256


class ProtocolError(ValueError):
    """Raised when local code tries to do something the protocol forbids."""


@dataclass(frozen=True, slots=True)
class Command:
    """One command line, without its CRLF.

    ``verb`` is upper-cased (verbs are case-insensitive, RFC 5321 2.4);
    ``argument`` is everything after the first space, kept exactly as typed.
    """

    verb: str
    argument: str = ""
    #: the line as sent, without CRLF (worked out once: both sides read it for every command)
    line: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        verb, argument = self.verb, self.argument
        if not verb or " " in verb or verb != verb.upper():
            raise ProtocolError(f"a verb is one upper-case word, not {verb!r}")
        if "\r" in argument or "\n" in argument:
            raise ProtocolError("a command argument cannot contain CR or LF")
        object.__setattr__(self, "line", f"{verb} {argument}" if argument else verb)

    @classmethod
    def parse(cls, line: str) -> Command:
        """Split a decoded command line into verb and argument."""
        verb, _, argument = line.partition(" ")
        return cls(verb.upper(), argument)


# Read-only by convention, not frozen (see the module's docstring); hashable on its
# fields like a frozen one.
@dataclass(slots=True, unsafe_hash=True)
class Reply:
    """A reply: a three-digit code and one or more lines of text.

    ``enhanced`` is an RFC 3463 status code such as ``"5.1.1"``; when present it
    is written at the start of every line (RFC 2034 4).  Code 050 is allowed
    only because sendmail's VERB mode sends it; RFC 5321 4.2 reserves 2-5.
    """

    code: int
    lines: tuple[str, ...] = ("",)
    enhanced: str | None = None
    # the bytes, worked out on first use: nothing changes a reply once made
    _wire: bytes | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 0 <= self.code <= 599:
            raise ProtocolError(f"reply codes have three digits, not {self.code}")
        if not self.lines:
            raise ProtocolError("a reply has at least one line")
        for text in self.lines:
            if "\r" in text or "\n" in text:
                raise ProtocolError("reply text cannot contain CR or LF")
        enhanced = self.enhanced
        if enhanced is not None and (enhanced, self.code // 100) not in _FITTING:
            match = _ENHANCED.match(enhanced)
            if not match or int(match.group(1)) != self.code // 100:
                raise ProtocolError(f"enhanced code {enhanced} does not fit reply {self.code}")
            if len(_FITTING) < _FITTING_KEPT:
                _FITTING.add((enhanced, self.code // 100))

    @property
    def code_text(self) -> str:
        return f"{self.code:03d}"

    @property
    def first_digit(self) -> int:
        return self.code // 100

    @property
    def is_progress(self) -> bool:
        """0yz: sendmail's verbose progress lines; the real reply is still to come."""
        return self.code < 100

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def wire_lines(self) -> list[str]:
        """Each line as sent: ``250-first``, ..., ``250 last`` (RFC 5321 4.2.1)."""
        prefix = f"{self.enhanced} " if self.enhanced else ""
        last = len(self.lines) - 1
        out = []
        for i, text in enumerate(self.lines):
            body = f"{prefix}{text}".rstrip(" ")
            # ABNF: Reply-code "-" [textstring] on every line but the last, SP on the last.
            sep = " " if i == last else "-"
            out.append(f"{self.code_text}{sep}{body}" if body else
                       f"{self.code_text}{'' if i == last else '-'}")
        return out

    def to_bytes(self) -> bytes:
        wire = self._wire
        if wire is None:
            if len(self.lines) == 1:
                # The common one-line reply: wire_lines() reduced to its last-line case.
                body = f"{self.enhanced} {self.lines[0]}" if self.enhanced else self.lines[0]
                body = body.rstrip(" ")
                line = f"{self.code:03d} {body}" if body else f"{self.code:03d}"
                wire = line.encode("utf-8", "replace") + b"\r\n"
            else:
                wire = b"".join(line.encode("utf-8", "replace") + b"\r\n"
                                for line in self.wire_lines())
            self._wire = wire
        return wire

    @classmethod
    def from_wire_lines(cls, code: int, texts: list[str]) -> Reply:
        """Build a reply from received lines, lifting a shared enhanced code out of the text."""
        if len(texts) == 1:   # the common case, without the set below
            text = texts[0]
            match = _ENHANCED_PREFIX.match(text) if text[:1] in ("2", "4", "5") else None
            if match and int(text[0]) == code // 100:
                enhanced = match.group(1)
                return cls(code, (text[len(enhanced) + 1:],), enhanced)
            return cls(code, (text,))
        prefixes = {m.group(1) if (m := _ENHANCED_PREFIX.match(t)) else None for t in texts}
        if len(prefixes) == 1:
            (enhanced,) = prefixes
            if enhanced and int(enhanced[0]) == code // 100:
                return cls(code, tuple(t[len(enhanced) + 1:] for t in texts), enhanced)
        return cls(code, tuple(texts))


@dataclass(frozen=True, slots=True)
class BadLine:
    """A command line the framing layer refused before any verb was looked at.

    ``problem`` is one of ``"too_long"``, ``"bare_lf"``, ``"bare_cr"``, ``"cr_nul"``,
    ``"control"``, ``"eight_bit"``, ``"empty"`` or ``"bad_verb"``; ``detail``
    says what exactly was wrong (for example which byte).
    """

    problem: str
    raw: bytes
    detail: str = ""


# Read-only by convention, not frozen (see the module's docstring).
@dataclass(slots=True, unsafe_hash=True)
class MessageData:
    """The message text after DATA, un-stuffed, with its CRLFs, without the final dot.

    ``long_lines`` counts text lines longer than 1000 octets (RFC 5321 4.5.3.1.6);
    ``size`` is the length of the text as received; ``oversize`` is true when it
    went past the server's limit, in which case ``content`` was not kept.
    """

    content: bytes
    long_lines: int = 0
    size: int = 0
    oversize: bool = False


@dataclass(frozen=True, slots=True)
class BadReply:
    """A line from the server that is not a valid reply (seen by the client side)."""

    raw: bytes
    reason: str


@dataclass(frozen=True, slots=True)
class ConnectionClosed:
    """The peer closed the connection (or the session ended with 221/421)."""


class _NeedData:
    """Sentinel: no complete event yet; feed more bytes."""

    _instance: _NeedData | None = None

    def __new__(cls) -> _NeedData:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NEED_DATA"


NEED_DATA = _NeedData()
