"""Engine figures (issue 2, section 7) - a script that prints numbers, not a test.

    python tests/benchmarks/bench_engine.py [--transactions N] [--messages M]
    python tests/benchmarks/bench_engine.py --against COMMIT [--rounds R]

1. Complete message transactions per second, in process: a ClientMTA and a ServerMTA
   joined through the sans-IO core (every byte goes through ClientConnection and
   ServerConnection).  EHLO once, then per transaction MAIL, RCPT, DATA, the message
   text and the final dot - first each answered before the next is sent (lockstep, as
   the app plays it), then pipelined as RFC 2920 3.1 lets a client do with a server
   that lists PIPELINING (MAIL, RCPT and DATA in one write, the next envelope right
   behind the final dot: one round trip per message).  Floor: >= 20,000/s for one
   lockstep pair on one core of a quiet machine (the first figure).
   A session is one engine pair with no shared state, so a machine runs as many at once
   as it has cores: the script then runs one lockstep pair per core, each in its own
   process (the interpreter runs one thread at a time), started together, and prints
   their total per second.
2. Wall time of ``smtpsim run`` (a fresh interpreter, as a user runs it) on a generated
   script of 5,000 messages, output thrown away.  Floor: < 1 s.

Machines differ, and a shared one changes speed from minute to minute, so a figure alone
says little about a change.  ``--against COMMIT`` is the interleaved A/B that decides
whether an optimisation stays (it must pay > 3 %): the engine of COMMIT (taken with
``git archive``) and this checkout's engine take turns, each round in a fresh process
per tree, and the script prints both and their ratio.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Only names smtpsim.mta has long exported: --against runs this file on older commits too.
from smtpsim.mta import ClientMTA, OutgoingMessage, ServerMTA, default_world, get_profile
from smtpsim.protocol import State

BODY = b"From: <alice@client.example>\r\nTo: <bob@mail.example>\r\nSubject: bench\r\n\r\nHello.\r\n"


def transactions_per_second(count: int, pipelining: bool = False) -> tuple[float, float]:
    """(transactions per wall-clock second, per CPU second of this process).

    On a shared machine the CPU figure is what an idle 2-core machine would show."""
    server = ServerMTA(default_world(), get_profile("modern"))
    client = ClientMTA("client.example", pipelining=pipelining)
    client.receive(b"".join(r.wire for r in server.greet()))
    # EHLO once, outside the timing
    client.receive(b"".join(r.wire for r in server.receive(client.next_output())))
    assert client.conn.state is State.READY
    client.outbox.extend(OutgoingMessage("alice@client.example", ["bob@mail.example"], BODY)
                         for _ in range(count))
    started, cpu = time.perf_counter(), time.process_time()
    while client.outbox:
        replies = server.receive(client.next_output())
        client.receive(replies[0].wire if len(replies) == 1 else
                       b"".join([r.wire for r in replies]))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    delivered = sum(1 for job in client.done if job.outcome == "delivered")
    assert delivered == count, (delivered, count)
    assert len(server.host.users["bob"].mailbox) == count
    return count / elapsed, count / cpu


def _one_core(count: int, start: multiprocessing.synchronize.Barrier) -> float:
    """One worker process: wait for the others, then time its own engine pair (seconds)."""
    start.wait()
    began = time.perf_counter()
    transactions_per_second(count)
    return time.perf_counter() - began


def all_cores(count: int, workers: int) -> float:
    """Transactions per second of ``workers`` engine pairs running at once, one per process.

    Each process times itself from a shared start (a barrier), so process start-up and
    imports are not counted; the total is every transaction over the slowest one's time."""
    manager = multiprocessing.Manager()
    start = manager.Barrier(workers)
    with multiprocessing.Pool(workers) as pool:
        elapsed = pool.starmap(_one_core, [(count, start)] * workers)
    manager.shutdown()
    return count * workers / max(elapsed)


def _child_rate(transactions: int) -> None:
    """In a process of its own (see against): the best of three CPU rates, and where the
    engine measured was imported from."""
    import smtpsim
    best = max(transactions_per_second(transactions)[1] for _ in range(3))
    print(f"{best:.1f} {Path(smtpsim.__file__).resolve().parent.parent}")


def _rate_of(tree: Path, transactions: int) -> float:
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    result = subprocess.run([sys.executable, __file__, "--child", str(transactions)],
                            capture_output=True, text=True, env=environment, timeout=600)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        sys.exit(f"the engine in {tree} could not be measured: {last}")
    rate, _, where = result.stdout.strip().partition(" ")
    # PYTHONPATH comes before the installed package; make sure it did.
    assert Path(where) == tree.resolve(), (where, tree)
    return float(rate)


