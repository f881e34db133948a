"""A session as TCP streams: who sent which bytes, in which segment, with what comment.

A capture needs more than the transcript's lines: the two endpoints of each TCP
connection, the bytes exactly as they crossed the wire (CRLF after every line,
RFC 5321 2.3.8; leading dots doubled inside the message text, RFC 5321 4.5.2) and
how they were grouped into writes.  :func:`stream_from_entries` rebuilds that from
transcript entries:

* Consecutive lines from the same side went out in one write: a pipelined group of
  MAIL, RCPT and DATA (RFC 2920 3.1) is one segment, and so is the whole reply to
  it; message text typed line by line is one segment up to the final dot.
* After TURN (RFC 821 3.8) the same connection carries the reversed session: the
  host that opened the connection now sends the replies.  The direction of a
  segment is therefore taken from the entry's side *and* its ``reversed_roles``,
  never from the host name.
* Over TCP (``--listen``) the transcript holds each command right before its reply,
  but a client that wrote a pipelined group in one go was read in one go: the
  server answered the whole read with one write.  Entries carry the number of the
  read (``Entry.segment``, set by ``net.record``), and :func:`wire_order` puts the
  lines read before the replies written for them - one segment each, as on the wire.
* Notes (no bytes on the wire) become part of the comment of the next segment.

What the transcript cannot give back: a byte that was not UTF-8 is recorded (and so
captured) as U+FFFD, and a real connection's long message text as the summary the
app shows (its first lines, ``net.record.TEXT_LINES_SHOWN``).

A capture of several hops (one stream per connection, each with its own endpoints)
is a list of :class:`Stream`; the writer numbers them in order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..mta.phrases import note_text
from ..mta.transcript import CLIENT, NOTE, PREFIX, SERVER, Entry

SMTP_PORT = 25          # RFC 5321 4.5.4.2 (relay); submission would be 587 (RFC 6409)
CLIENT_PORT = 49152     # the first port of the dynamic range (RFC 6335 6)
# Documentation addresses: RFC 5737 (IPv4) and RFC 3849 (IPv6).
CLIENT_ADDRESS = "192.0.2.10"
SERVER_ADDRESS = "198.51.100.25"
CLIENT_ADDRESS_V6 = "2001:db8::10"
SERVER_ADDRESS_V6 = "2001:db8:1::25"
MAX_COMMENT = 4000      # characters in one packet's comment (pcapng allows 65535 octets)
DEFAULT_CLIENT, DEFAULT_SERVER = "client.example", "mail.example"
MAX_EXPLAINED = 50      # entries explained in one segment's comment (a pipelined burst)

Explainer = Callable[[Entry], str]


@dataclass(frozen=True)
class Endpoint:
    host: str
    address: str
    port: int


@dataclass
class Segment:
    """One write: ``from_client`` is True when the connection's initiator sent it."""

    from_client: bool
    payload: bytes
    comment: str = ""


@dataclass
class Stream:
    """One TCP connection: its initiator (``client``), its listener and what they wrote."""

    client: Endpoint
    server: Endpoint
    segments: list[Segment] = field(default_factory=list)
    client_closes: bool = False   # does the initiator send the first FIN?


def hosts_of(entries: Sequence[Entry]) -> tuple[str, str]:
    """(the host that opened the connection, the host that listened), from who spoke
    first on each side before any TURN."""
    client = next((e.sender for e in entries if e.side == CLIENT and not e.reversed_roles),
                  DEFAULT_CLIENT)
    server = next((e.sender for e in entries if e.side == SERVER and not e.reversed_roles),
                  DEFAULT_SERVER)
    return client, server


def entry_wire(entry: Entry) -> bytes:
    """The bytes of one entry as sent: every transcript holds the wire lines as they were
    written (message text dot-stuffed, RFC 5321 4.5.2), in-process and over TCP alike."""
    return b"".join(line.encode("utf-8", "surrogateescape") + b"\r\n" for line in entry.lines)


def from_initiator(entry: Entry) -> bool:
    # The initiator sends the commands - until TURN makes it the one that replies.
    return (entry.side == CLIENT) != entry.reversed_roles


def wire_order(entries: Iterable[Entry]) -> list[Entry]:
    """The entries in the order their bytes crossed the wire: within each run of
    consecutive entries of one read (``segment``), what the initiator sent comes before
    what the listener wrote back; entries without a segment (in-process) keep their order."""
    ordered: list[Entry] = []
    run: list[Entry] = []

    def end_run() -> None:
        ordered.extend([e for e in run if from_initiator(e)])
        ordered.extend([e for e in run if not from_initiator(e)])
        run.clear()

    for entry in entries:
        if entry.segment is None or entry.side == NOTE or \
                (run and run[0].segment != entry.segment):
            end_run()
        if entry.segment is None or entry.side == NOTE:
            ordered.append(entry)
        else:
            run.append(entry)
    end_run()
    return ordered


def _clip(text: str) -> str:
    return text if len(text) <= MAX_COMMENT else text[:MAX_COMMENT - 1] + "…"


def stream_from_entries(entries: Iterable[Entry], client: Endpoint, server: Endpoint,
                        explain: Explainer) -> Stream:
    """One connection's entries as a :class:`Stream`; ``explain`` gives each entry's
    comment (a note's own text is used as it is)."""
    stream = Stream(client, server)
    payload: list[bytes] = []
    comments: list[str] = []
    pending_notes: list[str] = []
    direction: bool | None = None
    last: Entry | None = None

    def flush() -> None:
        if direction is not None and payload:
            stream.segments.append(Segment(direction, b"".join(payload),
                                           _clip("\n".join(comments))))
        payload.clear()
        comments.clear()

    for entry in wire_order(entries):
        if entry.side == NOTE:
            flush()
            direction = None
            pending_notes.append(PREFIX[NOTE] + "\n".join(note_text(entry.lines)))
            continue
        side = from_initiator(entry)
        if side != direction:
            flush()
            direction = side
            comments.extend(pending_notes)
            pending_notes.clear()
        payload.append(entry_wire(entry))
        if len(comments) < MAX_EXPLAINED:
            comment = explain(entry)
            if comment:
                comments.append(comment)
        last = entry
    flush()
    if pending_notes and stream.segments:
        stream.segments[-1].comment = _clip(stream.segments[-1].comment + "\n" +
                                            "\n".join(pending_notes))
    # RFC 5321 4.1.1.10 / 3.8: after its 221 (or a 421) the replying side closes the
    # channel; a client that stops without QUIT closes it itself.  After TURN the
    # replying side is the initiator.
    if last is not None and last.side == SERVER and last.code in (221, 421):
        stream.client_closes = from_initiator(last)
    else:
        stream.client_closes = last is None or from_initiator(last) == (last.side == CLIENT)
    return stream
