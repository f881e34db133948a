"""Everything the learner can do besides typing: one table drives keys, F1 and the palette.

App-wide keys are F-keys or ctrl combinations, because the command input (focused
most of the time) takes every printable key for itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..i18n import N_, _, ngettext
from ..mta import Fault, OutgoingMessage, default_world
from .widgets.command_bar import CommandInput
from .widgets.transcript_view import TranscriptView

if TYPE_CHECKING:
    from .app import SmtpsimApp

PLAY_INTERVAL = 0.4   # seconds between two steps of the client MTA when playing

#: (key, action, footer label, palette title, palette help, shown in the footer)
ACTIONS = [
    ("f1", "help", N_("Keys"), N_("Keys and help"),
     N_("Every key of the app, with what it does"), True),
    ("f2", "compose", N_("Compose"), N_("Compose a message"),
     N_("From, To (several), Subject, body: the client MTA sends it itself"), True),
    ("f3", "step", N_("Step"), N_("Next step of the client MTA"),
     N_("The client MTA sends its next command (or the whole message text)"), True),
    ("f4", "play", N_("Play"), N_("Play / pause the client MTA"),
     N_("The client MTA sends its outbox continuously, step after step"), True),
    ("f5", "new_connection", N_("New conn"), N_("New connection"),
     N_("Close this connection and connect again (same world, profile and faults)"), True),
    ("f6", "pick_profile", N_("Profile"), N_("Switch server profile"),
     N_("classic (RFC 821), modern (RFC 5321, default) or hardened"), True),
    ("f7", "pick_fault", N_("Fault"), N_("Arm a fault"),
     N_("Make a chosen occurrence of a command fail with a chosen code"), True),
    ("f8", "lookup", N_("Explain"), N_("Explain a code or command"),
     N_("Look up a reply code (550), a command (SOML) or an enhanced code (5.7.1)"), True),
    ("f9", "export", N_("Export"), N_("Export the transcript"),
     N_("Choose a folder and a name, this connection or the whole session: a replayable "
        "script (.txt), an explained transcript (.md), a capture (.pcapng) and a sequence "
        "diagram (.sequence.md, .svg)"), True),
    ("ctrl+l", "lessons", N_("Lessons"), N_("Lessons"),
     N_("The lesson picker: each lesson with your completion; Enter opens one beside the "
        "simulator"), False),
    ("ctrl+g", "lesson('hint')", N_("Hint"), N_("Lesson: hint"),
     N_("A hint for the current step of the open lesson"), False),
    ("ctrl+o", "lesson('answer')", N_("Answer"), N_("Lesson: model answer"),
     N_("The model answer for the current step of the open lesson"), False),
    ("ctrl+n", "lesson('reconnect')", N_("Step again"),
     N_("Lesson: new connection for this step"),
     N_("Open a new connection so the current step of the lesson starts again"), False),
    ("ctrl+f", "lesson('next')", N_("Next lesson"), N_("Lesson: next lesson"),
     N_("Open the next lesson (when this one is complete, or to skip it)"), False),
    ("ctrl+e", "exam_practice", N_("Practice"), N_("Exam practice"),
     N_("Practice questions with a fresh seed: feedback after every answer, no clock"), False),
    ("ctrl+y", "toggle_pipelining", N_("Pipelining"), N_("Client pipelining on/off"),
     N_("RFC 2920: if the server lists PIPELINING, the client MTA sends MAIL, every RCPT and "
        "DATA in one write, then reads the replies in order (new connection)"), False),
    ("ctrl+k", "journey", N_("Journey"), N_("Follow the messages over hop 2"),
     N_("Where this session's relayed messages go: MX lookup, every hop on the simulated "
        "clock, retries and bounces (as smtpsim run --follow prints them)"), False),
    ("ctrl+r", "reset", N_("Reset"), N_("Reset the world"),
     N_("Fresh world (empty mailboxes, queued mail back) and a new connection"), False),
    ("f10", "toggle_tall", N_("Tall"), N_("Tall transcripts on/off"),
     N_("The two conversations take the whole height (insides, diagram and explanation "
        "hidden): for 80x24 and projectors; again to bring the rest back"), False),
    ("ctrl+b", "mailboxes", N_("Mailboxes"), N_("Read the delivered mail"),
     N_("Every user's mailbox and terminal, each message whole, with who added which header "
        "line and why (or click a user in the server pane)"), False),
    ("ctrl+t", "toggle_theme", N_("Projector"), N_("Projector theme"),
     N_("Switch between the default theme and a high-contrast one"), False),
    ("pageup", "travel(-1)", N_("Earlier"), N_("Step back in the session"),
     N_("Select the previous line: panes, diagram and explanation as they were"), False),
    ("pagedown", "travel(1)", N_("Later"), N_("Step forward in the session"),
     N_("Select the next line; at the newest line the view follows live"), False),
    ("escape", "live", N_("Newest"), N_("Back to the newest line"),
     N_("Leave time travel and follow the session live"), False),
    ("ctrl+pageup", "view_connection(-1)", N_("Earlier conn"), N_("View the earlier connection"),
     N_("Show the connection before this one (a lesson's TURN session, the one before F5): "
        "its lines, buffers and explanations, to select and step through"), False),
    ("ctrl+pagedown", "view_connection(1)", N_("Later conn"), N_("View the later connection"),
     N_("Show the connection after this one; past the newest, the live one again"), False),
    ("f12", "switch_language", N_("Language"), N_("Language: English / italiano"),
     N_("Switch the language of explanations, help and lessons opened from now on; "
        "it is remembered"), False),
]



def bindings_for(actions: list[tuple]) -> list[Binding]:
    """Textual bindings for rows of an actions table, plus ctrl+q to quit."""
    # Descriptions stay N_-marked English here: translate_bindings says them when the
    # app is made and after each language switch.
    return [Binding(key, action, label, show=shown) for key, action, label, _t, _h, shown
            in actions] + [Binding("ctrl+q", "quit", N_("Quit"), show=False)]


def shown_keys(actions: list[tuple]) -> list[tuple[str, str, str]]:
    """The key bar: the rows marked as shown, then the palette (which lists the rest)."""
    keys = [(key, action, label) for key, action, label, _, _, shown in actions if shown]
    return keys + [("ctrl+p", "command_palette", N_("Actions"))]


def open_export(app, parts, connections: int, folder: Path) -> None:
    """F9 in every mode: the export dialog, then say where the files went (full paths)."""
    from .screens.export import ExportScreen

    def done(paths: list[Path] | None) -> None:
        if not paths:
            return
        app.status_note = ngettext("exported {count} file to {folder}",
                                   "exported {count} files to {folder}", len(paths)).format(
            count=len(paths), folder=paths[0].parent)
        app.notify("\n".join(str(path) for path in paths), title=_("Exported"),
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
    def key_groups(self: SmtpsimApp) -> list[tuple[str, list[tuple[str, str]]]]:
        app_keys = [(key, f"{_(title)} - {_(help_)}") for key, _a, _l, title, help_, _s
                    in ACTIONS]
        app_keys += [("ctrl+p", _("Command palette - every action by name")),
                     ("ctrl+q", _("Quit")), ("tab / shift+tab", _("Move focus between panes"))]
        input_keys = [(b.key, _(b.description)) for b in CommandInput.BINDINGS
                      if not b.action.startswith("app.")]   # app keys are listed above
        input_keys += [(_("→ at the end"), _("Accept the grey completion")),
                       ("enter", _("Send the line (in DATA mode: a line of message text)")),
                       (_("paste"), _("A pasted block is sent line by line, like a script"))]
        pane_keys = [(b.key, _(b.description)) for b in TranscriptView.BINDINGS]
        pane_keys.append((_("click"), _("Select that line")))
        groups = [(_("Everywhere"), app_keys), (_("Command line"), input_keys),
                  (_("Transcript panes (client and server)"), pane_keys)]
        if self.is_web:
            from .served import HELP_GROUP, help_rows
            groups.insert(1, (_(HELP_GROUP), help_rows()))
        return groups

    def action_help(self: SmtpsimApp) -> None:
        from .screens.info import HelpScreen  # screens load on first use: a faster start
        self.push_screen(HelpScreen(self.key_groups()))

    def get_system_commands(self: SmtpsimApp, screen: Screen) -> Iterable[SystemCommand]:
        for _k, action, _l, title, help_, _s in ACTIONS:
            yield SystemCommand(_(title), _(help_), self._palette_callback(action))
        yield from super().get_system_commands(screen)   # type: ignore[misc]

    def _palette_callback(self: SmtpsimApp, action: str):
        async def run() -> None:
            await self.run_action(action)
        return run

    # -- the client MTA plays by itself ---------------------------------------------------
    def action_compose(self: SmtpsimApp) -> None:
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

    def _on_message_composed(self: SmtpsimApp,
                             result: tuple[OutgoingMessage, bool] | None) -> None:
        if result is None:
            return
        message, play = result
        self.queue_message(message)
        if play:
            self.action_play()

    def queue_message(self: SmtpsimApp, message: OutgoingMessage) -> None:
        if self.session.closed:
            self.new_session()
        self.session.queue_message(message)
        self.status_note = _("queued for {recipients}: F3 steps, F4 plays").format(
            recipients=", ".join(message.recipients))
        self._apply([])

    def action_step(self: SmtpsimApp) -> bool:
        """One step of the client MTA; False when it has nothing left to do."""
        self.back_to_live()
        self.selected = None
        entries = self.session.play_step()
        self.status_note = "" if entries else _("the client MTA has nothing to send")
        self._apply(entries)
        return bool(entries)

    def action_play(self: SmtpsimApp) -> None:
        if self._play_timer is not None:
            self.stop_playing()
            self.status_note = _("paused: F3 steps, F4 plays on")
            self._show()
            return
        self._play_timer = self.set_interval(PLAY_INTERVAL, self._play_tick)

    def _play_tick(self: SmtpsimApp) -> None:
        if not self.action_step():
            self.stop_playing()

    def stop_playing(self: SmtpsimApp) -> None:
        if self._play_timer is not None:
            self._play_timer.stop()
            self._play_timer = None

    def action_toggle_pipelining(self: SmtpsimApp) -> None:
        self.pipelining = not self.pipelining
        if not self.pipelining:
            self.status_note = _("client pipelining off: one command, then its reply; new "
                                 "connection")
        elif self.session.profile.advertises("PIPELINING"):
            self.status_note = _("client pipelining on (RFC 2920): MAIL, RCPT and DATA go out "
                                 "together, replies come back in order; new connection")
        else:
            self.status_note = _("client pipelining on, but the {profile} server lists no "
                                 "PIPELINING: one command at a time; new connection").format(
                profile=self.session.profile.name)
        self.new_session()

    # -- connections, profiles, faults -------------------------------------------------------
    def action_new_connection(self: SmtpsimApp) -> None:
        self.status_note = _("new connection")
        self.new_session()

    def action_reset(self: SmtpsimApp) -> None:
        self.status_note = _("fresh world, new connection")
        self.new_session(world=default_world())

    def action_pick_profile(self: SmtpsimApp) -> None:
        from .screens.pickers import ProfilePicker

        def chosen(name: str | None) -> None:
            if name:
                self.status_note = _("profile {name}: new connection").format(name=name)
                self.new_session(profile=name)
        self.push_screen(ProfilePicker(self.session.profile.name), chosen)

    def action_pick_fault(self: SmtpsimApp) -> None:
        from .screens.pickers import FaultPicker

        def chosen(fault: Fault | None) -> None:
            if fault is not None:
                self.arm_fault(fault)
                where = (_("the next connection (F5)") if fault.verb == "CONNECT"
                         else _("this connection and new ones"))
                self.status_note = _("armed {fault} on {where}").format(fault=fault.spec,
                                                                       where=where)
                self._show()
        self.push_screen(FaultPicker(), chosen)

    # -- the course: lessons and exam practice -------------------------------------------
    def action_lessons(self: SmtpsimApp) -> None:
        from .course.lesson_picker import open_lesson_picker
        open_lesson_picker(self)

    def action_lesson(self: SmtpsimApp, name: str) -> None:
        """The open lesson's hint / answer / reconnect, whichever widget has focus."""
        from .course.lesson_pane import LessonPane
        panes = list(self.query(LessonPane))
        if not panes:
            self.notify(_("No lesson is open: ctrl+l picks one."), timeout=3)
            return
        for pane in panes:
            getattr(pane, "action_" + name)()

    def action_exam_practice(self: SmtpsimApp) -> None:
        """Practice mode (feedback after each answer, no clock) on a newly drawn seed."""
        import secrets

        from ..course.exam import ExamSettings
        from ..course.exam_cli import MAX_SEED
        from .course.exam_screen import open_exam
        seed = secrets.randbelow(MAX_SEED) + 1
        screen = open_exam(self, ExamSettings(seed=seed, practice=True))
        if screen is not None:
            self.notify(_("Practice questions, seed {seed} (smtpsim exam --seed {seed} "
                          "gives them again)").format(seed=seed), timeout=5, markup=False)

    # -- explain, export, theme, time travel ------------------------------------------------
    def action_journey(self: SmtpsimApp) -> None:
        from .screens.journey import JourneyScreen
        self.push_screen(JourneyScreen(self.session))

    def action_lookup(self: SmtpsimApp) -> None:
        from .screens.info import LookupScreen
        self.push_screen(LookupScreen())

    def action_export(self: SmtpsimApp) -> None:
        if self.is_web:   # in a browser tab: the files go to the student's browser
            from .served import deliver_export
            deliver_export(self)
            self._show()
            return
        open_export(self, self.export_parts, len(self.connections), self.export_dir)

    def action_mailboxes(self: SmtpsimApp, user: str | None = None) -> None:
        from .screens.mailbox import MailboxScreen
        world = self.session.turn_server.world if self.session.turn_server else \
            self.session.world
        self.push_screen(MailboxScreen(world, user))

    def action_toggle_tall(self: SmtpsimApp) -> None:
        self.screen.toggle_class("-tall")

    def action_toggle_theme(self: SmtpsimApp) -> None:
        from .app import DEFAULT_THEME, PROJECTOR
        self.theme = DEFAULT_THEME if self.theme == PROJECTOR.name else PROJECTOR.name

    def action_travel(self: SmtpsimApp, step: int) -> None:
        current = self.newest_reply() if self.selected is None else self.selected
        self.select_entry(max(0, current + step))

    def action_live(self: SmtpsimApp) -> None:
        if self.selected is None and self.viewing is not None:
            self.back_to_live()   # Esc at an earlier connection's newest line: live again
            return
        self.select_entry(None)

    def action_switch_language(self: SmtpsimApp) -> None:
        """The next language smtpsim has, for this run and (in the settings file) the next;
        the session, the world and lesson progress are untouched."""
        from .. import i18n, settings
        languages = i18n.available()
        current = i18n.language()
        chosen = i18n.set_language(
            languages[(languages.index(current) + 1) % len(languages)]
            if current in languages else i18n.ENGLISH)
        try:
            settings.save(language=chosen)
        except OSError as error:
            self.notify(_("Language not saved: {error}").format(error=error),
                        severity="warning", markup=False)
        self.status_note = _("Language: {name}").format(
            name=i18n.NATIVE_NAMES.get(chosen, chosen))
        self.retranslate()
