"""Events that cross the wire, identical on both sides, read-only once made.

What the client sends (a :class:`Command`) is exactly what the server receives;
what the server sends (a :class:`Reply`) is exactly what the client receives.
Events validate themselves when they are made and are frozen from then on (h11's
style), so a malformed one can never reach the wire: ``Reply(220, ("hi",)).code = 9999``
raises, and so does ``Reply(9999, ("hi",))``.  A reply's wire bytes are worked out
once, when it is made, since nothing can change them afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import final

from .phrase import Phrase

# RFC 3463 2: class "." subject "." detail; the class repeats the reply's first digit.
_ENHANCED = re.compile(r"^([245])\.(\d{1,3})\.(\d{1,3})$")
# On the wire the code is followed by a space, or ends the line when the text is empty.
_ENHANCED_PREFIX = re.compile(r"^([245]\.\d{1,3}\.\d{1,3})(?: |$)")


# (enhanced code, reply class) pairs already checked: saves a regex match for each reply made
# (7 % of a transaction in bench_engine).  Bounded, because a real server may send any.
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
        if not verb or not verb.isprintable() or " " in verb or verb != verb.upper():
            raise ProtocolError(f"a verb is one upper-case word, not {verb!r}")
        if "\r" in argument or "\n" in argument:
            raise ProtocolError("a command argument cannot contain CR or LF")
        object.__setattr__(self, "line", f"{verb} {argument}" if argument else verb)

    @classmethod
    def parse(cls, line: str) -> Command:
        """Split a decoded command line into verb and argument."""
        verb, _, argument = line.partition(" ")
        return cls(verb.upper(), argument)


@dataclass(frozen=True, slots=True)
class Reply:
    """A reply: a three-digit code and one or more lines of text.

    ``enhanced`` is an RFC 3463 status code such as ``"5.1.1"``; when present it
    is written at the start of every line (RFC 2034 4).  RFC 5321 4.2 gives the
    first digit 2 to 5; codes 000-099 are allowed only because sendmail's VERB
    mode sends 050 progress lines before the real reply (:attr:`is_progress`).
    """

    code: int
    lines: tuple[str, ...] = ("",)
    enhanced: str | None = None
    #: the reply as sent, every line with its CRLF (RFC 5321 4.2.1)
    wire: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        code, lines, enhanced = self.code, self.lines, self.enhanced
        if type(code) is not int or not (200 <= code <= 599 or 0 <= code <= 99):
            raise ProtocolError(f"a reply code is 200 to 599 (RFC 5321 4.2), not {code!r}")
        if type(lines) is not tuple or not lines:
            raise ProtocolError("a reply has at least one line, given as a tuple")
        for text in lines:
            if type(text) is not str:
                raise ProtocolError(f"a reply line is text, not {text!r}")
            if "\r" in text or "\n" in text:
                raise ProtocolError("reply text cannot contain CR or LF")
        if enhanced is not None and (enhanced, code // 100) not in _FITTING:
            match = _ENHANCED.match(enhanced) if type(enhanced) is str else None
            if not match or int(match.group(1)) != code // 100:
                raise ProtocolError(f"enhanced code {enhanced} does not fit reply {code}")
            if len(_FITTING) < _FITTING_KEPT:
                _FITTING.add((enhanced, code // 100))
        if len(lines) == 1:
            # The common one-line reply: wire_lines() reduced to its last-line case.
            body = (f"{enhanced} {lines[0]}" if enhanced else lines[0]).rstrip(" ")
            line = f"{code:03d} {body}" if body else f"{code:03d}"
            wire = line.encode("utf-8", "replace") + b"\r\n"
        else:
            wire = b"".join(line.encode("utf-8", "replace") + b"\r\n"
                            for line in self.wire_lines())
        object.__setattr__(self, "wire", wire)

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
        return self.wire

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


LINE_PROBLEMS = frozenset({"too_long", "bare_lf", "bare_cr", "cr_nul", "control",
                           "eight_bit", "empty", "bad_verb"})


@dataclass(frozen=True, slots=True)
class BadLine:
    """A command line the framing layer refused before any verb was looked at.

    ``problem`` is one of ``"too_long"``, ``"bare_lf"``, ``"bare_cr"``, ``"cr_nul"``,
    ``"control"``, ``"eight_bit"``, ``"empty"`` or ``"bad_verb"``; ``detail``
    says what exactly was wrong (for example which byte).
    """

    problem: str
    raw: bytes
    detail: str | Phrase = ""

    def __post_init__(self) -> None:
        if self.problem not in LINE_PROBLEMS:
            raise ProtocolError(f"no such problem with a command line: {self.problem!r}")


@dataclass(frozen=True, slots=True)
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

    def __post_init__(self) -> None:
        if type(self.content) is not bytes:
            raise ProtocolError("message text is bytes")
        if self.long_lines < 0 or self.size < 0:
            raise ProtocolError("line and octet counts cannot be negative")
        if self.oversize and self.content:
            raise ProtocolError("the text of an oversize message is not kept")


@dataclass(frozen=True, slots=True)
class BadReply:
    """A line from the server that is not a valid reply (seen by the client side)."""

    raw: bytes
    reason: str


@final
@dataclass(frozen=True, slots=True)
class ConnectionClosed:
    """The peer closed the connection (or the session ended with 221/421)."""


@final
class NeedData:
    """The type of :data:`NEED_DATA`: no complete event yet; feed more bytes."""

    _instance: NeedData | None = None

    def __new__(cls) -> NeedData:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NEED_DATA"


NEED_DATA = NeedData()
