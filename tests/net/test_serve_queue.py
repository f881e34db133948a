"""serve's queue: a message accepted over TCP for another domain goes through hop 2 at once,
on the simulated clock - delivered, retried, bounced - with a real client (smtplib)."""

from __future__ import annotations

import asyncio
import email
import smtplib

from smtpsim.mta.clock import LIFETIME


async def send(server, sender: str, recipients: list[str], text: bytes) -> dict:
    host, port = server.address

    def talk() -> dict:
        with smtplib.SMTP(host, port, timeout=5) as smtp:
            return smtp.sendmail(sender, recipients, text)
    return await asyncio.to_thread(talk)


async def test_a_classic_relay_is_delivered_greylisted_and_bounced_on_the_simulated_clock(
        start_server):
    lines: list[str] = []
    server = await start_server("classic", on_queue=lines.append)
    refused = await send(server, "alice@client.example",
                         ["friend@far.example", "gus@grey.example", "x@nowhere.example"],
                         b"Subject: three domains\r\n\r\nhello\r\n")
    assert refused == {}                        # classic relays for anyone (an open relay)
    world = server.world
    friend = world.host("far.example").users["friend"].mailbox
    gus = world.host("grey.example").users["gus"].mailbox
    assert len(friend) == 1 and len(gus) == 1
    assert b"Received: from mail.example" in friend[0].content     # hop 2's trace line
    alice = world.client.users["alice"].mailbox
    report = email.message_from_bytes(alice[-1].content)
    assert alice[-1].sender == ""                                  # MAIL FROM:<>, 4.5.5
    assert report.get_param("report-type") == "delivery-status"
    assert "Status: 5.1.2" in report.get_payload()[1].as_string()
    assert [line.split(" ")[2:4] for line in lines] == [
        ["<friend@far.example>", "delivered"], ["<x@nowhere.example>", "bounced"],
        ["<alice@client.example>", "delivered"], ["<gus@grey.example>", "delivered"]]
    assert "at 00:30:01" in lines[-1]      # the greylisted retry, 30 simulated minutes on
    assert world.server.queue == [m for m in world.server.queue if m.queue_id == "Q0000"]


async def test_a_dead_server_is_given_up_after_five_simulated_days(start_server):
    server = await start_server("classic")
    await send(server, "alice@client.example", ["nobody@silent.example"], b"Subject: x\r\n\r\n")
    live = server.relay
    assert live.clock.now >= LIFETIME                      # five days, in no real time
    assert b"Status: 4.4.7" in server.world.client.users["alice"].mailbox[-1].content


async def test_modern_forwarding_goes_through_the_queue_and_turn_mail_stays(start_server):
    server = await start_server("modern")
    await send(server, "friend@far.example", ["erin@mail.example"], b"Subject: fwd\r\n\r\n")
    endings = {(e.recipient, e.result) for e in server.relay.relay.endings}
    # 251: mail.example forwards erin to her new home, mx.new.example, which delivers it
    assert endings == {("erin@new.example", "delivered")}
    [arrived] = server.world.host("new.example").users["erin"].mailbox
    assert arrived.sender == "friend@far.example" and b"Subject: fwd" in arrived.content
    assert arrived.content.count(b"Received: ") == 2          # one line per hop (RFC 5321 4.4)
    assert server.world.host("far.example").users["friend"].mailbox == []   # no bounce
    # only the world's Q0000 is left, held for TURN/ETRN (RFC 1985)
    assert [m.queue_id for m in server.world.server.queue] == ["Q0000"]


async def test_serve_keeps_no_hop_text_and_a_bounded_record(start_server):
    server = await start_server("classic")
    for _message in range(3):
        await send(server, "alice@client.example", ["friend@far.example"],
                   b"Subject: big\r\n\r\n" + (b"x" * 900 + b"\r\n") * 50)
        assert server.relay.relay.hops == []       # the texts are not kept after the run
    assert len(server.world.host("far.example").users["friend"].mailbox) == 3
    assert len(server.relay.relay.endings) == 3


async def test_queue_ids_are_the_servers_own_counter_across_connections(start_server):
    """serve numbers queue ids itself, across every connection (each has its own
    ServerMTA): a world whose host had counted to 50 still gets Q0001, then Q0002."""
    from smtpsim.mta import default_world

    world = default_world()
    world.server.next_queue_id = 50
    server = await start_server(world=world)
    for subject in (b"one", b"two"):   # two connections, one message each
        assert await send(server, "alice@client.example", ["bob@mail.example"],
                          b"Subject: " + subject + b"\r\n\r\nhi\r\n") == {}
    assert [m.queue_id for m in world.server.users["bob"].mailbox][-2:] == ["Q0001", "Q0002"]
    assert world.server.next_queue_id == 50   # the host's own counter was not used
