"""Property tests (hypothesis): whatever bytes arrive, the server only ever sends
well-formed replies with catalogued codes; dot-stuffing round-trips any body; replies
round-trip through the client's parser.  Example counts stay modest to keep the suite fast."""

import itertools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smtpsim import catalogue
from smtpsim.mta import PROFILES, ServerMTA, default_world
from smtpsim.protocol import (
    NEED_DATA,
    BadLine,
    ClientConnection,
    Command,
    ConnectionClosed,
    MessageData,
    Reply,
    ServerConnection,
    State,
    normalise,
    stuff,
)

FAST = settings(max_examples=80, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
CAT = catalogue.load()
WIRE_LINE = re.compile(rb"^(\d{3})([ -])?(.*)$", re.S)

PIECES = [
    b"HELO client.example\r\n", b"EHLO client.example\r\n", b"HELO\r\n",
    b"MAIL FROM:<alice@client.example>\r\n", b"MAIL FROM:<alice@client.example> SIZE=10\r\n",
    b"SEND FROM:<alice@client.example>\r\n", b"SAML FROM:<alice@client.example>\r\n",
    b"RCPT TO:<bob@mail.example>\r\n", b"RCPT TO:<staff@mail.example>\r\n",
    b"RCPT TO:<gina@mail.example>\r\n", b"RCPT TO:<erin@mail.example>\r\n",
    b"DATA\r\n", b".\r\n", b"..\r\n", b"\r\n", b"\n", b"\r", b"\x00", b"\x08", b"\x7f", b"\xff",
    b"VERB\r\n", b"TURN\r\n", b"TICK 1\r\n", b"ETRN client.example\r\n", b"QUIT\r\n",
    b"RSET\r\n", b"NOOP\r\n", b"HELP\r\n", b"HELP STATUS\r\n", b"VRFY smith\r\n",
    b"EXPN staff\r\n", b"\n.\n", b"\r\n.\r\n", b"X" * 600,
]
STREAM = st.lists(st.one_of(st.sampled_from(PIECES), st.binary(max_size=24)), max_size=40)


def chunked(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


def check_wire(wire: bytes, verbose: bool) -> None:
    assert wire.endswith(b"\r\n")
    lines = wire[:-2].split(b"\r\n")
    codes = set()
    for i, line in enumerate(lines):
        assert b"\r" not in line and b"\n" not in line
        match = WIRE_LINE.match(line)
        assert match, line
        last = i == len(lines) - 1
        assert match.group(2) in ((b" ", None) if last else (b"-",)), line
        codes.add(match.group(1))
    assert len(codes) == 1
    code = codes.pop().decode()
    assert CAT.code(code) is not None, code
    if code == "050":
        assert verbose       # sendmail's progress lines only in VERB mode
    else:
        assert code[0] in "2345"


@FAST
@given(profile=st.sampled_from(sorted(PROFILES)), pieces=STREAM,
       cuts=st.lists(st.integers(min_value=0, max_value=4000), max_size=12))
def test_any_bytes_get_only_well_formed_catalogued_replies(profile, pieces, cuts):
    server = ServerMTA(default_world(), PROFILES[profile])
    replies = server.greet()
    for chunk in chunked(b"".join(pieces), cuts):
        replies += server.receive(chunk)
    replies += server.receive_eof()
    client = ClientConnection()
    for reply in replies:
        check_wire(reply.wire, server.verbose)
        assert reply.reply_id in CAT.replies and reply.reply_id in CAT.why
        client.receive_data(reply.wire)
    while (event := client.next_event()) is not NEED_DATA:
        assert isinstance(event, Reply)
    assert server.state in (State.CLOSED, State.TURNED)


@FAST
@given(data=st.binary(max_size=300), cuts=st.lists(st.integers(0, 300), max_size=8))
def test_the_bare_server_connection_never_raises(data, cuts):
    server = ServerConnection(max_message_octets=200)
    for chunk in chunked(data, cuts) + [b""]:
        server.receive_data(chunk)
        while True:
            event = server.next_event()
            if event is NEED_DATA or isinstance(event, ConnectionClosed):
                break
            assert isinstance(event, (Command, BadLine, MessageData))
            code = 354 if isinstance(event, Command) and event.verb == "DATA" else 250
            if isinstance(event, Command) and event.verb in ("HELO", "MAIL", "RCPT"):
                code = 250
            server.send(Reply(code, ("ok",)))
    server.receive_eof()
    assert isinstance(server.next_event(), ConnectionClosed)


def data_server() -> ServerConnection:
    server = ServerConnection()
    for line, code in ((b"HELO c.example", 250), (b"MAIL FROM:<a@c.example>", 250),
                       (b"RCPT TO:<b@m.example>", 250), (b"DATA", 354)):
        server.receive_data(line + b"\r\n")
        server.next_event()
        server.send(Reply(code, ("ok",)))
    assert server.state is State.DATA
    return server


@FAST
@given(body=st.binary(max_size=400) | st.lists(st.sampled_from(
    [b".", b"..", b".x", b"\r\n", b"\n", b"\r", b"a", b" ", b"\r\n.\r\n", b"\n.\n"]),
    max_size=30).map(b"".join),
    cuts=st.lists(st.integers(0, 500), max_size=10))
def test_dot_stuffing_round_trips_any_body(body, cuts):
    server = data_server()
    wire = stuff(body)
    assert wire.endswith(b"\r\n.\r\n") or wire == b".\r\n"
    event = NEED_DATA
    for chunk in chunked(wire, cuts):
        assert event is NEED_DATA     # nothing ends before the real terminator
        server.receive_data(chunk)
        event = server.next_event()
    assert isinstance(event, MessageData)
    assert event.content == normalise(body)


def line_by_line_stuffing(body: bytes) -> bytes:
    """RFC 5321 4.5.2 spelled out: CRLF lines, a dot doubled at each line start, then .CRLF."""
    if not body:
        return b".\r\n"
    lines = body.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return b"".join((b"." + line if line.startswith(b".") else line) + b"\r\n"
                    for line in lines) + b".\r\n"


@FAST
@given(body=st.binary(max_size=200) | st.lists(st.sampled_from(
    [b".", b"a.", b"\r\n", b"\n", b"\r", b"a", b"\r\n.", b"\n."]), max_size=30).map(b"".join))
def test_stuffing_takes_its_shortcut_only_when_line_by_line_gives_the_same(body):
    assert stuff(body) == line_by_line_stuffing(body)


TEXT = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF,
                                      exclude_characters="\x7f"), max_size=30)
