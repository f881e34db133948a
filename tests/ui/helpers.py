"""Driving the app as a learner does: real key presses into the command line."""

from __future__ import annotations

from smtpsim.ui.app import SmtpsimApp, make_app
from smtpsim.ui.widgets.mta_pane import MtaPane

SIZE = (120, 36)


def new_app(profile: str = "modern", faults=(), **extra) -> SmtpsimApp:
    app = make_app(profile, faults, cursor_blink=False, **extra)
    app.animation_level = "none"
    return app


async def type_keys(pilot, text: str) -> None:
    """Type ``text`` key by key, then Enter: what a learner does.  Pilot.press takes a
    character as its own key ("." is sent as full_stop, " " as space)."""
    await pilot.press(*text, "enter")
    await pilot.pause()


async def send(pilot, app: SmtpsimApp, *lines: str) -> None:
    """Enter lines quickly (the value is set, Enter is a real key press)."""
    for line in lines:
        app.query_one("#command").value = line
        await pilot.press("enter")
    await pilot.pause()


def pane(app: SmtpsimApp, side: str) -> MtaPane:
    return app.query_one(f"#{side}", MtaPane)


def diagram_text(app: SmtpsimApp) -> str:
    from smtpsim.ui.widgets.diagram import StateDiagram
    return app.query_one(StateDiagram).text.plain


def explanation_text(app: SmtpsimApp) -> str:
    return app.query_one("#explanation").text.plain


async def export_this(pilot, button: str = "#export-this") -> None:
    """F9, then the dialog's button for this connection (or ``#export-all``)."""
    await pilot.press("f9")
    await pilot.pause()
    await pilot.click(button)
    await pilot.pause()
