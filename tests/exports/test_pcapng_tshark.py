"""Wireshark's own reading of the capture: tshark's SMTP fields, Follow TCP Stream,
the packet comments, and no malformed packets or expert warnings."""

from __future__ import annotations

import json

from smtpsim.exports.pcapng import session_stream, write_capture, write_pcapng
from smtpsim.mta import Session
from smtpsim.mta.outgoing import OutgoingMessage

from .wire import follow_stream, needs_tshark, recorded_session, tshark

pytestmark = needs_tshark
FIELDS = ("frame.number", "ip.src", "ipv6.src", "frame.comment", "smtp.req.command",
          "smtp.req.parameter", "smtp.response.code")


def smtp_frames(path) -> list[dict[str, list[str]]]:
    args = ["-Y", "smtp", "-T", "json"]
    for name in FIELDS:
        args += ["-e", name]
    return [packet["_source"]["layers"] for packet in json.loads(tshark(path, *args))]


def values(frames, name: str) -> list[str]:
    return [value for frame in frames for value in frame.get(name, [])]


def expected_fields(session: Session) -> tuple[list[str], list[str], list[str]]:
    commands = [e for e in session.transcript
                if e.side == "C" and not e.in_data and not e.reversed_roles]
    verbs = [e.text.split(" ", 1)[0] for e in commands]
    parameters = [e.text.split(" ", 1)[1] for e in commands if " " in e.text]
    codes = [e.lines[0][:3] for e in session.transcript
             if e.side == "S" and not e.reversed_roles]
    return verbs, parameters, codes


def assert_clean(path) -> None:
    assert tshark(path, "-Y", "_ws.malformed || _ws.expert.severity >= warning") == ""


def test_tshark_reads_every_command_and_reply_of_the_transcript(monkeypatch, tmp_path):
    session, _wire = recorded_session(monkeypatch)
    path = tmp_path / "s.pcapng"
    write_capture(session.transcript, path)
    frames = smtp_frames(path)
    verbs, parameters, codes = expected_fields(session)
    assert values(frames, "smtp.req.command") == verbs
    assert values(frames, "smtp.req.parameter") == parameters
    assert values(frames, "smtp.response.code") == codes
    assert "550" in codes and "553" in codes           # refusals are dissected too
    assert all(frame.get("frame.comment") for frame in frames)
    comments = values(frames, "frame.comment")
    assert any(c.startswith("550 5.1.1") and "RFC 5321" in c for c in comments)
    assert_clean(path)


def test_follow_tcp_stream_equals_the_wire_bytes(monkeypatch, tmp_path):
    session, wire = recorded_session(monkeypatch)
    path = tmp_path / "s.pcapng"
    write_capture(session.transcript, path)
    assert follow_stream(path) == (bytes(wire["client"]), bytes(wire["server"]))


def test_a_pipelined_group_is_one_segment_and_dissected_command_by_command(monkeypatch,
                                                                          tmp_path):
    session, wire = recorded_session(monkeypatch, "", pipelining=True)
    session.queue_message(OutgoingMessage("alice@client.example",
                                          ["bob@mail.example", "carol@mail.example"],
                                          b"Subject: hi\r\n\r\n.starts with a dot\r\n"))
    session.play_all()
    path = tmp_path / "p.pcapng"
    write_capture(session.transcript, path)
    frames = smtp_frames(path)
    grouped = [f for f in frames if len(f.get("smtp.req.command", [])) > 1]
    assert [f["smtp.req.command"] for f in grouped] == [["MAIL", "RCPT", "RCPT", "DATA"]]
    replies = [f for f in frames if len(f.get("smtp.response.code", [])) > 1]
    assert [f["smtp.response.code"] for f in replies] == [["250", "250", "250", "354"]]
    verbs, _parameters, codes = expected_fields(session)
    assert values(frames, "smtp.req.command") == verbs
    assert values(frames, "smtp.response.code") == codes
    client, server = follow_stream(path)
    assert client == bytes(wire["client"]) and b"\r\n..starts with a dot\r\n" in client
    assert server == bytes(wire["server"])
    assert_clean(path)


def test_turn_keeps_one_stream_with_the_roles_swapped(monkeypatch, tmp_path):
    session, _wire = recorded_session(monkeypatch, "HELO client.example\nTURN\n", "classic")
    path = tmp_path / "t.pcapng"
    write_capture(session.transcript, path)
    streams = tshark(path, "-T", "fields", "-e", "tcp.stream").split()
    assert set(streams) == {"0"}
    # The reversed session's greeting comes from the host that opened the connection.
    sources = tshark(path, "-Y", 'tcp.payload contains "220 client.example"',
                     "-T", "fields", "-e", "ip.src").split()
    assert sources == ["192.0.2.10"]
    comments = values(smtp_frames(path), "frame.comment")
    assert any("TURN accepted" in c for c in comments)
    client, server = follow_stream(path)
    assert client + server and client.startswith(b"HELO client.example\r\nTURN\r\n")
    assert b"221 client.example" in client           # the initiator now replies
    assert_clean(path)


def test_ipv6_documentation_addresses(monkeypatch, tmp_path):
    session, wire = recorded_session(monkeypatch)
    path = tmp_path / "v6.pcapng"
    write_capture(session.transcript, path, ipv6=True)
    frames = smtp_frames(path)
    assert set(values(frames, "ipv6.src")) == {"2001:db8::10", "2001:db8:1::25"}
    assert follow_stream(path) == (bytes(wire["client"]), bytes(wire["server"]))
    assert_clean(path)


def test_several_streams_are_numbered_in_order(tmp_path):
    sessions = [Session("modern"), Session("hardened")]
    for session in sessions:
        session.type_lines(["HELO client.example", "QUIT"])
    path = tmp_path / "two.pcapng"
    with open(path, "wb") as out:
        write_pcapng([session_stream(s.transcript.entries, number=n)
                      for n, s in enumerate(sessions)], out)
    streams = tshark(path, "-Y", "smtp.response.code == 221", "-T", "fields",
                     "-e", "tcp.stream").split()
    assert streams == ["0", "1"]
    assert_clean(path)


def test_a_message_over_several_segments_is_reassembled(monkeypatch, tmp_path):
    from .wire import SCRIPT
    body = "\n".join(f"line {n:04d} " + "x" * 60 for n in range(200))
    session, wire = recorded_session(monkeypatch, SCRIPT.replace("end\n", body + "\n"))
    path = tmp_path / "big.pcapng"
    write_capture(session.transcript, path)
    verbs, _parameters, codes = expected_fields(session)
    frames = smtp_frames(path)
    assert values(frames, "smtp.req.command") == verbs
    assert values(frames, "smtp.response.code") == codes
    assert follow_stream(path) == (bytes(wire["client"]), bytes(wire["server"]))
    assert_clean(path)
