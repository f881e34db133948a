"""Write TCP streams as a pcapng capture that Wireshark and tshark open as SMTP.

The file is one section: a Section Header Block, one Interface Description Block
(Ethernet), then one Enhanced Packet Block per frame, each with an ``opt_comment``
carrying the explanation of the lines in it (Wireshark shows it in the packet
details; tshark as ``frame.comment``).  Block layout: the pcapng specification
(draft-ietf-opsawg-pcapng, sections 4.1, 4.2 and 4.3; options in 3.5).

Each stream is a real-looking TCP connection (RFC 9293): the three-way handshake
with an MSS option, every data segment with consistent sequence and
acknowledgement numbers, segments longer than the MSS split, and the FIN exchange
at the end.  Checksums are computed, so Wireshark has nothing to warn about.

Timestamps come from the simulated clock (:data:`smtpsim.mta.server.SIMULATED_DATE`,
which stands still) plus fixed steps, so the same session gives the same file, byte
for byte.  MAC addresses are from the documentation block of RFC 7042 2.1.2.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Iterable, Sequence
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO

from .. import __version__
from ..mta.server import SIMULATED_DATE
from ..mta.transcript import Entry
from .sequence import short_explanation
from .tcp import (
    CLIENT_ADDRESS,
    CLIENT_ADDRESS_V6,
    CLIENT_PORT,
    SERVER_ADDRESS,
    SERVER_ADDRESS_V6,
    SMTP_PORT,
    Endpoint,
    Stream,
    hosts_of,
    stream_from_entries,
)

# pcapng block types and option codes
SHB, IDB, EPB = 0x0A0D0D0A, 0x00000001, 0x00000006
BYTE_ORDER_MAGIC = 0x1A2B3C4D
OPT_END, OPT_COMMENT, SHB_USERAPPL, IF_NAME = 0, 1, 4, 2
LINKTYPE_ETHERNET = 1
SNAPLEN = 262144

CLIENT_MAC = bytes.fromhex("00005e005310")   # RFC 7042 2.1.2: 00-00-5E-00-53-00 to -FF
SERVER_MAC = bytes.fromhex("00005e005325")
ETHERTYPE_IPV4, ETHERTYPE_IPV6 = 0x0800, 0x86DD
TCP_PROTOCOL = 6
MSS = 1460
WINDOW = 64240
TTL = 64
FIN, SYN, PSH, ACK = 0x01, 0x02, 0x08, 0x10
CLIENT_ISN, SERVER_ISN = 0x1A2B0000, 0x5C4D0000   # fixed: the same file every time
ISN_STEP = 0x01000000

START_US = int(parsedate_to_datetime(SIMULATED_DATE).timestamp()) * 1_000_000
NETWORK_US = 400        # one way across the simulated network
THINK_US = 150_000      # a client's pause before its next write
STREAM_GAP_US = 1_000_000


def _option(code: int, value: bytes) -> bytes:
    """One pcapng option: code, length, value padded to 32 bits (specification 3.5)."""
    return struct.pack("<HH", code, len(value)) + value + b"\0" * (-len(value) % 4)


def _block(kind: int, body: bytes) -> bytes:
    total = 12 + len(body)
    return struct.pack("<II", kind, total) + body + struct.pack("<I", total)


def section_header() -> bytes:
    options = _option(SHB_USERAPPL, f"smtpsim {__version__}".encode()) + _option(OPT_END, b"")
    # major 1, minor 0, section length -1 (not given)
    return _block(SHB, struct.pack("<IHHq", BYTE_ORDER_MAGIC, 1, 0, -1) + options)


def interface_description() -> bytes:
    options = _option(IF_NAME, b"smtpsim") + _option(OPT_END, b"")
    return _block(IDB, struct.pack("<HHI", LINKTYPE_ETHERNET, 0, SNAPLEN) + options)


def comment_bytes(comment: str) -> bytes:
    """UTF-8, cut on a character boundary below the option's 65535-octet limit."""
    data = comment.encode("utf-8", "replace")
    return data if len(data) <= 65000 else data[:65000].decode("utf-8", "ignore").encode()


def enhanced_packet(frame: bytes, microseconds: int, comment: str = "") -> bytes:
    options = (_option(OPT_COMMENT, comment_bytes(comment)) + _option(OPT_END, b"")
               if comment else b"")
    body = struct.pack("<IIIII", 0, microseconds >> 32, microseconds & 0xFFFFFFFF,
                       len(frame), len(frame))
    return _block(EPB, body + frame + b"\0" * (-len(frame) % 4) + options)


