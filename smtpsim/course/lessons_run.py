"""Taking a lesson: the current step, its check after every line, and feedback.

A :class:`LessonRun` follows one learner through one lesson.  It opens the
connections the lesson asks for (the first step always opens one, later steps
when they say ``new_connection = true``), and after each line the learner types
it asks the engine whether the step's check is now true.  It never looks at the
typed text itself: only at replies, states and deliveries.

When a step is not yet passed and the server has just answered, the feedback
carries the engine's own explanation of that reply (``smtpsim.mta.explain``):
what actually happened and why, with the RFC section.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..mta import Fault, Session
from ..mta.explain import as_text, explain_entry
from ..protocol import ProtocolError
from .checks import Outcome, Snapshot, evaluate, replies
from .lessons import Lesson, Step

Connect = Callable[[str, tuple[Fault, ...]], Session]

PASSED = "passed"        # the step's check became true with this line
NOT_YET = "not_yet"      # the server answered, the check is still false
TYPING = "typing"        # message text after 354: no reply to judge yet
CLOSED = "closed"        # the connection closed before the step was passed


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
    def __init__(self, lesson: Lesson, connect: Connect = new_session) -> None:
        self.lesson = lesson
        self._connect = connect
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
        if self.session is None or self.lesson.opens_connection(step):
            self.reconnect()
        else:
            self._mark()

    def reconnect(self) -> Session:
        """A fresh connection for the current step (also the way out of a closed one)."""
        step = self.current or self.steps[-1]
        profile, faults = self.lesson.connection_for(step)
        self.attach(self._connect(profile, faults))
        assert self.session is not None
        return self.session

    def attach(self, session: Session) -> None:
        """Follow another session (the app opened a new connection); the step restarts."""
        if session is not self.session:
            self.session = session
            self.sessions.append(session)
        self._mark()

    def _mark(self) -> None:
        assert self.session is not None
        self.start = self._read = len(self.session.transcript)
        self.snapshot = Snapshot.take(self.session)

    # -- acting and judging ------------------------------------------------------------------
    def type_line(self, text: str) -> Feedback | None:
        assert self.session is not None
        self.session.type_line(text)
        return self.update()

    def update(self) -> Feedback | None:
        """Judge the current step against everything the session did since it began."""
        step, session = self.current, self.session
        if step is None or session is None or self.snapshot is None:
            return None
        entries = session.transcript.entries[self.start:]
        fresh = session.transcript.entries[self._read:]
        self._read = len(session.transcript)
        if not fresh:
            return None
        outcome = evaluate(step.check, session, entries, self.snapshot)
        if outcome.passed:
            feedback = Feedback(PASSED, step, outcome, step.success)
            self.index += 1
            self._begin_step()
        else:
            answered = replies(fresh)
            explanation = as_text(explain_entry(answered[-1])) if answered else ""
            if session.closed and not session.reversed:
                status, message = CLOSED, (f"Not yet: wanted {outcome.wanted}; found "
                                           f"{outcome.found}. The connection is closed: "
                                           "open a new one and try again.")
            elif answered:
                status, message = NOT_YET, (f"Not yet: wanted {outcome.wanted}; found "
                                            f"{outcome.found}.")
            else:
                status, message = TYPING, "Message text: end it with a line holding only '.'"
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
            problems.append(f"step {step.number}: the model answer cannot be typed: {error}")
            break
        if run.current is step:
            found = feedback.outcome.found if feedback and feedback.outcome else "nothing"
            problems.append(f"step {step.number}: the model answer does not pass its check "
                            f"(wanted {step.check.describe()}; found {found})")
            break
        if typed < len(step.answer):
            problems.append(f"step {step.number}: the check passes after answer line {typed} "
                            f"of {len(step.answer)}; the lines after it belong to no step")
            break
    return run, problems
