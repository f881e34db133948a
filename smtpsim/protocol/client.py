"""The client side of SMTP, sans-IO: commands in, bytes out; bytes in, replies out.

The client mirrors the server's session state with the same transition table,
so both ends of an in-memory pair always agree on where the session is.
Several commands may be sent before their replies arrive (PIPELINING, RFC 2920);
replies are matched to them in order.
"""

from __future__ import annotations

from collections import deque

from .dotstuff import stuff
from .events import NEED_DATA, BadReply, Command, ConnectionClosed, NeedData, ProtocolError, Reply
from .framing import COMMAND_LINE_LIMIT
from .phrase import Phrase
from .states import State, after_data, next_state

ClientEvent = Reply | BadReply | ConnectionClosed | NeedData
GREETING = "<greeting>"     # what the first reply answers
END_OF_DATA = "<end of data>"
PARSED_REPLIES_KEPT = 64   # see ClientConnection._parsed
# What a client accepts in one reply.  RFC 5321 4.5.3.1.5 allows 512 octets a reply line,
# code and CRLF included; 4.5.3.1 asks implementations to be liberal, so a line up to 8 times
# that is still read.  The RFC sets no number of lines: the longest replies real servers send
# are EHLO (Postfix and Exchange list 10-20 keywords) and HELP (sendmail's is about 30 lines),
# so 200 lines is ample - and bounds what a hostile server can make the client hold.
REPLY_LINE_LIMIT = 4096
REPLY_LINES_LIMIT = 200
REPLY_OCTETS_LIMIT = REPLY_LINES_LIMIT * 512
BAD_LINES_LIMIT = 20        # lines in a row that are no reply line: not an SMTP server

# What the client says when it cannot send or read (Phrase templates: smtpsim.mta.phrases
# lists them, so that the learner reads them in the chosen language).
TEXT_ONLY = "after 354 only message text can be sent, ending with '.'"
CLOSED_NOW = "the connection is closed"
ONE_LINE = "one line at a time: no LF inside"
TEXT_NEEDS_354 = "message text can only be sent after a 354 reply"
PARTIAL_LINES = "{count} line(s) of a multi-line {code} reply"
PARTIAL_OCTETS = "{count} octet(s) of a line without its CRLF"
PARTIAL_BOTH = "{lines} and {octets}"
LINE_TOO_LONG = "a reply line longer than {limit} octets (RFC 5321 4.5.3.1.5 allows 512)"
NOT_REPLY_LINES = ("{count} lines in a row that are not SMTP reply lines (three digits, "
                   "then a space or '-')")
NOT_REPLY_LINE = "a reply line starts with three digits and a space or '-'"
BAD_FIRST_DIGIT = "a reply code starts with a digit from 2 to 5, not {digit}"
BARE_CR = "a bare CR inside a reply line: lines end with CRLF only"
MIXED_CODES = "every line of a multi-line reply must carry the same code"
REPLY_TOO_LONG = ("a {code} reply still going after {lines} lines and {octets} octets "
                  "(the limit is {limit} lines)")


