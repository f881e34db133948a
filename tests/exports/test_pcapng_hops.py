"""``run --follow --pcap``: hop 2 and the bounce back are TCP streams of their own in the
capture, between the addresses the simulated DNS gives their hosts (issue: "hop 2 and
later are their own streams")."""

from __future__ import annotations

from smtpsim.cli import main

from .test_pcapng_blocks import packets
from .wire import needs_tshark, tshark

SCRIPT = ("EHLO client.example\nMAIL FROM:<alice@client.example>\n"
          "RCPT TO:<friend@far.example>\nRCPT TO:<x@nowhere.example>\nDATA\nHi\n.\nQUIT\n")


def capture_of(tmp_path, capsys) -> bytes:
    script, capture = tmp_path / "s.txt", tmp_path / "s.pcapng"
    script.write_text(SCRIPT)
    assert main(["run", str(script), "--follow", "--pcap", str(capture)]) == 0
    capsys.readouterr()
    return capture.read_bytes()


def test_every_hop_that_spoke_smtp_is_its_own_stream(tmp_path, capsys):
    frames = packets(capture_of(tmp_path, capsys))
    syns = [f for f in frames if f["flags"] == 0x02]               # one SYN a stream
    assert [f["dport"] for f in syns] == [25, 25, 25]
    assert len({f["sport"] for f in syns}) == 3                    # each its own client port
    hop2 = b"".join(f["payload"] for f in frames if f["sport"] == syns[1]["sport"])
    assert hop2.startswith(b"EHLO mail.example\r\nMAIL FROM:<alice@client.example>")
    bounce = b"".join(f["payload"] for f in frames if f["sport"] == syns[2]["sport"])
    assert b"\r\nMAIL FROM:<> SIZE=" in bounce and b"multipart/report" in bounce \
        and b"message/delivery-status" in bounce


@needs_tshark
def test_tshark_reads_the_three_hops_between_the_worlds_addresses(tmp_path, capsys):
    path = tmp_path / "c.pcapng"
    path.write_bytes(capture_of(tmp_path, capsys))
    rows = tshark(path, "-Y", "smtp.req.command", "-T", "fields", "-e", "tcp.stream",
                  "-e", "ip.src", "-e", "ip.dst", "-e", "smtp.req.command").splitlines()
    firsts = {}
    for row in rows:
        stream, src, dst, command = row.split("\t")
        firsts.setdefault(stream, (src, dst, command))
    assert firsts == {"0": ("192.0.2.10", "198.51.100.25", "EHLO"),      # hop 1
                      "1": ("198.51.100.25", "198.51.100.10", "EHLO"),   # to mx1.far.example
                      "2": ("198.51.100.25", "192.0.2.10", "EHLO")}      # the bounce back
    assert tshark(path, "-Y", "_ws.malformed || _ws.expert.severity >= warning") == ""