LINE = TEXT.filter(lambda t: t == t.rstrip(" ") and not re.match(r"^\d\.\d{1,3}\.\d{1,3}( |$)", t))


@st.composite
def replies(draw):
    code = draw(st.integers(200, 599) | st.just(50))
    enhanced = None
    if code >= 200 and code // 100 != 3 and draw(st.booleans()):
        enhanced = f"{code // 100}.{draw(st.integers(0, 999))}.{draw(st.integers(0, 999))}"
    lines = tuple(draw(st.lists(LINE, min_size=1, max_size=4)))
    return Reply(code, lines, enhanced)


@FAST
@given(batch=st.lists(replies(), min_size=1, max_size=5),
       cuts=st.lists(st.integers(0, 2000), max_size=10))
def test_replies_round_trip_through_the_client(batch, cuts):
    client = ClientConnection()
    for chunk in chunked(b"".join(r.to_bytes() for r in batch), cuts):
        client.receive_data(chunk)
    got = []
    while (event := client.next_event()) is not NEED_DATA:
        got.append(event)
    assert got == batch


@FAST
@given(data=st.binary(max_size=200))
def test_the_client_parser_never_raises(data):
    client = ClientConnection()
    client.receive_data(data)
    client.receive_eof()
    for _ in range(len(data) + 2):
        if isinstance(client.next_event(), ConnectionClosed):
            break
    else:
        raise AssertionError("the client never reached the end of the input")
