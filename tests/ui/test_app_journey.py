"""ctrl+k: the journey panel - hops selectable into the MTA panes, the queue, the clock."""

from __future__ import annotations

import email

import pytest

from smtpsim.ui.screens.journey import JourneyScreen
from smtpsim.ui.widgets.journey_panel import JourneyPanel

from .helpers import diagram_text, explanation_text, new_app, pane, send

GREY = ("EHLO client.example", "MAIL FROM:<alice@client.example>",
        "RCPT TO:<gus@grey.example>", "DATA", "Subject: grey", "", "hi", ".")


def status(app) -> str:
    return str(app.query_one("#status").render())


def links(app) -> list[str]:
    return [link.kind if link else "-" for link in app.query_one(JourneyPanel).links]


async def pick(pilot, app, kind: str, nth: int = 0) -> None:
    """Highlight the nth link of a kind with the arrow keys, as a learner does."""
    panel = app.query_one(JourneyPanel)
    wanted = [i for i, link in enumerate(panel.links) if link and link.kind == kind][nth]
    chain = panel.query_one("#journey-chain")
    chain.focus()
    await pilot.press("home")
    for _step in range(wanted):
        await pilot.press("down")
    await pilot.pause()
    assert chain.highlighted == wanted


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_a_greylisted_hop_opens_in_the_panes_and_hop_1_brings_the_session_back(size):
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await send(pilot, app, *GREY)
        hop1_last = app.session.transcript[-1].text[-20:]
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert links(app) == ["-", "hop1", "waiting"]     # not taken: the clock stands
        chain = app.query_one("#journey-chain")
        heading = str(chain.get_option_at_index(0).prompt)
        assert heading == "Q0001 from <alice@client.example>"   # its sender, not <>
        assert "clock" not in status(app)
        await pilot.press("ctrl+u")                        # the clock to the first attempt
        await pilot.pause()
        assert "clock 00:00:01" in status(app)
        assert links(app) == ["-", "hop1", "lookup", "hop", "waiting"]
        queue = str(app.query_one("#journey-queue").render())
        assert "Q0001 gus@grey.example: next 00:30:01, attempts 1 · 451 4.7.1" in queue
        await pick(pilot, app, "hop")
        # hop 2 in the two panes: mail.example is the client now, mx.grey.example serves
        assert pane(app, "left").host == "mail.example"
        assert pane(app, "left").role == "client"
        assert pane(app, "right").host == "mx.grey.example"
        assert "hop 2 mail.example -> mx.grey.example at 00:00:01" in status(app)
        hop = app.hop_view.hop
        greeting = hop.transcript[app.selected]
        assert greeting.side == "S" and greeting.code == 220
        # select the 451 with PageDown, as on hop 1: the explanation finds it by its id
        refusal = next(e.index for e in hop.transcript if e.code == 451)
        app.query_one("#command").focus()      # PageDown there is the app's: one line
        for _step in range(refusal - app.selected):
            await pilot.press("pagedown")
        await pilot.pause()
        assert hop.transcript[app.selected].reply_id == "rcpt.greylisted"
        assert "451" in explanation_text(app) and "RFC 6647" in explanation_text(app)
        assert "MAIL ─RCPT (451)→ MAIL" in diagram_text(app)   # 451: the state stays
        await pick(pilot, app, "hop1")                     # hop 1: the live session
        assert app.hop_view is None
        assert pane(app, "right").host == "mail.example"
        last = len(app.session.transcript) - 1      # hop 1's lines in the pane again
        assert "".join(pane(app, "left").view.rows_of(last)).endswith(hop1_last)
        assert "live" in status(app)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_ctrl_d_runs_the_queue_and_the_bounce_reaches_alice(size):
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await send(pilot, app, "EHLO client.example", "MAIL FROM:<alice@client.example>",
                   "RCPT TO:<friend@far.example>", "RCPT TO:<x@nowhere.example>", "DATA",
                   "Subject: two", "", "hi", ".")
        await pilot.press("ctrl+d")           # from the command line, panel closed
        await pilot.pause()
        alice = app.session.world.client.users["alice"]
        assert [m.sender for m in alice.mailbox] == [""]        # MAIL FROM:<>, 4.5.5
        report = email.message_from_bytes(alice.mailbox[0].content)
        assert report.get_content_type() == "multipart/report"          # RFC 3464 2
        assert report.get_param("report-type") == "delivery-status"
        far = app.session.world.host("far.example").users["friend"]
        assert len(far.mailbox) == 1
        assert "queue run to the end: 3 attempt(s), clock 00:00:01" in status(app)
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert links(app) == ["-", "hop1", "lookup", "hop", "lookup", "mailbox", "ended",
                              "bounce", "lookup", "hop", "mailbox"]
        await pick(pilot, app, "hop", 1)                   # the bounce's own hop
        assert app.hop_view.hop.number == 3
        assert pane(app, "right").host == "client.example"
        mail = next(e for e in app.hop_view.hop.transcript if e.verb == "MAIL"
                    and e.side == "C")
        assert mail.text.startswith("MAIL FROM:<> SIZE=")     # the null reverse-path
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, JourneyScreen)
        text = str(app.screen.query_one("#journey").render())
        assert "[hop 3 mail.example -> client.example 00:00:01] C: MAIL FROM:<> SIZE=" in text
        await pilot.press("escape")
        await pilot.press("ctrl+k")                        # closes, and hop 1 is back
        await pilot.pause()
        assert not app.query(JourneyPanel)
        assert app.hop_view is None and pane(app, "right").host == "mail.example"


