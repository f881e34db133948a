"""File descriptors: how many connections the process can really hold, and what happens
when ``accept()`` finds none left.

Every open connection is a descriptor, and so is every Maildir file being written, each
listening socket, the event loop's own and the standard streams.  Under ``ulimit -n 128``
a server promising ``--max-connections 200`` would run out: ``accept()`` then fails with
EMFILE and asyncio logs a traceback for every attempt while the clients get nothing.  So
the limit is lowered to what the process can open (:func:`usable_connections`), and if
``accept()`` fails anyway (other descriptors in use), :class:`SpareDescriptor` answers the
waiting clients ``421`` (RFC 5321 3.8) - the spare-descriptor technique of event-driven
servers: keep one descriptor in reserve, free it to accept and refuse, then take it back.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import resource
import socket
from collections.abc import Callable

from ..i18n import N_
from ..protocol.phrase import Phrase

FD_RESERVE = 32      # descriptors kept for everything that is not a client connection
SHED_AT_ONCE = 256   # connections refused in one go, at most
OUT_OF_DESCRIPTORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
NO_DESCRIPTORS = N_("accept() found no free file descriptor: {count} client(s) answered "
                    "421 ({total} so far); raise `ulimit -n` or lower --max-connections")


def open_descriptors() -> int:
    """Descriptors this process holds now (Linux /proc; a guess elsewhere)."""
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return 16


def usable_connections(wanted: int) -> int:
    """``wanted``, or fewer if the open-file limit (RLIMIT_NOFILE) cannot hold them."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(1, min(wanted, soft - open_descriptors() - FD_RESERVE))


def is_out_of_descriptors(error: BaseException | None) -> bool:
    return isinstance(error, OSError) and error.errno in OUT_OF_DESCRIPTORS


class SpareDescriptor:
    """One descriptor held in reserve, to refuse connections when none is left."""

    def __init__(self) -> None:
        self.fd = os.open(os.devnull, os.O_RDONLY)

    def shed(self, listening_fd: int, reply: bytes) -> int:
        """Accept every connection waiting on ``listening_fd`` and send it ``reply``
        before closing it; returns how many there were."""
        refused = 0
        self._release()
        # A socket object around the listener's descriptor: no new descriptor is made,
        # and detach() below leaves the listener open for the event loop.
        listening = socket.socket(fileno=listening_fd)
        try:
            while refused < SHED_AT_ONCE:
                try:
                    connection, _ = listening.accept()
                except OSError:   # nothing waiting (EAGAIN), or still no descriptor
                    break
                with connection:
                    connection.setblocking(False)
                    with contextlib.suppress(OSError):
                        connection.send(reply)
                refused += 1
        finally:
            listening.detach()
            self._take_back()
        return refused

    def close(self) -> None:
        self._release()

    def _release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def _take_back(self) -> None:
        try:
            self.fd = os.open(os.devnull, os.O_RDONLY)
        except OSError:
            self.fd = -1   # taken again at the next shed, when a descriptor is free


class AcceptGuard:
    """The event loop's exception handler while a server listens: accept() out of
    descriptors on one of ``listening`` refuses the waiting clients with ``reply`` and says
    so in one line (``on_notice``) at most once a second; anything else goes on to the
    handler that was there before."""

    def __init__(self, loop: asyncio.AbstractEventLoop, listening: list[int], reply: bytes,
                 on_notice: Callable[[str], None] | None) -> None:
        self.loop, self.listening, self.reply = loop, set(listening), reply
        self.on_notice = on_notice
        self.spare = SpareDescriptor()
        self.refused = 0
        self._unreported = 0   # refused since the last notice
        self._next_notice = 0.0
        self._previous = loop.get_exception_handler()
        loop.set_exception_handler(self)

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict) -> None:
        sock = context.get("socket")
        if sock is not None and sock.fileno() in self.listening \
                and is_out_of_descriptors(context.get("exception")):
            # asyncio calls this for every accept() it retries in one go (up to the
            # backlog): the waiting clients are refused at the first call.
            refused = self.spare.shed(sock.fileno(), self.reply)
            self.refused += refused
            self._unreported += refused
            if loop.time() >= self._next_notice:
                self._report()
            return
        if self._previous is not None:
            self._previous(loop, context)
        else:
            loop.default_exception_handler(context)

    def _report(self) -> None:
        if self._unreported and self.on_notice is not None:
            self.on_notice(Phrase(NO_DESCRIPTORS, count=self._unreported, total=self.refused))
            self._unreported, self._next_notice = 0, self.loop.time() + 1.0

    def close(self) -> None:
        """Say what is still unsaid, give the descriptor back, restore the old handler."""
        if self.spare.fd < 0 and self.loop.get_exception_handler() is not self:
            return   # closed already
        self._report()
        self.spare.close()
        self.loop.set_exception_handler(self._previous)
