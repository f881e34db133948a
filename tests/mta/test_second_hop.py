"""Hop 2: the simulated DNS, the relay queue on the simulated clock, retries and bounces."""

from __future__ import annotations

import itertools
from email import message_from_bytes

import pytest

from smtpsim.mta import Session
from smtpsim.mta.clock import DAY, LIFETIME, label, schedule
from smtpsim.mta.defaults import default_world
from smtpsim.mta.dns import Zone
from smtpsim.mta.journey import follow, journey_lines
from smtpsim.mta.relay import MAX_DELIVERIES, RelayQueue
from smtpsim.mta.world import Message


def relayed(*recipients: str, sender: str = "alice@client.example",
            subject: str = "Two hops") -> tuple[Session, RelayQueue]:
    """alice's message through hop 1 (modern, from client.example), then followed."""
    session = Session("modern")
    lines = ["EHLO client.example", f"MAIL FROM:<{sender}>"]
    lines += [f"RCPT TO:<{r}>" for r in recipients]
    lines += ["DATA", f"Subject: {subject}", "", "See you on the other side.", ".", "QUIT"]
    for line in lines:
        session.type_line(line)
    assert session.transcript.entries[-3].text.startswith("250 2.0.0 Ok: queued as Q0001")
    return session, follow(session)


def wire(queue: RelayQueue, server: str) -> list[str]:
    return [line for hop in queue.hops if hop.server == server
            for entry in hop.transcript for line in entry.lines]


def endings(queue: RelayQueue) -> dict[str, tuple[str, int]]:
    return {e.recipient: (e.result, e.at) for e in queue.endings}


def alices_bounce(session: Session):
    """The one report that returned the message (a delay warning may come before it)."""
    (bounce,) = [m for m in session.world.client.users["alice"].mailbox
                 if b"\r\nAction: failed\r\n" in m.content]
    return bounce, message_from_bytes(bounce.content)


# -- the DNS -----------------------------------------------------------------------------------
def test_mx_records_are_tried_lowest_preference_first():
    zone = default_world().zone
    answer = zone.lookup_mx("FAR.example")
    assert answer.kind == "mx"
    assert [(e.preference, e.name, e.address) for e in answer.exchanges] == [
        (10, "mx1.far.example", "198.51.100.10"), (20, "mx2.far.example", "198.51.100.20")]


def test_equal_preferences_are_shuffled_by_the_seed_and_replay_the_same():
    zone = Zone(mx={"eq.example": ((20, "c.eq.example"), (10, "a.eq.example"),
                                   (10, "b.eq.example"), (10, "d.eq.example"))})
    orders = {tuple(e.name for e in zone.lookup_mx("eq.example", seed).exchanges)
              for seed in range(12)}
    assert len(orders) > 1                                   # the seed decides
    assert all(order[-1] == "c.eq.example" for order in orders)   # preference first
    assert zone.lookup_mx("eq.example", 7) == zone.lookup_mx("eq.example", 7)


def test_an_a_record_is_the_implicit_mx_and_every_other_name_is_nxdomain():
    zone = default_world().zone
    implicit = zone.lookup_mx("plain.example")
    assert implicit.kind == "implicit"
    assert [(e.preference, e.name, e.address) for e in implicit.exchanges] == [
        (0, "plain.example", "198.51.100.60")]
    for name in ("nowhere.example", "elsewhere.example", "far.example.x"):
        assert zone.lookup_mx(name).kind == "nxdomain" and zone.address(name) is None


