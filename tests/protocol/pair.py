"""A client and a server connection joined in memory, returning the exact wire bytes.

Nothing here decides a reply: the test plays the server's part by handing a
:class:`Reply` to :meth:`ConnectionPair.reply`, so every byte on the wire comes
from the sans-IO core under test.
"""

from __future__ import annotations

from smtpsim.protocol import NEED_DATA, ClientConnection, Command, Reply, ServerConnection, State


class ConnectionPair:
    def __init__(self, **server_options) -> None:
        self.client = ClientConnection()
        self.server = ServerConnection(**server_options)
        self.to_server: list[bytes] = []   # every chunk the client put on the wire
        self.to_client: list[bytes] = []   # every chunk the server put on the wire

    # -- client -> server ---------------------------------------------------------
    def send(self, command: Command) -> bytes:
        return self._to_server(self.client.send(command))

    def send_line(self, raw: bytes) -> bytes:
        return self._to_server(self.client.send_line(raw))

    def send_text_line(self, raw: bytes) -> bytes:
        return self._to_server(self.client.send_text_line(raw))

    def send_data(self, content: bytes) -> bytes:
        return self._to_server(self.client.send_data(content))

    def raw_to_server(self, wire: bytes) -> bytes:
        """Bytes that no well-behaved client would send, straight onto the wire."""
        return self._to_server(wire)

    def _to_server(self, wire: bytes) -> bytes:
        self.to_server.append(wire)
        self.server.receive_data(wire)
        return wire

    # -- server side ----------------------------------------------------------------
    def event(self):
        """The next event the server reads."""
        return self.server.next_event()

    def reply(self, code: int, *lines: str, enhanced: str | None = None) -> bytes:
        wire = self.server.send(Reply(code, lines or ("",), enhanced))
        self.to_client.append(wire)
        self.client.receive_data(wire)
        return wire

    def client_event(self):
        return self.client.next_event()

    def client_events(self) -> list:
        out = []
        while (event := self.client.next_event()) is not NEED_DATA:
            out.append(event)
        return out

    # -- common openings ------------------------------------------------------------
    def greet(self) -> ConnectionPair:
        self.reply(220, "mail.example ESMTP ready")
        assert isinstance(self.client_event(), Reply)
        return self

    def exchange(self, command: Command, code: int, *lines: str) -> Reply:
        """Send ``command``, let the server read it and answer ``code``; the client's view."""
        self.send(command)
        assert self.event() == command
        self.reply(code, *lines)
        reply = self.client_event()
        assert isinstance(reply, Reply) and reply.code == code
        return reply

    def open_transaction(self) -> ConnectionPair:
        self.greet()
        self.exchange(Command("HELO", "client.example"), 250, "mail.example")
        self.exchange(Command("MAIL", "FROM:<alice@client.example>"), 250, "OK")
        self.exchange(Command("RCPT", "TO:<bob@mail.example>"), 250, "OK")
        return self

    def enter_data(self) -> ConnectionPair:
        self.open_transaction()
        self.exchange(Command("DATA"), 354, "go ahead")
        assert self.server.state is State.DATA and self.client.sending_text
        return self
