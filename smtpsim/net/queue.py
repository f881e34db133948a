"""The queue for the next hop, on disk: mail the server holds for other hosts.

A host's queue (``Host.queue``) is what 251 forwarding and relaying leave behind, and what
TURN and ETRN hand out.  In memory it is a list; with ``serve --maildir`` it is a
:class:`DiskQueue`, so that forwarded or relayed mail costs disk, not memory: a hundred
forwarded copies of a 10 MB message stay 10 MB on disk each and nothing in RAM.

The interface is the list's, as far as the engine uses it (the protocol
:class:`smtpsim.mta.world.HeldMail`), plus one query:

* ``append(message)`` - hold a message (TURN puts back what the remote did not take);
* ``remove(message)`` - a message handed out by ``held_for``, delivered at last;
* ``held_for(domain)`` - the held messages with a recipient in ``domain``, oldest first,
  at most :data:`HANDED_OUT` at a time (the rest wait for the next TURN or ETRN);
* ``len(queue)`` and iteration (iteration reads every message: for small queues only).

Layout under ``DIR/_queue`` (a Maildir, so a mail reader can look into it)::

    new/<name>        the message as it will be sent on, with its Received: line
    envelope/<name>   {"sender", "recipients", "via", "queue_id"} as JSON

The message files are written by :class:`smtpsim.net.MaildirStore` together with every
other copy of the message, before the 250 (RFC 5321 6.1); the envelope is renamed into
place before the message, so a file in ``new/`` always has its envelope.  Nothing of a
message is kept in memory, and no index either: ``held_for`` reads the envelopes (small
files) when TURN or ETRN asks, which is rare.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..i18n import _
from ..mta.world import Message
from .maildir import ENVELOPE_FOLDER, arrival_order

HANDED_OUT = 100   # messages one TURN or ETRN takes from the queue, at most


class QueuedMessage(Message):
    """A message read back from the queue; ``name`` is its file in ``new/``."""

    __slots__ = ("name",)
    name: str


class DiskQueue:
    """``Host.queue`` kept in a Maildir folder (see the module docstring)."""

    def __init__(self, folder: str | os.PathLike[str], store) -> None:
        self.folder = Path(folder)
        self.store = store   # a MaildirStore: writes new messages the Maildir way
        for sub in ("tmp", "new", "cur", ENVELOPE_FOLDER):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        self._count = sum(1 for _ in self._names())

    @classmethod
    def replacing(cls, held: Iterable[Message], folder: str | os.PathLike[str],
                  store) -> DiskQueue:
        """A disk queue holding what ``held`` (the world's queue in memory) held."""
        queue = cls(folder, store)
        store.queue = queue   # so that the store writes envelopes and counts
        for message in list(held):
            queue.append(message)
        return queue

    def _names(self) -> Iterator[str]:
        """Names in ``new/`` that have an envelope, oldest first (Maildir names sort by
        time; ties are broken by the store's counter, as ``maildir.messages`` does)."""
        new = self.folder / "new"
        envelopes = self.folder / ENVELOPE_FOLDER
        for path in sorted(new.iterdir(), key=arrival_order):   # as every Maildir reader here
            if (envelopes / path.name).exists():
                yield path.name

    def _load(self, name: str, with_content: bool = True) -> QueuedMessage | None:
        try:
            envelope = json.loads((self.folder / ENVELOPE_FOLDER / name).read_bytes())
            content = (self.folder / "new" / name).read_bytes() if with_content else b""
        except (OSError, ValueError):
            return None   # removed meanwhile, or not ours: not a queued message
        message = QueuedMessage(envelope["sender"], tuple(envelope["recipients"]), content,
                                envelope["via"], envelope["queue_id"])
        message.name = name
        return message

    # -- the list's interface ------------------------------------------------------------
    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[QueuedMessage]:
        for name in list(self._names()):
            message = self._load(name)
            if message is not None:
                yield message

    def append(self, message: Message) -> None:
        from ..mta.delivery import Copy
        self.store([Copy(message.recipients[0] if message.recipients else "", "queue",
                         message)])

    def stored(self) -> None:
        """The store wrote one more queued message (called by MaildirStore)."""
        self._count += 1

    def remove(self, message: Message) -> None:
        name = getattr(message, "name", None)
        if name is None:
            name = next((m.name for m in self if _same(m, message)), None)
        if name is None:
            raise ValueError(_("that message is not in the queue"))
        for path in (self.folder / "new" / name, self.folder / ENVELOPE_FOLDER / name):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        self._count = max(0, self._count - 1)

    def heads(self) -> Iterator[QueuedMessage]:
        """Every queued message's envelope without its text: what a queue run looks at
        before it takes a message (the text is read only for those it takes)."""
        for name in list(self._names()):
            head = self._load(name, with_content=False)
            if head is not None:
                yield head

    def whole(self, head: QueuedMessage) -> QueuedMessage | None:
        return self._load(head.name)

    def held_for(self, domain: str) -> list[Message]:
        domain = domain.lower()
        out: list[Message] = []
        for name in list(self._names()):
            head = self._load(name, with_content=False)
            if head is None or not any(r.rpartition("@")[2].lower() == domain
                                       for r in head.recipients):
                continue
            message = self._load(name)
            if message is not None:
                out.append(message)
                if len(out) >= HANDED_OUT:
                    break
        return out


def _same(a: Message, b: Message) -> bool:
    return (a.queue_id, a.recipients, a.sender, a.via) == (b.queue_id, b.recipients,
                                                           b.sender, b.via)
