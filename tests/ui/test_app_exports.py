"""F9 writes the session for Wireshark and for slides too, in the simulator and in
``--listen`` mode (where message text arrives un-stuffed and is stuffed again)."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ElementTree

from tests.exports.test_diagrams import check_mermaid
from tests.exports.test_pcapng_blocks import packets
from tests.exports.test_pcapng_tshark import assert_clean, smtp_frames
from tests.exports.wire import follow_stream, needs_tshark

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


PIPELINED = (b"EHLO client.example\r\nMAIL FROM:<alice@client.example>\r\n"
             b"RCPT TO:<bob@mail.example>\r\nDATA\r\n")
TEXT = b"Subject: hi\r\n\r\n..a dot-stuffed line\r\n.\r\n"


async def pipelined_capture(folder) -> tuple[bytes, bytes, bytes]:
    """A real client writes EHLO, MAIL, RCPT and DATA in one write (RFC 2920 3.1), then
    the text; F9.  Returns the capture and the greeting and group replies as received."""
    app = listen_app(export_dir=folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader, writer = await asyncio.open_connection(*app.address)
        greeting = await asyncio.wait_for(reader.readline(), 5)
        writer.write(PIPELINED)
        await writer.drain()
        replies = b""
        while not replies.endswith(b"\r\n") or replies.split(b"\r\n")[-2][:4] != b"354 ":
            replies += await asyncio.wait_for(reader.readline(), 5)
        writer.write(TEXT)
        await writer.drain()
        assert (await asyncio.wait_for(reader.readline(), 5)).startswith(b"250 ")
        await settle(pilot, app, 12)
        await export_this(pilot)
        writer.close()
    return (folder / "smtpsim-session-001.pcapng").read_bytes(), greeting, replies


async def test_f9_in_listen_mode_keeps_a_pipelined_group_in_one_segment(tmp_path):
    data, greeting, replies = await pipelined_capture(tmp_path)
    sent = [(i, p["payload"]) for i, p in enumerate(packets(data))
            if p["dport"] == 25 and p["payload"]]
    answered = [(i, p["payload"]) for i, p in enumerate(packets(data))
                if p["sport"] == 25 and p["payload"]]
    # The four commands as the one payload the client wrote, then the text.
    assert [payload for _, payload in sent] == [PIPELINED, TEXT]
    # The server's replies to the group: one segment, byte for byte as received, after
    # the group and before the text.
    assert [payload for _, payload in answered][:2] == [greeting, replies]
    assert answered[1][1].startswith(b"250-mail.example") and b"\r\n354 " in replies
    assert sent[0][0] < answered[1][0] < sent[1][0]
    check_files(tmp_path, PIPELINED + TEXT)


@needs_tshark
async def test_tshark_dissects_the_pipelined_group_of_a_real_client(tmp_path):
    _data, greeting, replies = await pipelined_capture(tmp_path)
    path = tmp_path / "smtpsim-session-001.pcapng"
    frames = smtp_frames(path)
    grouped = [f["smtp.req.command"] for f in frames if len(f.get("smtp.req.command", [])) > 1]
    assert grouped == [["EHLO", "MAIL", "RCPT", "DATA"]]
    # The group's four replies in one frame (tshark gives a multi-line reply one code).
    codes = [f["smtp.response.code"] for f in frames if "354" in f.get("smtp.response.code", [])]
    assert codes == [["250", "250", "250", "354"]]
    client, server = follow_stream(path)
    assert client == PIPELINED + TEXT and server.startswith(greeting + replies)
    assert_clean(path)
