"""Lessons as data: find the lesson files, read them, say exactly what is wrong with them.

A lesson is a TOML file in ``lessons/<language>/`` (the format is described in
``lessons/README.md``).  Files are taken in name order, so a teacher orders them
with a number prefix (``01-first-conversation.toml``).  Italian goes in
``lessons/it/`` with the same ids; no code changes.

A broken file never breaks anything else: :func:`load_lessons` returns it as a
:class:`BrokenLesson` with ``file:line: message``, and every good file still loads.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import N_, _
from ..mta import PROFILES, Fault, FaultError, parse_fault
from ..protocol import KNOWN_VERBS
from .checks import Check, CheckError, parse_check

DEFAULT_LANGUAGE = "en"
PACKAGE = Path(__file__).resolve().parent.parent          # smtpsim/
PACKAGED_LESSONS = PACKAGE / "_lessons"                   # inside a wheel (pyproject.toml)
CHECKOUT_LESSONS = PACKAGE.parent / "lessons"             # an editable install / checkout
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TOML_LINE = re.compile(r"at line (\d+)")

LESSON_KEYS: dict[str, type[Any]] = {"id": str, "title": str, "goal": str, "text": str,
                                     "profile": str, "faults": list, "steps": list}
LESSON_REQUIRED = ("id", "title", "goal", "text", "steps")
STEP_KEYS: dict[str, type[Any]] = {"instruction": str, "check": dict, "hint": str,
                                   "answer": list, "success": str, "new_connection": bool,
                                   "profile": str, "faults": list}
STEP_REQUIRED = ("instruction", "check", "hint", "answer", "success")


@dataclass(frozen=True)
class Step:
    number: int                  # 1-based, as a learner counts
    instruction: str
    check: Check
    hint: str
    answer: tuple[str, ...]      # the model answer: the lines to type
    success: str
    new_connection: bool = False
    profile: str | None = None   # for a new connection; the lesson's when None
    faults: tuple[Fault, ...] | None = None


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    goal: str
    text: str
    steps: tuple[Step, ...]
    profile: str = "modern"
    faults: tuple[Fault, ...] = ()
    path: Path | None = None

    def connection_for(self, step: Step) -> tuple[str, tuple[Fault, ...]]:
        """Profile and faults of the connection a step opens (the first step always does)."""
        profile = step.profile or self.profile
        faults = step.faults if step.faults is not None else self.faults
        return profile, faults

    def opens_connection(self, step: Step) -> bool:
        return step.number == 1 or step.new_connection


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a lesson file, where a teacher can find it."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class BrokenLesson:
    path: Path
    problems: tuple[Problem, ...]

    @property
    def title(self) -> str:
        return self.path.stem

    @property
    def error(self) -> str:
        return str(self.problems[0])


@dataclass
class LessonSet:
    lessons: list[Lesson] = field(default_factory=list)
    broken: list[BrokenLesson] = field(default_factory=list)

    def get(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def ids(self) -> list[str]:
        return [lesson.id for lesson in self.lessons]


# -- where the lessons are ------------------------------------------------------------------
def lessons_root() -> Path:
    """The checkout's ``lessons/`` when there is one (editable install), else the wheel's."""
    if CHECKOUT_LESSONS.is_dir():
        return CHECKOUT_LESSONS
    return PACKAGED_LESSONS


def language_folder(language: str = DEFAULT_LANGUAGE, root: Path | None = None) -> Path:
    base = root or lessons_root()
    folder = base / language
    return folder if folder.is_dir() else base / DEFAULT_LANGUAGE


def lesson_files(path: Path) -> list[Path]:
    """A single file, or every ``*.toml`` of a folder (and its language folders) in order."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*.toml") if p.is_file())


def load_lessons(language: str | None = None, root: Path | None = None) -> LessonSet:
    """The lessons of ``language`` (default: the process's, see :mod:`smtpsim.i18n`);
    English when that language has no lesson folder."""
    from .. import i18n
    return load_files(lesson_files(language_folder(language or i18n.language(), root)))


