"""``smtpsim classroom`` as the teacher runs it: a real process, a real websocket, Ctrl+C."""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from smtpsim.classroom.pages import CLASS_ENDED_MESSAGE
from smtpsim.classroom.students import process_alive

from .helpers import CODE, wait_until

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(),
                                reason="reads a process's children from /proc (Linux)")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(n) for n in (task / "children").read_text().split()]
    return found


async def read_until(stream, wanted: str, timeout: float = 30.0) -> str:
    """The teacher's terminal up to the line holding ``wanted``; every read has a
    deadline (a banner that never says ``wanted`` fails the test, never hangs it)."""
    lines: list[str] = []
    while not any(wanted in line for line in lines):
        line = await asyncio.wait_for(asyncio.to_thread(stream.readline), timeout)
        assert line, f"the server ended before printing {wanted!r}:\n{''.join(lines)}"
        lines.append(line)
    return "".join(lines)


async def test_ctrl_c_ends_every_students_process_and_the_server(tmp_path):
    teacher = subprocess.Popen(
        [sys.executable, "-m", "smtpsim", "classroom", "--port", "0", "--code", CODE,
         "--results", str(tmp_path / "results"), "--lang", "it"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        # The teacher's terminal speaks the class's language (--lang it).
        banner = await read_until(teacher.stdout, "Ctrl+C termina la lezione")
        url = re.search(r"http://[\d.]+:\d+", banner).group(0)
        assert f"Codice:   {'  '.join(CODE)}" in banner and "Gli studenti aprono:" in banner
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            await session.post(f"{url}/join", data={"code": CODE})
            socket = await session.ws_connect(f"{url}/ws")
            await socket.receive(timeout=30)
            (student,) = children(teacher.pid)
            environment = Path(f"/proc/{student}/environ").read_bytes().split(b"\0")
            assert b"SMTPSIM_LANG=it" in environment
            (data,) = [v for v in environment if v.startswith(b"SMTPSIM_DATA_DIR=")]
            run_folder = Path(data.split(b"=", 1)[1].decode()).parent.parent
            assert run_folder.name.startswith("smtpsim-classroom-") and run_folder.is_dir()
            teacher.send_signal(signal.SIGINT)
            # The page is told that the class has ended before its socket closes.
            last = await socket.receive(timeout=30)
            while last.type == aiohttp.WSMsgType.BINARY:
                last = await socket.receive(timeout=30)
            assert (last.type, last.data) == (aiohttp.WSMsgType.TEXT, CLASS_ENDED_MESSAGE)
            out, _ = await asyncio.to_thread(teacher.communicate, timeout=30)
        assert teacher.returncode == 0
        assert "fine della lezione: 1 sessione da chiudere" in out
        assert "+ studente 1 ha raggiunto la classe da 127.0.0.1" in out \
            and "- studente 1 ha lasciato la classe" in out
        await wait_until(lambda: not process_alive(student), timeout=5,
                         what="the student's process to be gone")
    finally:
        if teacher.poll() is None:
            teacher.kill()
            teacher.wait()
    # The students' run folder (their data, their status files) is removed with the class.
    assert not run_folder.exists()
