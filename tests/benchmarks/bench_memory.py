"""Memory figures under hostile or heavy use (a benchmark script, not a timed test).

Run:  python tests/benchmarks/bench_memory.py [--quick]

Printed, each with its target:

(1) ``serve --maildir``: resident memory across 10,000 messages, each with a recipient
    named twice and one forwarded (251, queued on disk), and three 10 MB messages to
    100 RCPTs of the forwarded erin - flat within 10 MB;
(2) the ``--listen`` app (headless, 120x36) under one client pipelining 200,000 NOOPs:
    peak memory under 150 MB;
(3) ``smtpsim send`` against a server whose EHLO reply never ends: peak under 60 MB, and
    a one-line error within its --timeout;
(4) ``smtpsim run`` of a 10 MB script: peak under 100 MB.

Peaks are each process's own high-water mark (VmHWM in /proc, read as it ends: unlike
``ru_maxrss`` it does not carry over the memory of the process that started it); (1)
samples the server's VmRSS from /proc while it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time

PYTHON = sys.executable


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# Appended to a child's code: its own peak, as the last line it prints.
HIGH_WATER = """
with open("/proc/self/status") as _status:
    print("VmHWM", next(l.split()[1] for l in _status if l.startswith("VmHWM:")), flush=True)
"""


def run_child(code: str, *argv: str) -> tuple[float, str]:
    """Run ``code`` in a fresh interpreter; (its peak RSS in MB, what it printed before)."""
    process = subprocess.run([PYTHON, "-c", code + HIGH_WATER, *argv], capture_output=True)
    output = process.stdout.decode(errors="replace").rstrip("\n")
    rest, _, peak = output.rpartition("\n")
    return int(peak.split()[1]) / 1024, rest


def verdict(value: float, limit: float) -> str:
    return f"target < {limit:g} MB: {'met' if value < limit else 'MISSED'}"


# -- (1) serve --maildir --------------------------------------------------------------------
async def _read_reply(reader: asyncio.StreamReader) -> int:
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("the server closed the connection")
        if line[3:4] != b"-":
            return int(line[:3])


async def maildir_figure(total: int) -> None:
    with tempfile.TemporaryDirectory() as folder, \
            tempfile.TemporaryFile() as transcript:
        server = subprocess.Popen([PYTHON, "-m", "smtpsim", "serve", "--port", "0",
                                   "--maildir", folder, "--max-per-address", "100"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        banner = server.stdout.readline().decode()
        port = int(banner.split("127.0.0.1:")[1].split(";")[0].split()[0])
        # the rest of the transcript is read and thrown away, as a terminal would show it
        drain = asyncio.get_running_loop().run_in_executor(
            None, lambda: [transcript.write(chunk) for chunk in iter(
                lambda: server.stdout.read(65536), b"")])
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            await _read_reply(reader)
            writer.write(b"EHLO client.example\r\n")
            await _read_reply(reader)
            text = (b"Subject: load\r\n\r\n" + b"A line of an ordinary message.\r\n" * 30
                    + b".\r\n")
            one = (b"MAIL FROM:<alice@client.example>\r\nRCPT TO:<bob@mail.example>\r\n"
                   b"RCPT TO:<bob@mail.example>\r\nRCPT TO:<erin@mail.example>\r\nDATA\r\n")
            big = (b"y" * 998 + b"\r\n") * 10_000 + b".\r\n"
            samples = []
            step = total // 10
            for n in range(total):
                if n in (0, total // 2, total - 1):   # 10 MB, 100 RCPTs of erin
                    writer.write(b"MAIL FROM:<alice@client.example>\r\n"
                                 + b"RCPT TO:<erin@mail.example>\r\n" * 100 + b"DATA\r\n")
                    for _ in range(102):
                        await _read_reply(reader)
                    writer.write(big)
                    assert await _read_reply(reader) == 250
                writer.write(one)
                for _ in range(5):
                    await _read_reply(reader)
                writer.write(text)
                assert await _read_reply(reader) == 250
                if (n + 1) % step == 0:
                    samples.append(rss_mb(server.pid))
            writer.write(b"QUIT\r\n")
            await _read_reply(reader)
            writer.close()
            queued = len(os.listdir(os.path.join(folder, "_queue", "new")))
            stored = len(os.listdir(os.path.join(folder, "bob", "new")))
        finally:
            server.terminate()
            server.wait(10)
            await drain
        growth = max(samples) - samples[0]
        print(f"(1) serve --maildir, {total} messages (+3 of 10 MB to 100x erin): RSS "
              + ", ".join(f"{mb:.1f}" for mb in samples) + f" MB; growth {growth:+.1f} MB "
              f"(target within 10 MB: {'met' if growth < 10 else 'MISSED'}); "
              f"{stored} files for bob (each message once), {queued} queued on disk")


# -- (2) the --listen app under a NOOP flood --------------------------------------------------
LISTEN_FLOOD = r"""
import asyncio, sys
from smtpsim.ui.listen import ListenApp

