"""Compose a message for the client MTA to send by itself (F3 one step, F4 all of it)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, TextArea

from ...i18n import N_, _
from ...mta import OutgoingMessage, compose
from ...mta.outgoing import make_message_id
from .pickers import FORM_CSS, show_error

# The composer's starting text, in the learner's language (it is the message's own text:
# what the learner sends is theirs to change; the headers' names stay RFC 5322's).
DEFAULT_SUBJECT = N_("Hello from alice")
DEFAULT_BODY = N_("Hello Bob,\n\nthis message was sent one SMTP step at a time.\n\nAlice")


class ComposeScreen(ModalScreen[tuple[OutgoingMessage, bool] | None]):
    """From, To (several, comma-separated), Subject, body -> an outgoing message.

    The result is the message and whether to play it continuously.
    """

    DEFAULT_CSS = FORM_CSS.format(name="ComposeScreen") + """
    ComposeScreen Input { width: 1fr; }
    ComposeScreen .form Horizontal > Label { width: 10; padding: 1 0; }
    ComposeScreen TextArea { height: 7; }
    ComposeScreen Button { margin: 0 1; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"))]

    def __init__(self, sender: str, recipient: str, number: int = 1) -> None:
        """``number``: this message's place among those composed in the app, the unique
        part of its Message-ID."""
        super().__init__()
        self.sender, self.recipient = sender, recipient
        self.number = number

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Compose a message: the client MTA sends it (F3 one step, "
                          "F4 continuously). To: one address or several, separated by "
                          "commas."), classes="title")
            with VerticalScroll(classes="form", id="compose-form"):
                with Horizontal():
                    yield Label(_("From"))
                    yield Input(self.sender, id="from")
                with Horizontal():
                    yield Label(_("To"))
                    yield Input(self.recipient, id="to",
                                placeholder=_("one or more addresses, separated by commas"))
                with Horizontal():
                    yield Label(_("Subject"))
                    yield Input(_(DEFAULT_SUBJECT), id="subject")
                yield TextArea(_(DEFAULT_BODY), id="body", soft_wrap=True)
            with Vertical(classes="actions"):
                yield Label("", classes="error", id="compose-error")
                with Horizontal():
                    yield Button(_("Queue (step with F3)"), id="queue", variant="primary")
                    yield Button(_("Queue and play all"), id="play")
                    yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        show_error(self.query_one("#compose-error", Label), "")
        self.query_one("#to", Input).focus()

    def message(self) -> OutgoingMessage | None:
        sender = self.query_one("#from", Input).value.strip()
        recipients = [r.strip().strip("<>") for r in
                      self.query_one("#to", Input).value.split(",") if r.strip()]
        if not recipients:
            show_error(self.query_one("#compose-error", Label),
                       _("Name at least one recipient."))
            return None
        sender = sender.strip("<>")
        return compose(sender, recipients, self.query_one("#subject", Input).value,
                       self.query_one("#body", TextArea).text,
                       message_id=make_message_id(sender, f"composed.{self.number}"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
            return
        message = self.message()
        if message is not None:
            self.dismiss((message, event.button.id == "play"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        message = self.message()
        if message is not None:
            self.dismiss((message, False))
