"""Read the delivered mail: every user's mailbox and terminal, each message whole.

Opened with ctrl+b, or by clicking a user in the server pane.  The list on the left
has one row per message (and says which mailboxes and terminals are empty); the right
shows the selected message exactly as stored - the ``Return-Path:`` and ``Received:``
lines the server put on top, the sender's headers, the body - and under it who added
each header line and why (:mod:`smtpsim.mta.mailboxes`).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ...i18n import N_, _
from ...mta import World
from ...mta.dsn_reading import report_parts
from ...mta.mailboxes import Place, header_origins, message_lines, places
from ...textsafe import printable

TITLE = N_("Delivered mail - ↑/↓ picks a message, Esc closes")
MESSAGE_TITLE = N_("the message as stored")
ORIGINS_TITLE = N_("Who added each header line, and why")
NOTHING = N_("No message has been delivered yet: send one (DATA, then a lone '.').")
ROW = N_("  {number}. {queue_id} from <{sender}> via {via}")
EMPTY_PLACES = N_("Empty: {places}")


def option_label(place: Place, number: int) -> Text:
    message = place.messages[number]
    text = Text()
    text.append(f"{place.user}@{place.host}", "bold").append(f" {place.place_name}\n")
    text.append(_(ROW).format(number=number + 1, queue_id=message.queue_id,
                              sender=printable(message.sender), via=message.via))
    return text


class MailboxScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    MailboxScreen { align: center middle; }
    MailboxScreen > Vertical {
        width: 96%; height: 94%; border: thick $accent; background: $surface; padding: 0 1;
    }
    MailboxScreen Label.title { text-style: bold; width: 1fr; }
    MailboxScreen Horizontal { height: 1fr; }
    MailboxScreen OptionList { width: 34; height: 1fr; }
    MailboxScreen #mail-right { width: 1fr; }
    MailboxScreen #mail-message { height: 1fr; border: round $primary; }
    MailboxScreen #mail-origins { height: 1fr; border: round $secondary; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", N_("Close"))]

    def __init__(self, world: World, user: str | None = None) -> None:
        """``user``: start on that user's first message (a click in the server pane)."""
        super().__init__()
        self.rows: list[tuple[Place, int]] = []
        self.empty: list[Place] = []
        for place in places(world, only_filled=False):
            if place.messages:
                self.rows += [(place, n) for n in range(len(place.messages))]
            else:
                self.empty.append(place)
        self.start = next((n for n, (place, _number) in enumerate(self.rows)
                           if place.user == user and place.host == world.server.name), 0)

    def compose(self) -> ComposeResult:
        options = [Option(option_label(place, n), id=f"m{i}")
                   for i, (place, n) in enumerate(self.rows)]
        empty = ", ".join(f"{p.user} {p.place_name}" for p in self.empty
                          if p.host == self.empty[0].host) if self.empty else ""
        with Vertical():
            yield Label(_(TITLE), classes="title")
            with Horizontal():
                yield OptionList(*options, id="mail-list")
                with Vertical(id="mail-right"):
                    with VerticalScroll(id="mail-message"):
                        yield Static(Text(_(NOTHING) if not self.rows else ""),
                                     id="mail-text")
                    with VerticalScroll(id="mail-origins"):
                        yield Static("", id="mail-why")
            if empty:
                yield Label(Text(_(EMPTY_PLACES).format(places=empty)), id="mail-empty")

    def on_mount(self) -> None:
        self.query_one("#mail-message").border_title = _(MESSAGE_TITLE)
        self.query_one("#mail-origins").border_title = _(ORIGINS_TITLE)
        listing = self.query_one(OptionList)
        if self.rows:
            listing.highlighted = self.start
            self.show(self.start)
        listing.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index is not None:
            self.show(event.option_index)

    def show(self, row: int) -> None:
        place, number = self.rows[row]
        message = place.messages[number]
        self.shown = row
        body = Text("\n".join(message_lines(message)))   # as stored, never markup
        self.query_one("#mail-text", Static).update(body)
        why = Text()
        # a bounce: its parts and delivery-status fields too (mta/dsn_reading.py)
        for line, origin in header_origins(message, place.host) + report_parts(
                message.content):
            why.append(line, "bold").append("\n  " + origin + "\n")
        self.query_one("#mail-why", Static).update(why)
