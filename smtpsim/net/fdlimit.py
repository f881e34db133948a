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

import errno
import os
import resource
import socket

FD_RESERVE = 32      # descriptors kept for everything that is not a client connection
SHED_AT_ONCE = 256   # connections refused in one go, at most
OUT_OF_DESCRIPTORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})


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
                    try:
                        connection.send(reply)
                    except OSError:
                        pass
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
