"""Transcript entries for a real connection, built from the same facts as in-process.

In-process, :class:`smtpsim.mta.Session` records what the learner typed.  On a socket
nobody types into smtpsim: the server sees *events* (a command, a refused line, the
whole message text) and sends *replies*.  :class:`Recorder` turns both into the same
:class:`smtpsim.mta.Entry` objects, so ``explain_entry`` explains a reply to a real
client exactly as it explains one in the app.

Entries are handed on and not kept here: a server that runs for days must not grow
with every line it ever saw.  Whoever wants a full transcript keeps one.
"""

from __future__ import annotations

from collections.abc import Callable

from ..i18n import N_
from ..mta import Entry
from ..mta.explain import as_text, explain_entry
from ..mta.phrases import note_text, say
from ..mta.server import ServerReply, _printable
from ..mta.transcript import CLIENT, NOTE, PREFIX, SERVER
from ..protocol import BadLine, Command, MessageData, State
from ..protocol.phrase import Phrase
from ..textsafe import printable

TEXT_LINES_SHOWN = 12   # a long message is summarised; the Maildir holds every byte
LINE_SHOWN = 1000       # characters of one line printed (RFC 5321 4.5.3.1.6: 1000 octets)
# What stands for message text the log does not show line by line (Phrases).
OVERSIZE = N_("[message text: {size} octets, over the limit, not kept]")
MORE_TEXT = N_("[... {count} more lines; {size} octets in all]")


def message_lines(message: MessageData) -> tuple[str, ...]:
    """The first lines of the message text as they went on the wire, then a summary.

    The server keeps the text un-stuffed; a line it stored with a leading dot came with
    that dot doubled (RFC 5321 4.5.2), so it is shown doubled, as the client sent it -
    the transcript, the explanation and the exported script all read wire lines.  (A
    client that broke the rule and sent ".x" unstuffed lost that dot at the server:
    only "x" was stored, and "x" is shown.)"""
    if message.oversize:
        return (Phrase(OVERSIZE, size=message.size),)
    lines = message.content.split(b"\r\n")[:-1] if message.content else []
    shown = [("." if line[:1] == b"." else "") + line.decode("utf-8", "replace")
             for line in lines[:TEXT_LINES_SHOWN]]
    if len(lines) > TEXT_LINES_SHOWN:
        shown.append(Phrase(MORE_TEXT, count=len(lines) - TEXT_LINES_SHOWN,
                            size=message.size))
    shown.append(".")
    return tuple(shown)


class Recorder:
    """Builds entries for one connection and passes them, in order, to ``sink``."""

    def __init__(self, client: str, server: str) -> None:
        self.client = client     # the peer as we know it (address, later its HELO name)
        self.server = server
        self._index = 0
        self.pending: list[Entry] = []
        # The number of the read being handled (None outside one): the client's lines of
        # one read and the replies written for them share it, so a capture can show a
        # pipelined group (RFC 2920 3.1) as the one segment it was on the wire.
        self.segment: int | None = None
        self._reads = 0

    def read_began(self) -> None:
        self._reads += 1
        self.segment = self._reads

    def read_ended(self) -> None:
        self.segment = None

    def _add(self, segment: int | None = None, **fields) -> None:
        self.pending.append(Entry(index=self._index, segment=segment, **fields))
        self._index += 1

    def note(self, text: str, state: State) -> None:
        self._add(side=NOTE, lines=(text,), sender=self.server, before=state, after=state)

    def event(self, event: object, state: State) -> None:
        """What the client sent, as the server read it (``ServerMTA.on_event``)."""
        if isinstance(event, Command):
            self._add(self.segment, side=CLIENT, lines=(event.line,), sender=self.client,
                      before=state, after=state, verb=event.verb)
        elif isinstance(event, BadLine):
            self._add(self.segment, side=CLIENT, lines=(_printable(event.raw),),
                      sender=self.client, before=state, after=state)
        elif isinstance(event, MessageData):
            self._add(self.segment, side=CLIENT, lines=message_lines(event),
                      sender=self.client, before=state, after=state, in_data=True)

    def replies(self, replies: list[ServerReply], sender: str | None = None,
                reversed_roles: bool = False) -> None:
        for reply in replies:
            self._add(self.segment, side=SERVER, lines=tuple(reply.reply.wire_lines()),
                      sender=sender or self.server, before=reply.before, after=reply.after,
                      reply=reply.reply, reply_id=reply.reply_id, context=reply.context,
                      answers=reply.answers, verb=reply.verb, effects=reply.effects,
                      reversed_roles=reversed_roles)

    def raw(self, side: str, lines: tuple[str, ...], sender: str, state: State, **extra) -> None:
        """A line of the reversed session after TURN (we are the client there)."""
        self._add(side=side, lines=lines, sender=sender, before=state, after=state, **extra)

    def flush(self, sink: Callable[[list[Entry]], None] | None) -> None:
        if self.pending:
            entries, self.pending = self.pending, []
            if sink is not None:
                sink(entries)


