"""Benchmark of the terminal app: start-up, work per typed command, peak memory.

Run:  python tests/benchmarks/bench_app.py        (not collected by pytest)

(a) Start-up to the first interactive screen (mounted, command line focused), as a
    ratio to a bare Textual app of six widgets measured in the same run.  Both are
    timed in fresh processes (interpreter, imports, first frame: what a learner
    waits for) and warm, in this process (the app's own work only).  Target <= 1.5x.
    Both run on equal terms: from compiled bytecode (a cache primed by an untimed run
    of each, in a folder of its own), as after any install, even where the environment
    sets PYTHONDONTWRITEBYTECODE; otherwise only smtpsim's sources (not Textual's,
    compiled by pip) would be compiled again at every start.  The Italian app
    (``--lang it``: the .po read and the Italian catalogue merged) is timed beside them.
(b) The app's work per typed command over 500 commands: the engine, the panes, the
    diagram, the explanation, and the layout and paint that follow (timed inside
    Textual's refresh steps).  Target < 16 ms (a frame).
(c) Peak memory (max RSS) of a fresh process that opens the app and types the 500
    commands.  Target < 80 MiB.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.pop("TEXTUAL_ANIMATIONS", None)
SIZE = (120, 36)
CYCLE = ["MAIL FROM:<alice@client.example>", "RCPT TO:<bob@mail.example>", "DATA",
         "Subject: benchmark", "", "one line of text", ".", "NOOP", "VRFY bob", "RSET"]
COMMANDS = (["EHLO client.example"] + CYCLE * 50)[:500]

BARE = '''
from textual.app import App
from textual.widgets import Footer, Header, Input, Static
class Bare(App):
    def compose(self):
        yield Header(); yield Static("one"); yield Static("two"); yield Static("three")
        yield Input(id="i"); yield Footer()
    def on_mount(self):
        self.query_one("#i").focus()
def make():
    return Bare()
'''

SMTPSIM = '''
from smtpsim.ui.app import make_app
def make():
    return make_app(cursor_blink=False)
'''

SMTPSIM_IT = '''
from smtpsim import i18n
from smtpsim.ui.app import make_app
def make():
    i18n.set_language("it")      # what `smtpsim --lang it` does before building the app
    return make_app(cursor_blink=False)
'''

COLD = '''
import asyncio, sys, time
start, cpu_start = time.perf_counter(), time.process_time()
{module}
async def main():
    app = make()
    async with app.run_test(size={size}) as pilot:
        await pilot.pause()
        assert app.focused is not None
asyncio.run(main())
print(time.perf_counter() - start, time.process_time() - cpu_start)
'''

MEMORY = '''
import asyncio, resource
from smtpsim.ui.app import make_app
COMMANDS = {commands!r}
async def main():
    app = make_app(cursor_blink=False)
    async with app.run_test(size={size}) as pilot:
        for line in COMMANDS:
            app.send_lines([line])
            await pilot.pause()
asyncio.run(main())
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
'''


def cold(module: str, runs: int) -> float:
    return statistics.median(cold_runs(module, runs)[0])


def cold_runs(module: str, runs: int) -> tuple[list[float], list[float]]:
    """Wall times and CPU times (user + system) of ``runs`` fresh processes.

    On a shared machine the wall time also measures the neighbours; the CPU time is
    what the start-up itself costs, so both are given.  Both cover the same window, from
    the first import to the first screen: the interpreter's own start and its exit (where
    the final garbage collection differs between the apps) are no part of the wait."""
    code = COLD.format(module=module, size=SIZE)
    walls, cpus = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env=CHILD_ENV).stdout
        wall, cpu = out.split()
        walls.append(float(wall))
        cpus.append(float(cpu))
    return walls, cpus


#: The children's environment: bytecode written to and read from a cache folder of the
#: benchmark's own (nothing is written into the checkout or site-packages).
CHILD_ENV = {key: value for key, value in os.environ.items()
             if key != "PYTHONDONTWRITEBYTECODE"}
CHILD_ENV["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "smtpsim-bench-pyc")


def startup_side_by_side(apps: dict[str, str], runs: int = 7
                         ) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) of each app, runs interleaved so that all meet the same load;
    one untimed run of each first fills the bytecode cache."""
    for module in apps.values():
        cold_runs(module, 1)
    walls: dict[str, list[float]] = {name: [] for name in apps}
    cpus: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(runs):
        for name, module in apps.items():
            wall, cpu = cold_runs(module, 1)
            walls[name] += wall
            cpus[name] += cpu
    median = statistics.median
    return {name: (median(walls[name]), median(cpus[name])) for name in apps}


