"""The Session link: typing one line at a time or several at once gives the same transcript."""

import pytest

from smtpsim.protocol import State

from .helpers import start

SCRIPT = ["EHLO client.example", "MAIL FROM:<alice@client.example>",
          "RCPT TO:<bob@mail.example>", "DATA", "Subject: x", "", "..dot", "#hash", ".",
          "MAIL FROM:<alice@client.example>", "RCPT TO:<carol@mail.example>", "DATA",
          "unfinished"]


def as_rows(session):
    return [(e.side, e.lines, e.before, e.after, e.in_data, e.code, e.reply_id)
            for e in session.transcript]


@pytest.mark.parametrize("profile, faults", [("modern", ()), ("classic", ("DOT=421",)),
                                             ("hardened", ("DOT#1=451",))])
def test_type_lines_equals_type_line_one_by_one(profile, faults):
    one = start(profile, *faults)
    for line in SCRIPT:
        if one.closed:
            break
        one.type_line(line)
    many = start(profile, *faults)
    entries = many.type_lines(SCRIPT)
    assert as_rows(many) == as_rows(one)
    assert len(entries) == len(many.transcript) - 1
    assert many.state is one.state and many.in_data is one.in_data


def test_hang_up_in_data_drops_the_message():
    session = start("modern")
    session.type_lines(SCRIPT)
    assert session.in_data
    note = session.hang_up()[-1]
    assert note.side == "*" and note.after is State.CLOSED
    assert "drops the unfinished message" in note.text
    assert [m.content.count(b"unfinished") for m in
            session.server.host.users["carol"].mailbox] == []
    assert session.hang_up() == []


def test_hang_up_with_a_transaction_open():
    session = start("modern")
    session.type_lines(SCRIPT[:3])
    assert "with a transaction open" in session.hang_up()[-1].text
    assert session.server.envelope.sender is None


def test_a_refused_line_in_a_batch_still_sends_what_was_recorded():
    from smtpsim.protocol import ProtocolError
    session = start("modern")
    session.type_lines(SCRIPT[:4])
    with pytest.raises(ProtocolError):
        session.type_lines(["first", "bad\nline", "."])
    assert session.transcript[-1].text == "first" and session.in_data
    assert session.type_lines(["."])[-1].code == 250
    assert session.server.host.users["bob"].mailbox[-1].content.endswith(b"+0000\r\nfirst\r\n")


def test_queue_ids_stay_unique_across_connections_of_one_world():
    from smtpsim.mta import Session, default_world
    world = default_world()
    ids = []
    for _ in range(2):   # two connections, one world: as F5 does in the app
        session = Session("modern", (), world)
        for line in ("EHLO client.example", "MAIL FROM:<alice@client.example>",
                     "RCPT TO:<carol@mail.example>", "DATA", "Subject: x", "", "hi", "."):
            session.type_line(line)
        last = session.transcript[-1]
        assert last.code == 250
        ids.append(last.lines[0].rsplit(" ", 1)[1])
    assert ids == ["Q0001", "Q0002"]
    assert [m.queue_id for m in world.server.users["carol"].mailbox] == ["Q0001", "Q0002"]
    # a fresh world starts again
    assert Session("modern", (), default_world()).server.new_queue_id() == "Q0001"
