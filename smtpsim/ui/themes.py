"""Themes: a pinned default (so screenshots repeat) and a high-contrast one for projectors."""

from __future__ import annotations

from textual.theme import Theme

DEFAULT_THEME = "textual-dark"

#: Pure black and white with saturated accents: readable from the back of a classroom,
#: and focus borders that cannot be missed.
PROJECTOR = Theme(
    name="smtpsim-projector",
    primary="#00A0FF",
    secondary="#FFD700",
    accent="#FF00FF",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    success="#00FF00",
    warning="#FFD700",
    error="#FF4040",
    boost="#303030",
    dark=True,
    variables={
        "text-muted": "#E0E0E0",
        "footer-key-foreground": "#FFD700",
        "input-selection-background": "#FF00FF 50%",
    },
)
