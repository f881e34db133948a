"""Exam practice: a seeded set of questions, sat in practice or exam mode.

* :func:`build_exam` - the same seed gives the same questions and keys, so a class
  can share one exam by sharing a number; another seed gives another exam.  A seed
  fixes a whole sequence of questions and ``count`` takes its first ones: seed 42 with
  ``count`` 5 is the first five questions of seed 42 with ``count`` 10.  Each question
  is drawn from its own ``random.Random`` (seed and position), never the global one.
* :class:`Sitting` - one learner answering one exam.  In **practice** mode every
  answer gets its verdict and explanation at once; in **exam** mode answers are
  only stored (and may be changed) until the end or the time limit, then graded
  together.  The clock is injected: the core never reads the time itself, the app
  passes ``time.monotonic`` and the tests a counter.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import N_, _
from .exam_pool import PoolItem, RetryPool
from .exam_results import ExamResult, ItemResult
from .question_kinds import GENERATORS, check
from .questions import KINDS, LETTERS, Question, Verdict, clean_answer
from .questions_catalogue import chosen_index

MAX_QUESTIONS = 100
#: Seeds run from 1 to MAX_SEED when drawn; any 0..MAX_SEED may be asked for.
MAX_SEED = 10 ** 9
#: The exam's default time limit: this many minutes a question.
MINUTES_PER_QUESTION = 2
DUPLICATE_ATTEMPTS = 20
NOT_A_CHOICE = N_("{text!r} is not one of the choices: type a letter from A to {last} "
                  "(or the choice's text).")
Clock = Callable[[], float]


@dataclass(frozen=True)
class ExamSettings:
    """What ``smtpsim exam`` was asked for; the app builds its screen from this."""

    seed: int
    count: int = 10
    minutes: float | None = None      # None: no time limit
    practice: bool = False
    student: str = ""
    retry: bool = False               # questions from the retry pool instead of the seed
    results_dir: Path | None = None   # where the app saves the results (JSON and CSV)
    data_dir: Path | None = None      # where the retry pool lives (None: the default)

    @property
    def mode(self) -> str:
        return "practice" if self.practice else "exam"


@dataclass(frozen=True)
class Exam:
    seed: int
    questions: tuple[Question, ...]
    source: str = "seed"              # "seed" or "retry pool"

    def __len__(self) -> int:
        return len(self.questions)


def kind_plan(seed: int, count: int) -> list[str]:
    """The kinds of the first ``count`` questions of a seed: every run of six questions
    (one block) holds each kind once, in an order drawn for that block alone - so the
    plan of a longer exam begins with the plan of a shorter one."""
    plan: list[str] = []
    for block in range(-(-count // len(KINDS))):
        kinds = list(KINDS)
        random.Random(f"{seed}/kinds/{block}").shuffle(kinds)
        plan += kinds
    return plan[:count]


def build_exam(seed: int, count: int = 10) -> Exam:
    if not 1 <= count <= MAX_QUESTIONS:
        raise ValueError(f"an exam has 1 to {MAX_QUESTIONS} questions, not {count}")
    questions: list[Question] = []
    seen: set[str] = set()
    for index, kind in enumerate(kind_plan(seed, count)):
        # The question's own generator: it depends on the seed and its position only
        # (and on the questions before it, never repeated), not on ``count``.
        rng = random.Random(f"{seed}/question/{index}")
        for _attempt in range(DUPLICATE_ATTEMPTS):
            question = GENERATORS[kind](rng)
            if question.id not in seen:
                break
        seen.add(question.id)
        questions.append(question)
    return Exam(seed, tuple(questions))


def exam_for(settings: ExamSettings, pool: RetryPool | None = None) -> Exam:
    """The exam the settings ask for: by seed, or the first questions of the retry pool."""
    if settings.retry:
        pool = pool if pool is not None else RetryPool(settings.data_dir)
        questions = tuple(reworded(item) for item in pool.ordered()[:settings.count])
        return Exam(settings.seed, questions, source="retry pool")
    return build_exam(settings.seed, settings.count)


def reworded(item: PoolItem) -> Question:
    """A pooled question in the language of the moment: built again from the seed and
    the place it came from (the same seed gives the same question in every language).
    The stored question is used when it has no origin or the engine now builds another
    question there (its id differs)."""
    if item.origin is not None:
        seed, index = item.origin
        if 0 <= index < MAX_QUESTIONS:
            again = build_exam(seed, index + 1).questions[index]
            if again.id == item.question.id:
                return again
    return item.question


@dataclass
class Sitting:
    exam: Exam
    clock: Clock
    practice: bool = False
    minutes: float | None = None
    student: str = ""
    pool: RetryPool | None = None
    answers: dict[int, str] = field(default_factory=dict)
    verdicts: dict[int, Verdict] = field(default_factory=dict)   # practice: given at once
    result: ExamResult | None = None

    def __post_init__(self) -> None:
        self.started = self.clock()

    @property
    def mode(self) -> str:
        return "practice" if self.practice else "exam"

    @property
    def limit(self) -> float | None:
        return None if self.minutes is None else self.minutes * 60.0

    def elapsed(self) -> float:
        spent = max(0.0, self.clock() - self.started)
        return spent if self.limit is None else min(spent, self.limit)

    def remaining(self) -> float | None:
        """Seconds left, or None when the sitting has no time limit."""
        if self.limit is None:
            return None
        return max(0.0, self.limit - (self.clock() - self.started))

    @property
    def expired(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0

    @property
    def over(self) -> bool:
        return self.result is not None or self.expired

    def not_an_answer(self, index: int, text: str) -> str | None:
        """Why ``text`` is no answer to question ``index``, or None if it is one.

        A question with choices takes only a choice: its letter (or number) or its text
        (``SOML``).  Anything else - ``354`` typed for a letter - is not recorded, in
        either mode, so a slip of the keyboard never costs the point."""
        question = self.exam.questions[index] if 0 <= index < len(self.exam) else None
        if question is None or not question.choices or not text.strip():
            return None
        if chosen_index(question, clean_answer(text)) is not None:
            return None
        last = LETTERS[len(question.choices) - 1]
        return _(NOT_A_CHOICE).format(text=clean_answer(text)[:40], last=last)

    def answer(self, index: int, text: str) -> Verdict | None:
        """Record an answer to question ``index`` (from 0).

        Practice: returns the verdict at once; the first answer counts and stays (a
        blank line is no answer: nothing is recorded and None is returned).
        Exam: stores the answer (a later one replaces it) and returns None.  After
        the end or the time limit nothing is recorded and None is returned.
        """
        if not 0 <= index < len(self.exam) or self.over \
                or self.not_an_answer(index, text) is not None:
            return None
        if self.practice:
            if index not in self.verdicts:
                if not text.strip():
                    return None
                self.answers[index] = text
                self.verdicts[index] = check(self.exam.questions[index], text)
                self._remember(index, self.verdicts[index])
            return self.verdicts[index]
        self.answers[index] = text
        return None

    def answered(self, index: int) -> bool:
        return bool(self.answers.get(index, "").strip())

    def unanswered(self) -> list[int]:
        return [i for i in range(len(self.exam)) if not self.answered(i)]

    def finish(self) -> ExamResult:
        """Grade every item; an unanswered item (time ran out, or skipped) scores nothing."""
        if self.result is not None:
            return self.result
        timed_out = self.expired
        items = []
        for index, question in enumerate(self.exam.questions):
            given = self.answers.get(index, "")
            verdict = self.verdicts.get(index) or check(question, given)
            if not self.practice and self.answered(index):
                self._remember(index, verdict)   # a mistake, not a skipped item, is retried
            items.append(ItemResult(index + 1, question, given, verdict.points,
                                    verdict.feedback, answered=self.answered(index)))
        self.result = ExamResult(
            student=self.student, seed=self.exam.seed, mode=self.mode, items=tuple(items),
            elapsed_seconds=round(self.elapsed(), 1), minutes=self.minutes,
            timed_out=timed_out, source=self.exam.source)
        return self.result

    def _remember(self, index: int, verdict: Verdict) -> None:
        if self.pool is not None:
            origin = (self.exam.seed, index) if self.exam.source == "seed" else None
            self.pool.record(self.exam.questions[index], verdict.correct, origin)


def start(settings: ExamSettings, clock: Clock, pool: RetryPool | None = None) -> Sitting:
    """The sitting ``smtpsim exam`` opens: the exam, the mode, the limit, the pool."""
    pool = pool if pool is not None else RetryPool(settings.data_dir)
    return Sitting(exam_for(settings, pool), clock, practice=settings.practice,
                   minutes=settings.minutes, student=settings.student, pool=pool)
