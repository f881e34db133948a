"""Server rules that span commands: resets, extensions, HELP, wire-level errors."""

import pytest

from smtpsim.protocol import State

from .helpers import last_code, run, start

MAIL = "MAIL FROM:<alice@client.example>"


def test_helo_after_ehlo_switches_the_extensions_off():
    # A HELO session has no extensions: SIZE= is unknown again (RFC 1869 / RFC 5321 4.1.4).
    session = start("modern")
    run(session, "EHLO client.example", "HELO client.example")
    reply = run(session, MAIL + " SIZE=100")[-1]
    assert (reply.code, reply.reply_id) == (555, "param.need_ehlo")
    line = "MAIL FROM:<alice@client.example> " + "X" * (520 - 35)
    assert last_code(session, line) == 500           # back to the plain 512 limit
    run(session, MAIL, "RCPT TO:<bob@mail.example>", "DATA", "hi", ".")
    assert b" with SMTP id " in session.server.host.users["bob"].mailbox[0].content


def test_ehlo_mid_transaction_resets_like_rset():
    session = start("modern")
    run(session, "EHLO client.example", MAIL, "RCPT TO:<bob@mail.example>")
    reply = run(session, "EHLO client.example")[-1]
    assert reply.after is State.READY and reply.effects == ("the open transaction was discarded",)
    assert last_code(session, "DATA") == 503


def test_a_refused_helo_changes_nothing():
    session = start("modern")
    run(session, "EHLO client.example", MAIL)
    assert last_code(session, "HELO bad_name!") == 501
    assert session.state is State.MAIL


@pytest.mark.parametrize("profile, listed", [
    ("modern", "HELO EHLO MAIL RCPT DATA RSET NOOP HELP VRFY EXPN QUIT ETRN"),
    ("hardened", "HELO EHLO MAIL RCPT DATA RSET NOOP HELP VRFY QUIT ETRN"),
    ("classic", "HELO MAIL SEND SOML SAML RCPT DATA RSET NOOP HELP VRFY EXPN QUIT TURN VERB "
                "TICK"),
])
def test_help_lists_exactly_the_verbs_this_profile_offers(profile, listed):
    reply = run(start(profile), "HELP")[-1]
    rows = reply.reply.lines[1:-2]
    assert " ".join(rows).split() == listed.split()
    assert reply.reply.lines[-1] == "End of HELP info"


def test_help_on_a_topic_the_profile_does_not_offer_is_504():
    assert last_code(start("modern"), "HELP TURN") == 504
    assert last_code(start("classic"), "HELP TURN") == 214
    assert last_code(start("classic"), "HELP EHLO") == 504


def test_help_takes_the_command_word_of_its_topic():
    reply = run(start("modern"), "HELP mail from")[-1]
    assert reply.code == 214 and reply.reply.lines[0].startswith("MAIL FROM:")


@pytest.mark.parametrize("line, code, reply_id", [
    ("HELO client\x00.example", 501, "line.control"),
    ("NOOP\x08\x08\x08", 501, "line.control"),
    ("NOOP\x7f", 501, "line.control"),
    ("HELO cli\rent.example", 501, "line.bare_cr"),
    ("HELO café.example", 500, "line.eight_bit"),
    ("", 500, "line.empty"),
    ("HELO: client.example", 500, "line.bad_verb"),
])
def test_bad_lines_are_explained_and_change_nothing(line, code, reply_id):
    session = start("modern")
    run(session, "EHLO client.example", MAIL)
    reply = run(session, line)[-1]
    assert (reply.code, reply.reply_id) == (code, reply_id)
    assert session.state is State.MAIL and session.client.conn.state is State.MAIL


def test_a_control_byte_is_named_in_the_reply():
    reply = run(start("modern"), "NOOP\x08")[-1]
    assert reply.text == ("501 5.5.2 Syntax error: control character 0x08 (BS (backspace)) "
                          "in the command line")


def test_non_utf8_typing_is_shown_readably():
    session = start("modern")
    entries = session.type_line("NOOP \udcff")
    assert entries[0].text == "NOOP \ufffd" and entries[1].code == 500


def test_enhanced_codes_follow_the_profile():
    for profile, expected in (("modern", "2.0.0"), ("hardened", "2.0.0"), ("classic", None)):
        reply = run(start(profile), "NOOP")[-1]
        assert reply.reply.enhanced == expected
    # never on 3yz, nor on HELO/EHLO replies
    session = start("modern")
    assert run(session, "EHLO client.example")[-1].reply.enhanced is None
    assert run(session, "HELO")[-1].reply.enhanced is None
    run(session, MAIL, "RCPT TO:<bob@mail.example>")
    assert run(session, "DATA")[-1].reply.enhanced is None


def test_rset_before_helo_stays_in_init():
    session = start("modern")
    assert last_code(session, "RSET") == 250 and session.state is State.INIT
    assert last_code(session, "RSET now") == 501


def test_postmaster_is_always_accepted():
    session = start("hardened")
    run(session, "EHLO client.example", MAIL)
    assert last_code(session, "RCPT TO:<Postmaster>") == 250
    assert last_code(session, "RCPT TO:<POSTMASTER@mail.example>") == 250


def test_the_null_reverse_path_is_shown_as_brackets_once():
    # RFC 5321 4.5.5: MAIL FROM:<> is the null path, used for bounces.
    session = start("modern")
    reply = run(session, "EHLO client.example", "MAIL FROM:<>")[-1]
    assert reply.text == "250 2.1.0 Sender <> OK"
    run(session, "RCPT TO:<bob@mail.example>", "DATA", "x", ".")
    assert session.server.host.users["bob"].mailbox[0].content.startswith(b"Return-Path: <>\r\n")


def test_made_up_verbs_get_500_and_leave_no_trace():
    """A client may send any number of different unknown verbs on a profile with no error
    limit (classic, RFC 821): each gets 500 (RFC 5321 4.2.4) and none is remembered."""
    from smtpsim.mta import ServerMTA, default_world, get_profile

    server = ServerMTA(default_world(), get_profile("classic"))
    server.greet()
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    verbs = [f"Z{letters[n // 676]}{letters[n // 26 % 26]}{letters[n % 26]}" for n in range(5000)]
    wire = "".join(f"{verb}\r\n" for verb in verbs).encode()
    replies = server.receive(wire)
    assert [(r.reply.code, r.reply_id) for r in replies] == [(500, "verb.unknown")] * 5000
    assert server.occurrences == {}
    assert server.receive(b"NOOP\r\n")[0].reply.code == 250
    assert server.occurrences == {"NOOP": 1}