def against(commit: str, transactions: int, rounds: int) -> None:
    """Interleaved A/B: COMMIT's engine and this checkout's, taking turns."""
    import io
    import tarfile
    checkout = Path(__file__).resolve().parents[2]
    archive = subprocess.run(["git", "-C", str(checkout), "archive", "--format=tar", commit],
                             capture_output=True, check=True).stdout
    rates: dict[str, list[float]] = {"then": [], "now": []}
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            # The "data" filter (Python 3.11.4+) refuses links and paths out of the folder.
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(folder, **safe)
        trees = {"then": Path(folder), "now": checkout}
        for _ in range(rounds):
            for name, tree in trees.items():
                rates[name].append(_rate_of(tree, transactions))
    then, now = statistics.mean(rates["then"]), statistics.mean(rates["now"])
    print(f"lockstep transactions per CPU second, one core, {rounds} round(s) taking turns "
          f"(best of 3 x {transactions} per round):")
    print(f"  {commit}: mean {then:,.0f}  best {max(rates['then']):,.0f}")
    print(f"  this checkout: mean {now:,.0f}  best {max(rates['now']):,.0f}")
    print(f"  this checkout runs at {now / then:.1%} of {commit}'s speed")


def script(messages: int) -> str:
    lines = ["EHLO client.example"]
    for n in range(messages):
        lines += ["MAIL FROM:<alice@client.example>", "RCPT TO:<bob@mail.example>", "DATA",
                  f"Subject: message {n}", "", "Hello Bob.", "."]
    lines.append("QUIT")
    return "\n".join(lines) + "\n"


def run_wall_time(messages: int) -> tuple[float, int, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "script.txt"
        path.write_text(script(messages))
        started = time.perf_counter()
        before = os.times()
        result = subprocess.run([sys.executable, "-m", "smtpsim", "run", str(path)],
                                capture_output=True, check=True)
        elapsed = time.perf_counter() - started
        after = os.times()
        cpu = (after.children_user - before.children_user
               + after.children_system - before.children_system)
    out = result.stdout.decode().splitlines()
    queued = sum(1 for line in out if line.startswith("S: 250 2.0.0 Ok: queued as"))
    assert queued == messages and out[-1].startswith("S: 221"), (queued, out[-1:])
    return elapsed, len(out), cpu


def startup_time() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "smtpsim", "world"], capture_output=True, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=20_000)
    parser.add_argument("--messages", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--against", metavar="COMMIT",
                        help="interleaved A/B of the lockstep figure against COMMIT's engine")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child_rate(args.child)
        return
    if args.against:
        against(args.against, args.transactions // 2, args.rounds)
        return

    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores; others' work slows wall "
          "time)")
    # The two ways take turns, round after round, so that load from elsewhere on the
    # machine hurts neither more than the other.
    runs: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    for _ in range(args.rounds):
        for pipelining in (False, True):
            runs[pipelining].append(transactions_per_second(args.transactions, pipelining))
    for label, pipelining in (("lockstep", False), ("pipelined", True)):
        rates, cpu_rates = [w for w, _ in runs[pipelining]], [c for _, c in runs[pipelining]]
        print(f"in-process transactions/s, one core, {label} ({args.transactions} per round, "
              f"{args.rounds} rounds): best {max(rates):,.0f}  "
              f"median {statistics.median(rates):,.0f}  worst {min(rates):,.0f}"
              + ("   floor >= 20,000 on a quiet machine" if not pipelining else ""))
        print(f"  per CPU second of this process: best {max(cpu_rates):,.0f}  "
              f"median {statistics.median(cpu_rates):,.0f}")
    workers = os.cpu_count() or 1
    together = [all_cores(args.transactions, workers) for _ in range(args.rounds)]
    print(f"in-process transactions/s, all {workers} cores, lockstep ({workers} pairs, one per "
          f"process, {args.transactions} each): best {max(together):,.0f}  "
          f"median {statistics.median(together):,.0f}  worst {min(together):,.0f}")
    times = [run_wall_time(args.messages) for _ in range(args.rounds)]
    cpus = [c for _, _, c in times]
    walls = [t for t, _, _ in times]
    print(f"smtpsim run, {args.messages}-message script ({times[0][1]:,} transcript lines): "
          f"best {min(walls):.3f} s  median {statistics.median(walls):.3f} s   target < 1 s")
    print(f"  CPU time of the process: best {min(cpus):.3f} s  "
          f"median {statistics.median(cpus):.3f} s")
    print(f"  of which interpreter start-up and imports (smtpsim world): "
          f"{min(startup_time() for _ in range(3)):.3f} s")


if __name__ == "__main__":
    main()
