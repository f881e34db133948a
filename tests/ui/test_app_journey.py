"""ctrl+k: the journey of this session's relayed messages, read-only, at real sizes."""

from __future__ import annotations

import pytest

from smtpsim.ui.screens.journey import JourneyScreen

from .helpers import new_app, send


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_ctrl_b_shows_hop_2_of_a_relayed_message_and_changes_nothing(size):
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await send(pilot, app, "EHLO client.example", "MAIL FROM:<alice@client.example>",
                   "RCPT TO:<gus@grey.example>", "DATA", "Subject: grey", "", "hi", ".")
        queued = list(app.session.world.server.queue)
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, JourneyScreen)
        text = str(app.screen.query_one("#journey").render())
        assert ("[hop 2 mail.example -> mx.grey.example 00:00:01] S: 451 4.7.1 "
                "<gus@grey.example>") in text
        assert "<gus@grey.example> delivered at 00:30:01" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, JourneyScreen)
        assert app.session.world.server.queue == queued        # looking changed nothing
        assert app.session.world.host("grey.example").users["gus"].mailbox == []


async def test_the_journey_of_a_session_that_relayed_nothing_says_so():
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert str(app.screen.query_one("#journey").render()) == (
            "Nothing to follow: this session queued no message for another domain.")