async def main(count):
    app = ListenApp(port=0, cursor_blink=False)
    app.animation_level = "none"
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        reader, writer = await asyncio.open_connection(*app.address)
        await reader.readline()
        batch = 1000
        for _ in range(count // batch):
            writer.write(b"NOOP\r\n" * batch)
            for _ in range(batch):
                await reader.readline()
            await pilot.pause()
        writer.write(b"QUIT\r\n")
        await reader.read()
        for _ in range(200):
            await pilot.pause()
            if not app.conversations[1].open:
                break
        print(f"window {len(app.entries)} lines; first: {app.entries[0].lines[0][:50]}")
asyncio.run(main(int(sys.argv[1])))
"""


def listen_figure(count: int) -> None:
    started = time.perf_counter()
    peak, output = run_child(LISTEN_FLOOD, str(count))
    print(f"(2) --listen app, {count:,} pipelined NOOPs: peak {peak:.1f} MB "
          f"({verdict(peak, 150)}); {time.perf_counter() - started:.0f} s; "
          f"{output.strip().splitlines()[-1] if output.strip() else 'no output'}")


# -- (3) send against an endless reply ---------------------------------------------------------
ENDLESS = r"""
import asyncio, subprocess, sys, time
SEND = "import sys; from smtpsim.cli import main; status = main(sys.argv[1:]); "
HIGH_WATER = %r

async def endless(reader, writer):
    writer.write(b"220 evil.example ESMTP\r\n")
    await reader.readline()
    try:
        while True:
            writer.write((b"250-" + b"X" * 70 + b"\r\n") * 100)
            await writer.drain()
    except (ConnectionError, OSError):
        pass

async def main():
    server = await asyncio.start_server(endless, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", SEND + HIGH_WATER, "send", "--server", f"127.0.0.1:{port}",
        "--from", "alice@client.example", "--to", "bob@evil.example", "--timeout", "10",
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await process.communicate()
    elapsed = time.perf_counter() - started
    peak = int(out.decode().rsplit("VmHWM ", 1)[1]) / 1024
    print(f"{peak:.1f} {elapsed:.2f} {process.returncode} {err.decode().strip()}")
    server.close()

asyncio.run(main())
"""


def send_figure() -> None:
    _, output = run_child(ENDLESS % (HIGH_WATER + "sys.exit(status)\n"))
    peak, elapsed, status, message = output.strip().split(" ", 3)
    print(f"(3) send --timeout 10 against an endless 250- reply: peak {float(peak):.1f} MB "
          f"({verdict(float(peak), 60)}); ended after {float(elapsed):.2f} s, exit {status}: "
          f"{message}")


# -- (4) run of a 10 MB script ----------------------------------------------------------------
def run_figure() -> None:
    one = ("MAIL FROM:<alice@client.example>\nRCPT TO:<bob@mail.example>\nDATA\n"
           "Subject: load\n\n" + "a line of text, long enough to count for something\n"
           * 200 + ".\n")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as script:
        script.write("EHLO client.example\n")
        for _ in range(10_000_000 // len(one) + 1):
            script.write(one)
        script.write("QUIT\n")
    size = os.path.getsize(script.name) / 1e6
    code = ("import sys, os; from smtpsim.cli import main; real = sys.stdout; "
            "sys.stdout = open(os.devnull, 'w'); status = main(sys.argv[1:]); "
            "sys.stdout.flush(); sys.stdout = real\n")
    try:
        started = time.perf_counter()
        peak, _ = run_child(code, "run", script.name)
        elapsed = time.perf_counter() - started
    finally:
        os.unlink(script.name)
    print(f"(4) smtpsim run of a {size:.1f} MB script: peak {peak:.1f} MB "
          f"({verdict(peak, 100)}); {elapsed:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="2,000 messages and 50,000 NOOPs instead of 10,000 and 200,000")
    options = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; load average "
          f"{os.getloadavg()[0]:.1f}")
    asyncio.run(maildir_figure(2_000 if options.quick else 10_000))
    listen_figure(50_000 if options.quick else 200_000)
    send_figure()
    run_figure()


if __name__ == "__main__":
    main()
