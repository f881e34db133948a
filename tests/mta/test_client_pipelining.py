"""The client MTA pipelining as RFC 2920 3.1 allows: MAIL, RCPT... and DATA in one write,
and the next message's group right after a final dot; replies matched in order."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from smtpsim.mta import ClientMTA, ServerMTA, compose, default_world, get_profile, parse_fault
from smtpsim.protocol import KNOWN_VERBS, State


def pair(profile="modern", *faults, pipelining=True):
    world = default_world()
    server = ServerMTA(world, get_profile(profile),
                       tuple(parse_fault(spec, KNOWN_VERBS) for spec in faults))
    client = ClientMTA("client.example", pipelining=pipelining)
    client.receive(b"".join(r.wire for r in server.greet()))
    return client, server


def drive(client, server, messages):
    """Run the client to its QUIT; return every write as (client bytes, server bytes)."""
    client.outbox.extend(messages)
    writes = []
    while (wire := client.next_output()) is not None:
        replies = b"".join(r.wire for r in server.receive(wire))
        writes.append((wire, replies))
        client.receive(replies)
    return writes


def message(*to, sender="alice@client.example", body="Hello.\n"):
    return compose(sender, list(to), "Test", body)


def lines(data: bytes) -> list[str]:
    return data.decode().split("\r\n")[:-1]


def test_the_envelope_goes_in_one_write_and_the_next_one_follows_the_final_dot():
    client, server = pair()
    first, second = message("bob@mail.example", "carol@mail.example"), message("dave@mail.example")
    writes = drive(client, server, [first, second])
    assert lines(writes[0][0]) == ["EHLO client.example"]
    size = len(first.content)
    assert lines(writes[1][0]) == [f"MAIL FROM:<alice@client.example> SIZE={size}",
                                   "RCPT TO:<bob@mail.example>", "RCPT TO:<carol@mail.example>",
                                   "DATA"]
    assert [line[:3] for line in lines(writes[1][1])] == ["250", "250", "250", "354"]
    # the text, its final dot, then the second message's whole envelope - one write
    text = lines(writes[2][0])
    assert text[text.index("."):] == [
        ".", f"MAIL FROM:<alice@client.example> SIZE={len(second.content)}",
        "RCPT TO:<dave@mail.example>", "DATA"]
    assert [line[:3] for line in lines(writes[2][1])] == ["250", "250", "250", "354"]
    assert lines(writes[3][1]) == ["250 2.0.0 Ok: queued as Q0002"]
    assert lines(writes[4][0]) == ["QUIT"] and len(writes) == 5
    assert [m.outcome for m in client.done] == ["delivered", "delivered"]
    users = server.host.users
    assert len(users["bob"].mailbox) == len(users["carol"].mailbox) == 1
    assert len(users["dave"].mailbox) == 1 and server.state is State.CLOSED


def test_without_the_option_or_without_the_keyword_it_waits_for_every_reply():
    for client, server in (pair(pipelining=False), pair("classic")):
        writes = drive(client, server, [message("bob@mail.example")])
        commands = [w for w, _ in writes if not w.startswith(b"Subject")]
        assert all(w.count(b"\r\n") == 1 for w in commands if not w.startswith(b"Date:"))
        assert client.done[0].outcome == "delivered"


def test_a_refused_mail_makes_the_rest_of_its_group_expected_503s():
    client, server = pair()
    writes = drive(client, server, [message("bob@mail.example", sender="x@tempfail.example"),
                                    message("bob@mail.example")])
    assert [line[:3] for line in lines(writes[1][1])] == ["451", "503", "503"]
    assert [m.outcome for m in client.done] == ["deferred", "delivered"]
    assert [n for n in client.notes if "expected" in n] == [
        "503 to RCPT: expected - MAIL had already been refused, so the message is deferred "
        "(RFC 2920 3.1)",
        "503 to DATA: expected - MAIL had already been refused, so the message is deferred "
        "(RFC 2920 3.1)"]
    # the server is back in READY after the 503s, so the next group starts with MAIL
    assert lines(writes[2][0])[0].startswith("MAIL FROM:<alice@client.example>")
    assert len(server.host.users["bob"].mailbox) == 1


@pytest.mark.parametrize("faults, to, outcome", [
    ((), ("nobody@mail.example",), "failed"),
    (("RCPT#1=452",), ("bob@mail.example", "nobody@mail.example"), "deferred"),
])
def test_no_accepted_recipient_means_data_is_refused_and_the_message_is_not_sent(
        faults, to, outcome):
    client, server = pair("modern", *faults)
    writes = drive(client, server, [message(*to), message("bob@mail.example")])
    # DATA after recipients were tried and none accepted: 554 (Postfix's "no valid
    # recipients"; RFC 2920 3.1 wants DATA refused then)
    assert lines(writes[1][1])[-1] == "554 5.5.1 Error: no valid recipients"
    assert client.done[0].outcome == outcome
    assert "no recipient accepted; DATA got 554" in " ".join(client.notes)
    # the transaction is still open on the server: RSET before the next MAIL
    assert lines(writes[2][0]) == ["RSET"]
    assert client.done[1].outcome == "delivered"
    assert len(server.host.users["bob"].mailbox) == 1


def test_a_refused_text_does_not_stop_the_message_pipelined_behind_it():
    client, server = pair("modern", "DOT#1=554")
    drive(client, server, [message("bob@mail.example"), message("bob@mail.example")])
    assert [m.outcome for m in client.done] == ["failed", "delivered"]
    assert len(server.host.users["bob"].mailbox) == 1


def test_421_after_the_final_dot_defers_the_message_already_pipelined_too():
    client, server = pair("modern", "DOT#1=421")
    second = message("bob@mail.example")
    writes = drive(client, server, [message("bob@mail.example"), second])
    # the second envelope was already on the wire behind the dot; the server closed first
    assert lines(writes[-1][0])[-3:-1] == [
        f"MAIL FROM:<alice@client.example> SIZE={len(second.content)}",
                                           "RCPT TO:<bob@mail.example>"]
    assert lines(writes[-1][1]) == ["421 4.3.2 mail.example Service not available, closing "
                                    "transmission channel"]
    assert [m.outcome for m in client.done] == ["deferred", "deferred"]
    assert server.state is State.CLOSED and client.next_output() is None
    assert server.host.users["bob"].mailbox == []


def test_data_accepted_without_a_recipient_gets_a_lone_dot():
    # RFC 2920 3.1: a server should refuse DATA then, but if it says 354 the client sends
    # only the final dot, so that nothing is delivered to nobody.
    client = ClientMTA("client.example", pipelining=True)
    client.receive(b"220 odd.example ESMTP\r\n")
    assert client.next_output() == b"EHLO client.example\r\n"
    client.receive(b"250-odd.example\r\n250 PIPELINING\r\n")
    client.outbox.append(message("nobody@odd.example"))
    assert client.next_output() == (b"MAIL FROM:<alice@client.example>\r\n"
                                    b"RCPT TO:<nobody@odd.example>\r\nDATA\r\n")
    client.receive(b"250 ok\r\n550 no such user\r\n354 go ahead\r\n")
    assert client.next_output() == b".\r\n"
    client.receive(b"250 ok\r\n")
    assert client.done[0].outcome == "failed" and client.done[0].failed == ["nobody@odd.example"]
    assert client.next_output() == b"QUIT\r\n"


ADDRESSES = ["bob@mail.example", "carol@mail.example", "staff@mail.example",
             "erin@mail.example", "frank@mail.example", "nobody@mail.example",
             "gina@mail.example", "x@other.example"]
SENDERS = ["alice@client.example", "x@tempfail.example", "bob@mail.example"]


def _outcomes(client, server):
    jobs = [(m.outcome, m.accepted, m.deferred, m.failed) for m in client.done]
    boxes = {name: [m.content for m in user.mailbox]
             for name, user in server.host.users.items() if user.mailbox}
    return jobs, boxes, [m.queue_id for m in server.host.queue]


@settings(max_examples=60, deadline=None)
@given(messages=st.lists(st.tuples(st.sampled_from(SENDERS),
                                   st.lists(st.sampled_from(ADDRESSES), min_size=1,
                                            max_size=3)),
                         min_size=1, max_size=4),
       faults=st.lists(st.sampled_from(["MAIL#1=451", "MAIL#2=550", "DOT#1=554",
                                        "DOT#2=451", "MAIL#3=421", "DOT#1=421"]),
                       max_size=2, unique=True))
def test_pipelining_changes_the_round_trips_never_the_outcome(messages, faults):
    """Whatever the addresses and faults, a pipelining client delivers, defers and fails
    exactly what a client waiting for every reply does (RFC 2920 changes timing only)."""
    results = []
    for pipelining in (False, True):
        client, server = pair("modern", *faults, pipelining=pipelining)
        writes = drive(client, server, [message(*to, sender=sender, body=f"n{i}\n")
                                        for i, (sender, to) in enumerate(messages)])
        assert server.state is State.CLOSED and not client.outbox
        # Each group behind a refused MAIL adds 503s to the run of errors; a run of ten
        # ends the session (see the test below) - the one way the two can differ.
        assume(not any(b"too many errors" in replies for _, replies in writes))
        results.append(_outcomes(client, server))
    assert results[0] == results[1]


def test_groups_behind_refused_mails_use_up_the_error_limit_sooner():
    # modern ends a session after ten errors (500-504) in a row.  Waiting for each reply,
    # a client sends nothing after a refused MAIL; pipelining, it has already sent the
    # RCPTs and DATA, and each earns a 503 that counts.
    doomed = [message("bob@mail.example", "carol@mail.example", "dave@mail.example",
                      sender="x@tempfail.example") for _ in range(3)]
    outcomes = []
    for pipelining in (False, True):
        client, server = pair(pipelining=pipelining)
        writes = drive(client, server, doomed + [message("bob@mail.example")])
        outcomes.append([m.outcome for m in client.done])
        closed_for_errors = any(b"421 4.7.0 mail.example Error: too many errors" in r
                                for _, r in writes)
        assert closed_for_errors is pipelining
    assert outcomes == [["deferred"] * 3 + ["delivered"], ["deferred"] * 4]
