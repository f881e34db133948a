"""What the teacher asked for, and how each student's app process is started from it."""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path

#: Memory of one student's app process, with room to spare: under the web driver, the
#: simulator after an EHLO and an exam after its name each held 43 MB (VmRSS, Linux,
#: Python 3.11, Textual 8.2.8, a 160x50 terminal).
MB_PER_STUDENT = 60
#: Keep this share of the memory available at start for the rest of the machine.
MEMORY_RESERVE = 0.25
MAX_STUDENTS_CAP = 200
LANGUAGES = ("en", "it")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # no 0/O or 1/I to misread
CODE_LENGTH = 6
FONT_SIZES = (12, 14, 16, 18, 20, 24, 28, 32)
DEFAULT_FONT_SIZE = 16
#: Set to "1" in every student's environment for --projector: the app, whatever it
#: opens (simulator, lesson or exam), starts in the projector theme
#: (:func:`smtpsim.ui.served.serve_keys` reads it; an environment variable because
#: the lesson and exam commands have no theme option of their own).
PROJECTOR_ENV = "SMTPSIM_PROJECTOR"


def join_code() -> str:
    """A short random code to write on the board."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def available_memory_mb() -> int | None:
    """Memory the machine can give without swapping (Linux ``MemAvailable``), else total."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2 ** 20
    except (ValueError, OSError, AttributeError):
        return None


def default_max_students(memory_mb: int | None = None) -> int:
    """As many students as the memory holds, leaving a quarter for everything else."""
    memory_mb = available_memory_mb() if memory_mb is None else memory_mb
    if memory_mb is None:
        return 30
    fits = int(memory_mb * (1 - MEMORY_RESERVE)) // MB_PER_STUDENT
    return max(1, min(MAX_STUDENTS_CAP, fits))


@dataclass(frozen=True)
class ExamPlan:
    """An exam opened directly: one seed for everyone, or a seed drawn per student."""

    seed: int | None = None          # None with per_student: each student draws one
    count: int = 10
    minutes: float | None = None
    per_student: bool = False


@dataclass(frozen=True)
class ClassroomSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    code: str = field(default_factory=join_code)
    max_students: int = field(default_factory=default_max_students)
    language: str | None = None      # the class's language, passed on as SMTPSIM_LANG
    profile: str | None = None
    projector: bool = False
    lesson: str | None = None
    exam: ExamPlan | None = None
    results_dir: Path = Path("results")
    run_dir: Path = Path("classroom-run")
    font_size: int = DEFAULT_FONT_SIZE
    python: str = sys.executable

    def student_command(self) -> list[str]:
        """The argument vector of one student's app (no shell: nothing is re-parsed)."""
        command = [self.python, "-m", "smtpsim"]
        if self.exam is not None:
            exam = self.exam
            command += ["exam", "--classroom", "--count", str(exam.count),
                        "--results", str(self.results_dir.resolve())]
            if exam.seed is not None:
                command += ["--seed", str(exam.seed)]
            if exam.minutes is not None:
                command += ["--minutes", f"{exam.minutes:g}"]
        elif self.lesson is not None:
            command += ["lesson", self.lesson]
        elif self.profile is not None:
            command += ["--profile", self.profile]
        return command

    def student_environment(self, data_dir: Path, status_file: Path) -> dict[str, str]:
        """What each student's process gets on top of the server's environment: its own
        data folder (progress and retry pool are per student, not the teacher's), the
        status file, the language, the projector theme."""
        extra = {"SMTPSIM_DATA_DIR": str(data_dir), "SMTPSIM_CLASSROOM_STATUS": str(status_file)}
        if self.language:
            extra["SMTPSIM_LANG"] = self.language
        if self.projector:
            extra[PROJECTOR_ENV] = "1"
        return extra
