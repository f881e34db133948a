"""A real classroom server on 127.0.0.1 (any free port) for the tests, stopped for sure."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import replace
from pathlib import Path

from smtpsim.classroom.runner import serve
from smtpsim.classroom.server import ClassroomServer
from smtpsim.classroom.settings import ClassroomSettings
from smtpsim.classroom.status import StatusLine

CODE = "K7PX2Q"


class Recorder:
    """A stand-in for the teacher's terminal: every event line, kept."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def settings_for(tmp_path: Path, **changes) -> ClassroomSettings:
    base = ClassroomSettings(host="127.0.0.1", port=0, code=CODE, max_students=4,
                             results_dir=tmp_path / "results", run_dir=tmp_path / "run")
    return replace(base, **changes)


@contextlib.asynccontextmanager
async def running(settings: ClassroomSettings):
    """Yield (server, base URL, terminal recorder); end the class afterwards."""
    terminal = Recorder()
    server = ClassroomServer(settings, StatusLine(terminal))
    stop = asyncio.Event()
    port: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(serve(settings, server, ready=port.set_result, stop=stop))
    try:
        yield server, f"http://127.0.0.1:{await asyncio.wait_for(port, 10)}", terminal
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


async def wait_until(condition, timeout: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def referenced_urls(html: str) -> list[str]:
    """Every URL a page makes the browser load: src, href, CSS url(...)."""
    found = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', html)
    found += re.findall(r'url\(\s*["\']?([^"\')]+)', html)
    return found
