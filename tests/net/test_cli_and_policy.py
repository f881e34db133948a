"""Command-line checks for serve/send, and the profiles' relay policy on a real socket."""

from __future__ import annotations

import asyncio
import smtplib

import pytest

from smtpsim.cli import main
from smtpsim.commands.net import LOOPBACK


@pytest.mark.parametrize("arguments, message", [
    (["serve", "--idle-timeout", "0"], "--idle-timeout must be positive"),
    (["serve", "--max-connections", "0"], "--max-connections and --max-per-address at least 1"),
    (["serve", "--port", "70000"], "is not a TCP port"),
    (["serve", "--fault", "NOPE"], ""),
    (["send", "--server", "127.0.0.1:2525", "--from", "a@b.example", "--to", "c@d.example",
      "--body-file", "/nonexistent/body.txt"], "cannot read /nonexistent/body.txt"),
])
def test_bad_usage_is_one_line_and_exit_2(arguments, message, capsys):
    assert main(arguments) == 2
    err = capsys.readouterr().err
    assert err.startswith("smtpsim: ") and message in err and err.count("\n") == 1


def test_serve_binds_loopback_unless_told(capsys):
    from smtpsim.cli import build_parser
    parser, _ = build_parser()
    args = parser.parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.host in LOOPBACK and args.port == 2525
    assert args.idle_timeout == 300.0 and args.profile == "modern"


async def test_modern_refuses_to_relay_classic_is_an_open_relay(start_server):
    modern, classic = await start_server(), await start_server("classic")

    def try_relay(server) -> dict:
        host, port = server.address
        with smtplib.SMTP(host, port, timeout=5) as smtp:
            smtp.helo("client.example")
            try:
                return smtp.sendmail("alice@client.example", ["victim@elsewhere.example"],
                                     b"Subject: spam\r\n\r\nrelay me\r\n")
            except smtplib.SMTPRecipientsRefused as error:
                return {rcpt: code for rcpt, (code, _) in error.recipients.items()}

    assert await asyncio.to_thread(try_relay, modern) == {"victim@elsewhere.example": 550}
    assert await asyncio.to_thread(try_relay, classic) == {}
    # the relayed message went through serve's queue at once: elsewhere.example does not
    # exist (NXDOMAIN), so it came back to alice as a bounce with its headers
    (ending,) = classic.relay.relay.endings[:1]
    assert (ending.recipient, ending.result, ending.status) == (
        "victim@elsewhere.example", "bounced", "5.1.2")
    bounce = classic.world.client.users["alice"].mailbox[-1].content
    assert b"Final-Recipient: rfc822; victim@elsewhere.example" in bounce
    assert b"Subject: spam" in bounce


async def test_a_failing_transcript_sink_does_not_break_the_session(start_server, loop_errors):
    def broken(connection_id, entries):
        raise RuntimeError("display gone")

    server = await start_server(on_entries=broken)
    from netwire import Wire
    wire = await Wire.open(server)
    assert await wire.code() == 220
    assert await wire.command(b"NOOP") == [b"250 2.0.0 OK"]
    assert loop_errors and "on_entries failed" in loop_errors[0]["message"]
