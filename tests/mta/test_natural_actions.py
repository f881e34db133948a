"""Issue 2, section 5: every code of the article reached by a natural action in the
default world, on the profile the table names - with the exact code (and enhanced code
where the profile advertises ENHANCEDSTATUSCODES)."""

import pytest

from smtpsim.protocol import State

from .helpers import TRANSACTION, last_code, run, start

EHLO, HELO = "EHLO client.example", "HELO client.example"
MAIL = "MAIL FROM:<alice@client.example>"
EICAR = r"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

ROWS = [
    # (code, enhanced, profile, lines typed; the last one gets the code)
    (211, "2.0.0", "modern", [EHLO, "HELP STATUS"]),
    (214, "2.0.0", "modern", ["HELP"]),
    (214, "2.0.0", "modern", [EHLO, "HELP MAIL"]),
    (214, None, "classic", ["HELP SEND"]),
    (221, "2.0.0", "modern", ["QUIT"]),
    (221, None, "classic", [HELO, "QUIT"]),
    (250, None, "modern", [EHLO]),
    (250, "2.0.0", "modern", [EHLO, *TRANSACTION]),
    (354, None, "modern", [EHLO, *TRANSACTION[:3]]),
    (251, "2.1.5", "modern", [EHLO, MAIL, "RCPT TO:<erin@mail.example>"]),
    (251, "2.1.5", "modern", ["VRFY erin"]),
    (551, "5.1.6", "modern", [EHLO, MAIL, "RCPT TO:<frank@mail.example>"]),
    (551, "5.1.6", "modern", ["VRFY frank"]),
    (421, "4.7.0", "modern", ["XYZZY"] * 10),
    (421, "4.7.0", "hardened", ["XYZZY"] * 5),
    (450, None, "classic", [HELO, "SEND FROM:<alice@client.example>",
                            "RCPT TO:<carol@mail.example>"]),
    (451, "4.4.3", "modern", [EHLO, "MAIL FROM:<x@tempfail.example>"]),
    (500, "5.5.1", "modern", ["XYZZY"]),
    (500, "5.5.2", "modern", ["NOOP " + "x" * 600]),
    (500, None, "classic", ["EHLO client.example"]),
    (501, None, "modern", ["HELO"]),
    (501, "5.5.4", "modern", ["QUIT now"]),
    (502, "5.5.1", "modern", [EHLO, "TURN"]),
    (502, "5.5.1", "hardened", ["EXPN staff"]),
    (502, "5.5.1", "modern", ["SOML FROM:<alice@client.example>"]),
    (503, "5.5.1", "modern", [EHLO, "RCPT TO:<bob@mail.example>"]),
    (503, "5.5.1", "modern", [EHLO, MAIL, "DATA"]),
    (503, "5.5.1", "modern", [EHLO, MAIL, MAIL]),
    (503, "5.5.1", "modern", [MAIL]),
    (504, "5.5.4", "modern", ["HELP FROBNICATE"]),
    (550, "5.1.1", "modern", [EHLO, MAIL, "RCPT TO:<nobody@mail.example>"]),
    # 550 5.7.1 (relay access denied) needs a client outside mail.example's network:
    # tests/mta/test_relay_policy.py
    (552, "5.3.4", "modern", [EHLO, MAIL + " SIZE=999999999"]),
    # RFC 3463 3.3: a full mailbox (X.2.2) is "a persistent transient failure".
    (452, "4.2.2", "modern", [EHLO, MAIL, "RCPT TO:<gina@mail.example>", "DATA", "hi", "."]),
    # RFC 821 4.2.1: 552 "exceeded storage allocation" (no enhanced codes on classic).
    (552, None, "classic", [HELO, MAIL, "RCPT TO:<gina@mail.example>", "DATA", "hi", "."]),
    (553, "5.1.4", "modern", ["VRFY smith"]),
    (553, "5.1.3", "modern", [EHLO, MAIL, "RCPT TO:<bob@@mail.example>"]),
    (553, "5.7.1", "modern", [EHLO, "MAIL FROM:<bob@mail.example>"]),
    (554, "5.7.1", "modern", [EHLO, MAIL, "RCPT TO:<bob@mail.example>", "DATA", EICAR, "."]),
    (252, "2.5.2", "hardened", ["VRFY bob"]),
    (253, "2.0.0", "modern", [EHLO, "ETRN client.example"]),
    (554, "5.5.1", "modern", [EHLO, MAIL, "RCPT TO:<nobody@mail.example>", "DATA"]),
]


