"""The client MTA plays by itself and reacts to every kind of reply (RFC 5321 4.2.1, 4.5.4)."""

import pytest

from smtpsim.mta import compose
from smtpsim.protocol import State

from .helpers import start


def play(profile="modern", *faults, sender="alice@client.example", to=("bob@mail.example",),
         messages=1):
    session = start(profile, *faults)
    for n in range(messages):
        session.queue_message(compose(sender, list(to), f"Test {n}", "Hello.\n.dot line\n"))
    session.play_all()
    return session


def sent(session):
    return [e.text.split(" ")[0] for e in session.transcript if e.side == "C" and not e.in_data
            and not e.reversed_roles]


def test_a_correct_dialogue_on_modern():
    session = play(messages=2)
    assert sent(session) == ["EHLO", "MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA", "QUIT"]
    assert [m.outcome for m in session.client.done] == ["delivered", "delivered"]
    assert session.closed and session.state is State.CLOSED
    mail = session.transcript[3].text
    assert mail.startswith("MAIL FROM:<alice@client.example> SIZE=")   # SIZE was offered
    bob = session.server.host.users["bob"].mailbox
    assert len(bob) == 2 and b"\r\n.dot line\r\n" in bob[0].content    # un-stuffed again
    text_lines = [e for e in session.transcript if e.in_data]
    assert "..dot line" in text_lines[0].lines                          # stuffed on the wire


def test_ehlo_refused_with_500_falls_back_to_helo_on_classic():
    session = play("classic")
    assert sent(session)[:3] == ["EHLO", "HELO", "MAIL"]
    assert session.client.notes[0] == "500 to EHLO: an old server; falling back to HELO"
    assert session.client.done[0].outcome == "delivered"
    assert "SIZE=" not in session.transcript.as_text()


def test_251_is_accepted_and_noted():
    session = play(to=("erin@mail.example",))
    assert "251: the server will forward <erin@mail.example>" in session.client.notes
    assert session.client.done[0].outcome == "delivered"


def test_551_is_reported_with_the_new_address_and_others_still_get_it():
    session = play(to=("frank@mail.example", "bob@mail.example"))
    job = session.client.done[0]
    assert job.failed == ["frank@mail.example"] and job.accepted == ["bob@mail.example"]
    assert job.outcome == "delivered"
    assert any(n.startswith("551 for <frank@mail.example>: permanent; report it - the user "
                            "moved: User not local; please try <frank@elsewhere.example>")
               for n in session.client.notes)


def test_every_recipient_refused_gives_up_with_rset():
    session = play(to=("nobody@mail.example",))
    assert sent(session) == ["EHLO", "MAIL", "RCPT", "RSET", "QUIT"]
    assert session.client.done[0].outcome == "failed"


def test_a_4yz_recipient_keeps_the_message_for_later():
    session = play("modern", "RCPT#1=452", to=("bob@mail.example", "nobody@mail.example"))
    job = session.client.done[0]
    assert job.deferred == ["bob@mail.example"] and job.failed == ["nobody@mail.example"]
    assert job.outcome == "deferred"
    assert sent(session)[-2:] == ["RSET", "QUIT"]


@pytest.mark.parametrize("faults, sender, outcome", [
    ((), "x@tempfail.example", "deferred"),            # 451 to MAIL
    (("MAIL=403",), "alice@client.example", "deferred"),   # 4yz: a client retries
    ((), "bob@mail.example", "failed"),                # 553 5.7.1 not owned
    (("DATA=554",), "alice@client.example", "failed"),
    (("DOT=451",), "alice@client.example", "deferred"),
    (("DOT=554",), "alice@client.example", "failed"),
])
def test_reactions_to_4yz_and_5yz(faults, sender, outcome):
    session = play("modern", *faults, sender=sender)
    assert session.client.done[0].outcome == outcome
    assert session.closed and sent(session)[-1] == "QUIT"
    assert session.server.host.users["bob"].mailbox == []


def test_421_anywhere_defers_everything():
    session = play("modern", "RCPT=421", messages=2)
    assert [m.outcome for m in session.client.done] == ["deferred", "deferred"]
    assert session.closed and "QUIT" not in sent(session)


@pytest.mark.parametrize("faults, outcome", [(("EHLO=550",), "failed"),
                                             (("EHLO=421",), "deferred"),
                                             (("EHLO=500", "HELO=501"), "failed")])
