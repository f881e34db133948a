"""Each profile's replies and explanations are true of that profile (RFC 821 vs RFC 5321)."""

from __future__ import annotations

import pytest

from smtpsim.mta.explain import as_text, explain_entry

from .helpers import run, start


def _reply(profile: str, *lines: str):
    replies = run(start(profile), *lines)
    assert replies
    return replies[-1]


def test_classic_rcpt_before_helo_needs_a_transaction_not_ehlo():
    # RFC 821 4.3 gives MAIL no 503, so the classic host takes MAIL before HELO: what RCPT
    # lacks there is a MAIL transaction. EHLO would get 500 on this host.
    reply = _reply("classic", "RCPT TO:<bob@mail.example>")
    assert reply.text == "503 Error: need MAIL command"
    text = as_text(explain_entry(reply))
    assert "EHLO" not in text
    assert "RCPT is allowed only in MAIL or RCPT" in text


def test_classic_data_before_helo_needs_a_transaction():
    assert _reply("classic", "DATA").text == "503 Error: need MAIL command"


def test_classic_turn_before_helo_asks_for_helo_in_rfc_821_terms():
    reply = _reply("classic", "TURN")
    assert reply.text == "503 Error: send HELO first"
    text = as_text(explain_entry(reply))
    assert "EHLO" not in text
    assert "The first command in a session must be the HELO command" in text
    assert "RFC 821 4.1.1" in text and "RFC 821 4.3" in text


def test_modern_rcpt_before_ehlo_still_asks_for_ehlo():
    assert _reply("modern", "RCPT TO:<bob@mail.example>").text \
        == "503 5.5.1 Error: send HELO/EHLO first"


@pytest.mark.parametrize("reply_id, lines, profile", [
    ("seq.need_helo", ("MAIL FROM:<alice@client.example>",), "modern"),
    ("mail.restarted", ("HELO client.example", "MAIL FROM:<alice@client.example>",
                        "MAIL FROM:<alice@client.example>"), "classic"),
    ("seq.nested_mail", ("EHLO client.example", "MAIL FROM:<alice@client.example>",
                         "MAIL FROM:<alice@client.example>"), "modern"),
])
def test_rfc_821s_two_sides_on_mail_are_both_stated(reply_id, lines, profile):
    reply = _reply(profile, *lines)
    assert reply.reply_id == reply_id
    text = as_text(explain_entry(reply))
    assert "RFC 821 4.1.1" in text and "RFC 821 4.3" in text
    assert "leaves a choice" in text and "classic profile follows" in text


def test_explain_mail_states_both_sides_of_rfc_821():
    from smtpsim.mta.explain import explain_token
    text = as_text(explain_token("MAIL"))
    assert "an RFC 821 host answers neither" not in text
    assert "paragraph on the order of commands (RFC 821 4.1.1)" in text
    assert "reply \ntable (RFC 821 4.3)" not in text and "(RFC 821 4.3) gives MAIL no 503" in text


def test_the_four_letter_rule_is_cited_from_rfc_821_command_syntax():
    from smtpsim.mta.explain import explain_token
    text = as_text(explain_token("SMOL"))
    assert "four letters (RFC 821 4.1.2" in text and "(4.1.1)" not in text
    reply = _reply("modern", "MAIL:FROM<a@b>")
    assert reply.reply_id == "line.bad_verb"
    explanation = explain_entry(reply)
    assert "RFC 821 4.1.2" in explanation.rfc and "RFC 821 4.1.1" not in explanation.rfc