@pytest.mark.parametrize("code, enhanced, profile, lines", ROWS,
                         ids=[f"{c}-{p}-{ls[-1][:20]}" for c, _, p, ls in ROWS])
def test_natural_action(code, enhanced, profile, lines):
    session = start(profile)
    reply = run(session, *lines)[-1]
    assert reply.code == code, reply.text
    assert reply.reply.enhanced == enhanced
    catalogue = session.server.catalogue
    assert catalogue.code(code) is not None and reply.reply_id in catalogue.why


def test_220_is_the_greeting():
    for profile, banner in (("modern", "ESMTP"), ("classic", "Simple Mail Transfer Service")):
        greeting = start(profile).transcript[0]
        assert greeting.code == 220 and banner in greeting.text
        assert greeting.reply.enhanced is None    # RFC 2034: never on the greeting


def test_classic_has_no_error_limit():
    session = start("classic")
    assert [last_code(session, "XYZZY") for _ in range(30)] == [500] * 30
    assert not session.closed


@pytest.mark.parametrize("profile, limit", [("modern", 10), ("hardened", 5)])
def test_too_many_errors_closes_after_the_limit_and_counts_only_in_a_row(profile, limit):
    session = start(profile)
    for _ in range(limit - 1):
        assert last_code(session, "XYZZY") == 500
    assert last_code(session, "NOOP") == 250      # a success resets the count
    for _ in range(limit - 1):
        assert last_code(session, "HELO") == 501  # 501 and 503 count as errors too
    reply = run(session, "RCPT TO:<bob@mail.example>")[-1]
    assert (reply.code, reply.reply_id) == (421, "session.too_many_errors")
    assert session.closed and session.state is State.CLOSED


def test_the_101st_recipient():
    for profile, greeting, code in (("modern", EHLO, 452), ("classic", HELO, 552)):
        session = start(profile)
        run(session, greeting, MAIL)
        for _ in range(100):
            assert last_code(session, "RCPT TO:<bob@mail.example>") == 250
        assert last_code(session, "RCPT TO:<bob@mail.example>") == code
        assert session.server.envelope.named == 100     # the limit counts every RCPT
        assert len(session.server.envelope.recipients) == 1   # bob once: one delivery
        assert last_code(session, "DATA") == 354    # the 100 accepted still stand


def test_a_full_mailbox_beside_a_good_one_is_delivered_and_bounced():
    """RFC 5321 4.4: if the data can be delivered to some but not all recipients, "the
    response to the DATA command MUST be an OK reply", and the server "MUST compose and
    send an 'undeliverable mail' notification message to the originator"."""
    session = start("modern")
    run(session, EHLO, MAIL, "RCPT TO:<bob@mail.example>", "RCPT TO:<gina@mail.example>",
        "DATA", "hi")
    reply = run(session, ".")[-1]
    assert reply.code == 250
    assert len(session.server.host.users["bob"].mailbox) == 1
    assert session.server.host.users["gina"].mailbox == []
    notices = [m for m in session.server.host.queue if m.queue_id.endswith("-N")]
    assert len(notices) == 1 and notices[0].sender == ""      # null reverse-path (4.5.5)
    assert b"<gina@mail.example>" in notices[0].content
    assert any("non-delivery notice" in effect for effect in reply.effects)
    assert session.state is State.READY and session.server.envelope.sender is None


def test_a_null_sender_gets_no_notice_for_a_full_mailbox():
    session = start("modern")
    run(session, EHLO, "MAIL FROM:<>", "RCPT TO:<bob@mail.example>",
        "RCPT TO:<gina@mail.example>", "DATA", "hi")
    reply = run(session, ".")[-1]
    assert reply.code == 250
    assert [m for m in session.server.host.queue if m.queue_id.endswith("-N")] == []
    assert any("no notice is sent" in effect for effect in reply.effects)


def test_eicar_refuses_the_whole_message():
    session = start("modern")
    run(session, EHLO, MAIL, "RCPT TO:<bob@mail.example>", "DATA", EICAR)
    assert last_code(session, ".") == 554
    assert session.server.host.users["bob"].mailbox == []
    assert session.state is State.READY and session.server.envelope.sender is None


def test_relaying_on_classic_is_accepted_and_queued():
    session = start("classic")
    assert last_code(session, HELO, MAIL, "RCPT TO:<zed@elsewhere.example>") == 250
    run(session, "DATA", "hi", ".")
    queued = [m for m in session.server.host.queue if "zed@elsewhere.example" in m.recipients]
    assert len(queued) == 1 and queued[0].content.startswith(b"Received: from client.example")
