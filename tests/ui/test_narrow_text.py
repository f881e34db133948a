"""Text that must be read whole at 80x24 and 120x36, in English and Italian: the DATA-mode
hint, `--listen`'s status line and the explain line's placeholder, the lesson's buttons."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Button

from smtpsim import i18n
from smtpsim.course import Progress, load_lessons
from smtpsim.ui.course.lesson_pane import LessonPane, open_lesson
from smtpsim.ui.listen import ListenApp

from .helpers import fully_shown, new_app, send, shown_text

SIZES = [(80, 24), (120, 36)]
IDS = ["80x24", "120x36"]
DATA_HINT = ("DATA mode (after 354): each line is message text; a line with only '.' ends it "
             "(RFC 5321 4.1.1.4)")


@pytest.fixture(params=["en", "it"])
def language(request, monkeypatch, tmp_path):
    monkeypatch.setenv("SMTPSIM_DATA_DIR", str(tmp_path))
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("en")


def squashed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_the_data_mode_hint_is_read_whole(language, size):
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await send(pilot, app, "EHLO client.example", "MAIL FROM:<alice@client.example>",
                   "RCPT TO:<bob@mail.example>", "DATA")
        hint = app.query_one("#hint")
        assert fully_shown(app, hint)
        assert squashed(shown_text(app, hint)) == squashed(i18n._(DATA_HINT))
        await send(pilot, app, "Subject: hi", ".")                 # the message is sent
        assert hint.outer_size.height == 1                        # one row again


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_the_listen_status_and_explain_line_are_read_whole(language, size):
    app = ListenApp(port=0, cursor_blink=False)
    app.animation_level = "none"
    async with app.run_test(size=size) as pilot:
        for _n in range(100):                                     # the port is open
            await pilot.pause()
            if app.address:
                break
        reader, writer = await asyncio.open_connection(*app.address)
        try:
            await asyncio.wait_for(reader.readline(), 5)           # the 220 greeting
            writer.write(b"HELO client.example\r\n")
            await writer.drain()
            await asyncio.wait_for(reader.readline(), 5)
            for _n in range(100):
                await pilot.pause()
                if len(app.entries) >= 3:
                    break
            status = app.query_one("#status")
            assert fully_shown(app, status)
            shown = squashed(shown_text(app, status))
            counts = i18n._("{open} open, {total} in all, {accepted} accepted").format(
                open=1, total=1, accepted=0)
            assert squashed(counts) in shown and shown.endswith(squashed(i18n._("live")))
            line = app.query_one("#command")
            assert squashed(str(line.placeholder)) == squashed(shown_text(app, line))
        finally:
            writer.close()


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_every_lesson_button_is_seen_whole_even_with_the_pane_focused(language, size,
                                                                          tmp_path):
    lessons = load_lessons(language)
    first = lessons.lessons[0].id
    app = new_app(setup=lambda app: open_lesson(app, first, Progress(tmp_path), lessons))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        pane = app.query_one(LessonPane)
        for focused in (False, True):
            if focused:
                pane.focus()
                await pilot.pause()
            for button in pane.query_one("#lesson-buttons").query(Button):
                assert fully_shown(app, button), button.label
                assert shown_text(app, button) == str(button.label)