class ClientConnection:
    def __init__(self) -> None:
        self._state = State.INIT
        self._unread = bytearray()    # bytes received and not yet read as events
        # What the replies still to come will answer, oldest first.
        self._expected: deque[str] = deque([GREETING])
        self._lines: list[str] = []   # lines of a multi-line reply received so far
        self._octets = 0              # and their size on the wire
        self._code: int | None = None
        self._bad_lines = 0           # lines in a row that were not reply lines
        # Why the client stopped reading: a reply past the limits above, or garbage.  Once
        # set, the state is CLOSED and nothing more is read (the caller closes the socket).
        self._failure: str | None = None
        self._eof_received = False
        self._text_mode = False       # after 354: we are sending message text
        # one-line replies already parsed, by their bytes: saves parsing and making a Reply for
        # each reply a session hears again (17 % of a transaction in bench_engine)
        self._parsed: dict[bytes, Reply] = {}

    @property
    def state(self) -> State:
        return self._state

    @property
    def pending(self) -> tuple[str, ...]:
        """What the replies still to come will answer, oldest first."""
        return tuple(self._expected)

    @property
    def awaiting_replies(self) -> bool:
        """Some reply is still to come (``pending`` without building the tuple)."""
        return bool(self._expected)

    @property
    def failure(self) -> str | None:
        """Why the client stopped reading (see ``__init__``), or None."""
        return self._failure

    @property
    def eof_received(self) -> bool:
        return self._eof_received

    @property
    def sending_text(self) -> bool:
        return self._text_mode

    def unfinished(self) -> str:
        """What has come of a reply not yet complete, in words ("" when nothing has)."""
        lines = Phrase(PARTIAL_LINES, count=len(self._lines), code=self._code)
        octets = Phrase(PARTIAL_OCTETS, count=len(self._unread))
        if self._lines and self._unread:
            return Phrase(PARTIAL_BOTH, lines=lines, octets=octets)
        return lines if self._lines else octets if self._unread else ""

    # -- output --------------------------------------------------------------
    def send(self, command: Command) -> bytes:
        if self._text_mode:
            raise ProtocolError(Phrase(TEXT_ONLY))
        if self._state is State.CLOSED:
            raise ProtocolError(Phrase(CLOSED_NOW))
        wire = command.line.encode("ascii", "replace") + b"\r\n"
        self._expected.append(command.verb)
        return wire

    def send_line(self, raw: bytes) -> bytes:
        """A command line exactly as typed - even a malformed one, so that the learner
        can see how the server answers it.  Its reply is matched like any other."""
        if self._text_mode:
            return self.send_text_line(raw)
        if self._state is State.CLOSED:
            raise ProtocolError(Phrase(CLOSED_NOW))
        if b"\n" in raw:
            # A CR alone may be typed: the server then explains why a bare CR is wrong.
            raise ProtocolError(Phrase(ONE_LINE))
        word = raw.split(b" ", 1)[0].decode("ascii", "replace").upper()
        self._expected.append(word if word.isalpha() else "?")
        return raw + b"\r\n"

    def send_text_line(self, line: bytes) -> bytes:
        """One raw line of message text, as typed: no stuffing is added here.

        A line holding only ``.`` is the terminator.  Typing a line that starts
        with a dot without doubling it is how a learner sees why stuffing exists.
        """
        if not self._text_mode:
            raise ProtocolError(Phrase(TEXT_NEEDS_354))
        if b"\n" in line:
            raise ProtocolError(Phrase(ONE_LINE))
        if line == b".":
            self._text_mode = False
            self._expected.append(END_OF_DATA)
        return line + b"\r\n"

    def send_data(self, content: bytes) -> bytes:
        """The whole message, dot-stuffed and terminated (RFC 5321 4.5.2)."""
        if not self._text_mode:
            raise ProtocolError(Phrase(TEXT_NEEDS_354))
        self._text_mode = False
        self._expected.append(END_OF_DATA)
        return stuff(content)

    # -- input ---------------------------------------------------------------
    def receive_data(self, data: bytes) -> None:
        if self._failure is None:   # after a failure nothing more is read
            self._unread += data

    def receive_eof(self) -> None:
        self._eof_received = True

    def next_event(self) -> ClientEvent:
        if not self._unread and not self._eof_received:
            return NEED_DATA    # the common case after each reply: nothing more yet
        if self._failure is not None:
            self._unread.clear()
            return NEED_DATA
        while True:
            end = self._unread.find(b"\n")
            if end < 0 or end >= REPLY_LINE_LIMIT:
                if len(self._unread) > REPLY_LINE_LIMIT:
                    return self._fail(bytes(self._unread[:80]),
                                      Phrase(LINE_TOO_LONG, limit=REPLY_LINE_LIMIT))
                if self._eof_received:
                    self._state = State.CLOSED
                    return ConnectionClosed()
                return NEED_DATA
            raw = bytes(self._unread[:end]).rstrip(b"\r")
            del self._unread[: end + 1]
            if self._code is None and (known := self._parsed.get(raw)) is not None:
                self._account(known)
                return known
            event = self._line(raw)
            if event is not None:
                return event

    def _fail(self, raw: bytes, reason: str) -> BadReply:
        """Stop reading for good: what the server sends cannot be a reply."""
        self._failure = reason
        self._state = State.CLOSED
        self._lines, self._code, self._octets = [], None, 0
        self._unread.clear()
        return BadReply(raw, reason)

    def _line(self, raw: bytes) -> Reply | BadReply | None:
        text = raw.decode("utf-8", "replace")
        head, sep = text[:3], text[3:4]
        if len(head) < 3 or not head.isdigit() or sep not in ("", " ", "-"):
            self._lines, self._code, self._octets = [], None, 0
            self._bad_lines += 1
            if self._bad_lines >= BAD_LINES_LIMIT:
                return self._fail(raw[:80], Phrase(NOT_REPLY_LINES, count=BAD_LINES_LIMIT))
            return BadReply(raw, Phrase(NOT_REPLY_LINE))
        self._bad_lines = 0
        code = int(head)
        if code >= 600 or 100 <= code < 200:
            # RFC 5321 4.2: the first digit is 2 to 5 (sendmail's 0yz aside); a Reply with
            # any other code cannot be made (smtpsim.protocol.events.Reply).
            self._lines, self._code, self._octets = [], None, 0
            return BadReply(raw, Phrase(BAD_FIRST_DIGIT, digit=head[0]))
        if "\r" in text:
            self._lines, self._code, self._octets = [], None, 0
            return BadReply(raw, Phrase(BARE_CR))
        if self._code is not None and code != self._code:
            self._lines, self._code, self._octets = [], None, 0
            return BadReply(raw, Phrase(MIXED_CODES))
        self._lines.append(text[4:])
        self._code = code
        if sep == "-":
            self._octets += len(raw) + 2
            if len(self._lines) >= REPLY_LINES_LIMIT or self._octets > REPLY_OCTETS_LIMIT:
                return self._fail(raw[:80], Phrase(REPLY_TOO_LONG, code=code,
                                                   lines=len(self._lines), octets=self._octets,
                                                   limit=REPLY_LINES_LIMIT))
            return None
        self._octets = 0
        reply = Reply.from_wire_lines(code, self._lines)
        # Remembered for next time - but not a reply to the final dot: it names a queue id,
        # so it is never heard twice.
        expected = self._expected
        if len(self._lines) == 1 and (not expected or expected[0] is not END_OF_DATA):
            if len(self._parsed) >= PARSED_REPLIES_KEPT:
                self._parsed.clear()
            self._parsed[raw] = reply
        self._lines, self._code, self._octets = [], None, 0
        self._account(reply)
        return reply

    def _account(self, reply: Reply) -> None:
        """Mirror the server's state from the reply and the command it answers."""
        code = reply.code
        if code < 100:
            return   # a 050 progress line (Reply.is_progress): the real reply is still to come
        answered = self._expected.popleft() if self._expected else GREETING
        if answered is END_OF_DATA:
            self._state = after_data(State.DATA, code)
        elif answered is GREETING:
            self._state = State.CLOSED if code == 421 else State.INIT
        elif code == 354:
            # The server reads message text now, whatever the mirror expected: its reply
            # decides (a server may accept DATA when the table says it should not).
            self._state, self._text_mode = State.DATA, True
        else:
            state = self._state = next_state(self._state, answered, code)
            self._text_mode = state is State.DATA


__all__ = ["COMMAND_LINE_LIMIT", "END_OF_DATA", "GREETING", "ClientConnection"]
