"""Every verb, typed in every command state, on every profile: the exact reply code and
the state it leaves.  The expectations are written out by hand from RFC 821 / RFC 5321
and the profile definitions - never computed by the code under test.

States are reached by a natural dialogue: INIT (just greeted), READY (after HELO/EHLO),
MAIL (after MAIL FROM), RCPT (after one accepted RCPT TO).
"""

import pytest

from smtpsim.protocol import ProtocolError, State

from .helpers import greeting_for, run, start

ARGUMENTS = {
    "HELO": "HELO client.example", "EHLO": "EHLO client.example",
    "MAIL": "MAIL FROM:<alice@client.example>", "SEND": "SEND FROM:<alice@client.example>",
    "SOML": "SOML FROM:<alice@client.example>", "SAML": "SAML FROM:<alice@client.example>",
    "RCPT": "RCPT TO:<bob@mail.example>", "DATA": "DATA", "RSET": "RSET", "NOOP": "NOOP",
    "HELP": "HELP", "VRFY": "VRFY bob", "EXPN": "EXPN staff", "QUIT": "QUIT", "TURN": "TURN",
    "VERB": "VERB", "TICK": "TICK 0001", "ETRN": "ETRN client.example",
}
STATES = ("INIT", "READY", "MAIL", "RCPT")

# verb: expected "code>STATE" in INIT, READY, MAIL, RCPT
MODERN = {
    "HELO": ("250>READY", "250>READY", "250>READY", "250>READY"),
    "EHLO": ("250>READY", "250>READY", "250>READY", "250>READY"),
    "MAIL": ("503>INIT", "250>MAIL", "503>MAIL", "503>RCPT"),
    "SEND": ("502>INIT", "502>READY", "502>MAIL", "502>RCPT"),
    "SOML": ("502>INIT", "502>READY", "502>MAIL", "502>RCPT"),
    "SAML": ("502>INIT", "502>READY", "502>MAIL", "502>RCPT"),
    "RCPT": ("503>INIT", "503>READY", "250>RCPT", "250>RCPT"),
    "DATA": ("503>INIT", "503>READY", "503>MAIL", "354>DATA"),
    "RSET": ("250>INIT", "250>READY", "250>READY", "250>READY"),
    "NOOP": ("250>INIT", "250>READY", "250>MAIL", "250>RCPT"),
    "HELP": ("214>INIT", "214>READY", "214>MAIL", "214>RCPT"),
    "VRFY": ("250>INIT", "250>READY", "250>MAIL", "250>RCPT"),
    "EXPN": ("250>INIT", "250>READY", "250>MAIL", "250>RCPT"),
    "QUIT": ("221>CLOSED", "221>CLOSED", "221>CLOSED", "221>CLOSED"),
    "TURN": ("502>INIT", "502>READY", "502>MAIL", "502>RCPT"),
    "VERB": ("502>INIT", "502>READY", "502>MAIL", "502>RCPT"),
    "TICK": ("502>INIT", "502>READY", "502>MAIL", "502>RCPT"),
    "ETRN": ("503>INIT", "253>READY", "503>MAIL", "503>RCPT"),
}
HARDENED = {
    **MODERN,
    "VRFY": ("252>INIT", "252>READY", "252>MAIL", "252>RCPT"),
    "EXPN": ("502>INIT", "502>READY", "502>MAIL", "502>RCPT"),
}
CLASSIC = {
    **MODERN,
    "EHLO": ("500>INIT", "500>READY", "500>MAIL", "500>RCPT"),
    # RFC 821 4.1.1: MAIL, SEND, SOML and SAML clear all buffers and start a new
    # transaction, and RFC 821 4.3 gives them no 503 - not before HELO, and not inside an
    # open transaction, which is dropped.
    "MAIL": ("250>MAIL", "250>MAIL", "250>MAIL", "250>MAIL"),
    "SEND": ("250>MAIL", "250>MAIL", "250>MAIL", "250>MAIL"),
    "SOML": ("250>MAIL", "250>MAIL", "250>MAIL", "250>MAIL"),
    "SAML": ("250>MAIL", "250>MAIL", "250>MAIL", "250>MAIL"),
    "TURN": ("503>INIT", "250>TURNED", "503>MAIL", "503>RCPT"),
    "VERB": ("250>INIT", "250>READY", "250>MAIL", "250>RCPT"),
    "TICK": ("250>INIT", "250>READY", "250>MAIL", "250>RCPT"),
    "ETRN": ("500>INIT", "500>READY", "500>MAIL", "500>RCPT"),
}
EXPECTED = {"modern": MODERN, "hardened": HARDENED, "classic": CLASSIC}

CASES = [(profile, verb, index)
         for profile, table in EXPECTED.items() for verb in table for index in range(4)]


def session_in(profile: str, state: str):
    session = start(profile)
    steps = {"INIT": (), "READY": (greeting_for(profile),),
             "MAIL": (greeting_for(profile), ARGUMENTS["MAIL"]),
             "RCPT": (greeting_for(profile), ARGUMENTS["MAIL"], ARGUMENTS["RCPT"])}[state]
    run(session, *steps) if steps else None
    assert session.state is State[state]
    return session


def test_the_table_covers_every_verb_the_server_knows():
    from smtpsim.mta import HANDLERS
    for table in EXPECTED.values():
        assert set(table) == set(HANDLERS) == set(ARGUMENTS)


@pytest.mark.parametrize("profile, verb, index", CASES,
                         ids=[f"{p}-{v}-{STATES[i]}" for p, v, i in CASES])
def test_every_command_in_every_state(profile, verb, index):
    session = session_in(profile, STATES[index])
    # After TURN the reversed session follows in the same call: take the TURN reply.
    replies = [e for e in run(session, ARGUMENTS[verb]) if not e.reversed_roles]
    code, state = EXPECTED[profile][verb][index].split(">")
    assert replies[-1].code == int(code), replies[-1].text
    assert replies[-1].before is State[STATES[index]]
    assert session.state is State[state]
    assert replies[-1].after is State[state]
    if state not in ("TURNED", "CLOSED"):
        # The client mirrors the server's state from the same table.
        assert session.client.conn.state is session.state
    if code == "503":
        # An out-of-order command changes nothing (RFC 5321 4.1.4 / 3.3).
        assert replies[-1].reply_id.startswith("seq.")


@pytest.mark.parametrize("verb", sorted(ARGUMENTS))
@pytest.mark.parametrize("profile", sorted(EXPECTED))
def test_in_data_every_command_is_message_text(profile, verb):
    session = session_in(profile, "RCPT")
    run(session, "DATA")
    entries = session.type_line(ARGUMENTS[verb])
    assert [e.side for e in entries] == ["C"] and entries[0].in_data
    assert session.state is State.DATA
    final = run(session, ".")
    assert final[-1].code == 250 and session.state is State.READY
    mailbox = session.server.host.users["bob"].mailbox
    assert mailbox[-1].content.endswith(ARGUMENTS[verb].encode() + b"\r\n")


@pytest.mark.parametrize("profile", sorted(EXPECTED))
def test_after_quit_nothing_can_be_typed(profile):
    session = session_in(profile, "READY")
    run(session, "QUIT")
    assert session.closed
    with pytest.raises(ProtocolError):
        session.type_line("NOOP")
