"""Clients a teacher's server meets in a classroom: telnet quirks, slow and greedy peers."""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import subprocess
import sys
import time

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


async def _trickle(wire: Wire, data: bytes, pause: float) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        for byte in data:
            await wire.send(bytes([byte]))
            await asyncio.sleep(pause)


async def test_slowloris_clients_lose_their_slots_at_the_command_deadline(start_server):
    server = await start_server(idle_timeout=1.0, max_connections=5)
    wires = [await Wire.open(server) for _ in range(5)]
    for wire in wires:
        assert await wire.code() == 220
    started = time.monotonic()
    trickles = [asyncio.create_task(_trickle(w, b"NOOP" * 100, 0.1)) for w in wires]
    try:
        for wire in wires:    # a byte every 0.1 s: never a whole line
            assert await wire.reply(timeout=5) == [
                b"421 4.4.2 mail.example Error: timeout exceeded, closing transmission channel"]
        assert time.monotonic() - started < 3
        fresh = await Wire.open(server)
        assert await fresh.code() == 220          # the slots are free again
        await fresh.close()
    finally:
        for task in trickles:
            task.cancel()


async def test_message_text_has_a_deadline_per_block_not_per_byte(start_server):
    server = await start_server(idle_timeout=1.0)
    slow, steady = await Wire.open(server), await Wire.open(server)
    for wire in (slow, steady):
        await wire.code()
        assert (await wire.start_data())[-1] == 354
    started = time.monotonic()

    async def cut_off() -> float:
        assert (await slow.reply(timeout=10))[0].startswith(b"421 4.4.2")
        return time.monotonic() - started

    slow_end = asyncio.create_task(cut_off())
    trickle = asyncio.create_task(_trickle(slow, b"x" * 1000, 0.05))
    for _ in range(6):                 # 3 s of text in blocks: longer than the timeout
        await steady.send(b"y" * 70 + b"\r\n" + (b"z" * 78 + b"\r\n") * 60)
        await asyncio.sleep(0.5)
    await steady.send(b".\r\n")
    assert (await steady.reply())[0].startswith(b"250 2.0.0")
    assert time.monotonic() - started > 2.5
    assert await slow_end < 2.2            # a byte every 0.05 s did not keep it alive
    trickle.cancel()


async def test_one_address_cannot_take_every_slot(start_server):
    seen = []
    server = await start_server(max_connections=10, max_per_address=3,
                                on_entries=lambda cid, entries: seen.extend(entries))
    wires = [await Wire.open(server) for _ in range(3)]
    for wire in wires:
        assert await wire.code() == 220
    extra = await Wire.open(server)
    assert await extra.reply() == [b"421 4.7.0 mail.example Error: too many connections from "
                                   b"127.0.0.1, try again later"]
    assert await extra.at_eof()
    from smtpsim.mta.explain import explain_entry
    refusal = next(e for e in seen if e.code == 421)
    assert "127.0.0.1" in explain_entry(refusal).why
    await wires[0].command(b"QUIT")
    await wires[0].close()
    for _ in range(50):               # the slot comes back when the connection is gone
        if len(server.connections) == 2:
            break
        await asyncio.sleep(0.02)
    again = await Wire.open(server)
    assert await again.code() == 220
    for wire in wires[1:] + [again]:
        await wire.close()


RLIMIT_SERVE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
from smtpsim.cli import main
sys.exit(main(sys.argv[1:]))
"""


async def test_max_connections_is_fitted_to_the_open_file_limit():
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", RLIMIT_SERVE, "serve", "--port", "0", "--quiet",
        "--max-connections", "200", "--max-per-address", "200",
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wires = []
    try:
        notice = (await asyncio.wait_for(process.stderr.readline(), 20)).decode()
        limit = int(notice.split("lowered to ")[1].split(":")[0])
        assert notice == (f"smtpsim: --max-connections 200 lowered to {limit}: the process "
                          "may open only 64 files (ulimit -n), and each connection is one\n")
        banner = (await asyncio.wait_for(process.stdout.readline(), 20)).decode()
        port = int(banner.split("127.0.0.1:")[1].split(";")[0])
        codes = []
        for _ in range(limit + 10):
            wire = Wire(*await asyncio.open_connection("127.0.0.1", port))
            wires.append(wire)
            codes.append(await wire.code())
        assert codes == [220] * limit + [421] * 10
    finally:
        for wire in wires:
            wire.abort()
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 20)
    assert b"Traceback" not in err


ACCEPT_STARVED = """
import asyncio, os, sys
from smtpsim.net import SimServer

async def main():
    server = SimServer("modern", on_notice=lambda text: print(text, file=sys.stderr,
                                                               flush=True))
    host, port = await server.start("127.0.0.1", 0)
    hoard = []
    try:
        while True:
            hoard.append(os.open(os.devnull, os.O_RDONLY))   # every descriptor left
    except OSError:
        pass
    print(port, flush=True)
    await asyncio.sleep(6)
    for fd in hoard:
        os.close(fd)
    await server.shutdown()

asyncio.run(main())
"""


async def test_accept_without_a_descriptor_answers_421_in_one_line():
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", ACCEPT_STARVED, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        port = int(await asyncio.wait_for(process.stdout.readline(), 20))
        for _ in range(3):
            wire = Wire(*await asyncio.open_connection("127.0.0.1", port))
            assert await wire.reply(timeout=5) == [
                b"421 4.7.0 mail.example Error: too many connections, try again later"]
            assert await wire.at_eof()
        _, err = await asyncio.wait_for(process.communicate(), 20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    lines = err.decode().splitlines()
    assert not any("Traceback" in line for line in lines)
    # one line a second at most, and a last one at shutdown: never one per attempt
    assert 1 <= len(lines) <= 3
    assert all(re.fullmatch(r"accept\(\) found no free file descriptor: [123] client\(s\) "
                            r"answered 421 \([123] so far\); raise `ulimit -n` or lower "
                            r"--max-connections", line) for line in lines)
    assert lines[-1].endswith("(3 so far); raise `ulimit -n` or lower --max-connections")
