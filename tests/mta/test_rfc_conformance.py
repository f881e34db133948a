"""An independent conformance table: (RFC section, profile, input, allowed replies).

Every row is written from the RFC text itself - RFC 5321 4.1.3 (address literals),
4.1.1.1 (HELO/EHLO arguments), RFC 821 4.1.1, 4.1.2 and 4.3 (the classic profile) -
never from the catalogue or the code under test.  ``allowed`` lists every reply code
the RFC permits for that input; the server must answer one of them.
"""

from __future__ import annotations

import pytest

from smtpsim.protocol import State

from .helpers import greeting_for, run, start

OPEN = ("MAIL FROM:<alice@client.example>",)
IN_RCPT = OPEN + ("RCPT TO:<bob@mail.example>",)

# RFC 5321 4.1.2 Mailbox = Local-part "@" ( Domain / address-literal ); 4.1.3 grammar.
# A malformed literal is a syntax error in the argument: 501, or 553 "mailbox name not
# allowed" (RFC 5321 4.2.2, 4.3.2 lists 553 for MAIL and RCPT).
BAD_LITERALS = [
    "[1.2.3]",                    # IPv4-address-literal = Snum 3("." Snum): four numbers
    "[999.1.1.1]",                # Snum: "a decimal integer value in the range 0 through 255"
    "[1.2.3.4.5]",                # five numbers
    "[1.2.3.256]",
    "[1..2.3]",
    "[IPv6:1:2:3]",               # IPv6-full needs 8 groups
    "[IPv6:12345::1]",            # IPv6-hex = 1*4HEXDIG
    "[IPv6:1::2::3]",             # "::" at most once (RFC 4291 2.2)
    "[IPv6:1:2:3:4:5:6:7::]",     # RFC 5321 IPv6-comp: at most 6 groups beside "::"
    "[IPv6:g::1]",
    "[IPv6:::1.2.3]",             # the embedded IPv4 part is an IPv4-address-literal
    "[IPv6:1:2:3:4:5::1.2.3.4]",  # IPv6v4-comp: at most 4 groups beside "::"
    "[:content]",                 # Standardized-tag = Ldh-str, not empty
    "[-tag:content]",             # Ldh-str does not start with "-"
    "[tag:]",                     # 1*dcontent: at least one character
]
GOOD_LITERALS = [
    "[192.0.2.1]", "[0.0.0.0]", "[255.255.255.255]",
    "[IPv6:2001:db8::1]", "[IPv6:::1]", "[IPv6:::]", "[ipv6:2001:DB8:0:0:0:0:0:1]",
    "[IPv6:1:2:3:4:5:6::]",       # six groups beside "::" is the most RFC 5321 allows
    "[IPv6:::ffff:192.0.2.1]", "[IPv6:0:0:0:0:0:ffff:192.0.2.1]",
    "[x-tag:some-content]",       # General-address-literal: syntactically well formed
]

