"""Stable storage for the TCP server: one Maildir per local user.

The Maildir rule (D. J. Bernstein, "Using maildir format") is what makes "250 means
stored" true: a message is written under ``tmp/`` with a unique name, flushed and
``fsync``-ed, and only then renamed into ``new/``.  A rename within one file system is
atomic, so a reader sees either the whole message or nothing.  RFC 5321 4.1.1.4 and
6.1 ask exactly this of a server: it "MUST NOT lose the message" once it has said 250,
so the writing happens *before* the reply is built.

Layout under the root directory::

    <user>/{tmp,new,cur}              mailbox copies (MAIL, SAML, SOML when away)
    <user>/.Terminal/{tmp,new,cur}    copies for the user's terminal (SEND, SOML, SAML)
    _queue/{tmp,new,cur}              copies held for the next hop (251 forwarding, relay)

The server calls :class:`MaildirStore` once per accepted message with every copy
(:class:`smtpsim.mta.delivery.Copy`).  All copies are written to ``tmp/`` first and then
renamed; if anything fails, every file already written is removed again and the error
propagates, so the server answers 451 and nothing of that message is stored.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import socket
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import _
from ..mta.delivery import Copy
from ..mta.world import Message

if TYPE_CHECKING:
    from .queue import DiskQueue

#: A queued message's envelope (sender, recipients) beside it, in DIR/<queue>/envelope/
#: under the same name as the message in new/ (read back by :mod:`smtpsim.net.queue`).
ENVELOPE_FOLDER = "envelope"


def envelope_json(message: Message) -> bytes:
    return json.dumps({"sender": message.sender, "recipients": list(message.recipients),
                       "via": message.via, "queue_id": message.queue_id}).encode()

QUEUE_FOLDER = "_queue"
TERMINAL_FOLDER = ".Terminal"


def maildir_path(root: Path, copy: Copy) -> Path:
    """The Maildir a copy belongs in (see the module docstring for the layout)."""
    if copy.place == "queue":
        return root / QUEUE_FOLDER
    # Local user names come from the world (never from the wire), but a name with a
    # path separator would still escape the root; refuse it rather than trust it.
    if "/" in copy.owner or copy.owner in ("", ".", "..") or copy.owner.startswith("."):
        raise OSError(_("refusing to use {owner!r} as a Maildir name").format(owner=copy.owner))
    base = root / copy.owner
    return base / TERMINAL_FOLDER if copy.place == "terminal" else base


def ensure_maildir(path: Path) -> None:
    for sub in ("tmp", "new", "cur"):
        (path / sub).mkdir(parents=True, exist_ok=True)


class MaildirStore:
    """A ``store`` callable for :class:`smtpsim.mta.ServerMTA` (``ServerMTA(store=...)``)."""

    def __init__(self, root: str | os.PathLike[str], *, fsync: bool = True) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.fsync = fsync
        self.stored = 0                       # files renamed into new/ so far
        self._host = socket.gethostname().replace("/", "\\057").replace(":", "\\072")
        self._counter = itertools.count(1)
        self._known: set[Path] = set()
        # With a DiskQueue attached (SimServer does it when mail is not kept in memory),
        # queue copies get their envelope beside them and the queue counts them.
        self.queue: DiskQueue | None = None

    @property
    def keeps_queue(self) -> bool:
        """True when queued copies live only here (delivery then keeps none in memory)."""
        return self.queue is not None

    def unique_name(self) -> str:
        """time.M<microseconds>P<pid>Q<counter>.host - unique on this host (Maildir rule)."""
        now = time.time_ns()
        return (f"{now // 1_000_000_000}.M{now // 1000 % 1_000_000}P{os.getpid()}"
                f"Q{next(self._counter)}.{self._host}")

    def __call__(self, copies: Iterable[Copy]) -> None:
        written: list[tuple[Path, Path]] = []   # (tmp file, its name in new/)
        renamed: list[Path] = []
        queued = 0
        try:
            for copy in copies:
                folder = maildir_path(self.root, copy)
                if folder not in self._known:
                    ensure_maildir(folder)
                    self._known.add(folder)
                name = self.unique_name()
                temporary = folder / "tmp" / name
                written.append((temporary, folder / "new" / name))
                try:
                    self._write(temporary, copy.message.content)
                except FileNotFoundError:
                    # Someone removed the folder while we run (a teacher clearing a
                    # mailbox): make it again rather than answer 451 until a restart.
                    ensure_maildir(folder)
                    self._write(temporary, copy.message.content)
                if copy.place == "queue" and self.queue is not None:
                    # the envelope first: a message in new/ always has one
                    envelope = folder / ENVELOPE_FOLDER / name
                    envelope.parent.mkdir(exist_ok=True)
                    envelope_tmp = folder / "tmp" / (name + ".envelope")
                    written.insert(0, (envelope_tmp, envelope))
                    self._write(envelope_tmp, envelope_json(copy.message))
                    queued += 1
            for temporary, final in written:
                try:
                    os.rename(temporary, final)
                except FileNotFoundError:
                    ensure_maildir(final.parent.parent)   # new/ went away after tmp/
                    os.rename(temporary, final)
                renamed.append(final)
            if self.fsync:
                for folder in {final.parent for final in renamed}:
                    _fsync_directory(folder)   # make the renames themselves durable
        except BaseException:
            for path in renamed + [t for t, _ in written]:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            raise
        self.stored += len(renamed)
        if self.queue is not None:   # queued counts copies written for it, so 0 without one
            for _copy in range(queued):
                self.queue.stored()

    def _write(self, path: Path, content: bytes) -> None:
        with open(path, "xb") as handle:
            handle.write(content)
            handle.flush()
            if self.fsync:
                os.fsync(handle.fileno())


def _fsync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def messages(root: str | os.PathLike[str], user: str, place: str = "mailbox") -> list[bytes]:
    """The contents of ``new/`` for a user (oldest name first): what a reader would see."""
    folder = maildir_path(Path(root), Copy(user, place, None))  # type: ignore[arg-type]
    new = folder / "new"
    if not new.is_dir():
        return []
    return [p.read_bytes() for p in sorted(new.iterdir(), key=arrival_order)]


def arrival_order(path: Path) -> tuple[int, int]:
    seconds, _dot, rest = path.name.partition(".")
    counter = rest.split("Q", 1)[1].split(".", 1)[0] if "Q" in rest else "0"
    return int(seconds), int(counter)
