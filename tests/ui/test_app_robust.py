"""Bad input never crashes the app, and wire text is never read as markup."""

import pytest
from textual import events

from smtpsim.ui.text import printable

from .helpers import SIZE, explanation_text, new_app, pane, send


async def test_markup_in_an_address_shows_literally_everywhere():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "EHLO client.example", "MAIL FROM:<[red]x@y>")
        command = app.session.transcript[3]
        assert pane(app, "left").view.rows_of(3) == ["→ MAIL FROM:<[red]x@y>"]
        assert pane(app, "right").view.rows_of(3) == ["← MAIL FROM:<[red]x@y>"]
        app.select_entry(command.index)
        await pilot.pause()
        svg = app.export_screenshot()
        assert "MAIL&#160;FROM:&lt;[red]x@y&gt;" in svg
        assert "[bold]" not in explanation_text(app)


async def test_a_pasted_block_of_10000_lines_is_sent_line_by_line():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "EHLO client.example", "MAIL FROM:<alice@client.example>",
                   "RCPT TO:<bob@mail.example>", "DATA")
        block = "\n".join(f"line {n} of a long message" for n in range(10_000)) + "\n."
        app.query_one("#command").post_message(events.Paste(block))
        await pilot.pause()
        await pilot.pause()
        texts = [e for e in app.session.transcript if e.in_data]
        assert len(texts) == 10_001
        assert app.session.transcript[-1].code == 250
        assert pane(app, "left").view.row_count >= 10_001
        assert not app.query_one("#bar").data_mode


async def test_a_pasted_block_stops_at_a_closed_connection():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        app.query_one("#command").post_message(events.Paste("QUIT\nNOOP\nNOOP\n"))
        await pilot.pause()
        assert app.session.closed
        assert "2 lines not sent" in str(app.query_one("#status").render())
        await send(pilot, app, "NOOP")            # typed after the close: refused kindly
        assert app.session.transcript[-1].code == 221
        assert app.query_one("#bar").has_class("-closed")


async def test_a_5000_character_line_gets_its_reply_and_is_shown_clipped():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "NOOP " + "x" * 4995)
        reply = app.session.transcript[-1]
        assert reply.code == 500          # RFC 5321 4.5.3.1.4: 512 octets per command line
        row = pane(app, "left").view.rows_of(1)[0]
        assert row.endswith("(5,000 characters in all)") and len(row) < 500


async def test_control_characters_are_shown_as_tokens_not_sent_to_the_terminal():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "HELO client\x08\x08\x1b[31mX\u202e")
        row = pane(app, "left").view.rows_of(1)[0]
        assert row == "→ HELO client<0x08><0x08><0x1B>[31mX<U+202E>"
        assert "\x1b" not in app.export_screenshot()
        assert app.session.transcript[-1].code == 501   # control bytes: a syntax error


async def test_empty_input_sends_nothing_outside_data_but_is_a_text_line_inside():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "")
        assert len(app.session.transcript) == 1
        assert "Nothing sent" in str(app.query_one("#hint").render())
        await send(pilot, app, "EHLO client.example", "MAIL FROM:<alice@client.example>",
                   "RCPT TO:<bob@mail.example>", "DATA", "")
        assert app.session.transcript[-1].in_data and app.session.transcript[-1].lines == ("",)


def test_printable_keeps_ordinary_text_and_marks_the_rest():
    assert printable("MAIL FROM:<ünïcode@例え.jp>") == "MAIL FROM:<ünïcode@例え.jp>"
    assert printable("a\tb\x7f") == "a<0x09>b<0x7F>"
    assert printable("\udcff") == "<0xFF>"          # a byte that was not UTF-8
    assert printable("x" * 10, limit=4) == "xxxx … (10 characters in all)"


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_lines_typed_ahead_go_out_one_by_one_in_order(size):
    """Keys arriving faster than the app answers (a fast typist, or a terminal that pastes
    without bracketed paste, as keystrokes): each Enter sends the line typed before it."""
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await send(pilot, app, "EHLO client.example")
        for line in ("NOOP a", "RSET", "NOOP b"):     # posted at once, as a terminal sends
            for character in line:
                app.post_message(events.Key(character, character))
            app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        await pilot.pause()
        sent = [e.text for e in app.session.transcript if e.side == "C"]
        assert sent == ["EHLO client.example", "NOOP a", "RSET", "NOOP b"]
        assert [e.code for e in app.session.transcript if e.side == "S"][-3:] == [250] * 3
        assert app.query_one("#command").value == ""
