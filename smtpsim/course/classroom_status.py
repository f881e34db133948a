"""The small status file a student's app keeps for the teacher's classroom server.

``smtpsim classroom`` starts each student's app with ``SMTPSIM_CLASSROOM_STATUS``
naming a file in that student's own run folder.  The exam writes the student's
name there once given, and the score when the exam ends; the server reads the
file to show the teacher who is who and who has finished.  A file, not a pipe:
the app's standard output carries the browser's terminal, and a file survives a
slow reader.  Written atomically (a temporary file, then a rename) so the server
never reads half a file; read with a size limit so a damaged file costs nothing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "SMTPSIM_CLASSROOM_STATUS"
MAX_BYTES = 4096
MAX_NAME = 60


@dataclass(frozen=True)
class StudentStatus:
    name: str = ""
    state: str = "connected"     # "connected", "exam" (name given) or "finished"
    score: float | None = None


def status_path() -> Path | None:
    """Where this app process reports to, or None outside a classroom."""
    value = os.environ.get(ENV_VAR)
    return Path(value) if value else None


def write_status(path: Path | None, status: StudentStatus) -> None:
    """Report ``status``; a classroom whose folder went away is not the student's problem."""
    if path is None:
        return
    data = {"name": status.name[:MAX_NAME], "state": status.state, "score": status.score}
    temporary = path.with_name(path.name + ".tmp")
    try:
        temporary.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        os.replace(temporary, path)
    except OSError:
        pass


def read_status(path: Path) -> StudentStatus | None:
    """The last status written to ``path``; None when there is none or it is unreadable."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError:
        return None
    if len(raw) > MAX_BYTES:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    name = data.get("name")
    state = data.get("state")
    score = data.get("score")
    if not isinstance(name, str) or state not in ("connected", "exam", "finished"):
        return None
    if not isinstance(score, (int, float)) or isinstance(score, bool):
        score = None
    return StudentStatus(name[:MAX_NAME], state, score)
