"""Exports for the tools teachers already use: Wireshark, Moodle, slides.

Standard library only (no Textual, no Rich): the CLI, the app's F9 and the tests
call the same writers.

* :mod:`.pcapng` - a session as a capture file (``smtpsim run FILE --pcap OUT``).
* :mod:`.sequence` (Mermaid) and :mod:`.sequence_svg` - the session as a sequence diagram.
* :mod:`.moodle` (Moodle XML and GIFT, from :mod:`.quiz`) - an exam as a Moodle import.

Each writer takes what the engine already produces - transcript entries
(:class:`smtpsim.mta.Entry`) or exam questions (:class:`smtpsim.course.questions.Question`)
- and reads them only through their public attributes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from ..mta.transcript import CLIENT, SERVER, Entry
from .pcapng import write_pcapng
from .sequence import short_explanation
from .tcp import (CLIENT_ADDRESS, CLIENT_ADDRESS_V6, CLIENT_PORT, SERVER_ADDRESS,
                  SERVER_ADDRESS_V6, SMTP_PORT, Endpoint, Stream, stream_from_entries)

DEFAULT_CLIENT, DEFAULT_SERVER = "client.example", "mail.example"


def hosts_of(entries: Sequence[Entry]) -> tuple[str, str]:
    """(the host that opened the connection, the host that listened), from who spoke
    first on each side before any TURN."""
    client = next((e.sender for e in entries if e.side == CLIENT and not e.reversed_roles),
                  DEFAULT_CLIENT)
    server = next((e.sender for e in entries if e.side == SERVER and not e.reversed_roles),
                  DEFAULT_SERVER)
    return client, server


def session_stream(entries: Sequence[Entry], ipv6: bool = False, port: int = SMTP_PORT,
                   number: int = 0) -> Stream:
    """One connection's entries as a TCP stream between documentation addresses;
    connection ``number`` (from 0) of a capture gets its own client port."""
    client, server = hosts_of(entries)
    addresses = (CLIENT_ADDRESS_V6, SERVER_ADDRESS_V6) if ipv6 else (CLIENT_ADDRESS,
                                                                    SERVER_ADDRESS)
    return stream_from_entries(entries, Endpoint(client, addresses[0], CLIENT_PORT + number),
                               Endpoint(server, addresses[1], port), short_explanation)


def write_capture(entries: Iterable[Entry], path: Path | str, ipv6: bool = False) -> int:
    """Write one session as a pcapng file; return the number of packets."""
    stream = session_stream(list(entries), ipv6)
    with open(path, "wb") as out:
        return write_pcapng([stream], out)
