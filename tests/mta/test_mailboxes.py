"""Reading delivered mail: every mailbox and terminal, and who wrote each header line."""

from smtpsim.mta import compose
from smtpsim.mta.mailboxes import EMPTY, describe_places, header_origins, places

from .helpers import TRANSACTION, start


def test_a_typed_message_shows_the_servers_lines_and_the_missing_date():
    session = start("modern")
    for line in ("EHLO client.example", *TRANSACTION):
        session.type_line(line)
    (place,) = places(session.world)
    assert (place.label, len(place.messages)) == ("bob@mail.example mailbox", 1)
    origins = header_origins(place.messages[0], "mail.example")
    assert [line.split(":")[0] for line, _ in origins] == [
        "Return-Path", "Received", "Subject", "(no Date"]
    assert "final delivery" in origins[0][1] and "RFC 5321 4.4" in origins[0][1]
    assert origins[1][1].startswith("mail.example added it") and "4.1.1.4" in origins[1][1]
    assert "RFC 5322 3.6" in origins[3][1]


def test_a_composed_message_on_a_terminal_and_a_mailbox():
    session = start("classic")
    session.queue_message(compose("alice@client.example", ["bob@mail.example"], "Hi", "Yo\n"))
    session.play_all()
    text = describe_places(session.world)
    assert text.startswith("== bob@mail.example mailbox: 1 message ==\n")
    assert "Return-Path: <alice@client.example>\nReceived: from client.example " \
           "([192.0.2.10]) by mail.example with SMTP id Q0001; " in text
    assert "\nDate: Thu, 26 Nov 2026 09:00:00 +0000\n" in text and "\nYo\n" in text
    origins = dict(header_origins(places(session.world)[0].messages[0], "mail.example"))
    assert "RFC 5322 3.6.4" in next(v for k, v in origins.items() if k.startswith("Message-ID"))
    assert describe_places(start().world) == EMPTY
