"""Who may relay: mail.example relays for its own network (like Postfix's mynetworks,
judged by the client's IP address, never by the HELO name) and for nobody else."""

from __future__ import annotations

import pytest

from smtpsim.mta import Session
from smtpsim.mta.explain import as_text, explain_entry
from smtpsim.mta.internet import CLIENT_ADDRESS, OWN_NETWORK

from .helpers import run

STRANGER = "203.0.113.9"   # RFC 5737 TEST-NET-3: outside 192.0.2.0/24
LINES = ["EHLO client.example", "MAIL FROM:<alice@client.example>",
         "RCPT TO:<friend@far.example>"]


def test_the_learner_on_client_example_is_inside_the_network_and_may_relay():
    session = Session("modern")
    assert session.client_address == CLIENT_ADDRESS == "192.0.2.10"
    (reply,) = run(session, *LINES)
    assert reply.text == "250 2.1.5 Recipient <friend@far.example> OK, will relay"
    assert reply.reply_id == "rcpt.relay_network"
    why = as_text(explain_entry(reply))
    assert "192.0.2.10" in why and OWN_NETWORK in why and "mynetworks" in why


@pytest.mark.parametrize("profile", ["modern", "hardened"])
@pytest.mark.parametrize("address", [STRANGER, None])
def test_a_stranger_is_refused_whatever_its_helo_name(profile, address):
    session = Session(profile, client_address=address)
    (reply,) = run(session, *LINES)
    assert reply.text == "550 5.7.1 <friend@far.example>: Relay access denied"
    assert reply.reply_id == "rcpt.relay_denied"
    why = as_text(explain_entry(reply))
    assert OWN_NETWORK in why
    assert (address or "outside the simulated world") in why
    # its own domain is still served to a stranger: only relaying is refused
    (local,) = run(session, "RCPT TO:<bob@mail.example>")
    assert local.code == 250


def test_classic_is_an_open_relay_even_for_strangers():
    session = Session("classic", client_address=STRANGER)
    (reply,) = run(session, "HELO client.example", *LINES[1:])
    assert (reply.code, reply.reply_id) == (250, "rcpt.relay")


def test_the_network_is_a_fact_of_the_host_not_of_the_profile():
    from smtpsim.mta import default_world
    world = default_world()
    world.server.network = None   # a host that relays for nobody at all
    (reply,) = run(Session("modern", world=world), *LINES)
    assert reply.code == 550
