"""Real TCP figures: ``smtpsim serve`` against aiosmtpd, same client, same loopback.

Run:  python tests/benchmarks/bench_net.py [--quick] [--rounds N]

Both servers run as separate processes (so their CPU time can be read from /proc); one
client drives them identically, one command and its reply at a time except in the
pipelining figure.  aiosmtpd's handler accepts every message and discards it; smtpsim
serve keeps its mailboxes in memory (the default without --maildir) and prints its
annotated transcript, as it does by default, into a file (``--quiet`` is measured too,
for comparison).  Printed: (a) messages/s over one connection, (b) messages/s with 20
connections x 100 messages, (c) pipelined NOOPs/s, (d) server CPU per message, each with
the ratio smtpsim/aiosmtpd; then, for ``serve --maildir``, the server's resident memory
across 10,000 messages, and 200 connections held open at once and served.

Targets (2-core machine), in the default mode (transcript on): (a), (b) >= 1.5x
aiosmtpd; (c) >= 4x aiosmtpd.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time

AIOSMTPD_SERVER = r"""
import asyncio, logging
from aiosmtpd.smtp import SMTP
logging.disable(logging.CRITICAL)
class Discard:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"
async def serve():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Discard()), "127.0.0.1", 0, backlog=512)
    print("listening on 127.0.0.1:%d" % server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()
asyncio.run(serve())
"""

MESSAGE = (b"From: <alice@client.example>\r\nTo: <bob@mail.example>\r\nSubject: benchmark\r\n"
           b"\r\n" + b"A line of an ordinary message, sixty-some characters long.\r\n" * 8)
ENVELOPE = (b"MAIL FROM:<alice@client.example>", b"RCPT TO:<bob@mail.example>", b"DATA")


class Server:
    """A server process started with ``command``; its first line names the port."""

    def __init__(self, name: str, command: list[str]) -> None:
        self.name = name
        # stdout goes to a file: a server printing its transcript must never wait for us
        # Kept open for the server's life; closed (and so deleted) by stop().
        self.output = tempfile.NamedTemporaryFile(prefix="bench-net-", suffix=".txt")  # noqa: SIM115
        self.process = subprocess.Popen(command, stdout=self.output,
                                        stderr=subprocess.DEVNULL)
        line = ""
        for _ in range(400):
            with open(self.output.name) as handle:
                line = handle.readline()
            if line.endswith("\n"):
                break
            time.sleep(0.05)
        self.port = int(line.split("127.0.0.1:")[1].split()[0].rstrip(";"))

    def output_mb(self) -> float:
        return os.path.getsize(self.output.name) / 1e6

    def cpu(self) -> tuple[float, float]:
        """(user, system) CPU seconds of the server process so far."""
        with open(f"/proc/{self.process.pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        tick = os.sysconf("SC_CLK_TCK")
        return int(fields[11]) / tick, int(fields[12]) / tick

    def rss_mb(self) -> float:
        with open(f"/proc/{self.process.pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.output.close()


class Client(asyncio.Protocol):
    """The same lean client for both servers: a script of (bytes to send, replies to await)
    steps, each sent from the callback that completes the previous one - no coroutine per
    round trip, so the client costs as little as it can and the servers' costs show."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.codes: list[int] = []
        self.steps: list[tuple[bytes, int]] = []
        self.step = 0
        self.waiting = 1                      # the greeting
        self.done: asyncio.Future = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    @classmethod
    async def open(cls, port: int) -> Client:
        loop = asyncio.get_running_loop()
        _, client = await loop.create_connection(cls, "127.0.0.1", port)
        await client.run([(b"EHLO client.example\r\n", 1)])
        return client

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        start = 0
        while (end := buffer.find(b"\n", start)) >= 0:
            if buffer[start + 3:start + 4] != b"-":
                self.codes.append(int(buffer[start:start + 3]))
                self.waiting -= 1
            start = end + 1
        del buffer[:start]
        if self.waiting == 0:
            self._next()

    def connection_lost(self, exc) -> None:
        if not self.done.done():
            self.done.set_exception(ConnectionError("the server closed the connection"))

    def _next(self) -> None:
        if self.step == len(self.steps):
            if not self.done.done():
                self.done.set_result(self.codes)
            return
        data, self.waiting = self.steps[self.step]
        self.step += 1
        self.transport.write(data)

    async def run(self, steps: list[tuple[bytes, int]]) -> list[int]:
        """Play the steps (after the replies still awaited, e.g. the greeting)."""
        self.steps, self.step, self.codes = steps, 0, []
        if self.done.done():
            self.done = asyncio.get_running_loop().create_future()
        if self.waiting == 0:
            self._next()
        return await self.done

    async def send_messages(self, count: int) -> None:
        one = [(line + b"\r\n", 1) for line in ENVELOPE] + [(MESSAGE + b".\r\n", 1)]
        codes = await self.run(one * count)
        if codes.count(250) != 3 * count:
            raise RuntimeError(f"some messages were refused: {sorted(set(codes))}")

    async def quit(self) -> None:
        await self.run([(b"QUIT\r\n", 1)])
        self.transport.close()


async def messages_per_second(port: int, connections: int, per_connection: int) -> float:
    clients = [await Client.open(port) for _ in range(connections)]
    start = time.perf_counter()
    await asyncio.gather(*(c.send_messages(per_connection) for c in clients))
    elapsed = time.perf_counter() - start
    for client in clients:
        await client.quit()
    return connections * per_connection / elapsed


async def pipelined_noops(port: int, count: int, batch: int = 1000) -> float:
    client = await Client.open(port)
    start = time.perf_counter()
    codes = await client.run([(b"NOOP\r\n" * batch, batch)] * (count // batch))
    elapsed = time.perf_counter() - start
    if set(codes) != {250}:
        raise RuntimeError(f"NOOP answered with {sorted(set(codes))}")
    await client.quit()
    return count / elapsed


def compare(label: str, ours: float, theirs: float, unit: str, target: float | None,
            higher_is_better: bool = True) -> None:
    if min(ours, theirs) <= 0:
        # /proc counts CPU in clock ticks (10 ms): a short run can read 0 for one side
        print(f"{label:<42} smtpsim {ours:>9.1f}  aiosmtpd {theirs:>9.1f} {unit:<7}"
              " ratio   n/a (too short to measure)")
        return
    ratio = ours / theirs if higher_is_better else theirs / ours
    verdict = "" if target is None else ("  target >= {:.1f}x: {}".format(
        target, "met" if ratio >= target else "MISSED"))
    print(f"{label:<42} smtpsim {ours:>9.1f}  aiosmtpd {theirs:>9.1f} {unit:<7}"
          f" ratio {ratio:5.2f}x{verdict}")


async def one_round(server: Server, single: int, per: int, noops: int) -> tuple[float, ...]:
    a = await messages_per_second(server.port, 1, single)
    before = server.cpu()
    b = await messages_per_second(server.port, 20, per)
    user, system = (now - then for now, then in zip(server.cpu(), before, strict=False))
    c = await pipelined_noops(server.port, noops)
    count = 20 * per
    return a, b, c, (user + system) / count * 1e6, user / count * 1e6, system / count * 1e6


async def side_by_side(smtpsim: Server, aiosmtpd: Server, quick: bool, rounds: int,
                       label: str) -> None:
    """The servers take turns, round after round; each figure keeps its best round, so a
    burst of load from elsewhere on the machine hurts neither server more than the other."""
    single = 500 if quick else 2000
    per = 30 if quick else 100
    noops = 20_000 if quick else 50_000
    best: dict[str, list[float]] = {}
    for server in (smtpsim, aiosmtpd):
        await messages_per_second(server.port, 1, 50)           # warm up
    for _ in range(rounds):
        for server in (smtpsim, aiosmtpd):
            figures = await one_round(server, single, per, noops)
            old = best.get(server.name)
            best[server.name] = list(figures) if old is None else [
                max(o, f) if i < 3 else min(o, f)
                for i, (o, f) in enumerate(zip(old, figures, strict=True))]
    ours, theirs = best["smtpsim"], best["aiosmtpd"]
    print(f"{label}: best of {rounds} interleaved rounds")
    compare("(a) messages/s, one connection", ours[0], theirs[0], "msg/s", 1.5)
    compare(f"(b) messages/s, 20 connections x {per}", ours[1], theirs[1], "msg/s", 1.5)
    compare("(c) pipelined NOOPs/s", ours[2], theirs[2], "NOOP/s", 4.0)
    compare("(d) server CPU per message in (b), lower wins", ours[3], theirs[3], "us/msg", None,
            higher_is_better=False)
    compare("    of which user (Python)", ours[4], theirs[4], "us/msg", None,
            higher_is_better=False)
    compare("    of which system (kernel, sockets)", ours[5], theirs[5], "us/msg", None,
            higher_is_better=False)


async def maildir_memory(server: Server, total: int, connections: int) -> None:
    per = total // connections
    samples = []
    clients = [await Client.open(server.port) for _ in range(connections)]
    for step in range(10):
        await asyncio.gather(*(c.send_messages(per // 10) for c in clients))
        samples.append((per // 10 * connections * (step + 1), server.rss_mb()))
    for client in clients:
        await client.quit()
    first, last = samples[0][1], samples[-1][1]
    print(f"--maildir memory: RSS after {samples[0][0]} messages {first:.1f} MB, after "
          f"{samples[-1][0]} {last:.1f} MB (growth {last - first:+.1f} MB); samples: "
          + ", ".join(f"{mb:.1f}" for _, mb in samples))


async def hold_many(server: Server, count: int) -> None:
    clients = await asyncio.gather(*(Client.open(server.port) for _ in range(count)))
    rss = server.rss_mb()
    await asyncio.gather(*(c.send_messages(1) for c in clients))
    await asyncio.gather(*(c.quit() for c in clients))
    print(f"--maildir: {len(clients)} connections open at once (server RSS {rss:.1f} MB), "
          f"each sent a message: all got 250")


async def run(quick: bool, rounds: int) -> None:
    serve = [sys.executable, "-m", "smtpsim", "serve", "--port", "0",
             "--max-connections", "400", "--max-per-address", "400"]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, loopback; "
          f"message {len(MESSAGE)} octets; load average {os.getloadavg()[0]:.1f}")
    for label, extra in (("default (annotated transcript)", []), ("--quiet", ["--quiet"])):
        smtpsim = Server("smtpsim", serve + extra)
        aiosmtpd = Server("aiosmtpd", [sys.executable, "-c", AIOSMTPD_SERVER])
        try:
            await side_by_side(smtpsim, aiosmtpd, quick, rounds, label)
            if not extra:
                print(f"    transcript written: {smtpsim.output_mb():.1f} MB")
        finally:
            smtpsim.stop()
            aiosmtpd.stop()
    with tempfile.TemporaryDirectory() as folder:
        stored = Server("smtpsim --maildir", serve + ["--quiet", "--maildir", folder])
        try:
            await maildir_memory(stored, 2_000 if quick else 10_000, 10)
            await hold_many(stored, 200)
        finally:
            stored.stop()
        files = len(os.listdir(os.path.join(folder, "bob", "new")))
        print(f"--maildir: {files} files in bob/new (every 250 is a file)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer messages, for a smoke run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    options = parser.parse_args()
    asyncio.run(run(options.quick, options.rounds))