async def warm_once(make) -> float:
    start = time.perf_counter()
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        elapsed = time.perf_counter() - start
    return elapsed


def warm(module: str, runs: int) -> float:
    namespace: dict = {}
    exec(module, namespace)
    asyncio.run(warm_once(namespace["make"]))          # imports and caches warmed
    return statistics.median(asyncio.run(warm_once(namespace["make"])) for _ in range(runs))


class FrameTimer:
    """Wall time the screen spends laying out and painting (Textual's two refresh steps)."""

    def __init__(self) -> None:
        from textual.screen import Screen
        self.spent = 0.0
        for name in ("_refresh_layout", "_compositor_refresh"):
            original = getattr(Screen, name)

            def timed(screen, *args, __original=original, **kwargs):
                start = time.perf_counter()
                try:
                    return __original(screen, *args, **kwargs)
                finally:
                    self.spent += time.perf_counter() - start
            setattr(Screen, name, timed)


async def per_command() -> tuple[float, float, float, float]:
    """Per command: handling; handling + the layout and paint it causes; p95 of that; CPU.

    ``pilot.pause()`` waits until the process looks idle, which on a busy machine takes
    far longer than the work itself, so the wall time of the pause is not reported:
    the frame steps are timed directly, and CPU time is given as a cross-check.
    """
    from smtpsim.ui.app import make_app
    frames = FrameTimer()
    app = make_app(cursor_blink=False)
    handler, work, cpu = [], [], []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for line in COMMANDS:
            frames.spent = 0.0
            cpu_start, start = time.process_time(), time.perf_counter()
            app.send_lines([line])
            handled = time.perf_counter() - start
            await pilot.pause()                       # the refresh and repaint that follow
            handler.append(handled)
            work.append(handled + frames.spent)
            cpu.append(time.process_time() - cpu_start)
        assert len(app.session.transcript) > 800 and not app.session.closed
    return (statistics.mean(handler), statistics.mean(work),
            statistics.quantiles(work, n=20)[-1], statistics.mean(cpu))


def main() -> None:
    print(f"smtpsim app benchmark (Python {sys.version.split()[0]}, {SIZE[0]}x{SIZE[1]})")
    cold = startup_side_by_side({"bare": BARE, "en": SMTPSIM, "it": SMTPSIM_IT})
    (bare_cold, bare_cpu), (app_cold, app_cpu), (it_cold, it_cpu) = (
        cold["bare"], cold["en"], cold["it"])
    bare_warm, app_warm = warm(BARE, 5), warm(SMTPSIM, 5)
    print(f"(a) start-up, fresh process: bare {bare_cold * 1000:7.1f} ms   smtpsim "
          f"{app_cold * 1000:7.1f} ms   ratio {app_cold / bare_cold:4.2f}x  (target <= 1.5x)")
    print(f"    the same, CPU time:      bare {bare_cpu * 1000:7.1f} ms   smtpsim "
          f"{app_cpu * 1000:7.1f} ms   ratio {app_cpu / bare_cpu:4.2f}x")
    print(f"    --lang it, fresh process:                  smtpsim "
          f"{it_cold * 1000:7.1f} ms   ratio {it_cold / bare_cold:4.2f}x  "
          f"(CPU {it_cpu * 1000:7.1f} ms, {it_cpu / bare_cpu:4.2f}x)")
    print(f"    start-up, warm:          bare {bare_warm * 1000:7.1f} ms   smtpsim "
          f"{app_warm * 1000:7.1f} ms   ratio {app_warm / bare_warm:4.2f}x")
    handler, work, p95, cpu = asyncio.run(per_command())
    print(f"(b) per typed command ({len(COMMANDS)}): handling {handler * 1000:5.2f} ms; "
          f"with layout and paint {work * 1000:5.2f} ms mean, {p95 * 1000:5.2f} ms p95 "
          f"(target < 16 ms); CPU {cpu * 1000:5.2f} ms")
    code = MEMORY.format(commands=COMMANDS, size=SIZE)
    peak = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout)
    print(f"(c) peak memory (max RSS, app + {len(COMMANDS)} commands): {peak:5.1f} MiB "
          f"(target < 80 MiB)")


if __name__ == "__main__":
    main()
