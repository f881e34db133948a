"""Events are validated when made and frozen from then on, so a malformed one never reaches
the wire (the promise of smtpsim.protocol.events)."""

from dataclasses import FrozenInstanceError

import pytest

from smtpsim.protocol import (
    BadLine,
    ClientConnection,
    Command,
    MessageData,
    ProtocolError,
    Reply,
    ServerConnection,
)

from .pair import ConnectionPair


def test_a_reply_cannot_be_changed_after_it_is_made():
    reply = Reply(220, ("hi",))
    with pytest.raises(FrozenInstanceError):
        reply.code = 9999
    with pytest.raises(FrozenInstanceError):
        reply.lines = ("hi\r\nRCPT TO:<x@y>",)
    with pytest.raises(FrozenInstanceError):
        reply.wire = b"9999 hi\r\n"
    assert reply.wire == reply.to_bytes() == b"220 hi\r\n"


def test_a_changed_reply_cannot_reach_the_wire():
    server = ServerConnection()
    reply = Reply(220, ("hi",))
    with pytest.raises(FrozenInstanceError):
        reply.code = 9999
    assert server.send(reply) == b"220 hi\r\n"


@pytest.mark.parametrize("make", [
    lambda: Reply(9999, ("hi",)),
    lambda: Reply(220, ("hi\r\n250 forged",)),
    lambda: Reply(220, ("hi\n",)),
    lambda: Reply(220, ()),
    lambda: Reply(220, ["a list"]),
    lambda: Reply(220, (b"bytes",)),
    lambda: Reply(550, ("x",), "2.0.0"),
])
def test_a_malformed_reply_cannot_be_made(make):
    with pytest.raises(ProtocolError):
        make()


def test_the_wire_bytes_are_worked_out_once_when_the_reply_is_made():
    reply = Reply(250, ("first", "last"), "2.0.0")
    assert reply.wire == b"250-2.0.0 first\r\n250 2.0.0 last\r\n"
    assert reply.to_bytes() is reply.wire   # the same bytes object every time
    assert reply == Reply(250, ("first", "last"), "2.0.0")
    assert hash(reply) == hash(Reply(250, ("first", "last"), "2.0.0"))


@pytest.mark.parametrize("verb, argument", [
    ("HELO\r\nMAIL", ""), ("", "x"), ("helo", "x"), ("MAIL FROM", ""),
    ("HELO", "a\r\nRCPT TO:<x@y>"), ("HELO", "a\nb"),
])
def test_a_malformed_command_cannot_be_made(verb, argument):
    with pytest.raises(ProtocolError):
        Command(verb, argument)


def test_commands_and_other_events_are_frozen():
    command = Command("HELO", "client.example")
    with pytest.raises(FrozenInstanceError):
        command.argument = "x\r\nRCPT TO:<x@y>"
    with pytest.raises(FrozenInstanceError):
        MessageData(b"hi\r\n").content = b"changed"
    with pytest.raises(FrozenInstanceError):
        BadLine("empty", b"").problem = "too_long"
    assert ClientConnection().send(command) == b"HELO client.example\r\n"


@pytest.mark.parametrize("make", [
    lambda: BadLine("no_such_problem", b"x"),
    lambda: MessageData("text, not bytes"),
    lambda: MessageData(b"x", size=-1),
    lambda: MessageData(b"kept although too big", oversize=True),
])
def test_malformed_other_events_cannot_be_made(make):
    with pytest.raises(ProtocolError):
        make()


def test_the_connections_buffers_are_read_only():
    pair = ConnectionPair().greet()
    pair.server.receive_data(b"NOOP\r\nNO")
    unread = pair.server.unread
    assert unread == b"NOOP\r\nNO"
    with pytest.raises(AttributeError):
        pair.server.unread = bytearray()
    with pytest.raises(AttributeError):
        pair.server.state = None
    with pytest.raises(AttributeError):
        pair.client.state = None
    pair.server.next_event()
    assert pair.server.unread == b"NO" and unread == b"NOOP\r\nNO"   # a copy, not the buffer
