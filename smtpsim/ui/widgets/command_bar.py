"""The bottom of the screen: the command line, and the key bar under it.

The command line: type SMTP as the client MTA would send it.

* completion of verbs with an argument template taken from the catalogue's examples
  (``MA`` → ``MAIL FROM:<alice@client.example>``; → or Tab accepts it),
* ↑/↓ history, an inline syntax hint for the verb being typed,
* DATA mode after a 354: every line is message text until a lone ``.``,
* a pasted block is sent line by line, like a script.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.suggester import Suggester
from textual.widgets import Input, Static

from ... import catalogue
from ...i18n import N_, _
from ...mta.explain import ALLOWED_IN_HINT
from ...protocol.states import TRANSITIONS, allowed_in
from ..text import printable
from .line_input import LineInput

HISTORY_LIMIT = 500


class TemplateSuggester(Suggester):
    """Verbs first (in catalogue order), completed with the catalogue's example."""

    def __init__(self, bar: CommandBar) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.bar = bar

    async def get_suggestion(self, value: str) -> str | None:
        if self.bar.data_mode or not value.strip():
            return None
        upper = value.upper()
        for verb, entry in catalogue.load().commands.items():
            example = entry.get("example", verb)
            if example.upper().startswith(upper) and len(example) > len(value):
                return value + example[len(value):]
        for line in reversed(self.bar.history):
            if line.startswith(value) and len(line) > len(value):
                return line
        return None


# The advice before anything is typed: the greeting this host understands (an RFC 821
# host answers EHLO with 500, so it is told to type HELO).
EMPTY_HINT = N_("Type a command (try {greeting}) · ↑↓ history · → or Tab completes · F1 keys")
DEFAULT_GREETING = "EHLO client.example"
PLACEHOLDER = N_("type an SMTP command, e.g. {greeting}")
#: The prompt's label once the connection is closed (six cells: the prompt is 8 wide with
#: its padding); "C:" and "DATA" are the wire's own words and stay as they are.
CLOSED_LABEL = N_("closed")


def syntax_hint(value: str, greeting: str = DEFAULT_GREETING,
                refused: dict[str, int] | None = None, rfc821: bool = False) -> Text:
    """One line: the syntax of the verb being typed and where it is allowed.

    ``greeting``: what to try first on this host; ``refused``: the verbs this host's
    profile refuses, with their code (SOML: 502 on a modern host); ``rfc821``: the host
    follows RFC 821's sequencing (MAIL may restart a transaction)."""
    word = value.strip().split(" ", 1)[0].upper() if value.strip() else ""
    cat = catalogue.load()
    if not word:
        return Text(_(EMPTY_HINT).format(greeting=greeting), "dim")
    entry = cat.command(word)
    if entry is None:
        matches = [v for v in cat.commands if v.startswith(word)]
        if len(matches) == 1 and " " not in value.strip():
            word, entry = matches[0], cat.command(matches[0])
        elif matches:
            return Text(_("verbs:") + " " + " ".join(matches), "dim")
    if entry is None:
        return Text(_("{word} is no verb the catalogue knows: the server will answer 500"
                      ).format(word=printable(word, 20)), "dim")
    hint = Text()
    hint.append(entry.get("syntax", word), "bold")
    hint.append("  " + " ".join(entry.get("summary", "").split()), "dim")
    row = TRANSITIONS.get(word)
    if refused and word in refused:
        hint.append("  [" + _("this host answers {code}").format(code=refused[word]) + "]",
                    "bold")
    elif row is not None:
        allowed = " ".join(allowed_in(row.allowed_on(rfc821)))
        hint.append("  [" + _(ALLOWED_IN_HINT).format(states=allowed) + "]", "dim")
    return hint


class CommandInput(LineInput):
    CLEAR_ON_ENTER = True   # the next command starts on an empty line, even typed ahead
    BINDINGS = [
        Binding("up", "history(-1)", N_("Previous command"), show=False),
        Binding("down", "history(1)", N_("Next command"), show=False),
        Binding("tab", "complete", N_("Complete"), show=False),
        # Input binds ctrl+e to "end of line" (End does that too): here it is the app's
        # exam practice, so that it works while the command line has focus.
        Binding("ctrl+e", "app.exam_practice", N_("Exam practice"), show=False),
        # The same for ctrl+f (Input: delete the word to the right) and ctrl+k (Input:
        # delete to the end of the line): the next lesson and the journey; and for ctrl+u
        # (Input: delete to the start) and ctrl+d (Input: delete right; Delete does it too):
        # the simulated clock's next event and the whole queue run.
        Binding("ctrl+f", "app.lesson('next')", N_("Next lesson"), show=False),
        Binding("ctrl+k", "app.journey", N_("Journey"), show=False),
        Binding("ctrl+u", "app.clock_next", N_("Clock: next event"), show=False),
        Binding("ctrl+d", "app.queue_to_end", N_("Run the queue to the end"), show=False),
    ]

    def __init__(self, bar: CommandBar, **kwargs) -> None:
        super().__init__(**kwargs)
        self.bar = bar

    def action_history(self, step: int) -> None:
        self.bar.walk_history(step)

    def action_complete(self) -> None:
        if self._suggestion and self.cursor_at_end:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()

    def _on_paste(self, event: events.Paste) -> None:
        lines = event.text.splitlines()
        if len(lines) > 1:
            # A pasted block is a script: every line goes out as typed, in order.
            event.stop()
            event.prevent_default()
            first = self.value + lines[0]
            self.value = ""
            self.bar.post_message(CommandBar.Submitted([first, *lines[1:]]))
            return
        super()._on_paste(event)


