"""A learner's progress through the lessons, kept between sessions.

Stored as one small JSON file in the platform's user-data directory
(``platformdirs.user_data_dir("smtpsim")``: ``~/.local/share/smtpsim`` on Linux,
``~/Library/Application Support/smtpsim`` on macOS, ``%LOCALAPPDATA%\\smtpsim``
on Windows).  ``SMTPSIM_DATA_DIR`` overrides it; tests pass a directory.

Progress is keyed by lesson id, not by file or language, so a learner who
switches to the Italian lessons keeps what they did in English.  A damaged file
is never fatal: progress starts afresh and the damaged file is left for a human.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..i18n import _
from ..settings import ENV_VAR, data_dir  # noqa: F401  (ENV_VAR: re-exported)

FILE_NAME = "progress.json"
FORMAT = 1


@dataclass(frozen=True)
class LessonProgress:
    steps_done: int
    steps_total: int
    hints: int = 0

    @property
    def finished(self) -> bool:
        return self.steps_total > 0 and self.steps_done >= self.steps_total

    @property
    def fraction(self) -> float:
        return min(1.0, self.steps_done / self.steps_total) if self.steps_total else 0.0



def read_json(path: Path) -> tuple[object, str]:
    """What a saved file holds, or (None, why it could not be read); a missing file is fine."""
    try:
        return json.loads(path.read_text("utf-8")), ""
    except FileNotFoundError:
        return None, ""
    except (OSError, ValueError) as error:
        return None, _("could not read {path}: {reason}").format(path=path, reason=error)


def write_json(path: Path, data: object) -> str:
    """Write atomically (a crash mid-write never leaves half a file); '' or why it failed.

    A read-only home must not stop a lesson or an exam: the caller tells the learner.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=1) + "\n", "utf-8")
        temporary.replace(path)
    except OSError as error:
        return error.strerror or str(error)
    return ""

class Progress:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else data_dir()
        self.path = self.directory / FILE_NAME
        self.lessons: dict[str, LessonProgress] = {}
        self.problem = ""     # why the saved file could not be read, if it could not
        self._load()

    def _load(self) -> None:
        data, self.problem = read_json(self.path)
        lessons = data.get("lessons", {}) if isinstance(data, dict) else {}
        for lesson_id, entry in lessons.items() if isinstance(lessons, dict) else ():
            try:
                self.lessons[str(lesson_id)] = LessonProgress(
                    int(entry["steps_done"]), int(entry["steps_total"]),
                    int(entry.get("hints", 0)))
            except (KeyError, TypeError, ValueError, AttributeError):
                continue   # one bad entry loses that lesson only

    def get(self, lesson_id: str) -> LessonProgress | None:
        return self.lessons.get(lesson_id)

    def record(self, lesson_id: str, steps_done: int, steps_total: int,
               hints: int = 0) -> LessonProgress:
        """Remember the furthest a learner got in a lesson, and save at once."""
        before = self.lessons.get(lesson_id)
        best = max(steps_done, before.steps_done if before else 0)
        entry = LessonProgress(min(best, steps_total), steps_total,
                               max(hints, before.hints if before else 0))
        self.lessons[lesson_id] = entry
        self.save()
        return entry

    def reset(self, lesson_id: str) -> None:
        self.lessons.pop(lesson_id, None)
        self.save()

    def save(self) -> None:
        data = {"format": FORMAT, "lessons": {
            key: {"steps_done": v.steps_done, "steps_total": v.steps_total, "hints": v.hints}
            for key, v in sorted(self.lessons.items())}}
        failure = write_json(self.path, data)
        if failure:
            self.problem = _("could not save progress to {path}: {reason}").format(
                path=self.path, reason=failure)
