"""Clients a teacher's server meets in a classroom: telnet quirks, slow and greedy peers."""

from __future__ import annotations

import asyncio

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
