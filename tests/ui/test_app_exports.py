"""F9 writes the session for Wireshark and for slides too, in the simulator and in
``--listen`` mode (where message text arrives un-stuffed and is stuffed again)."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ElementTree

from tests.exports.test_diagrams import check_mermaid
from tests.exports.test_pcapng_blocks import packets

from .helpers import SIZE, export_this, new_app, send
from .test_app_listen import listen_app, settle, talk

SUFFIXES = (".pcapng", ".sequence.md", ".svg")


def check_files(folder, client_bytes: bytes | None = None) -> bytes:
    stem = folder / "smtpsim-session-001"
    capture = packets(stem.with_name(stem.name + ".pcapng").read_bytes())
    sent = b"".join(p["payload"] for p in capture if p["dport"] == 25)
    if client_bytes is not None:
        assert sent == client_bytes
    markdown = stem.with_name(stem.name + ".sequence.md").read_text()
    check_mermaid(markdown.split("```mermaid\n")[1].split("\n```")[0])
    ElementTree.fromstring(stem.with_name(stem.name + ".svg").read_text())
    return sent


async def test_f9_in_the_simulator_writes_the_capture_and_the_diagrams(tmp_path):
    app = new_app(export_dir=tmp_path)
    lines = ("HELO client.example", "MAIL FROM:<alice@client.example>",
             "RCPT TO:<bob@mail.example>", "DATA", "Subject: hi", "", "..dot", ".", "QUIT")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, *lines)
        await export_this(pilot)
        assert "exported 5 files" in str(app.query_one("#status").render())
    check_files(tmp_path, "".join(line + "\r\n" for line in lines).encode())


async def test_f9_in_listen_mode_stuffs_the_received_text_again(tmp_path):
    app = listen_app(export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader, writer = await asyncio.open_connection(*app.address)
        await reader.readline()
        sent = [b"HELO client.example", b"MAIL FROM:<alice@client.example>",
                b"RCPT TO:<bob@mail.example>", b"DATA"]
        for line in sent:
            await talk(reader, writer, line.decode())
        text = [b"Subject: hi", b"", b"..a dot-stuffed line", b"."]
        writer.write(b"".join(line + b"\r\n" for line in text))
        await writer.drain()
        assert (await asyncio.wait_for(reader.readline(), 5)).startswith(b"250 ")
        await settle(pilot, app, 10)
        await export_this(pilot)
        writer.close()
    check_files(tmp_path, b"".join(line + b"\r\n" for line in sent + text))