TABLE: list[tuple[str, str, tuple[str, ...], str, frozenset[int]]] = [
    # RFC 5321 4.1.4: "If the transaction beginning command argument is not acceptable, a
    # 501 failure reply MUST be returned".
    *[("RFC 5321 4.1.3 / 4.1.4", "modern", (), f"MAIL FROM:<alice@{lit}>", frozenset({501}))
      for lit in BAD_LITERALS],
    *[("RFC 5321 4.1.3", "modern", OPEN, f"RCPT TO:<bob@{lit}>", frozenset({501, 553}))
      for lit in BAD_LITERALS],
    # RFC 821 4.3: MAIL E: 500, 501, 421 - no 553.
    *[("RFC 821 4.3", "classic", (), f"MAIL FROM:<alice@{lit}>", frozenset({500, 501}))
      for lit in BAD_LITERALS[:3]],
    # A well-formed literal sender is a valid reverse-path (RFC 5321 4.1.2).
    *[("RFC 5321 4.1.3", "modern", (), f"MAIL FROM:<alice@{lit}>", frozenset({250}))
      for lit in GOOD_LITERALS],
    # 4.1.4: "If the EHLO command is not acceptable ... 501, 500, 502, or 550"; a malformed
    # argument is a syntax error in the argument: 501.
    *[("RFC 5321 4.1.1.1 / 4.1.4", "modern", None, f"EHLO {lit}", frozenset({501}))
      for lit in BAD_LITERALS],
    *[("RFC 5321 4.1.1.1", "modern", None, f"EHLO {lit}", frozenset({250}))
      for lit in GOOD_LITERALS],
    # helo = "HELO" SP Domain CRLF: no address literal.
    ("RFC 5321 4.1.1.1", "modern", None, "HELO [192.0.2.1]", frozenset({501})),
    ("RFC 5321 4.1.1.1", "hardened", None, "HELO [192.0.2.1]", frozenset({501})),
    ("RFC 5321 4.1.1.1", "modern", None, "HELO [999.1.1.1]", frozenset({501})),
    # RFC 821 4.1.2: <domain> elements include "[" <dotnum> "]", four numbers 0-255.
    ("RFC 821 4.1.2", "classic", None, "HELO [192.0.2.1]", frozenset({250})),
    ("RFC 821 4.1.2", "classic", None, "HELO [1.2.3]", frozenset({501})),
    ("RFC 821 4.1.2", "classic", None, "HELO [999.1.1.1]", frozenset({501})),
    # RFC 821 4.1.1 MAIL/SEND/SOML/SAML clear all buffers; 4.3 lists for MAIL
    # S: 250, F: 552 451 452, E: 500 501 421 - no 503.
    *[("RFC 821 4.1.1 / 4.3", "classic", before, f"{verb} FROM:<carol@client.example>",
       frozenset({250})) for verb in ("MAIL", "SEND", "SOML", "SAML")
      for before in (OPEN, IN_RCPT)],
    # RFC 821 4.3: MAIL S: 250, F: 552 451 452, E: 500 501 421 - no 503 before HELO either.
    *[("RFC 821 4.3", "classic", None, f"{verb} FROM:<carol@client.example>",
       frozenset({250, 552, 451, 452, 500, 501, 421})) for verb in ("MAIL", "SOML")],
    # RFC 5321 4.1.4: "A session that will contain mail transactions MUST first be
    # initialized by the use of the EHLO command"; out of order: 503.
    ("RFC 5321 4.1.4", "modern", None, "MAIL FROM:<carol@client.example>", frozenset({503})),
    # RFC 5321 3.3 / 4.1.4: MAIL inside an open transaction is a bad sequence.
    ("RFC 5321 4.1.4", "modern", OPEN, "MAIL FROM:<carol@client.example>", frozenset({503})),
    ("RFC 5321 4.1.4", "modern", IN_RCPT, "MAIL FROM:<carol@client.example>",
     frozenset({503})),
    # RFC 821 4.3: NOOP S: 250, E: 500, 421.  QUIT S: 221, E: 500.
    ("RFC 821 4.3", "classic", (), "NOOP", frozenset({250})),
    ("RFC 821 4.3", "classic", (), "NOOP hello", frozenset({250, 500, 421})),
    ("RFC 821 4.3", "classic", IN_RCPT, "NOOP hello", frozenset({250, 500, 421})),
    ("RFC 821 4.3", "classic", (), "QUIT now", frozenset({221, 500})),
    # RFC 821 4.3: TURN S: 250, F: 502, E: 500, 503.
    ("RFC 821 4.3", "classic", (), "TURN now", frozenset({250, 502, 500, 503})),
    # RFC 5321 4.1.1.9: "If a parameter string is specified, servers SHOULD ignore it."
    ("RFC 5321 4.1.1.9", "modern", (), "NOOP hello", frozenset({250})),
    ("RFC 5321 4.1.1.9", "hardened", IN_RCPT, "NOOP hello", frozenset({250})),
]


@pytest.mark.parametrize("section, profile, before, line, allowed", TABLE,
                         ids=[f"{row[1]}: {row[3]}" for row in TABLE])
def test_reply_is_one_the_rfc_allows(section, profile, before, line, allowed):
    session = start(profile)
    if before is not None:   # None: the line is itself the greeting command
        run(session, greeting_for(profile), *before)
    reply = run(session, line)[-1]
    assert reply.code in allowed, f"{section}: {line!r} got {reply.text!r}"


def test_classic_mail_inside_a_transaction_drops_the_recipients():
    """RFC 821 4.1.1: the new MAIL clears the forward-path buffer too, so the DATA
    that follows has no recipient and the old recipient gets nothing."""
    session = start("classic")
    run(session, "HELO client.example", *IN_RCPT)
    reply = run(session, "MAIL FROM:<carol@client.example>")[-1]
    assert (reply.code, reply.after, reply.reply_id) == (250, State.MAIL, "mail.restarted")
    assert session.server.envelope.sender == "carol@client.example"
    assert session.server.envelope.recipients == []
    assert session.client.conn.state is State.MAIL   # the client's mirror follows the 250
    assert run(session, "DATA")[-1].code == 503
