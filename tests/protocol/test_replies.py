"""Replies on the wire: multi-line form, enhanced status codes, and parsing them back."""

import pytest

from smtpsim.protocol import BadReply, ClientConnection, ProtocolError, Reply, State

from .pair import ConnectionPair


def test_single_line_reply_bytes():
    assert Reply(250, ("OK",)).to_bytes() == b"250 OK\r\n"
    assert Reply(354, ("",)).to_bytes() == b"354\r\n"


def test_multi_line_reply_bytes_use_dash_then_space():
    reply = Reply(250, ("mail.example Hello", "SIZE 10485760", "PIPELINING"))
    assert reply.to_bytes() == (b"250-mail.example Hello\r\n250-SIZE 10485760\r\n"
                                b"250 PIPELINING\r\n")


def test_enhanced_code_is_on_every_line():
    reply = Reply(553, ("User ambiguous", "John Smith <john@x>"), "5.1.4")
    assert reply.to_bytes() == b"553-5.1.4 User ambiguous\r\n553 5.1.4 John Smith <john@x>\r\n"


@pytest.mark.parametrize("code, enhanced", [(250, "5.1.1"), (550, "2.0.0"), (450, "5.0.0"),
                                            (250, "2.1"), (250, "x.1.1"), (354, "3.0.0")])
def test_an_enhanced_code_must_fit_the_reply(code, enhanced):
    with pytest.raises(ProtocolError):
        Reply(code, ("x",), enhanced)


@pytest.mark.parametrize("code", [-1, 100, 150, 199, 600, 1000, 9999, 250.0, "250", True])
def test_reply_codes_have_three_digits(code):
    with pytest.raises(ProtocolError):
        Reply(code, ("x",))


def test_reply_text_cannot_hold_cr_or_lf():
    with pytest.raises(ProtocolError):
        Reply(250, ("a\r\nb",))


def test_the_client_parses_a_multi_line_reply_in_one_event():
    pair = ConnectionPair().greet()
    pair.send_line(b"EHLO client.example")
    pair.event()
    pair.reply(250, "mail.example Hello", "SIZE 100", "HELP", enhanced=None)
    assert pair.client_events() == [Reply(250, ("mail.example Hello", "SIZE 100", "HELP"))]
    assert pair.client.state is State.READY


def test_the_client_lifts_a_shared_enhanced_code():
    client = ClientConnection()
    client.receive_data(b"220 hi\r\n553-5.1.4 User ambiguous\r\n553 5.1.4 a <a@x>\r\n")
    client.next_event()
    assert client.next_event() == Reply(553, ("User ambiguous", "a <a@x>"), "5.1.4")


def test_an_enhanced_code_of_the_wrong_class_stays_text():
    client = ClientConnection()
    client.receive_data(b"250 5.1.1 odd\r\n")
    assert client.next_event() == Reply(250, ("5.1.1 odd",))


def test_a_bare_enhanced_code_line_round_trips():
    reply = Reply(250, ("",), "2.0.0")
    client = ClientConnection()
    client.receive_data(reply.to_bytes())
    assert client.next_event() == reply


@pytest.mark.parametrize("wire, reason", [
    (b"25 OK\r\n", "three digits"),
    (b"2500 OK\r\n", "three digits"),
    (b"abc OK\r\n", "three digits"),
    (b"250-a\r\n251 b\r\n", "same code"),
    (b"650 out of range\r\n", "2 to 5"),
    (b"150 preliminary\r\n", "2 to 5, not 1"),   # RFC 5321 4.2: no 1yz in SMTP
    (b"250 a\rb\r\n", "CR"),
])
def test_malformed_replies_become_bad_replies(wire, reason):
    client = ClientConnection()
    client.receive_data(wire)
    events = []
    while not isinstance(event := client.next_event(), BadReply):
        events.append(event)
        assert len(events) < 3
    assert reason in event.reason


def test_progress_replies_answer_nothing():
    # sendmail's VERB mode: 050 lines come before the real reply.
    pair = ConnectionPair().enter_data()
    pair.send_text_line(b"hi")
    pair.send_text_line(b".")
    pair.event()
    assert pair.server.send(Reply(50, ("<bob@x>... Sent",))) == b"050 <bob@x>... Sent\r\n"
    pair.client.receive_data(b"050 <bob@x>... Sent\r\n")
    pair.reply(250, "OK")
    assert [e.code for e in pair.client_events()] == [50, 250]
    assert pair.client.state is State.READY and pair.server.state is State.READY
