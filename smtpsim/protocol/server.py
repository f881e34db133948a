"""The server side of SMTP, sans-IO: bytes in, events out; replies in, bytes out.

    conn = ServerConnection()
    wire = conn.send(Reply(220, ("mail.example ESMTP",)))     # greeting
    conn.receive_data(b"HELO client.example\\r\\n")
    event = conn.next_event()          # Command("HELO", "client.example")
    wire = conn.send(Reply(250, ("mail.example",)))           # state: READY

One command is answered at a time: the next command is not read until the
reply to the current one has been sent.  That is what keeps pipelined input
(RFC 2920) in order and makes sure that the bytes after ``DATA`` are read as
message text only once a 354 has really been sent.
"""

from __future__ import annotations

from .events import (
    NEED_DATA,
    BadLine,
    Command,
    ConnectionClosed,
    MessageData,
    NeedData,
    ProtocolError,
    Reply,
)
from .framing import CommandFramer, DataFramer
from .states import State, after_data, next_state

ServerEvent = Command | BadLine | MessageData | ConnectionClosed | NeedData
_ENDED = frozenset({State.CLOSED, State.TURNED})   # no more commands are read


class ServerConnection:
    """The protocol state of one server session, fed by whatever carries the bytes."""

    def __init__(self, *, mail_extra_octets: int = 0,
                 max_message_octets: int | None = None) -> None:
        self._state = State.INIT
        self._max_message_octets = max_message_octets
        self._unread = bytearray()   # bytes received and not yet read as events
        self._commands = CommandFramer(mail_extra_octets)
        self._data: DataFramer | None = None
        self._awaiting: Command | BadLine | MessageData | None = None
        self._eof_received = False

    @property
    def state(self) -> State:
        return self._state

    @property
    def unread(self) -> bytes:
        """The bytes received and not yet read as events (a copy)."""
        return bytes(self._unread)

    @property
    def eof_received(self) -> bool:
        return self._eof_received

    # -- input ---------------------------------------------------------------
    def receive_data(self, data: bytes) -> None:
        if self._state is State.CLOSED or self._eof_received:
            return  # bytes after the end of the session are ignored
        self._unread += data

    def receive_eof(self) -> None:
        self._eof_received = True

    @property
    def in_data(self) -> bool:
        return self._data is not None

    def set_mail_extra_octets(self, extra: int) -> None:
        """Called once EHLO has advertised SIZE (RFC 1870 3 lengthens the MAIL line)."""
        self._commands.mail_extra_octets = extra

    def next_event(self) -> ServerEvent:
        if self._awaiting is not None:
            raise ProtocolError("send the reply to the current command before reading the next")
        if self._state in _ENDED:
            return self._closed()
        buffer = self._unread
        if not buffer:   # the common case after each command: nothing more yet
            return self._closed() if self._eof_received else NEED_DATA
        data = self._data
        event = (self._commands if data is None else data).take(buffer)
        if event is None:
            return self._closed() if self._eof_received else NEED_DATA
        self._awaiting = event
        return event

    def _closed(self) -> ServerEvent:
        # A lost connection in DATA aborts the transaction (RFC 5321 3.8).
        self._data = None
        if self._state is not State.TURNED:
            self._state = State.CLOSED
        return ConnectionClosed()

    # -- output --------------------------------------------------------------
    def send(self, reply: Reply) -> bytes:
        """Bytes for ``reply``, moving the state as the transition table says."""
        before = self._state
        if before is State.CLOSED:
            raise ProtocolError("the session is closed; nothing more can be sent")
        code = reply.code
        if code < 100:
            return reply.wire   # sendmail's 050 lines (is_progress) answer nothing
        answered, self._awaiting = self._awaiting, None
        if type(answered) is Command:
            after = self._state = next_state(before, answered.verb, code)
            if after is State.DATA and before is not State.DATA:
                self._data = DataFramer(self._max_message_octets)
        elif type(answered) is MessageData:
            self._data = None
            self._state = after_data(before, code)
        elif code == 421:
            self._state = State.CLOSED   # a bad line, or unsolicited: 421 still closes
        return reply.wire
