"""Test helpers: a session whose real wire bytes are recorded, and tshark when present."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from smtpsim.mta import Session
from smtpsim.mta.client import ClientMTA
from smtpsim.mta.server import ServerMTA
from smtpsim.script_run import read_script

TSHARK = shutil.which("tshark")
needs_tshark = pytest.mark.skipif(TSHARK is None, reason="tshark is not installed")

SCRIPT = """\
EHLO client.example
MAIL FROM:<alice@client.example>
RCPT TO:<bob@mail.example>
RCPT TO:<nobody@mail.example>
DATA
Subject: dots; #1 "end"

..a line that starts with a dot (stuffed by the learner)
end
.
VRFY smith
QUIT
"""


def recorded_session(monkeypatch, script: str = SCRIPT, profile: str = "modern",
                     **options) -> tuple[Session, dict[str, bytearray]]:
    """Play ``script``; return the session and the bytes each side really received
    (taken at the engine's own receive methods, not from the transcript)."""
    wire = {"client": bytearray(), "server": bytearray()}
    client_receive, server_receive = ClientMTA.receive, ServerMTA.receive

    def client_got(self, data: bytes):
        wire["server"] += data        # bytes the server sent
        return client_receive(self, data)

    def server_got(self, data: bytes):
        wire["client"] += data        # bytes the client sent
        return server_receive(self, data)

    monkeypatch.setattr(ClientMTA, "receive", client_got)
    monkeypatch.setattr(ServerMTA, "receive", server_got)
    session = Session(profile, **options)
    if script:
        session.type_lines(list(read_script(io.BytesIO(script.encode()), "script")))
    return session, wire


def tshark(path: Path, *args: str) -> str:
    result = subprocess.run([TSHARK, "-r", str(path), *args], capture_output=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout.decode("utf-8", "replace")


def follow_stream(path: Path, stream: int = 0) -> tuple[bytes, bytes]:
    """tshark's "Follow TCP Stream" output, parsed: (node 0's bytes, node 1's bytes)."""
    raw = subprocess.run([TSHARK, "-r", str(path), "-q", "-z", f"follow,tcp,ascii,{stream}"],
                         capture_output=True, timeout=60, check=True).stdout
    body = raw.split(b"Node 1: ", 1)[1].split(b"\n", 1)[1]
    sides = {0: bytearray(), 1: bytearray()}
    while not body.startswith(b"====="):
        node = 1 if body.startswith(b"\t") else 0
        length_text, body = body.lstrip(b"\t").split(b"\n", 1)
        length = int(length_text)
        sides[node] += body[:length]
        body = body[length + 1:]
    return bytes(sides[0]), bytes(sides[1])
