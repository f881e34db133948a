"""The capture's blocks and frames parsed back with struct: runs everywhere, no tshark."""

from __future__ import annotations

import io
import struct

from smtpsim.cli import main
from smtpsim.exports.pcapng import checksum, session_stream, write_capture, write_pcapng
from smtpsim.exports.tcp import wire_order
from smtpsim.mta import Entry, Session
from smtpsim.mta.transcript import CLIENT, NOTE, SERVER
from smtpsim.protocol import State

from .wire import SCRIPT, recorded_session

SHB, IDB, EPB = 0x0A0D0D0A, 1, 6


def blocks(data: bytes) -> list[tuple[int, bytes]]:
    out, offset = [], 0
    while offset < len(data):
        kind, total = struct.unpack_from("<II", data, offset)
        assert total % 4 == 0 and total >= 12
        assert struct.unpack_from("<I", data, offset + total - 4)[0] == total
        out.append((kind, data[offset + 8:offset + total - 4]))
        offset += total
    assert offset == len(data)
    return out


def options(data: bytes) -> dict[int, bytes]:
    found, offset = {}, 0
    while offset < len(data):
        code, length = struct.unpack_from("<HH", data, offset)
        if code == 0:
            assert length == 0 and offset + 4 == len(data)
            break
        found[code] = data[offset + 4:offset + 4 + length]
        offset += 4 + length + (-length % 4)
    return found


def packets(data: bytes) -> list[dict]:
    """Each EPB as: timestamp, comment, TCP ports, flags, seq, ack, payload."""
    parsed = blocks(data)
    assert parsed[0][0] == SHB
    magic, major, minor, length = struct.unpack_from("<IHHq", parsed[0][1])
    assert (magic, major, minor, length) == (0x1A2B3C4D, 1, 0, -1)
    assert parsed[1][0] == IDB and struct.unpack_from("<H", parsed[1][1])[0] == 1  # Ethernet
    out = []
    for kind, body in parsed[2:]:
        assert kind == EPB
        interface, high, low, captured, original = struct.unpack_from("<IIIII", body)
        assert interface == 0 and captured == original
        frame = body[20:20 + captured]
        rest = body[20 + captured + (-captured % 4):]
        assert struct.unpack_from("!H", frame, 12)[0] == 0x0800
        ip = frame[14:34]
        assert checksum(ip) == 0, "IPv4 header checksum"
        total = struct.unpack_from("!H", ip, 2)[0]
        tcp = frame[34:14 + total]
        pseudo = ip[12:20] + struct.pack("!BBH", 0, 6, len(tcp))
        assert checksum(pseudo + tcp) == 0, "TCP checksum"
        sport, dport, seq, ack, offset, flags = struct.unpack_from("!HHIIBB", tcp)
        out.append(dict(time=(high << 32) | low, comment=options(rest).get(1, b"").decode(),
                        sport=sport, dport=dport, seq=seq, ack=ack, flags=flags,
                        payload=tcp[(offset >> 4) * 4:]))
    return out


def test_handshake_data_and_fin_are_consistent_tcp(monkeypatch):
    session, wire = recorded_session(monkeypatch)
    out = io.BytesIO()
    count = write_pcapng([session_stream(session.transcript.entries)], out)
    found = packets(out.getvalue())
    assert len(found) == count
    syn, synack, ack = found[:3]
    assert (syn["flags"], synack["flags"], ack["flags"]) == (0x02, 0x12, 0x10)
    assert syn["dport"] == 25 and synack["ack"] == syn["seq"] + 1
    assert ack["seq"] == syn["seq"] + 1 and ack["ack"] == synack["seq"] + 1
    # Every data segment starts where the last one from that side ended, and
    # acknowledges everything the other side sent so far.
    next_seq = {25: synack["seq"] + 1, 49152: syn["seq"] + 1}
    sent = {25: bytearray(), 49152: bytearray()}
    for packet in found[3:-3]:
        other = 49152 if packet["sport"] == 25 else 25
        assert packet["flags"] == 0x18                       # PSH, ACK
        assert packet["seq"] == next_seq[packet["sport"]]
        assert packet["ack"] == next_seq[other]
        assert packet["comment"], "every data packet carries its explanation"
        next_seq[packet["sport"]] += len(packet["payload"])
        sent[packet["sport"]] += packet["payload"]
    assert bytes(sent[49152]) == bytes(wire["client"])       # exactly the bytes sent
    assert bytes(sent[25]) == bytes(wire["server"])
    fin1, fin2, last = found[-3:]
    assert fin1["sport"] == 25 and fin1["flags"] == 0x11     # the server closes after 221
    assert fin2["sport"] == 49152 and fin2["flags"] == 0x11
    assert last["flags"] == 0x10 and last["ack"] == fin2["seq"] + 1
    times = [p["time"] for p in found]
    assert times == sorted(times) and len(set(times)) == len(times)