class CommandBar(Vertical):
    """The hint line and the input.  Posts :class:`CommandBar.Submitted` with the lines."""

    DEFAULT_CSS = """
    CommandBar { height: auto; }
    CommandBar > #hint { height: 1; padding: 0 1; color: $text-muted; }
    CommandBar > Horizontal { height: 1; }
    CommandBar #prompt { width: 8; padding: 0 1; background: $primary; color: $text;
                         text-style: bold; }
    CommandBar CommandInput { border: none; height: 1; padding: 0 1; width: 1fr;
                              background: $boost; }
    CommandBar CommandInput:focus { background: $primary 25%; border: none; }
    CommandBar:focus-within #prompt { background: $accent; }
    CommandBar.-data #prompt { background: $warning; color: $background; }
    CommandBar.-data CommandInput { background: $warning 15%; }
    CommandBar.-data > #hint { color: $warning; text-style: bold; height: auto; max-height: 2; }
    CommandBar.-closed #prompt { background: $error; }
    """

    data_mode: reactive[bool] = reactive(False)
    closed: reactive[bool] = reactive(False)

    class Submitted(Message):
        """The learner entered one line, or pasted several."""

        def __init__(self, lines: list[str]) -> None:
            super().__init__()
            self.lines = lines

    CLOSED_HINT = N_("The connection is closed: F5 opens a new one, ctrl+r resets the world.")

    def __init__(self, *, id: str | None = None, blink: bool = True,
                 closed_hint: str = CLOSED_HINT) -> None:
        super().__init__(id=id)
        self.closed_hint = closed_hint
        self.history: list[str] = []
        self._hint: Text | None = None
        self._walk: int | None = None
        self._draft = ""
        self.greeting = DEFAULT_GREETING
        self.refused: dict[str, int] = {}
        self.rfc821 = False
        self.input = CommandInput(self, id="command", suggester=TemplateSuggester(self),
                                  placeholder=_(PLACEHOLDER).format(greeting=self.greeting))
        self.input.cursor_blink = blink

    def set_host_rules(self, greeting: str, refused: dict[str, int],
                       rfc821: bool = False) -> None:
        """Advice for the host on the other end: its greeting, the verbs it refuses, and
        whether it sequences commands as RFC 821 did."""
        self.greeting, self.refused, self.rfc821 = greeting, dict(refused), rfc821
        if not self.data_mode:
            self.input.placeholder = _(PLACEHOLDER).format(greeting=greeting)
        self._update_hint()

    def compose(self) -> ComposeResult:
        yield Static(syntax_hint("", self.greeting, self.refused, self.rfc821), id="hint")
        with Horizontal():
            yield Static("C:", id="prompt")
            yield self.input

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._update_hint()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value   # the input is already empty (LineInput.CLEAR_ON_ENTER)
        self._walk = None
        if not line and not self.data_mode:
            self.query_one("#hint", Static).update(
                Text(_("Nothing sent: an empty line is only meaningful inside DATA."), "dim"))
            return
        self.remember(line)
        self.post_message(self.Submitted([line]))

    def remember(self, line: str) -> None:
        if line and not self.data_mode and (not self.history or self.history[-1] != line):
            self.history.append(line[:1000])
            del self.history[:-HISTORY_LIMIT]

    def walk_history(self, step: int) -> None:
        if not self.history:
            return
        if self._walk is None:
            if step > 0:
                return
            self._draft, self._walk = self.input.value, len(self.history)
        self._walk = max(0, min(len(self.history), self._walk + step))
        self.input.value = (self.history[self._walk] if self._walk < len(self.history)
                            else self._draft)
        self.input.cursor_position = len(self.input.value)

    def say_again(self) -> None:
        """The placeholder and the hint in the current language (after F12)."""
        self.watch_data_mode()

    def watch_data_mode(self) -> None:
        self.set_class(self.data_mode, "-data")
        self._update_prompt()
        self.input.placeholder = (_("message text; a line holding only '.' ends it")
                                  if self.data_mode else
                                  _(PLACEHOLDER).format(greeting=self.greeting))
        self._update_hint()

    def watch_closed(self) -> None:
        self.set_class(self.closed, "-closed")
        self._update_prompt()
        self._update_hint()

    def _update_prompt(self) -> None:
        if self.is_mounted:
            label = _(CLOSED_LABEL) if self.closed else "DATA" if self.data_mode else "C:"
            self.query_one("#prompt", Static).update(label, layout=False)   # fixed width

    def _update_hint(self) -> None:
        if not self.is_mounted:
            return
        if self.closed:
            hint = Text(_(self.closed_hint), "bold")
        elif self.data_mode:
            hint = Text(_("DATA mode (after 354): each line is message text; a line with "
                          "only '.' ends it (RFC 5321 4.1.1.4)"))
        else:
            hint = syntax_hint(self.input.value, self.greeting, self.refused, self.rfc821)
        hint_line = self.query_one("#hint", Static)
        if hint != self._hint:
            self._hint = hint
            # one fixed row: a repaint is enough; DATA mode's hint may wrap to two rows
            hint_line.update(hint, layout=self.data_mode)
