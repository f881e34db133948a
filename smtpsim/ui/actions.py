"""Everything the learner can do besides typing: one table drives keys, F1 and the palette.

App-wide keys are F-keys or ctrl combinations, because the command input (focused
most of the time) takes every printable key for itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..catalogue import plural
from ..mta import Fault, OutgoingMessage, default_world
from .widgets.command_bar import CommandInput
from .widgets.transcript_view import TranscriptView

if TYPE_CHECKING:
    from .app import SmtpsimApp

PLAY_INTERVAL = 0.4   # seconds between two steps of the client MTA when playing

#: (key, action, footer label, palette title, palette help, shown in the footer)
ACTIONS = [
    ("f1", "help", "Keys", "Keys and help", "Every key of the app, with what it does", True),
    ("f2", "compose", "Compose", "Compose a message",
     "From, To (several), Subject, body: the client MTA sends it itself", True),
    ("f3", "step", "Step", "Next step of the client MTA",
     "The client MTA sends its next command (or the whole message text)", True),
    ("f4", "play", "Play", "Play / pause the client MTA",
     "The client MTA sends its outbox continuously, step after step", True),
    ("f5", "new_connection", "New conn", "New connection",
     "Close this connection and connect again (same world, profile and faults)", True),
    ("f6", "pick_profile", "Profile", "Switch server profile",
     "classic (RFC 821), modern (RFC 5321, default) or hardened", True),
    ("f7", "pick_fault", "Fault", "Arm a fault",
     "Make a chosen occurrence of a command fail with a chosen code", True),
    ("f8", "lookup", "Explain", "Explain a code or command",
     "Look up a reply code (550), a command (SOML) or an enhanced code (5.7.1)", True),
    ("f9", "export", "Export", "Export the transcript",
     "Choose a folder and a name, this connection or the whole session: a replayable "
     "script (.txt) and an explained transcript (.md)", True),
    ("ctrl+l", "lessons", "Lessons", "Lessons",
     "The lesson picker: each lesson with your completion; Enter opens one beside the "
     "simulator", False),
    ("ctrl+g", "lesson('hint')", "Hint", "Lesson: hint",
     "A hint for the current step of the open lesson", False),
    ("ctrl+o", "lesson('answer')", "Answer", "Lesson: model answer",
     "The model answer for the current step of the open lesson", False),
    ("ctrl+n", "lesson('reconnect')", "Step again", "Lesson: new connection for this step",
     "Open a new connection so the current step of the lesson starts again", False),
    ("ctrl+f", "lesson('next')", "Next lesson", "Lesson: next lesson",
     "Open the next lesson (when this one is complete, or to skip it)", False),
    ("ctrl+e", "exam_practice", "Practice", "Exam practice",
     "Practice questions with a fresh seed: feedback after every answer, no clock", False),
    ("ctrl+y", "toggle_pipelining", "Pipelining", "Client pipelining on/off",
     "RFC 2920: if the server lists PIPELINING, the client MTA sends MAIL, every RCPT and "
     "DATA in one write, then reads the replies in order (new connection)", False),
    ("ctrl+r", "reset", "Reset", "Reset the world",
     "Fresh world (empty mailboxes, queued mail back) and a new connection", False),
    ("f10", "toggle_tall", "Tall", "Tall transcripts on/off",
     "The two conversations take the whole height (insides, diagram and explanation "
     "hidden): for 80x24 and projectors; again to bring the rest back", False),
    ("ctrl+b", "mailboxes", "Mailboxes", "Read the delivered mail",
     "Every user's mailbox and terminal, each message whole, with who added which header "
     "line and why (or click a user in the server pane)", False),
    ("ctrl+t", "toggle_theme", "Projector", "Projector theme",
     "Switch between the default theme and a high-contrast one", False),
    ("pageup", "travel(-1)", "Earlier", "Step back in the session",
     "Select the previous line: panes, diagram and explanation as they were", False),
    ("pagedown", "travel(1)", "Later", "Step forward in the session",
     "Select the next line; at the newest line the view follows live", False),
    ("escape", "live", "Newest", "Back to the newest line",
     "Leave time travel and follow the session live", False),
    ("ctrl+pageup", "view_connection(-1)", "Earlier conn", "View the earlier connection",
     "Show the connection before this one (a lesson's TURN session, the one before F5): "
     "its lines, buffers and explanations, to select and step through", False),
    ("ctrl+pagedown", "view_connection(1)", "Later conn", "View the later connection",
     "Show the connection after this one; past the newest, the live one again", False),
]



def bindings_for(actions: list[tuple]) -> list[Binding]:
    """Textual bindings for rows of an actions table, plus ctrl+q to quit."""
    return [Binding(key, action, label, show=shown) for key, action, label, _, _, shown
            in actions] + [Binding("ctrl+q", "quit", "Quit", show=False)]


def shown_keys(actions: list[tuple]) -> list[tuple[str, str, str]]:
    """The key bar: the rows marked as shown, then the palette (which lists the rest)."""
    keys = [(key, action, label) for key, action, label, _, _, shown in actions if shown]
    return keys + [("ctrl+p", "command_palette", "Actions")]


def open_export(app, parts, connections: int, folder: Path) -> None:
    """F9 in every mode: the export dialog, then say where the files went (full paths)."""
    from .screens.export import ExportScreen

    def done(paths: list[Path] | None) -> None:
        if not paths:
            return
        app.status_note = f"exported {plural(len(paths), 'file', 'files')} to {paths[0].parent}"
        app.notify("\n".join(str(path) for path in paths), title="Exported",
                   timeout=10, markup=False)
        refresh = getattr(app, "_show", None) or getattr(app, "refresh_view", None)
        if refresh is not None:
            refresh()
    app.push_screen(ExportScreen(parts, connections, folder), done)


BINDINGS = bindings_for(ACTIONS)
SHOWN_KEYS = shown_keys(ACTIONS)


class AppActions:
    """Mixed into :class:`~smtpsim.ui.app.SmtpsimApp`; ``self`` is the app."""

    _play_timer = None

    # -- help and palette ----------------------------------------------------------------
    def key_groups(self: "SmtpsimApp") -> list[tuple[str, list[tuple[str, str]]]]:
        app_keys = [(key, f"{title} - {help_}") for key, _, _, title, help_, _ in ACTIONS]
        app_keys += [("ctrl+p", "Command palette - every action by name"),
                     ("ctrl+q", "Quit"), ("tab / shift+tab", "Move focus between panes")]
        input_keys = [(b.key, b.description) for b in CommandInput.BINDINGS
                      if not b.action.startswith("app.")]   # app keys are listed above
        input_keys += [("→ at the end", "Accept the grey completion"),
                       ("enter", "Send the line (in DATA mode: a line of message text)"),
                       ("paste", "A pasted block is sent line by line, like a script")]
        pane_keys = [(b.key, b.description) for b in TranscriptView.BINDINGS]
        pane_keys.append(("click", "Select that line"))
        return [("Everywhere", app_keys), ("Command line", input_keys),
                ("Transcript panes (client and server)", pane_keys)]

    def action_help(self: "SmtpsimApp") -> None:
        from .screens.info import HelpScreen   # screens load on first use: a faster start
        self.push_screen(HelpScreen(self.key_groups()))

    def get_system_commands(self: "SmtpsimApp", screen: Screen) -> Iterable[SystemCommand]:
        for _, action, _, title, help_, _ in ACTIONS:
            yield SystemCommand(title, help_, self._palette_callback(action))
        yield from super().get_system_commands(screen)   # type: ignore[misc]

    def _palette_callback(self: "SmtpsimApp", action: str):
        async def run() -> None:
            await self.run_action(action)
        return run

    # -- the client MTA plays by itself ---------------------------------------------------
    def action_compose(self: "SmtpsimApp") -> None:
        from .screens.compose import ComposeScreen
        world = self.session.world
        first_user = next(iter(world.server.users))
        # every composed message gets its own Message-ID (RFC 5322 3.6.4), also when
        # the same text is composed twice
        self.messages_composed += 1
        screen = ComposeScreen(f"{world.learner}@{world.client.name}",
                               f"{first_user}@{world.server.name}",
                               number=self.messages_composed)
        self.push_screen(screen, self._on_message_composed)

    def _on_message_composed(self: "SmtpsimApp",
                             result: tuple[OutgoingMessage, bool] | None) -> None:
        if result is None:
            return
        message, play = result
        self.queue_message(message)
        if play:
            self.action_play()

    def queue_message(self: "SmtpsimApp", message: OutgoingMessage) -> None:
        if self.session.closed:
            self.new_session()
        self.session.queue_message(message)
        self.status_note = f"queued for {', '.join(message.recipients)}: F3 steps, F4 plays"
        self._apply([])

    def action_step(self: "SmtpsimApp") -> bool:
        """One step of the client MTA; False when it has nothing left to do."""
        self.back_to_live()
        self.selected = None
        entries = self.session.play_step()
        self.status_note = "" if entries else "the client MTA has nothing to send"
        self._apply(entries)
        return bool(entries)

    def action_play(self: "SmtpsimApp") -> None:
        if self._play_timer is not None:
            self.stop_playing()
            self.status_note = "paused: F3 steps, F4 plays on"
            self._show()
            return
        self._play_timer = self.set_interval(PLAY_INTERVAL, self._play_tick)

    def _play_tick(self: "SmtpsimApp") -> None:
        if not self.action_step():
            self.stop_playing()

    def stop_playing(self: "SmtpsimApp") -> None:
        if self._play_timer is not None:
            self._play_timer.stop()
            self._play_timer = None

    def action_toggle_pipelining(self: "SmtpsimApp") -> None:
        self.pipelining = not self.pipelining
        if not self.pipelining:
            self.status_note = "client pipelining off: one command, then its reply; new connection"
        elif self.session.profile.advertises("PIPELINING"):
            self.status_note = ("client pipelining on (RFC 2920): MAIL, RCPT and DATA go out "
                                "together, replies come back in order; new connection")
        else:
            self.status_note = (f"client pipelining on, but the {self.session.profile.name} "
                                "server lists no PIPELINING: one command at a time; new connection")
        self.new_session()

    # -- connections, profiles, faults -------------------------------------------------------
    def action_new_connection(self: "SmtpsimApp") -> None:
        self.status_note = "new connection"
        self.new_session()

    def action_reset(self: "SmtpsimApp") -> None:
        self.status_note = "fresh world, new connection"
        self.new_session(world=default_world())

    def action_pick_profile(self: "SmtpsimApp") -> None:
        from .screens.pickers import ProfilePicker

        def chosen(name: str | None) -> None:
            if name:
                self.status_note = f"profile {name}: new connection"
                self.new_session(profile=name)
        self.push_screen(ProfilePicker(self.session.profile.name), chosen)

    def action_pick_fault(self: "SmtpsimApp") -> None:
        from .screens.pickers import FaultPicker

        def chosen(fault: Fault | None) -> None:
            if fault is not None:
                self.arm_fault(fault)
                where = ("the next connection (F5)" if fault.verb == "CONNECT"
                         else "this connection and new ones")
                self.status_note = f"armed {fault.spec} on {where}"
                self._show()
        self.push_screen(FaultPicker(), chosen)

    # -- the course: lessons and exam practice -------------------------------------------
    def action_lessons(self: "SmtpsimApp") -> None:
        from .course.lesson_picker import open_lesson_picker
        open_lesson_picker(self)

    def action_lesson(self: "SmtpsimApp", name: str) -> None:
        """The open lesson's hint / answer / reconnect, whichever widget has focus."""
        from .course.lesson_pane import LessonPane
        panes = list(self.query(LessonPane))
        if not panes:
            self.notify("No lesson is open: ctrl+l picks one.", timeout=3)
            return
        for pane in panes:
            getattr(pane, "action_" + name)()

    def action_exam_practice(self: "SmtpsimApp") -> None:
        """Practice mode (feedback after each answer, no clock) on a newly drawn seed."""
        import secrets

        from ..course.exam import ExamSettings
        from ..course.exam_cli import MAX_SEED
        from .course.exam_screen import open_exam
        seed = secrets.randbelow(MAX_SEED) + 1
        screen = open_exam(self, ExamSettings(seed=seed, practice=True))
        if screen is not None:
            self.notify(f"Practice questions, seed {seed} (smtpsim exam --seed {seed} "
                        "gives them again)", timeout=5, markup=False)

    # -- explain, export, theme, time travel ------------------------------------------------
    def action_lookup(self: "SmtpsimApp") -> None:
        from .screens.info import LookupScreen
        self.push_screen(LookupScreen())

    def action_export(self: "SmtpsimApp") -> None:
        open_export(self, self.export_parts, len(self.connections), self.export_dir)

    def action_mailboxes(self: "SmtpsimApp", user: str | None = None) -> None:
        from .screens.mailbox import MailboxScreen
        world = self.session.turn_server.world if self.session.turn_server else \
            self.session.world
        self.push_screen(MailboxScreen(world, user))

    def action_toggle_tall(self: "SmtpsimApp") -> None:
        self.screen.toggle_class("-tall")

    def action_toggle_theme(self: "SmtpsimApp") -> None:
        from .app import DEFAULT_THEME, PROJECTOR
        self.theme = DEFAULT_THEME if self.theme == PROJECTOR.name else PROJECTOR.name

    def action_travel(self: "SmtpsimApp", step: int) -> None:
        current = self.newest_reply() if self.selected is None else self.selected
        self.select_entry(max(0, current + step))

    def action_live(self: "SmtpsimApp") -> None:
        if self.selected is None and self.viewing is not None:
            self.back_to_live()   # Esc at an earlier connection's newest line: live again
            return
        self.select_entry(None)