def test_the_wire_keeps_crlf_and_the_learners_dot_stuffing(monkeypatch):
    session, _wire = recorded_session(monkeypatch)
    out = io.BytesIO()
    write_pcapng([session_stream(session.transcript.entries)], out)
    client = b"".join(p["payload"] for p in packets(out.getvalue()) if p["dport"] == 25)
    assert b"\r\n..a line that starts with a dot" in client
    assert b"\r\nend\r\n.\r\nVRFY smith\r\n" in client
    assert b"\n" not in client.replace(b"\r\n", b"")


def test_a_message_longer_than_the_mss_is_split_into_segments(monkeypatch):
    body = "\n".join(f"line {n:04d} " + "x" * 60 for n in range(100))
    script = SCRIPT.replace("end\n", body + "\n")
    session, wire = recorded_session(monkeypatch, script)
    out = io.BytesIO()
    write_pcapng([session_stream(session.transcript.entries)], out)
    found = packets(out.getvalue())
    assert max(len(p["payload"]) for p in found) == 1460
    client = b"".join(p["payload"] for p in found if p["dport"] == 25)
    assert client == bytes(wire["client"])


def test_the_same_session_gives_the_same_file_byte_for_byte(tmp_path):
    files = []
    for name in ("a.pcapng", "b.pcapng"):
        session = Session("modern")
        session.type_lines(SCRIPT.splitlines())
        write_capture(session.transcript, tmp_path / name)
        files.append((tmp_path / name).read_bytes())
    assert files[0] == files[1]


def test_run_pcap_writes_the_capture(tmp_path, capsys):
    script = tmp_path / "s.txt"
    script.write_text(SCRIPT)
    assert main(["run", str(script), "--pcap", str(tmp_path / "out.pcapng")]) == 0
    found = packets((tmp_path / "out.pcapng").read_bytes())
    assert found[3]["payload"].startswith(b"220 mail.example")
    assert "C: QUIT" in capsys.readouterr().out   # the transcript is still printed


def test_run_pcap_to_an_unwritable_path_is_one_line(tmp_path, capsys):
    script = tmp_path / "s.txt"
    script.write_text(SCRIPT)
    assert main(["run", str(script), "--pcap", str(tmp_path / "no" / "out.pcapng")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("smtpsim: cannot write") and err.count("\n") == 1


def test_a_client_that_stops_without_quit_sends_the_first_fin(monkeypatch):
    session, _wire = recorded_session(monkeypatch, "HELO client.example\nMAIL FROM:<a@b>\n")
    session.hang_up()
    out = io.BytesIO()
    write_pcapng([session_stream(session.transcript.entries)], out)
    found = packets(out.getvalue())
    assert [(p["sport"], p["flags"]) for p in found[-3:]] == [(49152, 0x11), (25, 0x11),
                                                              (49152, 0x10)]
    assert "closed the connection" in found[-4]["comment"]   # the note joins the last one


def test_hostile_lines_still_make_a_consistent_capture_with_bounded_comments(monkeypatch):
    script = ("EHLO client.example\nHELO \x1b[31mred\x00\n" + "X" * 3000 + "\n"
              + "NOOP\n" * 10)
    session, wire = recorded_session(monkeypatch, script)
    out = io.BytesIO()
    write_pcapng([session_stream(session.transcript.entries)], out)
    found = packets(out.getvalue())
    client = b"".join(p["payload"] for p in found if p["dport"] == 25)
    assert client == bytes(wire["client"]) and b"\x1b[31mred\x00\r\n" in client
    assert all(len(p["comment"]) <= 4000 for p in found)


def test_a_pipelined_burst_explains_a_bounded_number_of_lines():
    from smtpsim.exports.tcp import MAX_EXPLAINED, Endpoint, stream_from_entries
    session = Session("modern")
    session.type_line("EHLO client.example")
    entries = list(session.transcript.entries)
    noop = next(e for e in entries if e.side == "C")
    burst = entries + [noop] * 500
    calls = []
    stream_from_entries(burst, Endpoint("c", "192.0.2.1", 1), Endpoint("s", "192.0.2.2", 25),
                        lambda e: calls.append(e) or "x")
    assert len(calls) <= len(entries) + MAX_EXPLAINED


def test_wire_order_puts_a_read_before_its_replies_and_leaves_the_rest_alone():
    def entry(index: int, side: str, segment: int | None, reversed_roles: bool = False):
        return Entry(index, side, (f"line {index}",), "host", State.READY, State.READY,
                     segment=segment, reversed_roles=reversed_roles)

    entries = [entry(0, NOTE, None), entry(1, SERVER, None),          # greeting
               entry(2, CLIENT, 1), entry(3, SERVER, 1),               # one read:
               entry(4, CLIENT, 1), entry(5, SERVER, 1),               # two commands
               entry(6, CLIENT, 2), entry(7, SERVER, 2),               # the next read
               entry(8, CLIENT, None), entry(9, SERVER, None),         # in-process
               entry(10, SERVER, 3, True), entry(11, CLIENT, 3, True)]  # after TURN
    assert [e.index for e in wire_order(entries)] == [0, 1, 2, 4, 3, 5, 6, 7, 8, 9, 10, 11]
    assert [e.index for e in wire_order([entries[3], entries[2]])] == [2, 3]