def test_classic_refuses_an_ipv6_literal_in_mail_and_rcpt_as_in_helo():
    # RFC 821 4.1.2: <element> ::= <name> | "#" <number> | "[" <dotnum> "]"
    assert _reply("classic", "HELO [IPv6:2001:db8::1]").code == 501
    mail = _reply("classic", "HELO client.example", "MAIL FROM:<a@[IPv6:2001:db8::1]>")
    assert mail.text.startswith("501 Bad sender address syntax: an RFC 821 host knows only IPv4")
    rcpt = _reply("classic", "HELO client.example", "MAIL FROM:<alice@client.example>",
                  "RCPT TO:<bob@[IPv6:2001:db8::1]>")
    assert rcpt.text.startswith("553 Bad address syntax: an RFC 821 host knows only IPv4")
    assert _reply("classic", "HELO client.example",
                  "MAIL FROM:<a@[192.0.2.1]>").code == 250
    assert _reply("modern", "EHLO client.example",
                  "MAIL FROM:<a@[IPv6:2001:db8::1]>").code == 250


def test_classic_553_is_explained_without_enhanced_codes():
    rcpt = _reply("classic", "HELO client.example", "MAIL FROM:<alice@client.example>",
                  "RCPT TO:<bob@[IPv6:2001:db8::1]>")
    explanation = explain_entry(rcpt)
    assert rcpt.reply.enhanced is None
    assert "5.1.3" not in explanation.why and "RFC 5321 4.1.3" not in explanation.rfc
    assert "RFC 821 4.3" in explanation.rfc
    modern = _reply("modern", "EHLO client.example", "MAIL FROM:<alice@client.example>",
                    "RCPT TO:<bob@[1.2.3]>")
    assert modern.text.startswith("553 5.1.3 ")


def test_the_5_5_2_detail_names_the_real_252_reply():
    from smtpsim.mta.explain import explain_token
    text = as_text(explain_token("5.5.2"))
    assert "252 2.5.2" in text and "also send it with 252" not in text
    assert _reply("hardened", "EHLO client.example", "VRFY bob").text.startswith("252 2.5.2 ")


@pytest.mark.parametrize("profile", ["modern", "hardened"])
def test_helo_with_a_literal_is_never_offered_a_literal(profile):
    # RFC 5321 4.1.1.1: helo = "HELO" SP Domain; the address literal is EHLO's.
    for argument in ("[1.2.3]", "[192.0.2.1]", "[IPv6:zz]"):
        reply = _reply(profile, f"HELO {argument}")
        assert reply.code == 501
        assert "address literal" not in reply.text or "needs EHLO" in reply.text, reply.text
    assert _reply(profile, "EHLO [1.2.3]").text.startswith(
        "501 Syntax: EHLO hostname or address literal: ")


@pytest.mark.parametrize("profile, advice", [
    ("classic", "Type instead: SOML FROM:<alice@client.example>"),
    ("modern", "Type instead: MAIL FROM:<alice@client.example>"),
    ("hardened", "Type instead: MAIL FROM:<alice@client.example>"),
])
def test_the_article_correction_at_the_server_fits_the_profile(profile, advice):
    reply = _reply(profile, "HELO client.example", "SMOL FROM:<alice@client.example>")
    assert reply.code == 500
    lines = as_text(explain_entry(reply)).splitlines()
    assert advice in lines
    # what it advises is accepted there
    assert _reply(profile, "HELO client.example", advice.split(": ", 1)[1]).code == 250


def test_explain_with_no_profile_says_which_profiles_take_the_verb(capsys):
    from smtpsim.cli import main
    for word, verb, first in (("SMOL", "SOML", "SOML FROM:<alice@client.example>"),
                              ("SMAL", "SAML", "SAML FROM:<alice@client.example>"),
                              ("INVIA DA", "SEND", "SEND FROM:<alice@client.example>")):
        assert main(["explain", *word.split()]) == 0
        out = capsys.readouterr().out
        assert (f"Type instead: on classic: {first}; on modern and hardened, where {verb} "
                "gets 502: MAIL FROM:<alice@client.example>") in out
    assert main(["explain", "RIPOSO"]) == 0
    assert "Type instead: RSET\n" in capsys.readouterr().out


def test_a_malformed_literal_in_helo_is_told_to_be_well_formed_for_ehlo():
    reply = _reply("modern", "HELO [1.2.3]")
    assert reply.text == "501 Syntax: HELO hostname (an address literal needs EHLO)"
    assert "if the literal is well formed" in explain_entry(reply).why
