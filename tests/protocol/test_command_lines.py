"""Command lines on the wire: CRLF only, control bytes, and the RFC 5321 4.5.3.1 limits."""

import pytest

from smtpsim.protocol import (
    NEED_DATA,
    BadLine,
    Command,
    ConnectionClosed,
    ProtocolError,
    Reply,
    ServerConnection,
    State,
)

from .pair import ConnectionPair


def read_line(wire: bytes, **options):
    server = ServerConnection(**options)
    server.receive_data(wire)
    return server.next_event()


def test_a_command_goes_on_the_wire_as_verb_space_argument_crlf():
    pair = ConnectionPair().greet()
    assert pair.send(Command("HELO", "client.example")) == b"HELO client.example\r\n"
    assert pair.send_line(b"noop") == b"noop\r\n"


def test_the_server_reads_the_command_the_client_sent():
    pair = ConnectionPair().greet()
    pair.send(Command("MAIL", "FROM:<alice@client.example>"))
    assert pair.event() == Command("MAIL", "FROM:<alice@client.example>")


def test_verbs_are_case_insensitive_and_arguments_kept_as_typed():
    assert read_line(b"mAiL FROM:<Alice@Client.Example>\r\n") == \
        Command("MAIL", "FROM:<Alice@Client.Example>")


def test_trailing_blanks_are_tolerated():
    # RFC 5321 4.1.1: servers SHOULD tolerate trailing white space.
    assert read_line(b"NOOP  \t \r\n") == Command("NOOP")


def test_an_incomplete_line_needs_more_data():
    server = ServerConnection()
    server.receive_data(b"NOOP\r")
    assert server.next_event() is NEED_DATA
    server.receive_data(b"\n")
    assert server.next_event() == Command("NOOP")


@pytest.mark.parametrize("wire, problem", [
    (b"NOOP\n", "bare_lf"),
    (b"HELO client.example\n", "bare_lf"),
    (b"HELO cli\rent.example\r\n", "bare_cr"),
    (b"NOOP\r\r\n", "bare_cr"),
    (b"\r\n", "empty"),
    (b"   \r\n", "empty"),
    (b"MAIL:FROM:<a@b.c>\r\n", "bad_verb"),
    (b"HELO\xc3\xa9 x\r\n", "eight_bit"),
])
def test_malformed_lines_become_bad_lines(wire, problem):
    event = read_line(wire)
    assert isinstance(event, BadLine)
    assert event.problem == problem


@pytest.mark.parametrize("byte, name", [
    (0x00, "NUL"), (0x08, "BS (backspace)"), (0x7F, "DEL"), (0x1B, "ESC"), (0x04, "EOT"),
    (0x01, "control character"),
])
def test_control_bytes_are_named(byte, name):
    event = read_line(b"HELO client" + bytes([byte]) + b".example\r\n")
    assert isinstance(event, BadLine) and event.problem == "control"
    assert f"0x{byte:02X}" in event.detail and name in event.detail


def test_a_bare_lf_is_reported_not_waited_for():
    # nc without -C sends bare LFs: the server explains instead of hanging (RFC 5321 2.3.8).
    pair = ConnectionPair().greet()
    pair.raw_to_server(b"HELO client.example\nNOOP\r\n")
    event = pair.event()
    assert event == BadLine("bare_lf", b"HELO client.example", "line ended with LF alone, "
                                                                 "not CRLF")
    pair.reply(500, "Bare LF")
    assert pair.event() == Command("NOOP")


def line_of(octets: int, verb: bytes = b"NOOP ") -> bytes:
    """A command line of exactly ``octets`` octets, CRLF included."""
    return verb + b"x" * (octets - len(verb) - 2) + b"\r\n"


@pytest.mark.parametrize("octets, ok", [(511, True), (512, True), (513, False), (600, False)])
def test_the_command_line_limit_is_512_octets_with_crlf(octets, ok):
    wire = line_of(octets)
    assert len(wire) == octets
    event = read_line(wire)
    if ok:
        assert event == Command("NOOP", wire[5:-2].decode())
    else:
        assert isinstance(event, BadLine) and event.problem == "too_long"


def test_an_over_long_line_arriving_in_pieces_is_one_error_and_memory_stays_bounded():
    server = ServerConnection()
    server.receive_data(b"NOOP " + b"x" * 600)
    assert server.next_event() is NEED_DATA
    server.receive_data(b"y" * 5000)
    assert server.next_event() is NEED_DATA
    assert len(server.unread) == 0
    server.receive_data(b"\r\nNOOP\r\n")
    event = server.next_event()
    assert isinstance(event, BadLine) and event.problem == "too_long"
    assert event.raw.startswith(b"NOOP xxx")
    server.send(Reply(500, ("Line too long",)))
    assert server.next_event() == Command("NOOP")


@pytest.mark.parametrize("octets, ok", [(537, True), (538, True), (539, False)])
def test_mail_gets_26_more_octets_once_size_is_advertised(octets, ok):
    # RFC 1870 3: 512 + 26 = 538 for MAIL after an EHLO that listed SIZE.
    wire = line_of(octets, b"MAIL FROM:<a@b.example> SIZE=1 X=")
    event = read_line(wire, mail_extra_octets=26)
    assert isinstance(event, Command) is ok
    plain = read_line(wire)
    assert isinstance(plain, BadLine) and plain.problem == "too_long"


def test_the_extra_octets_are_for_mail_only():
    event = read_line(line_of(520, b"RCPT TO:<a@b.example> X="), mail_extra_octets=26)
    assert isinstance(event, BadLine) and event.problem == "too_long"


def test_the_server_reads_one_command_at_a_time():
    pair = ConnectionPair().greet()
    pair.raw_to_server(b"NOOP\r\nNOOP\r\n")
    assert pair.event() == Command("NOOP")
    with pytest.raises(ProtocolError):
        pair.event()
    pair.reply(250, "OK")
    assert pair.event() == Command("NOOP")


def test_end_of_input_closes_the_session():
    server = ServerConnection()
    server.receive_data(b"NOO")
    server.receive_eof()
    assert isinstance(server.next_event(), ConnectionClosed)
    assert server.state is State.CLOSED
    with pytest.raises(ProtocolError):
        server.send(Reply(250, ("OK",)))


def test_bytes_after_221_are_ignored():
    pair = ConnectionPair().greet()
    pair.raw_to_server(b"QUIT\r\nNOOP\r\n")
    assert pair.event() == Command("QUIT")
    assert pair.reply(221, "bye") == b"221 bye\r\n"
    assert pair.server.state is State.CLOSED
    assert isinstance(pair.event(), ConnectionClosed)


def test_a_client_cannot_put_cr_or_lf_inside_a_line():
    pair = ConnectionPair().greet()
    with pytest.raises(ProtocolError):
        pair.client.send_line(b"NOOP\r\nQUIT")
    with pytest.raises(ProtocolError):
        Command("NOOP", "a\nb")
