"""Starting and stopping the classroom: bind, print what to tell the class, serve, end cleanly.

Ctrl+C (SIGINT) or SIGTERM ends every student's app process - each is asked to
quit, then terminated, then killed - before the port is closed, so nothing is left
running on the teacher's machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from collections.abc import Callable

from aiohttp import web

from ..i18n import N_, _, ngettext
from .server import ClassroomServer
from .settings import ClassroomSettings

ANY_ADDRESS = ("0.0.0.0", "::", "")
#: Seconds the web server waits, once the sessions are ended, for requests still running.
SHUTDOWN_TIMEOUT = 5.0
BANNER_WIDTH = 60
STUDENTS_OPEN = N_("Students open:")
CODE_LINE = N_("Code:   {code}")
RESULTS_LINE = N_("Exam results go to {folder}")
ONLY_HERE = N_("(only this machine: --host 0.0.0.0 opens it to the class)")
CTRL_C = N_("Ctrl+C ends the class (and every student's session).")
LISTENING = N_("listening")


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free port); OSError when the port is taken."""
    family, kind, proto, _name, address = socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, the one with the default route
    first.  Connecting a UDP socket sends nothing; it only picks the outgoing address."""
    found: list[str] = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))   # RFC 5737 documentation address: never reached
        found.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        for *_info, address in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(address[0]))   # an AF_INET address: (host, port)
    return [a for a in dict.fromkeys(found) if not a.startswith("127.")]


def urls(host: str, port: int) -> list[str]:
    if host in ANY_ADDRESS:
        hosts = lan_addresses() or ["127.0.0.1"]
    else:
        hosts = [f"[{host}]" if ":" in host else host]
    return [f"http://{h}:{port}/" for h in hosts]


def banner(settings: ClassroomSettings, port: int) -> str:
    """What the teacher reads out or writes on the board, large and clear."""
    rule = "=" * BANNER_WIDTH
    lines = [rule, "  smtpsim classroom", "", "  " + _(STUDENTS_OPEN)]
    lines += [f"      {url}" for url in urls(settings.host, port)]
    places = settings.max_students
    lines += ["", "  " + _(CODE_LINE).format(code="  ".join(settings.code)), "",
              "  " + ngettext("Room for {count} student", "Room for {count} students",
                              places).format(count=places),
              "  " + _(RESULTS_LINE).format(folder=settings.results_dir.resolve())]
    if settings.host in ("127.0.0.1", "localhost", "::1"):
        lines.append("  " + _(ONLY_HERE))
    lines += ["  " + _(CTRL_C), rule]
    return "\n".join(lines)


async def serve(settings: ClassroomSettings, server: ClassroomServer | None = None,
                ready: Callable[[int], None] | None = None,
                stop: asyncio.Event | None = None) -> None:
    """Serve until ``stop`` is set - by Ctrl+C or SIGTERM unless the caller passes its own
    ``stop`` - and call ``ready(port)`` once listening."""
    server = server or ClassroomServer(settings)
    own_stop = stop is None
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    sock = bind(settings.host, settings.port)
    port = sock.getsockname()[1]
    runner = web.AppRunner(server.make_app(), handle_signals=False, access_log=None,
                           shutdown_timeout=SHUTDOWN_TIMEOUT)
    await runner.setup()
    site = web.SockSite(runner, sock)
    await site.start()
    handled = []
    for signum in (signal.SIGINT, signal.SIGTERM) if own_stop else ():
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
            handled.append(signum)
    watcher = asyncio.create_task(server.watch())
    try:
        if ready is not None:
            ready(port)
        else:
            server.status.event(_(LISTENING) + "\n" + banner(settings, port))
        await stop.wait()
    finally:
        watcher.cancel()
        count = len(server.processes)
        server.status.event(ngettext("ending the class: {count} session to close",
                                     "ending the class: {count} sessions to close",
                                     count).format(count=count))
        await server.shutdown()
        await runner.cleanup()
        for signum in handled:
            loop.remove_signal_handler(signum)