def load_files(paths: list[Path]) -> LessonSet:
    result = LessonSet()
    seen: dict[str, Path] = {}
    for path in paths:
        lesson, problems = read_lesson(path)
        if lesson is not None and lesson.id in seen:
            raw = _raw(path)
            problems = [Problem(path, locate(raw, key="id"),
                                _("id {id} is already used by {file}").format(
                                    id=repr(lesson.id), file=seen[lesson.id].name))]
            lesson = None
        if lesson is None:
            result.broken.append(BrokenLesson(path, tuple(problems)))
        else:
            seen[lesson.id] = path
            result.lessons.append(lesson)
    return result


# -- reading one file -------------------------------------------------------------------------
def _raw(path: Path) -> list[str]:
    try:
        return path.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return []


def read_lesson(path: Path) -> tuple[Lesson | None, list[Problem]]:
    """Parse and validate one file; (lesson, []) or (None, problems)."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively
        return None, [Problem(path, 1, _(TOO_DEEP))]
    except OSError as error:
        return None, [Problem(path, 1, _("cannot read the file: {error}").format(
            error=error.strerror))]
    except UnicodeDecodeError:
        return None, [Problem(path, 1, _("the file is not UTF-8 text"))]
    except tomllib.TOMLDecodeError as error:
        found = _TOML_LINE.search(str(error))
        return None, [Problem(path, int(found.group(1)) if found else 1,
                              _("TOML syntax: {error}").format(error=error))]
    raw = _raw(path)
    problems: list[Problem] = []

    def report(message: str, step: int | None = None, key: str | None = None) -> None:
        problems.append(Problem(path, locate(raw, step, key), message))

    try:
        lesson = _build(data, path, report)
    except RecursionError:
        return None, [Problem(path, 1, _(TOO_DEEP))]
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        # A value of a shape no rule above foresaw: still a broken file, never a crash.
        report(_("a value of an unexpected type ({kind}: {error})").format(
            kind=type(error).__name__, error=error))
        lesson = None
    return (lesson, []) if not problems else (None, problems)


TOO_DEEP = N_("values nested too deep to read (arrays or tables inside each other)")


# How a lesson's problems are reported: (message, step number, key), see load_lesson.
Report = Callable[..., None]


def _typed(table: dict[str, Any], schema: dict[str, type[Any]], required: tuple[str, ...],
           report: Report, step: int | None) -> bool:
    where = _("step {number}: ").format(number=step) if step else ""
    ok = True
    for key in table:
        if key not in schema:
            # A misspelt key is an error too: otherwise its value would be silently lost.
            report(where + _("unknown key {key} (allowed: {keys})").format(
                key=repr(key), keys=", ".join(schema)), step, key)
    for key in required:
        if key not in table:
            report(where + _("missing {key}").format(key=repr(key)), step, None)
            ok = False
    for key, kind in schema.items():
        if key in table and not isinstance(table[key], kind):
            report(where + _("{key} must be a {type}").format(
                key=repr(key), type=_(_type_name(kind))), step, key)
            ok = False
        elif kind is str and isinstance(table.get(key), str) and not table[key].strip():
            report(where + _("{key} is empty").format(key=repr(key)), step, key)
            ok = False
    return ok


def _type_name(kind: type) -> str:
    return {str: N_("string"), list: N_("list"), dict: N_("table"),
            bool: N_("true/false")}[kind]


def _faults(value: list[Any], report: Report, step: int | None) -> tuple[Fault, ...]:
    out = []
    for spec in value:
        try:
            out.append(parse_fault(str(spec), KNOWN_VERBS))
        except FaultError as error:
            report((_("step {number}: ").format(number=step) if step else "") + str(error),
                   step, "faults")
    return tuple(out)


def _build(data: dict[str, Any], path: Path, report: Report) -> Lesson | None:
    """Report every problem of the file, not just the first; build only if all is well."""
    complete = _typed(data, LESSON_KEYS, LESSON_REQUIRED, report, None)
    if isinstance(data.get("id"), str) and not _ID.match(data["id"]):
        report(_("id must be lower-case letters, digits and '-', e.g. first-conversation"),
               key="id")
    profile = data.get("profile", "modern")
    if isinstance(profile, str) and profile not in PROFILES:
        report(_("unknown profile {profile}; use one of {profiles}").format(
            profile=repr(profile), profiles=", ".join(PROFILES)), key="profile")
    faults = _faults(data["faults"], report, None) if isinstance(data.get("faults"), list) \
        else ()
    tables: list[Any] = data["steps"] if isinstance(data.get("steps"), list) else []
    if "steps" in data and not tables:
        report(_("a lesson needs at least one [[steps]]"), key="steps")
    built = [_build_step(number, table, report) for number, table in enumerate(tables, 1)]
    steps = tuple(step for step in built if step is not None)
    if not complete or len(steps) < len(built) or not steps:
        return None
    return Lesson(data["id"], data["title"].strip(), data["goal"].strip(),
                  data["text"].strip(), steps, profile, faults, path)


def _build_step(number: int, table: Any, report: Report) -> Step | None:
    if not isinstance(table, dict):
        report(_("step {number} must be a table ([[steps]])").format(number=number), number)
        return None
    if not _typed(table, STEP_KEYS, STEP_REQUIRED, report, number):
        return None
    try:
        check = parse_check(table["check"])
    except CheckError as error:
        report(_("step {number}: ").format(number=number) + str(error), number, "check")
        return None
    except TypeError as error:   # e.g. a table where a name belongs
        report(_("step {number}: ").format(number=number)
               + _("check: a value of an unexpected type ({error})").format(error=error),
               number, "check")
        return None
    answer = table["answer"]
    if not answer or not all(isinstance(line, str) for line in answer):
        report(_("step {number}: ").format(number=number)
               + _("'answer' must list the lines to type, as strings"), number, "answer")
        return None
    profile = table.get("profile")
    if profile is not None and profile not in PROFILES:
        report(_("step {number}: ").format(number=number)
               + _("unknown profile {profile}").format(profile=repr(profile)), number, "profile")
    faults = _faults(table["faults"], report, number) if "faults" in table else None
    if (profile or faults is not None) and not table.get("new_connection") and number > 1:
        report(_("step {number}: ").format(number=number)
               + _("a profile or faults apply only to a new connection; add "
                   "new_connection = true"), number, "profile" if profile else "faults")
    return Step(number, table["instruction"].strip(), check, table["hint"].strip(),
                tuple(answer), table["success"].strip(), bool(table.get("new_connection")),
                profile, faults)


# -- finding the line of a problem ------------------------------------------------------------
_STEP_HEADER = re.compile(r"^\s*\[\[\s*steps\s*\]\]")


def locate(raw: list[str], step: int | None = None, key: str | None = None) -> int:
    """The 1-based line of ``key`` (in step ``step`` when given) in the raw text.

    TOML's own parser keeps no positions once a file parses, so semantic errors
    are placed by reading the text: the N-th ``[[steps]]`` header starts step N,
    and ``key = ...`` (or a ``[steps.key]`` table) inside it is the line wanted.
    """
    headers = [i for i, line in enumerate(raw) if _STEP_HEADER.match(line)]
    if step is None:
        start, end = 0, headers[0] if headers else len(raw)
    elif step <= len(headers):
        start = headers[step - 1]
        end = headers[step] if step < len(headers) else len(raw)
    else:
        return (headers[-1] + 1) if headers else 1
    if key is not None:
        pattern = re.compile(rf"^\s*(\"?{re.escape(key)}\"?\s*=|\[\s*steps\.{re.escape(key)})")
        for i in range(start, end):
            if pattern.match(raw[i]):
                return i + 1
    return start + 1
