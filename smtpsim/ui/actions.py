"""What the simulator's keys do: compose, step, play, connections, profiles, faults, the
course, mailboxes, tall view, language.

The keys themselves are rows of the table in :mod:`smtpsim.ui.keys`; help, palette,
lookup, theme, time travel and export are the shell's (:mod:`smtpsim.ui.shell`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import _
from ..mta import Fault, OutgoingMessage, default_world
from .widgets.command_bar import CommandInput
from .widgets.transcript_view import TranscriptView

if TYPE_CHECKING:
    from .app import SmtpsimApp

PLAY_INTERVAL = 0.4   # seconds between two steps of the client MTA when playing


class AppActions:
    """Mixed into :class:`~smtpsim.ui.app.SmtpsimApp`; ``self`` is the app."""

    selected: int | None   # the app's (AppShell): None follows the newest line
    _play_timer = None

    # -- help: the simulator's groups after the shell's ----------------------------------
    def key_groups(self: SmtpsimApp) -> list[tuple[str, list[tuple[str, str]]]]:
        input_keys = [(b.key, _(b.description)) for b in CommandInput.BINDINGS
                      if not b.action.startswith("app.")]   # app keys are listed above
        input_keys += [(_("→ at the end"), _("Accept the grey completion")),
                       ("enter", _("Send the line (in DATA mode: a line of message text)")),
                       (_("paste"), _("A pasted block is sent line by line, like a script"))]
        pane_keys = [(b.key, _(b.description)) for b in TranscriptView.BINDINGS]
        pane_keys.append((_("click"), _("Select that line")))
        groups = [(_("Everywhere"), self.everywhere_keys()), (_("Command line"), input_keys),
                  (_("Transcript panes (client and server)"), pane_keys)]
        if self.is_web:
            from .served import HELP_GROUP, help_rows
            groups.insert(1, (_(HELP_GROUP), help_rows()))
        return groups

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
            self.refresh_view()
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
                self.refresh_view()
        self.push_screen(FaultPicker(), chosen)

    # -- the course: lessons and exam practice -------------------------------------------
    def action_lessons(self: SmtpsimApp) -> None:
        from .course.lesson_pane import open_lesson_picker
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

        from ..course.exam import MAX_SEED, ExamSettings
        from .course.exam_screen import open_exam
        seed = secrets.randbelow(MAX_SEED) + 1
        screen = open_exam(self, ExamSettings(seed=seed, practice=True))
        if screen is not None:
            self.notify(_("Practice questions, seed {seed} (smtpsim exam --seed {seed} "
                          "gives them again)").format(seed=seed), timeout=5, markup=False)

    # -- the journey, export, mailboxes, views, language ---------------------------------
    def action_journey(self: SmtpsimApp) -> None:
        from .journey_actions import toggle_panel
        toggle_panel(self)

    def action_clock_next(self: SmtpsimApp) -> None:
        from .journey_actions import advance
        advance(self)

    def action_queue_to_end(self: SmtpsimApp) -> None:
        from .journey_actions import run_to_end
        run_to_end(self)

    def action_export(self: SmtpsimApp) -> None:
        if self.is_web:   # in a browser tab: the files go to the student's browser
            from .served import deliver_export
            deliver_export(self)
            self.refresh_view()
            return
        super().action_export()   # type: ignore[misc]

    def action_mailboxes(self: SmtpsimApp, user: str | None = None) -> None:
        from .screens.mailbox import MailboxScreen
        world = self.session.turn_server.world if self.session.turn_server else \
            self.session.world
        self.push_screen(MailboxScreen(world, user))

    def action_toggle_tall(self: SmtpsimApp) -> None:
        self.screen.toggle_class("-tall")

    def action_live(self: SmtpsimApp) -> None:
        if self.selected is None and self.viewing is not None:
            self.back_to_live()   # Esc at an earlier connection's newest line: live again
            return
        super().action_live()   # type: ignore[misc]

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
