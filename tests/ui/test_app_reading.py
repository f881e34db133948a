"""What the learner reads: no character under a scrollbar, wire lines visibly continued,
one numbering for time travel - at the sizes a class uses."""

from __future__ import annotations

import pytest

from smtpsim.ui.widgets.explanation import ExplanationPane
from smtpsim.ui.widgets.transcript_view import CONTINUED

from .helpers import new_app, pane, send

SOML_SESSION = ("HELO client.example", "SOML FROM:<alice@client.example>",
                "RCPT TO:<bob@mail.example>", "DATA", "a short text", ".")


def shown_rows(view) -> list[str]:
    """Every row the view draws, as text, scrolled to each in turn."""
    rows = []
    for top in range(0, view.row_count, max(1, view.scrollable_content_region.height)):
        view.scroll_to(y=top, animate=False, immediate=True)
        height = view.scrollable_content_region.height
        rows += [view.render_line(y).text for y in range(min(height, view.row_count - top))]
    return rows


@pytest.mark.parametrize("size", [(120, 36), (100, 30), (80, 24)])
async def test_wire_lines_wrap_beside_the_scrollbar_and_show_their_continuation(size):
    app = new_app("classic")
    async with app.run_test(size=size) as pilot:
        await send(pilot, app, *SOML_SESSION)
        for _ in range(4):
            await pilot.press("pageup")
        await pilot.pause()
        for side in ("left", "right"):
            view = pane(app, side).view
            assert view.show_vertical_scrollbar            # the scrollbar came after
            width = view.scrollable_content_region.width
            assert view._wrap_width == width                # wrapped beside it
            rows = shown_rows(view)
            assert all(len(row.rstrip()) <= width for row in rows)
            # Rejoined, the rows give back every wire line whole: nothing was painted over.
            joined, lines = "", []
            for row in rows:
                body = row[1:].rstrip("\n")
                if body.startswith(CONTINUED):
                    joined += body[len(CONTINUED):]
                else:
                    if joined:
                        lines.append(joined.rstrip())
                    joined = body
            lines.append(joined.rstrip())
            soml = [line for line in lines if "will send to" in line]
            assert soml == [("→ " if side == "right" else "← ") + "250 Sender "
                            "<alice@client.example> OK, will send to terminals or mailboxes"]


async def test_the_explanation_is_wrapped_to_the_width_beside_its_scrollbar():
    app = new_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, app, "EHLO client.example")
        explanation = app.query_one(ExplanationPane)
        assert explanation.show_vertical_scrollbar
        wrapped = explanation._wrapped
        assert wrapped.width == explanation.scrollable_content_region.width
        shown = " ".join("".join(s.text for s in wrapped.lines).split())
        assert shown.replace(" ", "") == explanation.text.plain.replace(" ", "").replace(
            "\n", "")


async def test_time_travel_names_one_line_everywhere():
    app = new_app("classic")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, app, *SOML_SESSION)
        for _ in range(4):
            await pilot.press("pageup")
        await pilot.pause()
        index = app.selected
        entry = app.session.transcript[index]
        assert entry.side == "C" and entry.lines == ("DATA",)
        number = index + 1
        status = str(app.query_one("#status").render())
        assert f"viewing line {number} of {len(app.session.transcript)}" in status
        assert str(app.query_one("#explanation").border_subtitle).startswith(
            f"line {number} of ")
        assert str(pane(app, "right").border_subtitle) == \
            f"as after line {number} and its reply"


async def test_delivered_mail_is_read_whole_with_who_added_each_line():
    from smtpsim.ui.screens.mailbox import MailboxScreen
    app = new_app("classic")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, app, "HELO client.example", "MAIL FROM:<alice@client.example>",
                   "RCPT TO:<carol@mail.example>", "DATA", "Subject: hi", "", "Hello.", ".")
        await pilot.press("ctrl+b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MailboxScreen)
        message = str(screen.query_one("#mail-text").render())
        assert message.splitlines() == [
            "Return-Path: <alice@client.example>",
            "Received: from client.example ([192.0.2.10]) by mail.example with SMTP id Q0001; "
            "Thu, 26 Nov 2026 09:00:00 +0000", "Subject: hi", "", "Hello."]
        why = " ".join(str(screen.query_one("#mail-why").render()).split())
        assert "mail.example added it at final delivery" in why and "RFC 5321 4.4" in why
        assert "RFC 5321 4.1.1.4, 4.4" in why and "no Date: line" in why
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MailboxScreen)


async def test_a_click_on_a_user_in_the_server_pane_opens_that_users_mail():
    from smtpsim.ui.screens.mailbox import MailboxScreen
    app = new_app("classic")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, app, "HELO client.example", "SAML FROM:<alice@client.example>",
                   "RCPT TO:<bob@mail.example>", "RCPT TO:<carol@mail.example>", "DATA",
                   "to both", ".")
        users = pane(app, "right").users
        row = users.text.plain.split("\n").index(
            next(r for r in users.text.plain.split("\n") if r.startswith("carol")))
        await pilot.click(users, offset=(2, row))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MailboxScreen)
        place, _ = screen.rows[screen.shown]
        assert (place.user, place.place) == ("carol", "mailbox")
        labels = [f"{p.user} {p.place}" for p, _ in screen.rows]
        assert labels == ["bob mailbox", "bob terminal", "carol mailbox"]   # SAML: both


async def test_f10_gives_the_conversations_the_whole_height_at_80x24():
    app = new_app("classic")
    async with app.run_test(size=(80, 24)) as pilot:
        await send(pilot, app, *SOML_SESSION)
        view = pane(app, "left").view
        before = view.scrollable_content_region.height
        await pilot.press("f10")
        await pilot.pause()
        tall = view.scrollable_content_region.height
        assert before <= 6 and tall >= 17
        assert not app.query_one("#lower").display or app.query_one("#lower").region.height == 0
        await pilot.press("f10")
        await pilot.pause()
        assert view.scrollable_content_region.height == before


async def test_diagram_rows_fit_the_pane_at_80x24():
    from smtpsim.ui.widgets.diagram import StateDiagram
    app = new_app("classic")
    async with app.run_test(size=(80, 24)) as pilot:
        await send(pilot, app, "HELO client.example", "RCPT TO:<bob@mail.example>")
        diagram = app.query_one(StateDiagram)
        width = diagram.scrollable_content_region.width
        assert width <= 38
        rows = diagram.text.plain.split("\n")[1:-1]     # the headline and the note are prose
        assert len(rows) >= 10 and max(map(len, rows)) <= width
        # a state's second group of arrows has a line of its own; the 503's ticks stay
        assert "▶ READY   TURN → TURNED" in rows
        assert "  MAIL  ✓ RCPT → RCPT" in rows and "  RCPT  ✓ DATA → DATA" in rows
        assert rows.count("          HELO RSET → READY") == 2        # MAIL's and RCPT's own
        assert "          MAIL SEND SOML SAML → MAIL" in rows      # shared by several states


async def test_diagram_rows_stay_one_per_state_at_120x36():
    from smtpsim.ui.widgets.diagram import StateDiagram
    app = new_app("classic")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, app, "HELO client.example")
        rows = app.query_one(StateDiagram).text.plain.split("\n")
        assert any("RCPT → RCPT · HELO RSET → READY" in row for row in rows)   # one row
        assert any(row.endswith(": MAIL SEND SOML SAML → MAIL") for row in rows)
