"""The journey as text (``w`` in the journey panel): every hop of the world's queue so far.

Shown as ``smtpsim run --follow`` prints a journey: every hop labelled by hop, hosts and
clock, then where each message and each bounce ended.  A read-only view; the text is
built by the engine (``smtpsim.mta.journey``) and shown literally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ...i18n import N_, _
from ...mta.journey import journey_lines
from .pickers import MODAL_CSS

if TYPE_CHECKING:
    from ...mta.relay import RelayQueue

TITLE = N_("Hop 2 and beyond (Esc closes)")
MAX_LINES = 2000   # lines shown; the rest is summed up (run --follow prints it all)
CUT = N_("... {count} more line(s): smtpsim run FILE --follow prints the whole journey")


class JourneyScreen(ModalScreen[None]):
    DEFAULT_CSS = MODAL_CSS.format(name="JourneyScreen") + """
    JourneyScreen > Vertical { max-width: 160; }
    JourneyScreen VerticalScroll { height: auto; max-height: 40; }
    """
    BINDINGS = [Binding("escape,q", "dismiss(None)", N_("Close"))]

    def __init__(self, queue: RelayQueue) -> None:
        super().__init__()
        lines = journey_lines(queue)
        if len(lines) > MAX_LINES:
            lines = lines[:MAX_LINES] + [_(CUT).format(count=len(lines) - MAX_LINES)]
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_(TITLE), classes="title")
            with VerticalScroll():
                # Text, never markup: the lines carry the learner's own message text
                yield Static(Text("\n".join(self.lines)), id="journey")
