"""DATA on the wire: dot-stuffing, the one true terminator, and line limits in the text."""

import pytest

from smtpsim.protocol import (
    NEED_DATA,
    Command,
    MessageData,
    Reply,
    ServerConnection,
    State,
    normalise,
    stuff,
    unstuff_line,
)

from .pair import ConnectionPair


def data_server() -> ServerConnection:
    """A server connection that has just sent 354."""
    pair = ConnectionPair().enter_data()
    return pair.server


def read_text(wire: bytes) -> MessageData | object:
    server = data_server()
    server.receive_data(wire)
    return server.next_event()


def test_stuffing_doubles_leading_dots_and_adds_the_terminator():
    assert stuff(b"a\r\n.b\r\n..c\r\n.\r\n") == b"a\r\n..b\r\n...c\r\n..\r\n.\r\n"
    assert stuff(b"") == b".\r\n"
    assert stuff(b"no final newline") == b"no final newline\r\n.\r\n"
    assert stuff(b"bare\nlf\rcr") == b"bare\r\nlf\r\ncr\r\n.\r\n"


def test_unstuffing_removes_one_dot():
    assert unstuff_line(b"..b") == b".b"
    assert unstuff_line(b".b") == b"b"
    assert unstuff_line(b"b.") == b"b."


def test_the_pair_carries_a_stuffed_message_intact():
    pair = ConnectionPair().enter_data()
    body = b"Subject: dots\r\n\r\n.\r\n..\r\n.leading\r\nend\r\n"
    wire = pair.send_data(body)
    assert wire == b"Subject: dots\r\n\r\n..\r\n...\r\n..leading\r\nend\r\n.\r\n"
    assert pair.event() == MessageData(body, 0, len(body))
    pair.reply(250, "queued")
    assert [r.code for r in pair.client_events()] == [250]
    assert pair.server.state is State.READY and pair.client.state is State.READY


def test_a_typed_unstuffed_dot_line_loses_its_dot():
    # What a learner sees when typing ".signature" without doubling the dot.
    pair = ConnectionPair().enter_data()
    assert pair.send_text_line(b".signature") == b".signature\r\n"
    assert pair.send_text_line(b".") == b".\r\n"
    assert pair.event().content == b"signature\r\n"


def test_an_empty_message_is_legal():
    assert read_text(b".\r\n") == MessageData(b"", 0, 0)


@pytest.mark.parametrize("fake_end", [
    b"\n.\n", b"\n.\r\n", b"\r.\r", b"\r\n.\n", b"\n.\r", b"\r.\r\n", b"\r\n. \r\n",
    b"\r\n.\r\r\n",
])
def test_only_crlf_dot_crlf_ends_the_data(fake_end):
    # RFC 5321 4.1.1.4: anything else would let a second, forged message be smuggled in.
    smuggled = b"a" + fake_end + b"MAIL FROM:<evil@x.example>\r\nRCPT TO:<bob@x>\r\n"
    event = read_text(smuggled + b".\r\n")
    assert isinstance(event, MessageData)
    assert b"MAIL FROM:<evil@x.example>\r\n" in event.content


def test_smuggled_commands_stay_message_text_and_are_never_read_as_commands():
    pair = ConnectionPair().enter_data()
    pair.raw_to_server(b"hello\n.\nMAIL FROM:<evil@x.example>\r\n.\r\nNOOP\r\n")
    message = pair.event()
    assert message.content == b"hello\n.\nMAIL FROM:<evil@x.example>\r\n"
    pair.reply(250, "queued")
    assert pair.event() == Command("NOOP")


def test_bare_cr_and_lf_inside_text_are_kept():
    assert read_text(b"a\rb\nc\r\n.\r\n").content == b"a\rb\nc\r\n"


@pytest.mark.parametrize("octets, long_lines", [(999, 0), (1000, 0), (1001, 1)])
def test_text_line_limit_is_1000_octets_with_crlf(octets, long_lines):
    line = b"x" * (octets - 2)
    assert read_text(line + b"\r\n.\r\n").long_lines == long_lines


def test_the_stuffed_dot_does_not_count_towards_the_line_limit():
    line = b"." + b"x" * 997           # 998 octets of text, 1000 with CRLF
    event = read_text(stuff(line))
    assert event.long_lines == 0 and event.content == line + b"\r\n"


def test_an_oversized_message_is_measured_not_kept():
    pair = ConnectionPair(max_message_octets=100)
    pair.enter_data()
    pair.raw_to_server(b"x" * 60 + b"\r\n" + b"y" * 60 + b"\r\n.\r\n")
    event = pair.event()
    assert event.oversize and event.content == b"" and event.size == 124


def test_an_endless_line_does_not_fill_memory():
    server = ServerConnection(max_message_octets=1000)
    pair = ConnectionPair()
    pair.server = server
    pair.enter_data()
    for _ in range(50):
        server.receive_data(b"z" * 1000)
        assert server.next_event() is NEED_DATA
    assert len(server.unread) < 2000
    server.receive_data(b"\r\n.\r\n")
    event = server.next_event()
    assert event.oversize and event.size > 50_000


MESSAGE = (b"Subject: split\r\n\r\n..dot\r\nbare\nlf and \rcr\r\n" + b"x" * 30 + b"\r\n"
           b".\r\nNOOP\r\n")


@pytest.mark.parametrize("cut", range(1, len(MESSAGE)))
def test_text_split_at_every_byte_boundary_reads_the_same(cut):
    server = data_server()
    server.receive_data(MESSAGE[:cut])
    event = server.next_event()
    if event is NEED_DATA:
        server.receive_data(MESSAGE[cut:])
        event = server.next_event()
    else:
        server.receive_data(MESSAGE[cut:])
    content = b"Subject: split\r\n\r\n.dot\r\nbare\nlf and \rcr\r\n" + b"x" * 30 + b"\r\n"
    assert event == MessageData(content, 0, len(content))
    server.send(Reply(250, ("OK",)))
    assert server.next_event() == Command("NOOP")


COMMANDS = b"EHLO client.example\r\nMAIL FROM:<a@b.example>\r\nNOOP\r\n"


@pytest.mark.parametrize("cut", range(1, len(COMMANDS)))
def test_commands_split_at_every_byte_boundary_read_the_same(cut):
    server = ServerConnection()
    server.receive_data(COMMANDS[:cut])
    events = []
    fed = False
    while len(events) < 3:
        event = server.next_event()
        if event is NEED_DATA:
            assert not fed
            server.receive_data(COMMANDS[cut:])
            fed = True
            continue
        events.append(event)
        server.send(Reply(250, ("OK",)))
    assert events == [Command("EHLO", "client.example"), Command("MAIL", "FROM:<a@b.example>"),
                      Command("NOOP")]


def test_normalise_is_what_stuffing_then_unstuffing_gives():
    assert normalise(b"a\nb") == b"a\r\nb\r\n"
    assert normalise(b"") == b""
