"""F2 (compose) and F9 (export) at the sizes the README promises, in English and Italian.

A learner at 80x24 reaches every part of the dialog with Tab and sees what has focus
before pressing Enter; the buttons stay on screen whatever has focus.
"""

from __future__ import annotations

import pytest
from textual.widgets import Button, Checkbox

from smtpsim import i18n

from .helpers import fully_shown, new_app, send, shown_text

SIZES = [(80, 24), (120, 36)]
LANGUAGES = ["en", "it"]


@pytest.fixture(params=LANGUAGES)
def language(request, monkeypatch, tmp_path):
    monkeypatch.setenv("SMTPSIM_DATA_DIR", str(tmp_path))
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("en")


async def open_dialog(pilot, app, key: str, connections: int):
    await send(pilot, app, "EHLO client.example")
    for _n in range(connections - 1):
        await pilot.press("f5")
        await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    return app.screen


async def tab_round(pilot, app, dialog) -> list:
    """Tab from the first focus back to it: every widget a learner can reach."""
    start, reached = app.focused, []
    for _n in range(30):
        reached.append(app.focused)
        assert fully_shown(app, app.focused), f"focused but out of sight: {app.focused}"
        for button in dialog.query(Button):
            assert fully_shown(app, button), f"{button.label} is cut or off screen"
        await pilot.press("tab")
        await pilot.pause()
        if app.focused is start:
            return reached
    raise AssertionError("Tab never came back to the first widget")


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
@pytest.mark.parametrize("connections", [1, 2])
async def test_every_part_of_the_export_dialog_is_reached_and_seen(language, size,
                                                                   connections):
    app = new_app()
    async with app.run_test(size=size) as pilot:
        dialog = await open_dialog(pilot, app, "f9", connections)
        assert type(dialog).__name__ == "ExportScreen"
        reached = await tab_round(pilot, app, dialog)
        checkboxes = list(dialog.query(Checkbox))
        assert len(checkboxes) == 4 and all(box in reached for box in checkboxes)
        assert {"export-folder", "export-name", "export-this", "export-cancel"} <= \
            {widget.id for widget in reached}
        assert ("export-all" in {widget.id for widget in reached}) == (connections > 1)
        for box in checkboxes:                     # each label whole, however it wraps
            box.focus()
            await pilot.pause()
            assert str(box.label) in shown_text(app, box)
        # the file list below the formats can be scrolled to its end with the keyboard
        form = dialog.query_one("#export-form")
        form.focus()
        await pilot.press("end")
        await pilot.pause()
        last_path = str(dialog.query_one("#export-paths").render()).splitlines()[-1]
        assert last_path.endswith(".svg")
        assert "".join(last_path.split()) in "".join(shown_text(app, form).split())


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
async def test_a_blind_enter_in_the_export_dialog_acts_on_what_is_seen(language, size):
    app = new_app()
    async with app.run_test(size=size) as pilot:
        dialog = await open_dialog(pilot, app, "f9", 1)
        last = dialog.query(Checkbox).last()
        while app.focused is not last:
            await pilot.press("tab")
            await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not last.value and fully_shown(app, last)
        assert str(last.label) in shown_text(app, last)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
async def test_every_part_of_the_compose_dialog_is_reached_and_seen(language, size):
    app = new_app()
    async with app.run_test(size=size) as pilot:
        dialog = await open_dialog(pilot, app, "f2", 1)
        assert type(dialog).__name__ == "ComposeScreen"
        reached = {widget.id for widget in await tab_round(pilot, app, dialog)}
        assert {"from", "to", "subject", "body", "queue", "play", "cancel"} <= reached
        dialog.query_one("#to").value = ""                 # the error line shows too
        await pilot.click("#queue")
        await pilot.pause()
        error = dialog.query_one("#compose-error")
        assert fully_shown(app, error) and shown_text(app, error) == \
            i18n._("Name at least one recipient.")
        assert all(fully_shown(app, button) for button in dialog.query(Button))
