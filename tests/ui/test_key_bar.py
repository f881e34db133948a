"""The key bar fits itself to the terminal and always keeps the way to every action."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from smtpsim import i18n
from smtpsim.ui.keys import ACTIONS, shown_keys
from smtpsim.ui.widgets.key_bar import TIGHT, TIGHTEST, WIDE, KeyBar, fit_keys

from .helpers import new_app

KEYS = [("f1", "help", "Keys"), ("f2", "compose", "Compose"), ("f3", "step", "Step"),
        ("ctrl+p", "command_palette", "Actions")]


def bar_text(keys, width, pinned=1) -> str:
    bar = KeyBar(keys, pinned=pinned)
    return bar._render_keys(width).plain


def test_wide_spacing_when_everything_fits():
    assert fit_keys(KEYS, 80) == (KEYS, WIDE)
    assert bar_text(KEYS, 80) == " F1  Keys  F2  Compose  F3  Step  ctrl+p  Actions "


def test_tight_spacing_before_any_key_is_left_out():
    # wide: 10 + 13 + 10 + 17 = 50 cells; tight: one cell less per key; tightest: two
    assert fit_keys(KEYS, 49)[1] == TIGHT
    assert bar_text(KEYS, 46) == " F1 Keys  F2 Compose  F3 Step  ctrl+p Actions "
    assert fit_keys(KEYS, 45) == (KEYS, TIGHTEST)
    assert bar_text(KEYS, 42) == "F1 Keys F2 Compose F3 Step ctrl+p Actions "


def test_keys_are_left_out_from_the_end_but_the_palette_stays():
    assert bar_text(KEYS, 41) == "F1 Keys F2 Compose ctrl+p Actions "
    assert bar_text(KEYS, 30) == "F1 Keys ctrl+p Actions "
    # the pinned keys stay even when nothing else fits
    assert bar_text(KEYS, 20) == "ctrl+p Actions "
    two_pinned = KEYS + [("ctrl+q", "quit", "Quit")]
    assert bar_text(two_pinned, 40, pinned=2) == "F1 Keys ctrl+p Actions ctrl+q Quit "


def test_a_key_left_out_is_not_replaced_by_a_shorter_one_after_it():
    keys = [("f1", "a", "A"), ("f2", "b", "A much longer label"), ("f3", "c", "C"),
            ("ctrl+p", "command_palette", "Actions")]
    assert bar_text(keys, 30) == "F1 A ctrl+p Actions "   # F3 would fit, but out of order


@pytest.mark.parametrize("language", ["en", "it"])
async def test_at_80_columns_the_bar_shows_f1_to_f6_and_the_palette(language, monkeypatch,
                                                                   tmp_path):
    """What the README promises for 80 columns, in every language the app speaks."""
    monkeypatch.setenv("SMTPSIM_DATA_DIR", str(tmp_path))
    i18n.set_language(language)
    try:
        app = new_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            text = app.query_one("#keys", KeyBar).render().plain
            assert len(text) <= 80
            shown = [word for word in text.split()
                     if (word.startswith("F") and word[1:].isdigit()) or word == "ctrl+p"]
            assert shown == ["F1", "F2", "F3", "F4", "F5", "F6", "ctrl+p"], text
            assert text.rstrip().endswith(i18n._("Actions"))
    finally:
        i18n.set_language("en")


async def test_at_80_columns_the_palette_key_is_shown_and_clickable():
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.query_one("#keys", KeyBar)
        text = bar.render().plain
        assert text.startswith("F1 Keys F2 Compose") and text.endswith("ctrl+p Actions ")
        assert len(text) <= 80
        start = text.index("ctrl+p")
        await pilot.click("#keys", offset=(start + 2, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_every_shown_key_of_the_app_fits_at_its_usual_width():
    app = new_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = app.query_one("#keys", KeyBar).render().plain
        labels = [label for _, _, label in shown_keys(ACTIONS)]
        assert all(label in text for label in labels), text