# -- delivery over hop 2 -------------------------------------------------------------------------
def test_a_message_to_far_example_reaches_friend_with_a_received_line_per_hop():
    session, queue = relayed("friend@far.example")
    assert endings(queue) == {"friend@far.example": ("delivered", 1)}
    lines = wire(queue, "mx1.far.example")
    assert lines[:3] == ["DNS: MX for far.example: 10 mx1.far.example, 20 mx2.far.example "
                         "(lowest preference first, RFC 5321 5.1)",
                         "220 mx1.far.example ESMTP smtpsim ready", "EHLO mail.example"]
    (mail,) = [line for line in lines if line.startswith("MAIL ")]
    assert lines[-1].startswith("221 2.0.0 mx1.far.example")
    (message,) = session.world.host("far.example").users["friend"].mailbox
    head = message.content.decode().split("\r\n")
    # RFC 1870: SIZE is the size of the text mail.example sends (without mx1's trace lines)
    sent = len(message.content) - len(head[0]) - len(head[1]) - 4
    assert mail == f"MAIL FROM:<alice@client.example> SIZE={sent}"
    assert head[0] == "Return-Path: <alice@client.example>"
    # RFC 5321 4.4: each hop adds its Received: line at the top
    assert head[1] == ("Received: from mail.example ([192.0.2.25]) by mx1.far.example with "
                       "ESMTP id Q0001; "
                       "Thu, 26 Nov 2026 09:00:01 +0000")
    assert head[2] == ("Received: from client.example ([192.0.2.10]) by mail.example with "
                       "ESMTP id Q0001; "
                       "Thu, 26 Nov 2026 09:00:00 +0000")
    assert session.server.host.queue[0].queue_id == "Q0000"   # held for TURN/ETRN: kept


def test_a_refused_connection_moves_on_to_the_backup_mx():
    session, queue = relayed("bea@backup.example")
    assert [hop.server for hop in queue.hops] == ["mx1.backup.example", "mx2.backup.example"]
    assert wire(queue, "mx1.backup.example")[1] == (
        "connect to mx1.backup.example [198.51.100.30]: connection refused; trying the next "
        "MX (RFC 5321 5.1)")
    assert endings(queue) == {"bea@backup.example": ("delivered", 1)}
    assert len(session.world.host("backup.example").users["bea"].mailbox) == 1


def test_greylisting_451_then_the_retry_after_30_minutes_is_accepted():
    _session, queue = relayed("gus@grey.example")
    first, second = queue.hops
    assert (first.started, second.started) == (1, 1 + 30 * 60) == tuple(schedule()[:2])
    assert ("451 4.7.1 <gus@grey.example>: Recipient address rejected: Greylisted, please try "
            "again in 300 seconds") in [e.text for e in first.transcript]
    assert "250 2.1.5 Recipient <gus@grey.example> OK" in [e.text for e in second.transcript]
    assert endings(queue) == {"gus@grey.example": ("delivered", 1801)}


def test_a_silent_mx_is_retried_on_the_schedule_then_returned_after_five_days():
    session, queue = relayed("sam@silent.example")
    tries = [hop.started for hop in queue.hops if hop.server == "mx.silent.example"]
    assert tries == schedule() and tries[-1] == LIFETIME == 5 * DAY
    assert [label(t) for t in tries[:7]] == ["00:00:01", "00:30:01", "01:30:01", "03:30:01",
                                             "07:30:01", "15:30:01", "1d 07:30:01"]
    assert all(b - a >= 30 * 60 for a, b in itertools.pairwise(tries))   # RFC 5321 4.5.4.1
    result, at = endings(queue)["sam@silent.example"]
    assert result == "bounced" and at == LIFETIME + 5 * 60   # after the last 5-minute wait
    _bounce, parsed = alices_bounce(session)
    status = parsed.get_payload(1).get_payload()[1]
    assert (status["Action"], status["Status"]) == ("failed", "4.4.7")
    assert status["Diagnostic-Code"] is None   # no SMTP reply was ever received
    assert status["Remote-MTA"] == "dns; mx.silent.example"


def test_after_the_first_failed_day_the_sender_is_warned_once_with_action_delayed():
    session, queue = relayed("sam@silent.example")
    mailbox = session.world.client.users["alice"].mailbox
    warning = message_from_bytes(mailbox[0].content)
    assert len(mailbox) == 2 and mailbox[0].sender == ""         # from <>, RFC 5321 4.5.5
    assert warning["Subject"] == "Delayed Mail (still being retried)"
    assert warning.get_param("report-type") == "delivery-status"
    status = warning.get_payload(1).get_payload()[1]
    assert (status["Action"], status["Status"]) == ("delayed", "4.4.1")   # RFC 3464 2.3.3
    # RFC 3464 2.3.9: until when it is retried - arrival plus the 5 days of clock.py
    assert status["Will-Retry-Until"] == "Tue, 01 Dec 2026 09:00:00 +0000"
    # sent at the first attempt a day or more after arrival (1d 07:30:01 + the 5-minute wait)
    assert status["Last-Attempt-Date"] == "Fri, 27 Nov 2026 16:35:01 +0000"
    assert endings(queue)["sam@silent.example"][0] == "bounced"      # then returned for good
    assert queue.warnings == {"Q0002": "Q0001"}