def format_entries(connection_id: int, entries: list[Entry], explain: bool = False) -> str:
    """``[3] C: MAIL FROM:<...>`` lines; with ``explain``, each reply's explanation below it
    (replies of a real server, ``reply_id == "remote"``, have none to give)."""
    out = []
    for entry in entries:
        # Message text is the client's, bytes and all: ESC, BEL or a C1 control (U+009B is
        # CSI) would act on the teacher's terminal; printable shows them as <0x1B>.
        out.extend([f"[{connection_id}] {PREFIX[entry.side]}{printable(line, LINE_SHOWN)}"
                    for line in note_text(entry.lines)])
        if explain and entry.side == SERVER and entry.reply_id != "remote":
            out.append(as_text(explain_entry(entry), indent=f"[{connection_id}]    | "))
    return "\n".join(out) + "\n" if out else ""


class TextRecorder:
    """:class:`Recorder`'s twin for ``smtpsim serve`` without ``--explain``: the same
    events, turned straight into transcript lines (``[3] C: NOOP``), with no
    :class:`Entry` in between - the transcript is printed on by default, so it must cost
    little next to the reply itself.  Everything shown is printable (``<0x1B>``)."""

    def __init__(self, connection_id: int, client: str, server: str) -> None:
        self.client, self.server = client, server
        self._prefix = {side: f"[{connection_id}] {PREFIX[side]}" for side in PREFIX}
        self._reply_text: dict[bytes, str] = {}   # a session sends the same few replies
        self.pending: list[str] = []

    def note(self, text: str, state: State) -> None:
        self.pending.append(self._prefix[NOTE] + printable(say(text), LINE_SHOWN) + "\n")

    def event(self, event: object, state: State) -> None:
        if type(event) is Command:   # validated: printable US-ASCII only (framing)
            self.pending.append(self._prefix[CLIENT] + event.line + "\n")
        elif isinstance(event, BadLine):
            self.pending.append(self._prefix[CLIENT] + _printable(event.raw) + "\n")
        elif isinstance(event, MessageData):
            self._lines(CLIENT, message_lines(event))

    def replies(self, replies: list[ServerReply], sender: str | None = None,
                reversed_roles: bool = False) -> None:
        known = self._reply_text
        for reply in replies:
            text = known.get(reply.wire)
            if text is None:
                if len(known) >= TEXTS_KEPT:
                    known.clear()
                prefix = self._prefix[SERVER]
                text = known[reply.wire] = "".join(
                    [prefix + printable(line, LINE_SHOWN) + "\n"
                     for line in reply.wire.decode("utf-8", "replace").split("\r\n")[:-1]])
            self.pending.append(text)

    def raw(self, side: str, lines: tuple[str, ...], sender: str, state: State,
            **extra) -> None:
        self._lines(side, lines)

    def _lines(self, side: str, lines: tuple[str, ...]) -> None:
        prefix = self._prefix[side]
        self.pending.extend([prefix + printable(line, LINE_SHOWN) + "\n" for line in lines])

    def flush(self, sink: Callable[[str], None] | None) -> None:
        if self.pending:
            text, self.pending = "".join(self.pending), []
            if sink is not None:
                sink(text)


TEXTS_KEPT = 64   # reply texts remembered per connection (see TextRecorder.replies)
