"""One app process per student, and the roster the teacher's status line is made from.

:class:`StudentProcess` is textual-serve's ``AppService`` (it speaks the web
driver's packet protocol with the app and relays downloads) with three changes a
classroom needs: the app is started from an argument vector with the student's own
environment, not through a shell; what the app writes on standard error is kept
bounded (the last few kilobytes, whose last line tells the teacher why an app
failed) instead of being collected without limit and printed over the teacher's
status line; and
:meth:`StudentProcess.end` stops it for sure - asked to quit, then terminated,
then killed - so that neither a closed tab nor the teacher's Ctrl+C leaves a
process behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from textual_serve.app_service import AppService

from ..course.classroom_status import StudentStatus, read_status
from ..i18n import N_, _
from ..textsafe import printable

STDERR_KEPT = 8192
PRELUDE = b"__GANGLION__\n"
PRELUDE_LINES = 10
QUIT_GRACE = 3.0     # seconds an app gets to quit by itself before it is terminated
TERM_GRACE = 2.0
#: A student who has not given a name (yet): the teacher's terminal numbers them.
UNNAMED = N_("student {number}")
EXIT_STATUS = N_("exit status {status}")


class StudentProcess(AppService):
    def __init__(self, argv: list[str], extra_env: dict[str, str], **service) -> None:
        super().__init__(" ".join(argv), **service)
        self.argv = argv
        self.extra_env = extra_env
        self._stderr_tail = b""

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def _open_app_process(self, width: int = 80, height: int = 24):
        environment = self._build_environment(width=width, height=height)
        environment.update(self.extra_env)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=environment, start_new_session=True)
        self._stdin = process.stdin
        return process

    async def _keep_stderr(self, stream: asyncio.StreamReader) -> None:
        while chunk := await stream.read(4096):
            self._stderr_tail = (self._stderr_tail + chunk)[-STDERR_KEPT:]

    async def run(self) -> None:
        """Relay the app's packets to the browser until the app's output ends.

        The web driver first writes a line ``__GANGLION__``, then packets: one type
        byte (``D`` terminal data, ``M`` JSON meta, ``P`` packed download chunk), a
        4-byte big-endian length, the payload."""
        process = self._process
        assert process is not None and process.stdout is not None and process.stderr
        stdout = process.stdout
        errors = asyncio.create_task(self._keep_stderr(process.stderr))
        handlers = {b"D": self.on_data, b"M": self.on_meta, b"P": self.on_packed}
        try:
            for _line in range(PRELUDE_LINES):
                line = await stdout.readline()
                if not line or line == PRELUDE:
                    break
            while True:
                kind = await stdout.readexactly(1)
                size = int.from_bytes(await stdout.readexactly(4), "big")
                payload = await stdout.readexactly(size)
                handler = handlers.get(kind)
                if handler is not None:
                    await handler(payload)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            await asyncio.wait([errors], timeout=1.0)
            errors.cancel()
        # The app is gone (it quit, or failed): the browser shows "session ended".
        with contextlib.suppress(Exception):
            await self.remote_close()

    @property
    def failure(self) -> str:
        """Why the app ended with an error (its last line on standard error), or ''."""
        process = self._process
        if process is None or not process.returncode or process.returncode < 0:
            return ""   # still running, a clean exit, or ended by a signal (ours)
        lines = self._stderr_tail.decode("utf-8", "replace").strip().splitlines()
        return printable(lines[-1], 200) if lines else _(EXIT_STATUS).format(
            status=process.returncode)

    async def end(self) -> None:
        """Stop the app: ask it to quit, then terminate it, then kill it."""
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            # A broken pipe means it is already going; an app that reads nothing must not
            # hold this up: a deadline.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._ask_to_quit(), QUIT_GRACE)
        for grace, signal_it in ((QUIT_GRACE, process.terminate), (TERM_GRACE, process.kill)):
            try:
                await asyncio.wait_for(process.wait(), grace)
                break
            except TimeoutError:
                try:
                    signal_it()
                except ProcessLookupError:
                    break
        with contextlib.suppress(TimeoutError):   # SIGKILL was sent: no wait is endless
            await asyncio.wait_for(process.wait(), TERM_GRACE)
        if self._task is not None:
            await asyncio.wait([self._task], timeout=QUIT_GRACE)
            self._task = None

    async def _ask_to_quit(self) -> None:
        await self._download_manager.cancel_app_downloads(self.app_service_id)
        await self.send_meta({"type": "quit"})

    def kill_now(self) -> None:
        """The last resort when ending took too long: SIGKILL, no questions asked."""
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()


@dataclass
class Student:
    number: int
    address: str
    run_folder: Path
    process: StudentProcess | None = None
    status: StudentStatus = field(default_factory=StudentStatus)
    joined: float = field(default_factory=time.monotonic)

    @property
    def status_file(self) -> Path:
        return self.run_folder / "status.json"

    @property
    def label(self) -> str:
        return self.status.name or _(UNNAMED).format(number=self.number)


class Roster:
    """The students connected now (at most ``capacity``), and everyone who finished."""

    def __init__(self, capacity: int, run_dir: Path) -> None:
        self.capacity = capacity
        self.run_dir = run_dir
        self.students: dict[int, Student] = {}
        self.finished: list[tuple[str, float | None]] = []
        self._next = 1

    @property
    def full(self) -> bool:
        return len(self.students) >= self.capacity

    def join(self, address: str) -> Student | None:
        """A place for a new tab, or None when the class is full."""
        if self.full:
            return None
        number, self._next = self._next, self._next + 1
        folder = self.run_dir / f"student-{number:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        student = Student(number, address, folder)
        self.students[number] = student
        return student

    def leave(self, student: Student) -> None:
        self.students.pop(student.number, None)

    def refresh(self) -> list[tuple[Student, StudentStatus]]:
        """Read every connected student's status file; return those that changed."""
        changed = []
        for student in list(self.students.values()):
            status = read_status(student.status_file)
            if status is not None and status != student.status:
                student.status = status
                changed.append((student, status))
                if status.state == "finished":
                    self.finished.append((status.name, status.score))
        return changed

    def counts(self) -> tuple[int, int, int]:
        """(connected, sitting the exam with a name given, finished since the start)."""
        sitting = sum(1 for s in self.students.values() if s.status.state == "exam")
        return len(self.students), sitting, len(self.finished)


def process_alive(pid: int) -> bool:
    """True while ``pid`` exists (the tests check that no student process is left)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
