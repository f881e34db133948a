"""``smtpsim serve`` and ``smtpsim send``: the simulator on real TCP.

``serve`` puts the simulated server MTA on a port and prints every connection's
transcript (``--explain`` adds why each reply was sent).  ``send`` lets the client
MTA deliver one message to any real SMTP server and prints what was said.

Exit status of ``send``: 0 when every recipient was accepted and the message
delivered; 75 (sendmail's EX_TEMPFAIL) when something was deferred with 4yz and nothing
failed; 1 when something failed with 5yz or the server could not be reached.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import UsageError, add_session_options, fault_list
from ..mta import Entry, compose
from ..mta.explain import as_text, explain_entry
from .record import PREFIX, format_entries

EX_TEMPFAIL = 75
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def register(sub: argparse._SubParsersAction, parser: argparse.ArgumentParser) -> None:
    serve = sub.add_parser("serve", help="serve the simulated server MTA on a TCP port")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=2525, help="TCP port (default 2525; 0 = any)")
    add_session_options(serve)
    serve.add_argument("--maildir", metavar="DIR",
                       help="store accepted mail in DIR/<user>/new (Maildir), not in memory")
    serve.add_argument("--explain", action="store_true", help="explain every reply")
    serve.add_argument("--idle-timeout", type=float, default=300.0, metavar="S",
                       help="421 after S seconds without input (default 300, RFC 5321 4.5.3.2)")
    serve.add_argument("--max-connections", type=int, default=100, metavar="N",
                       help="421 to connection N+1 (default 100)")
    serve.add_argument("--quiet", action="store_true",
                       help="print no transcripts, only the address and a summary")
    serve.set_defaults(handler=cmd_serve)

    send = sub.add_parser("send", help="send one message to a real SMTP server")
    send.add_argument("--server", required=True, metavar="HOST:PORT",
                      help="the SMTP server to deliver to, e.g. 127.0.0.1:2525")
    send.add_argument("--from", dest="sender", required=True, metavar="ADDR",
                      help="the envelope sender (MAIL FROM) and the From: header")
    send.add_argument("--to", dest="recipients", action="append", required=True,
                      metavar="ADDR", help="a recipient: RCPT TO and the To: header (repeatable)")
    send.add_argument("--subject", default="A message from smtpsim",
                      help="the Subject: header (default: %(default)s)")
    send.add_argument("--body-file", metavar="F", help="message body (UTF-8 text; - for stdin)")
    send.add_argument("--helo", default="client.example", help="name for EHLO/HELO")
    send.add_argument("--timeout", type=float, default=30.0, metavar="S",
                      help="seconds to wait for each reply (default 30)")
    send.add_argument("--explain", action="store_true", help="explain every reply")
    send.add_argument("--pipelining", action="store_true",
                      help="send MAIL, RCPT and DATA in one write if the server offers "
                           "PIPELINING (RFC 2920)")
    send.set_defaults(handler=cmd_send)


# -- serve -----------------------------------------------------------------------------
def print_entries(connection_id: int, entries: list[Entry], explain: bool) -> None:
    try:
        sys.stdout.write(format_entries(connection_id, entries, explain))
        sys.stdout.flush()
    except BrokenPipeError:
        pass   # whoever read our output went away; the server keeps serving


def cmd_serve(args: argparse.Namespace) -> int:
    import asyncio

    from .maildir import MaildirStore
    from .server import SimServer

    if args.idle_timeout <= 0 or args.max_connections < 1:
        raise UsageError("--idle-timeout must be positive and --max-connections at least 1")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a TCP port")
    faults = fault_list(args.fault)
    store = None
    if args.maildir:
        try:
            store = MaildirStore(args.maildir)
        except OSError as error:
            raise UsageError(f"cannot use {args.maildir} as a Maildir: {error.strerror}")
    sink = None if args.quiet else (lambda cid, entries: print_entries(cid, entries,
                                                                       args.explain))
    server = SimServer(args.profile, faults, store=store, keep_in_memory=store is None,
                       idle_timeout=args.idle_timeout, max_connections=args.max_connections,
                       on_entries=sink)
    if args.host not in LOOPBACK:
        print(f"smtpsim: warning: listening on {args.host}, reachable from other machines"
              + ("; the classic profile is an OPEN RELAY and hands queued mail to anyone "
                 "who says TURN" if args.profile == "classic" else ""), file=sys.stderr)
    try:
        return asyncio.run(_serve(server, args))
    except OSError as error:
        print(f"smtpsim: cannot listen on {args.host}:{args.port}: "
              f"{error.strerror or error}", file=sys.stderr)
        return 1


async def _serve(server, args: argparse.Namespace) -> int:
    import asyncio
    import signal

    host, port = await server.start(args.host, args.port)
    where = f" storing mail in {args.maildir}" if args.maildir else ""
    print(f"smtpsim: {server.world.server.name} ({args.profile} profile) listening on "
          f"{host}:{port}{where}; Ctrl-C stops it", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await server.shutdown()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
    print(f"smtpsim: stopped after {server.total_connections} connection(s); "
          f"{server.accepted_messages} message(s) accepted with 250", flush=True)
    return 0


# -- send ---------------------------------------------------------------------------------
def parse_server(text: str, option: str = "--server") -> tuple[str, int]:
    """``HOST:PORT`` (an IPv6 host in brackets) for ``option``, or a one-line usage error."""
    host, sep, port = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"{option} wants HOST:PORT, e.g. 127.0.0.1:2525, not {text!r}")
    return host, int(port)


def read_body(path: str | None) -> str:
    if path is None:
        return "Hello from smtpsim.\n"
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    return data.decode("utf-8", "replace")


def real_date_and_id(sender: str) -> dict[str, str]:
    """A real message's Date: (now, local zone) and a unique Message-ID: (RFC 5322 3.6.1,
    3.6.4); the simulator's own messages use its standing clock instead."""
    from email.utils import formatdate, make_msgid
    domain = sender.rpartition("@")[2] or None
    return {"date": formatdate(localtime=True), "message_id": make_msgid(domain=domain)}


def cmd_send(args: argparse.Namespace) -> int:
    import asyncio

    from .client import RemoteError, send_message

    host, port = parse_server(args.server)
    message = compose(args.sender, args.recipients, args.subject, read_body(args.body_file),
                      **real_date_and_id(args.sender))
    try:
        transcript, _client = asyncio.run(send_message(host, port, message, helo=args.helo,
                                                       timeout=args.timeout,
                                                       pipelining=args.pipelining))
    except RemoteError as error:
        print(f"smtpsim: {error}", file=sys.stderr)
        return 1
    for entry in transcript:
        for line in entry.lines:
            print(PREFIX[entry.side] + line)
        if args.explain and entry.side == "S":
            print(as_text(explain_entry(entry), indent="   | "))
    if message.failed or message.outcome == "failed":
        return 1
    if message.deferred or message.outcome in ("deferred", "waiting"):
        return EX_TEMPFAIL
    return 0