# -- frames ---------------------------------------------------------------------------------
def checksum(data: bytes) -> int:
    """The Internet checksum: one's complement of the one's-complement sum (RFC 1071)."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


class FrameBuilder:
    """Ethernet + IPv4/IPv6 + TCP frames between two endpoints, checksums included."""

    def __init__(self, client: Endpoint, server: Endpoint) -> None:
        self.addresses = {True: ipaddress.ip_address(client.address),
                          False: ipaddress.ip_address(server.address)}
        if self.addresses[True].version != self.addresses[False].version:
            raise ValueError("both endpoints of a stream need the same IP version")
        self.ports = {True: client.port, False: server.port}
        self.identification = {True: 0x1000, False: 0x2000}

    def frame(self, from_client: bool, seq: int, ack: int, flags: int,
              payload: bytes = b"") -> bytes:
        source, target = self.addresses[from_client], self.addresses[not from_client]
        options = struct.pack("!BBH", 2, 4, MSS) if flags & SYN else b""   # RFC 9293 3.7.1
        offset = (20 + len(options)) // 4
        header = struct.pack("!HHIIBBHHH", self.ports[from_client], self.ports[not from_client],
                             seq & 0xFFFFFFFF, ack & 0xFFFFFFFF if flags & ACK else 0,
                             offset << 4, flags, WINDOW, 0, 0) + options
        length = len(header) + len(payload)
        if source.version == 4:
            pseudo = source.packed + target.packed + struct.pack("!BBH", 0, TCP_PROTOCOL, length)
        else:
            pseudo = source.packed + target.packed + struct.pack("!IxxxB", length, TCP_PROTOCOL)
        tcp_sum = checksum(pseudo + header + payload)
        segment = header[:16] + struct.pack("!H", tcp_sum) + header[18:] + payload
        macs = (SERVER_MAC + CLIENT_MAC) if from_client else (CLIENT_MAC + SERVER_MAC)
        if source.version == 4:
            self.identification[from_client] += 1
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + length,
                             self.identification[from_client] & 0xFFFF, 0x4000, TTL,
                             TCP_PROTOCOL, 0, source.packed, target.packed)
            ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
            return macs + struct.pack("!H", ETHERTYPE_IPV4) + ip + segment
        ip = struct.pack("!IHBB16s16s", 6 << 28, length, TCP_PROTOCOL, TTL,
                         source.packed, target.packed)
        return macs + struct.pack("!H", ETHERTYPE_IPV6) + ip + segment


def stream_packets(stream: Stream, start_us: int,
                   number: int = 0) -> Iterable[tuple[bytes, int, str]]:
    """(frame, timestamp in microseconds, comment) for one TCP connection, in order;
    ``number`` makes its initial sequence numbers differ from the other streams'."""
    build = FrameBuilder(stream.client, stream.server)
    seq = {True: CLIENT_ISN + number * ISN_STEP, False: SERVER_ISN + number * ISN_STEP}
    now = start_us
    # RFC 9293 3.5: the three-way handshake
    yield build.frame(True, seq[True], 0, SYN), now, ""
    seq[True] += 1
    now += NETWORK_US
    yield build.frame(False, seq[False], seq[True], SYN | ACK), now, ""
    seq[False] += 1
    now += NETWORK_US
    yield build.frame(True, seq[True], seq[False], ACK), now, ""
    for segment in stream.segments:
        side = segment.from_client
        now += THINK_US if side else NETWORK_US
        payload = segment.payload
        for offset in range(0, len(payload), MSS):
            chunk = payload[offset:offset + MSS]
            yield (build.frame(side, seq[side], seq[not side], PSH | ACK, chunk), now,
                   segment.comment if offset == 0 else "")
            seq[side] += len(chunk)
            now += 10
    # RFC 9293 3.6: FIN, FIN, ACK
    first = stream.client_closes
    for side in (first, not first):
        now += NETWORK_US
        yield build.frame(side, seq[side], seq[not side], FIN | ACK), now, ""
        seq[side] += 1
    now += NETWORK_US
    yield build.frame(first, seq[first], seq[not first], ACK), now, ""


def write_pcapng(streams: list[Stream], out: BinaryIO) -> int:
    """Write the capture to ``out``; return the number of packets."""
    out.write(section_header())
    out.write(interface_description())
    count = 0
    start = START_US
    for number, stream in enumerate(streams):
        last = start
        for frame, stamp, comment in stream_packets(stream, start, number):
            out.write(enhanced_packet(frame, stamp, comment))
            count += 1
            last = stamp
        start = last + STREAM_GAP_US
    return count


# -- a session ------------------------------------------------------------------------------
def session_stream(entries: Sequence[Entry], ipv6: bool = False, port: int = SMTP_PORT,
                   number: int = 0) -> Stream:
    """One connection's entries as a TCP stream between documentation addresses;
    connection ``number`` (from 0) of a capture gets its own client port."""
    client, server = hosts_of(entries)
    addresses = (CLIENT_ADDRESS_V6, SERVER_ADDRESS_V6) if ipv6 else (CLIENT_ADDRESS,
                                                                    SERVER_ADDRESS)
    return stream_from_entries(entries, Endpoint(client, addresses[0], CLIENT_PORT + number),
                               Endpoint(server, addresses[1], port), short_explanation)


def hop_stream(entries: Sequence[Entry], client: Endpoint, server: Endpoint) -> Stream:
    """A later hop (mail.example as the client of the next MX, or of a bounce back) as a
    TCP stream of its own, between the world's own addresses for those hosts."""
    return stream_from_entries(entries, client, server, short_explanation)


def write_capture(entries: Iterable[Entry], path: Path | str, ipv6: bool = False,
                  more: Sequence[Stream] = ()) -> int:
    """Write one session as a pcapng file, then the ``more`` streams (its later hops);
    return the number of packets."""
    stream = session_stream(list(entries), ipv6)
    with open(path, "wb") as out:
        return write_pcapng([stream, *more], out)
