"""Taking a lesson: the current step, its check after every line, and feedback;
and replaying a lesson's model answers, for the tests and ``smtpsim lessons check``.

A :class:`LessonRun` follows one learner through one lesson.  It opens the
connections the lesson asks for (the first step always opens one, later steps
when they say ``new_connection = true``), and after each line the learner types
it asks the engine whether the step's check is now true.  It never looks at the
typed text itself: only at replies, states and deliveries.

In the app (``wait_to_connect=True``) a step that passes and is followed by a step
on a new connection leaves the finished connection in place: the learner reads the
step's success beside what it describes (a reversed TURN session, a 452), and the
next step's connection opens when they move on (:meth:`LessonRun.move_on`).

When a step is not yet passed and the server has just answered, the feedback
carries the engine's own explanation of that reply (``smtpsim.mta.explain``):
what actually happened and why, with the RFC section.

Validating lesson files for a teacher (:func:`check_path`) has three layers, each
reported as ``file:line: message``: TOML syntax (the parser's own line number);
the format, checked against the catalogue, the protocol states and the default
world (``lessons.read_lesson``); and the model answers, replayed through the
engine - each step's answer must make its own check true, or no learner could be
expected to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import N_, _
from ..mta import Entry, Fault, Session
from ..mta.explain import as_text, explain_entry
from ..mta.phrases import error_text
from ..protocol import ProtocolError
from .checks import Outcome, Snapshot, evaluate, replies
from .lessons import Lesson, Problem, Step, lesson_files, load_files, locate

Connect = Callable[[str, tuple[Fault, ...]], Session]

PASSED = "passed"        # the step's check became true with this line
NOT_YET = "not_yet"      # the server answered, the check is still false
TYPING = "typing"        # message text after 354: no reply to judge yet
CLOSED = "closed"        # the connection closed before the step was passed
# Feedback for a step not passed yet: two labelled parts, whatever the check says.
NOT_YET_TEXT = N_("Not yet. Wanted: {wanted}. Found: {found}.")


@dataclass(frozen=True)
class Feedback:
    status: str
    step: Step
    outcome: Outcome | None = None
    message: str = ""
    explanation: str = ""      # the engine's explanation of the latest reply


def new_session(profile: str, faults: tuple[Fault, ...]) -> Session:
    return Session(profile, faults)


class LessonRun:
    def __init__(self, lesson: Lesson, connect: Connect = new_session, *,
                 wait_to_connect: bool = False) -> None:
        self.lesson = lesson
        self._connect = connect
        self._wait_to_connect = wait_to_connect
        # The current step needs a new connection that is not open yet (see move_on).
        self.waiting_to_connect = False
        self.index = 0
        self.session: Session | None = None
        self.sessions: list[Session] = []   # every connection of this run, oldest first
        self.start = 0                      # transcript index where the step began
        self._read = 0                      # transcript index already judged
        self.snapshot: Snapshot | None = None
        self.hints_used = 0
        self.last: Feedback | None = None
        self._begin_step()

    # -- where the learner is ----------------------------------------------------------
    @property
    def steps(self) -> tuple[Step, ...]:
        return self.lesson.steps

    @property
    def current(self) -> Step | None:
        return self.steps[self.index] if self.index < len(self.steps) else None

    @property
    def completed(self) -> int:
        return self.index

    @property
    def done(self) -> bool:
        return self.index >= len(self.steps)

    # -- connections ---------------------------------------------------------------------
    def _begin_step(self) -> None:
        step = self.current
        if step is None:
            return
        if self.session is None:
            self.reconnect()
        elif self.lesson.opens_connection(step):
            if self._wait_to_connect:
                self.waiting_to_connect = True   # the finished connection stays on screen
            else:
                self.reconnect()
        else:
            self._mark()

    def move_on(self) -> Session | None:
        """Open the connection the current step waits for; None if it waits for none."""
        return self.reconnect() if self.waiting_to_connect else None

    def reconnect(self) -> Session:
        """A fresh connection for the current step (also the way out of a closed one)."""
        step = self.current or self.steps[-1]
        profile, faults = self.lesson.connection_for(step)
        self.attach(self._connect(profile, faults))
        assert self.session is not None
        return self.session

    def attach(self, session: Session) -> None:
        """Follow another session (the app opened a new connection); the step restarts."""
        self.waiting_to_connect = False
        if session is not self.session:
            self.session = session
            self.sessions.append(session)
        self._mark()

    def _mark(self) -> None:
        assert self.session is not None
        self.start = self._read = len(self.session.transcript)
        self.snapshot = Snapshot.take(self.session)
        self._step_entries: list[Entry] = []   # the step's entries, grown line by line
        self._seen: dict[int, Entry | None] = {}   # reply_seen checks already judged

    # -- acting and judging ------------------------------------------------------------------
    def type_line(self, text: str) -> Feedback | None:
        assert self.session is not None
        self.session.type_line(text)
        return self.update()

    def update(self) -> Feedback | None:
        """Judge the current step against everything the session did since it began."""
        step, session = self.current, self.session
        if step is None or session is None or self.snapshot is None \
                or self.waiting_to_connect:
            return None     # nothing to judge (lines on the finished connection included)
        fresh = session.transcript.entries[self._read:]
        self._read = len(session.transcript)
        if not fresh:
            return None
        entries = self._step_entries
        entries.extend(fresh)
        if all(e.in_data and e.side == "C" for e in fresh) and self.last is not None \
                and self.last.status == TYPING:
            return self.last   # a line of message text: nothing the server did changed
        outcome = evaluate(step.check, session, entries, self.snapshot, fresh, self._seen)
        if outcome.passed:
            feedback = Feedback(PASSED, step, outcome, step.success)
            self.index += 1
            self._begin_step()
        else:
            answered = replies(fresh)
            explanation = as_text(explain_entry(answered[-1])) if answered else ""
            if session.closed and not session.reversed:
                status, message = CLOSED, (_(NOT_YET_TEXT).format(wanted=outcome.wanted,
                                                                  found=outcome.found)
                                           + " " + _("The connection is closed: open a new "
                                                     "one and try again."))
            elif answered:
                status, message = NOT_YET, _(NOT_YET_TEXT).format(wanted=outcome.wanted,
                                                                  found=outcome.found)
            else:
                status, message = TYPING, _("Message text: end it with a line holding only '.'")
            feedback = Feedback(status, step, outcome, message, explanation)
        self.last = feedback
        return feedback

    def hint(self) -> str:
        step = self.current
        if step is None:
            return ""
        self.hints_used += 1
        return step.hint

    def model_answer(self) -> tuple[str, ...]:
        step = self.current
        return step.answer if step else ()


def replay(lesson: Lesson, connect: Connect = new_session) -> tuple[LessonRun, list[str]]:
    """Type every step's model answer; return the run and what went wrong (empty: all pass).

    Used by the tests and by ``smtpsim lessons check``: a lesson whose own model
    answers do not pass its checks is a broken lesson.
    """
    run = LessonRun(lesson, connect)
    problems: list[str] = []
    for step in lesson.steps:
        feedback = None
        typed = 0
        try:
            for line in step.answer:
                if run.current is not step:
                    break
                feedback = run.type_line(line)
                typed += 1
        except ProtocolError as error:
            problems.append(_(STEP).format(number=step.number)
                            + _("the model answer cannot be typed: {error}").format(
                                error=error_text(error)))
            break
        if run.current is step:
            found = feedback.outcome.found if feedback and feedback.outcome else _("nothing")
            problems.append(_(STEP).format(number=step.number) + _(
                "the model answer does not pass its check (wanted {wanted}; found "
                "{found})").format(wanted=step.check.describe(), found=found))
            break
        if typed < len(step.answer):
            problems.append(_(STEP).format(number=step.number) + _(
                "the check passes after answer line {typed} of {count}; the lines after it "
                "belong to no step").format(typed=typed, count=len(step.answer)))
            break
    return run, problems


# -- validating lesson files ----------------------------------------------------------------
STEP = N_("step {number}: ")   # the prefix of a problem in one step (lessons.py too)


def _step_number(message: str) -> int | None:
    """The step a replay problem names, read back from its prefix in this language."""
    pattern = re.escape(_(STEP)).replace(re.escape("{number}"), r"(\d+)", 1)
    found = re.match(pattern, message)
    return int(found.group(1)) if found else None


@dataclass
class Report:
    files: list[Path] = field(default_factory=list)
    good: list[Lesson] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)   # the replays, for coverage

    @property
    def ok(self) -> bool:
        return bool(self.files) and not self.problems


def check_path(path: Path) -> Report:
    report = Report(files=lesson_files(path))
    loaded = load_files(report.files)
    for broken in loaded.broken:
        report.problems.extend(broken.problems)
    for lesson in loaded.lessons:
        problems = replay_problems(lesson, report.sessions)
        report.problems.extend(problems)
        if not problems:
            report.good.append(lesson)
    report.problems.sort(key=lambda p: (str(p.path), p.line))
    return report


def replay_problems(lesson: Lesson, sessions: list[Session] | None = None) -> list[Problem]:
    """Replay a lesson's model answers; place each failure on its step's ``answer`` line."""
    assert lesson.path is not None
    run, messages = replay(lesson)
    if sessions is not None:
        sessions.extend(run.sessions)
    raw = lesson.path.read_text("utf-8", errors="replace").splitlines()
    out = []
    for message in messages:
        step = _step_number(message)
        out.append(Problem(lesson.path, locate(raw, step, "answer"), message))
    return out


def commands_and_codes(sessions: list[Session]) -> tuple[set[str], set[int]]:
    """What a set of sessions actually exercised: verbs the server answered, codes it sent.

    Computed from transcripts, not from what lessons declare, so that coverage
    claims are facts about the engine's behaviour.
    """
    verbs: set[str] = set()
    codes: set[int] = set()
    for session in sessions:
        for entry in session.transcript:
            if entry.reply is None or entry.reply.code < 100:
                continue
            codes.add(entry.reply.code)
            if entry.verb and not entry.reversed_roles:
                verbs.add(entry.verb)
    return verbs, codes
