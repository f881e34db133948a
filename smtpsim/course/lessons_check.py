"""Validating lesson files for a teacher: ``smtpsim lessons check PATH``.

Three layers, each reported as ``file:line: message``:

1. TOML syntax (the parser's own line number);
2. the lesson format: keys, types, check kinds, and every code, verb, state,
   reply id, user, profile and fault checked against the catalogue, the protocol
   states and the default world;
3. the model answers, replayed through the engine: each step's answer must make
   its own check true, or no learner could be expected to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..mta import Session
from .lessons import Lesson, Problem, load_files, lesson_files, locate
from .lessons_run import replay

_STEP_NUMBER = re.compile(r"^step (\d+):")


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
        number = _STEP_NUMBER.match(message)
        step = int(number.group(1)) if number else None
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
