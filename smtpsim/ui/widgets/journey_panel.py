"""The journey panel (ctrl+k): every queued message's hops as a chain, and the queue.

Top: one chain per message - hop 1 (the learner's session), the MX lookup, each attempt
of hop 2 with the code that decided it, the mailbox it reached, or the bounce and its way
back to alice.  ↑/↓ (or a click) picks a link; a hop opens in the two MTA panes
(:mod:`smtpsim.ui.hop_view`), hop 1 brings the live session back.  Bottom: the queue -
each message, its next attempt, attempts so far, the last reply - and the retry schedule
(RFC 5321 4.5.4.1).  ctrl+u moves the simulated clock to the next event, ctrl+d runs the
queue to the end; the clock is in the header.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...i18n import N_, _
from ...mta.clock import FIRST_RETRY, LIFETIME, LONGEST_WAIT, duration
from ...textsafe import printable

if TYPE_CHECKING:
    from ...mta.live_queue import Link, LiveQueue

TITLE = N_("Journey · clock {clock}")
KEYS = N_("ctrl+u next · ctrl+d all · w text")
QUEUE_TITLE = N_("Queue of {host}")
EMPTY_QUEUE = N_("(empty)")
NOTHING = N_("No message for another domain yet: send one (RCPT TO:<friend@far.example>), "
             "then ctrl+u")
MESSAGE = N_("{queue_id} from <{sender}>")
ROW = N_("{queue_id} {recipients}: next {clock}, attempts {attempts}{reply}")
NOT_TAKEN_ROW = N_("{queue_id} {recipients}: first attempt as the clock moves")
SCHEDULE = N_("Retries (RFC 5321 4.5.4.1): {first}, then doubling up to {longest}; "
              "returned after {lifetime}")
MARKS = {"hop1": "1", "lookup": "?", "hop": "→", "mailbox": "✉", "bounce": "↩",
         "ended": "✗", "waiting": "…"}


class JourneyPanel(Vertical):
    BINDINGS = [Binding("w", "as_text", N_("The journey so far as text"), show=False)]

    SCOPED_CSS = False   # the compact rule starts at the Screen; every rule names the panel
    DEFAULT_CSS = """
    JourneyPanel { width: 38%; min-width: 30; height: 1fr; border: round $secondary;
                   border-title-style: bold; padding: 0; }
    JourneyPanel > OptionList, JourneyPanel > OptionList:focus { height: 1fr; border: none;
                                                                  padding: 0; }
    JourneyPanel > VerticalScroll { height: auto; max-height: 7; border-top: hkey $panel; }
    Screen.-compact JourneyPanel > VerticalScroll { max-height: 5; }
    """

    def __init__(self, live: LiveQueue) -> None:
        super().__init__(id="journey-panel")
        self.live = live
        self.links: list[Link | None] = []
        self._restored: int | None = None

    def compose(self) -> ComposeResult:
        yield OptionList(id="journey-chain")
        with VerticalScroll():
            yield Static("", id="journey-queue")

    def on_mount(self) -> None:
        self.refresh_from_queue()
        self.query_one("#journey-chain", OptionList).focus()

    def refresh_from_queue(self) -> None:
        """Redraw from the queue: after a clock step, or a message accepted on hop 1."""
        live = self.live
        self.border_title = _(TITLE).format(clock=live.clock.label)
        self.border_subtitle = _(KEYS)
        chain = self.query_one("#journey-chain", OptionList)
        keep = chain.highlighted
        options: list[Option] = []
        self.links = []
        for queue_id, sender in live.messages().items():
            heading = _(MESSAGE).format(queue_id=queue_id, sender=printable(sender, 60))
            options.append(Option(Text(heading, "bold")))   # a heading: selects nothing
            self.links.append(None)
            for link in live.chain(queue_id):
                options.append(Option(Text(f"{MARKS.get(link.kind, ' ')} "
                                           + printable(link.text, 200))))
                self.links.append(link)
        if not options:
            options.append(Option(Text(_(NOTHING), "dim"), disabled=True))
            self.links.append(None)
        chain.clear_options()
        chain.add_options(options)
        if keep is not None and keep < len(options) and self.links[keep] is not None:
            self._restored = keep     # the cursor put back after a redraw opens nothing
            chain.highlighted = keep
        self.query_one("#journey-queue", Static).update(self._queue_text())

    def _queue_text(self) -> Text:
        live = self.live
        text = Text(_(QUEUE_TITLE).format(host=live.world.server.name), "bold")
        rows = live.rows()
        for row in rows:
            recipients = printable(", ".join(row.recipients), 120)
            if not row.next_attempt:
                line = _(NOT_TAKEN_ROW).format(queue_id=row.queue_id, recipients=recipients)
            else:
                short = row.last_reply if len(row.last_reply) <= 40 else \
                    row.last_reply[:39] + "…"
                reply = f" · {printable(short)}" if short else ""
                line = _(ROW).format(queue_id=row.queue_id, recipients=recipients,
                                     clock=row.next_attempt, attempts=row.attempts,
                                     reply=reply)
            text.append("\n" + line)
        if not rows:
            text.append(" " + _(EMPTY_QUEUE), "dim")
        text.append("\n" + _(SCHEDULE).format(first=duration(FIRST_RETRY),
                                              longest=duration(LONGEST_WAIT),
                                              lifetime=duration(LIFETIME)), "dim")
        return text

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        restored, self._restored = self._restored, None
        if event.option_index != restored:
            self._open(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(event.option_index)

    def _open(self, index: int | None) -> None:
        from ..hop_view import show_hop
        if index is None or not 0 <= index < len(self.links):
            return
        link = self.links[index]
        if link is None:
            return
        if link.kind == "hop1":
            show_hop(self.app, None)    # type: ignore[arg-type]
        elif link.hop is not None:
            show_hop(self.app, link.hop, link.entry)   # type: ignore[arg-type]

    def action_as_text(self) -> None:
        """Every hop so far, line by line, as ``smtpsim run --follow`` prints a journey."""
        from ..screens.journey import JourneyScreen
        self.app.push_screen(JourneyScreen(self.live.relay))
