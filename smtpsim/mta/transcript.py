"""The transcript: every line exchanged, who sent it, and the server state around it.

Entries are facts, recorded once; explanations are computed from them only when
somebody looks (``explain.explain_entry``), so recording stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..protocol import Reply, State

CLIENT = "C"
SERVER = "S"
NOTE = "*"   # something that happened without a line on the wire (roles reversed, delivery)
#: How each side's lines are written out in text: "C: " and "S: " as in RFC 5321's own
#: examples (D.1), and "* " for a note, which nothing sent.  Every printer of entries
#: (run, serve, send, the journey, F9's Markdown, the exam's transcripts) uses this table.
PREFIX = {CLIENT: "C: ", SERVER: "S: ", NOTE: "* "}


@dataclass(slots=True)
class Entry:
    """One line (or multi-line reply, or note) of the transcript: a fact, recorded once.

    Treat it as read-only; it is not frozen only because frozen records cost several
    times more to build, and a long session records tens of thousands of them."""

    index: int
    side: str                    # "C", "S" or "*"
    lines: tuple[str, ...]       # wire lines without CRLF (a multi-line reply has several)
    sender: str                  # the host that sent it
    before: State                # server state before the line was handled
    after: State                 # server state after it
    in_data: bool = False        # a line of message text (client, after 354)
    reply: Reply | None = None
    reply_id: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    answers: str | None = None   # for replies: the line they answer
    verb: str | None = None      # for replies: the verb they answer; for commands: the verb
    effects: tuple[str, ...] = ()
    reversed_roles: bool = False  # after TURN the client host is the server
    segment: int | None = None   # over TCP: the read it came in (or whose replies these are)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def code(self) -> int | None:
        return self.reply.code if self.reply else None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "index": self.index, "side": self.side, "text": self.text, "sender": self.sender,
            "state_before": self.before.value, "state_after": self.after.value,
        }
        if self.reply is not None:
            data.update(code=self.reply.code, enhanced=self.reply.enhanced,
                        reply_id=self.reply_id, answers=self.answers)
        elif self.verb:
            data["verb"] = self.verb
        if self.in_data:
            data["data"] = True
        if self.effects:
            data["effects"] = list(self.effects)
        return data


class Transcript:
    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self._drained = 0   # entries handed out by drain() and no longer kept

    def drain(self) -> list[Entry]:
        """The entries recorded since the last drain, which the transcript then forgets
        (``smtpsim run`` streams a long script this way); indexes keep counting."""
        entries, self.entries = self.entries, []
        self._drained += len(entries)
        return entries

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __getitem__(self, index: int) -> Entry:
        return self.entries[index]

    def add(self, side: str, lines: tuple[str, ...], sender: str, before: State,
            after: State, *, in_data: bool = False, reply: Reply | None = None,
            reply_id: str | None = None, context: dict[str, Any] | None = None,
            answers: str | None = None, verb: str | None = None,
            effects: tuple[str, ...] = (), reversed_roles: bool = False) -> Entry:
        """Record one entry (the fields of :class:`Entry`, with the same defaults).

        Every field is a named parameter, passed on by position: a long session records
        tens of thousands of entries, and a ``**more`` dictionary for each cost more than
        the entry itself."""
        entry = Entry(self._drained + len(self.entries), side, lines, sender, before, after,
                      in_data, reply, reply_id, {} if context is None else context, answers,
                      verb, effects, reversed_roles)
        self.entries.append(entry)
        return entry

    def replies(self) -> list[Entry]:
        return [e for e in self.entries if e.side == SERVER]

    def as_text(self) -> str:
        """RFC style: ``C: `` and ``S: `` before each wire line; notes start with ``*``."""
        out: list[str] = []
        for entry in self.entries:
            out.extend(PREFIX[entry.side] + line for line in entry.lines)
        return "\n".join(out)

    def client_script(self) -> str:
        """What the learner's client sent, replayable with ``smtpsim run``."""
        out: list[str] = []
        for entry in self.entries:
            if entry.side == CLIENT and not entry.reversed_roles:
                out.extend(entry.lines)
        return "\n".join(out) + ("\n" if out else "")