async def test_typing_during_a_hop_goes_back_to_the_live_session():
    app = new_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, app, *GREY)
        await pilot.press("ctrl+k", "ctrl+u")
        await pick(pilot, app, "hop")
        assert app.hop_view is not None
        app.query_one("#command").focus()
        await send(pilot, app, "NOOP")
        assert app.hop_view is None
        assert app.session.transcript[-1].code == 250
        assert pane(app, "left").host == "client.example"


async def test_days_pass_in_keystrokes_on_the_retry_schedule():
    app = new_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, app, "EHLO client.example", "MAIL FROM:<alice@client.example>",
                   "RCPT TO:<nobody@silent.example>", "DATA", "", "x", ".")
        await pilot.press("ctrl+k")
        times = []
        for _press in range(3):
            await pilot.press("ctrl+u")
            await pilot.pause()
            times.append(app.query_one(JourneyPanel).live.relay.waiting[0].next_attempt)
        # RFC 5321 4.5.4.1: 30 minutes after the first attempt, then 1 h, then 2 h
        assert times == [1 + 1800, 1 + 1800 + 3600, 1 + 1800 + 3600 + 7200]
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert "clock 5d 00:05:00" in status(app)      # the last 5-minute wait, then given up
        alice = app.session.world.client.users["alice"]
        # a delay warning after the first day (RFC 3464 Action: delayed), then the bounce
        assert b"\r\nAction: delayed\r\n" in alice.mailbox[0].content
        assert b"\r\nStatus: 4.4.7\r\n" in alice.mailbox[-1].content


async def test_the_journey_panel_without_relayed_mail_says_how_to_start():
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+k", "ctrl+u")
        await pilot.pause()
        assert links(app) == ["-"]
        assert "the queue is empty" in status(app)
        assert app.session.world.server.queue[0].queue_id == "Q0000"   # TURN's mail stays


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_a_bounce_is_read_in_alices_mailbox_with_its_parts_and_fields(size):
    from smtpsim.ui.screens.mailbox import MailboxScreen
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await send(pilot, app, "EHLO client.example", "MAIL FROM:<alice@client.example>",
                   "RCPT TO:<x@nowhere.example>", "DATA", "Subject: lost", "", "hi", ".")
        await pilot.press("ctrl+u", "ctrl+u")      # the lookup fails; the bounce comes back
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MailboxScreen)
        row = next(n for n, (place, _m) in enumerate(screen.rows)
                   if place.user == "alice" and place.host == "client.example")
        screen.query_one("#mail-list").highlighted = row
        await pilot.pause()
        stored = str(screen.query_one("#mail-text").render())
        why = str(screen.query_one("#mail-why").render())
        assert "Return-Path: <>" in stored and "Subject: Undelivered Mail" in stored
        assert "Content-Type: multipart/report; report-type=delivery-status" in why
        assert "  Final-Recipient: rfc822; x@nowhere.example" in why
        assert "  Action: failed" in why and "RFC 3464 2.3.3" in why
        assert "  Status: 5.1.2" in why and "RFC 3464 2.3.4" in why
        assert "text/rfc822-headers" in why and "RFC 6522 4" in why


async def test_an_earlier_connection_replaces_a_hop_in_the_panes():
    app = new_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, app, *GREY)
        await pilot.press("f5")                     # a second connection; the first is kept
        await pilot.press("ctrl+k", "ctrl+u")
        await pick(pilot, app, "hop")
        assert pane(app, "right").host == "mx.grey.example"
        await pilot.press("ctrl+pageup")            # the first connection, with its lines
        await pilot.pause()
        assert app.hop_view is None
        assert pane(app, "right").host == "mail.example"
        assert app.session.transcript[-1].code == 250
        assert "connection 1 of 2" in status(app)


async def row_showing(pilot, widget, text: str) -> int:
    """Scroll ``widget`` until a row on screen contains ``text``; that row."""
    for top in range(widget.virtual_size.height):
        widget.scroll_to(y=top, animate=False)
        await pilot.pause()
        for y in range(widget.size.height):
            if text in "".join(s.text for s in widget.render_line(y)):
                return y
    raise AssertionError(f"{text!r} is nowhere in {widget!r}")


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_a_click_on_a_hop_in_the_chain_and_on_its_lines_in_the_pane(size):
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await send(pilot, app, *GREY)
        await pilot.press("ctrl+k", "ctrl+u")
        await pilot.pause()
        chain = app.query_one("#journey-chain")
        await pilot.click("#journey-chain", offset=(4, await row_showing(pilot, chain, "→ hop 2")))
        await pilot.pause()
        assert app.hop_view is not None and pane(app, "right").host == "mx.grey.example"
        view = pane(app, "right").view
        target = next(e.index for e in app.hop_view.hop.transcript if e.code == 451)
        row = await row_showing(pilot, view, "451 4.7.1")
        await pilot.click(f"#{view.id}", offset=(3, row))
        await pilot.pause()
        assert app.selected == target
        assert "RFC 6647" in explanation_text(app)