def test_a_message_delivered_within_the_day_gets_no_warning_and_a_bounce_none():
    session, _queue = relayed("gus@grey.example")                   # 451, then 250 at 30 min
    assert session.world.client.users["alice"].mailbox == []
    bounce_world = default_world()
    queue = RelayQueue(bounce_world, lambda: "Q0099")
    queue.take([Message("", ("sam@silent.example",), b"Subject: x\r\n\r\n", "MAIL",
                        "Q0042")])
    queue.run()
    assert queue.warnings == {}                    # a bounce (from <>) is never warned about


# -- bounces -------------------------------------------------------------------------------------
def test_a_bounce_is_an_rfc_3464_report_sent_with_the_null_reverse_path():
    session, queue = relayed("friend@far.example", "nobody@far.example",
                             subject="Where is nobody?")
    assert endings(queue) == {"friend@far.example": ("delivered", 1),
                              "nobody@far.example": ("bounced", 1),
                              "alice@client.example": ("delivered", 1)}
    hop3 = [hop for hop in queue.hops if hop.number == 3]
    assert [hop.server for hop in hop3] == ["client.example"]
    assert "MAIL FROM:<> SIZE=" in " ".join(wire(queue, "client.example"))
    bounce, parsed = alices_bounce(session)
    assert bounce.sender == "" and bounce.content.startswith(b"Return-Path: <>\r\n")
    assert parsed.get_content_type() == "multipart/report"
    assert parsed.get_param("report-type") == "delivery-status"
    assert parsed["From"] == "Mail Delivery System <MAILER-DAEMON@mail.example>"
    assert parsed["Auto-Submitted"] == "auto-replied"
    human, status, headers = parsed.get_payload()
    assert human.get_content_type() == "text/plain"
    assert "<nobody@far.example>: refused by mx1.far.example" in human.get_payload()
    assert status.get_content_type() == "message/delivery-status"
    per_message, per_recipient = status.get_payload()
    assert per_message["Reporting-MTA"] == "dns; mail.example"
    assert per_message["Arrival-Date"] == "Thu, 26 Nov 2026 09:00:00 +0000"
    assert per_recipient["Final-Recipient"] == "rfc822; nobody@far.example"
    assert per_recipient["Action"] == "failed" and per_recipient["Status"] == "5.1.1"
    assert per_recipient["Remote-MTA"] == "dns; mx1.far.example"
    assert per_recipient["Diagnostic-Code"] == (
        "smtp; 550 5.1.1 <nobody@far.example>: Recipient address rejected: User unknown")
    assert headers.get_content_type() == "text/rfc822-headers"
    returned = headers.get_payload()
    assert "Subject: Where is nobody?" in returned and "Received: from client.example" in returned
    assert "See you on the other side." not in returned   # headers only


def test_a_bounce_is_never_bounced():
    # the bounce for x@nowhere.example goes back to nowhere.example, which does not exist
    _session, queue = relayed("x@nowhere.example", sender="ghost@nowhere.example")
    assert [(e.queue_id, e.recipient, e.result) for e in queue.endings] == [
        ("Q0001", "x@nowhere.example", "bounced"),
        ("Q0002", "ghost@nowhere.example", "not returned")]
    assert "RFC 5321 6.1, 4.5.5" in queue.endings[-1].detail
    assert queue.waiting == [] and len(queue.hops) == 2


