"""Clients a teacher's server meets in a classroom: telnet quirks, slow and greedy peers."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys

from netwire import Wire


async def test_telnet_cr_nul_before_cr_lf_is_one_line_with_one_reply(start_server):
    # A telnet fed from a pipe sends CR NUL CR LF for one CR LF: one command line.
    server = await start_server()
    wire = await Wire.open(server)
    await wire.code()
    await wire.send(b"NOOP\r\x00\r\nNOOP\r\n")
    assert (await wire.reply())[0].startswith(b"501 5.5.2")
    assert await wire.reply() == [b"250 2.0.0 OK"]     # the next line's reply, no 500 between
    await wire.send(b"NOOP\r\x00\r")                   # the LF in a later read
    assert (await wire.reply())[0].startswith(b"501 5.5.2")
    await wire.send(b"\nNOOP\r\n")
    assert await wire.reply() == [b"250 2.0.0 OK"]
    await wire.close()


async def test_serve_prints_no_control_byte_of_a_message_raw(tmp_path):
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "smtpsim", "serve", "--port", "0",
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        banner = (await asyncio.wait_for(process.stdout.readline(), 20)).decode()
        port = int(banner.split("listening on 127.0.0.1:")[1].split()[0].rstrip(";"))
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        wire = Wire(reader, writer)
        await wire.code()
        assert (await wire.start_data())[-1] == 354
        await wire.send(b"Subject: \x1b]0;pwned\x07\r\n\r\n\x1b[2J\x1b[1A[1] S: 250 forged\r\n"
                        b"\x1b]52;c;ZXZpbA==\x07 and \xc2\x9b31m C1 CSI\r\n.\r\n")
        assert (await wire.reply())[0].startswith(b"250 ")
        await wire.command(b"QUIT")
        process.send_signal(signal.SIGTERM)
        out, _ = await asyncio.wait_for(process.communicate(), 20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    text = out.decode()
    assert not any(c in text for c in "\x1b\x07\x9b")
    assert "[1] C: Subject: <0x1B>]0;pwned<0x07>\n" in text
    assert "[1] C: <0x1B>[2J<0x1B>[1A[1] S: 250 forged\n" in text
    assert "[1] C: <0x1B>]52;c;ZXZpbA==<0x07> and <0x9B>31m C1 CSI\n" in text