def test_a_refused_greeting_ends_with_quit_not_a_loop(faults, outcome):
    session = play("modern", *faults)
    assert session.client.done[0].outcome == outcome
    assert len(session.transcript) < 20 and session.closed


def test_a_refused_rset_leads_to_quit():
    session = play("modern", "RSET=500", to=("nobody@mail.example",))
    assert sent(session) == ["EHLO", "MAIL", "RCPT", "RSET", "QUIT"]
    assert session.closed and session.client.done[0].outcome == "deferred"


def test_a_refused_quit_makes_the_client_close_the_connection():
    session = play("modern", "QUIT=500")
    assert sent(session) == ["EHLO", "MAIL", "RCPT", "DATA", "QUIT"]
    assert session.client.hung_up and session.closed
    assert session.transcript[-1].side == "*"
    assert "closed the connection without QUIT" in session.transcript[-1].text
    assert session.client.step == "connection closed"


def test_step_describes_the_next_move():
    session = start()
    session.queue_message(compose("alice@client.example", ["bob@mail.example"], "s", "b"))
    assert session.client.step == "introduce itself with EHLO"
    session.play_step()
    assert session.client.step == "open a transaction with MAIL"


def test_the_learner_and_the_client_mta_share_one_connection():
    session = start()
    session.type_line("EHLO client.example")
    session.queue_message(compose("alice@client.example", ["bob@mail.example"], "s", "b"))
    session.play_all()
    assert sent(session) == ["EHLO", "MAIL", "RCPT", "DATA", "QUIT"]


def test_8bit_text_is_declared_with_body_8bitmime_where_offered():
    session = start()
    session.queue_message(compose("alice@client.example", ["bob@mail.example"], "Ciao",
                                  "Perché no?\n"))
    session.play_all()
    mail = next(e.text for e in session.transcript if e.text.startswith("MAIL "))
    assert mail.endswith(" BODY=8BITMIME")                      # RFC 6152 3
    assert session.client.done[0].outcome == "delivered"
    assert "Perché no?".encode() in session.server.host.users["bob"].mailbox[0].content
    assert not any("8BITMIME" in note for note in session.client.notes)


def test_7bit_text_names_no_body_and_a_server_without_8bitmime_is_warned_about():
    session = play()                                            # ASCII text: no BODY
    assert "BODY=" not in session.transcript.as_text()
    old = start("classic")                                      # HELO only: no extensions
    old.queue_message(compose("alice@client.example", ["bob@mail.example"], "Ciao", "Perché\n"))
    old.play_all()
    assert "BODY=" not in old.transcript.as_text()
    assert old.client.done[0].outcome == "delivered"
    assert any(note.startswith("the text has 8-bit octets but the server does not offer "
                               "8BITMIME: RFC 6152 3") for note in old.client.notes)


def test_the_client_keeps_only_its_newest_notes():
    """A client that sends for hours keeps NOTES_KEPT notes (one per message here), the
    newest, so its memory stays bounded; every message is still delivered."""
    from smtpsim.mta import ClientMTA, ServerMTA, default_world, get_profile
    from smtpsim.mta.client import NOTES_KEPT
    from smtpsim.mta.outgoing import OutgoingMessage

    server = ServerMTA(default_world(), get_profile("modern"))
    client = ClientMTA("client.example")
    client.receive(b"".join(r.wire for r in server.greet()))
    count = NOTES_KEPT + 5
    # The first message goes to carol, the others to bob: carol's note is the one forgotten.
    client.outbox.extend(OutgoingMessage("alice@client.example", [rcpt],
                                         b"Subject: n\r\n\r\nHello.\r\n")
                         for rcpt in ["carol@mail.example"] + ["bob@mail.example"] * (count - 1))
    while (wire := client.next_output()) is not None:
        client.receive(b"".join(r.wire for r in server.receive(wire)))
    users = server.host.users
    assert len(users["carol"].mailbox) == 1 and len(users["bob"].mailbox) == count - 1
    assert len(client.done) == count
    assert len(client.notes) == NOTES_KEPT
    assert not any("carol" in note for note in client.notes)
    assert client.notes[-1].startswith("message to <bob@mail.example>: delivered")
