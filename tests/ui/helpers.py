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


def fully_shown(app, widget) -> bool:
    """True when every cell of ``widget`` is on screen: inside the terminal and not
    clipped by a scrolled container."""
    geometry = app.screen.find_widget(widget)
    region = geometry.region
    return (region.area > 0 and geometry.clip.contains_region(region)
            and app.screen.region.contains_region(region))


def shown_text(app, widget) -> str:
    """The words the terminal shows inside ``widget``'s border, its rows joined by spaces
    (only the rows its scrolled container lets through)."""
    region = widget.content_region.intersection(app.screen.find_widget(widget).clip)
    strips = app.screen._compositor.render_strips()
    rows = ["".join(segment.text for segment in strips[y])[region.x:region.right]
            for y in range(region.y, region.bottom)]
    return " ".join(" ".join(rows).split())