def test_a_message_to_three_domains_has_three_outcomes():
    session, queue = relayed("friend@far.example", "gus@grey.example", "who@nowhere.example")
    assert endings(queue) == {"friend@far.example": ("delivered", 1),
                              "who@nowhere.example": ("bounced", 1),
                              "alice@client.example": ("delivered", 1),
                              "gus@grey.example": ("delivered", 1801)}
    _, parsed = alices_bounce(session)
    (_, per_recipient) = parsed.get_payload(1).get_payload()
    assert (per_recipient["Final-Recipient"], per_recipient["Status"]) == (
        "rfc822; who@nowhere.example", "5.1.2")


def test_the_same_script_gives_the_same_journey(snapshot):
    first = journey_lines(relayed("friend@far.example", "gus@grey.example",
                                  "who@nowhere.example")[1])
    again = journey_lines(relayed("friend@far.example", "gus@grey.example",
                                  "who@nowhere.example")[1])
    assert first == again
    snapshot.assert_match("\n".join(first) + "\n", "three_domains.txt")


def test_the_relay_queue_is_bounded():
    world = default_world()
    counter = iter(range(10_000))
    queue = RelayQueue(world, lambda: f"B{next(counter):04d}")
    messages = [Message("a@client.example", (f"u@d{n}.example",), b"\r\n", "MAIL", f"Q{n}")
                for n in range(MAX_DELIVERIES + 50)]
    left = queue.take(messages)
    assert len(queue.waiting) == MAX_DELIVERIES and left == messages[MAX_DELIVERIES:]
    assert queue.notes == ["the relay queue is full (200 deliveries): 50 message(s) stay in "
                           "the host's queue for a later run"]
    queue.run()   # 200 NXDOMAIN bounces to client.example: the queue never overflows
    assert queue.waiting == [] and len(queue.hops) <= 500
    assert [e.result for e in queue.endings].count("bounced") == MAX_DELIVERIES


@pytest.mark.parametrize("profile", ["modern", "hardened", "classic"])
def test_nothing_to_follow_when_nothing_was_relayed(profile):
    session = Session(profile)
    session.type_line("QUIT")
    assert journey_lines(follow(session)) == [
        "Nothing to follow: this session queued no message for another domain."]


def test_the_backup_mx_and_the_silent_mx_journeys(snapshot):
    """Reviewed: mx1.backup.example refused, mx2 delivered at once; mx.silent.example
    retried eleven times on the schedule, each after a 5-minute wait, then a 4.4.7 bounce."""
    lines = journey_lines(relayed("bea@backup.example", "sam@silent.example")[1])
    snapshot.assert_match("\n".join(lines) + "\n", "backup_and_silent.txt")


def test_a_message_relayed_back_to_the_senders_own_domain_is_delivered():
    # client.example's own address as sender is refused on hop 1 only; as an MX of hop 2
    # client.example takes mail from mail.example for alice, sender alice included
    session, queue = relayed("alice@client.example", subject="Note to self")
    assert endings(queue) == {"alice@client.example": ("delivered", 1)}
    (note,) = session.world.client.users["alice"].mailbox
    assert note.sender == "alice@client.example" and b"Subject: Note to self" in note.content


def test_an_mx_without_an_a_record_or_without_a_machine_is_skipped_for_the_next():
    world = default_world()
    world.zone.mx["odd.example"] = ((5, "ghost.odd.example"), (10, "void.odd.example"),
                                    (20, "mx2.far.example"))
    world.zone.a["void.odd.example"] = "198.51.100.99"   # an address where nothing listens
    counter = iter(range(1, 100))
    queue = RelayQueue(world, lambda: f"B{next(counter):04d}")
    queue.take([Message("alice@client.example", ("friend@odd.example",), b"hi\r\n", "MAIL",
                        "Q0009")])
    queue.step()
    notes = [e.text for hop in queue.hops for e in hop.transcript if e.side == "*"]
    assert notes[1] == "ghost.odd.example has no A record: cannot connect; trying the next MX"
    assert notes[2].startswith("connect to void.odd.example [198.51.100.99]: connection refused")
    assert [h.server for h in queue.hops] == ["ghost.odd.example", "void.odd.example",
                                               "mx2.far.example"]
    # mx2.far.example answers for far.example only: odd.example is not its domain
    assert "550 5.7.1 <friend@odd.example>: Relay access denied" in [
        e.text for e in queue.hops[-1].transcript]
