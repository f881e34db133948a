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

from ..i18n import N_, _
from ..mta import Entry, compose
from ..mta.explain import as_text, explain_entry
from ..mta.phrases import note_text, say
from ..mta.transcript import PREFIX
from ..net.record import format_entries
from ..textsafe import printable
from ..usage import UsageError
from .options import add_session_options, fault_list

REPLY_LINE_SHOWN = 4096   # a reply line is shown whole up to the client's own limit

EX_TEMPFAIL = 75
LOOPBACK = ("127.0.0.1", "::1", "localhost")
SERVE_QUEUE = N_("Mail accepted for another domain (the classic profile relays for anyone; "
                 "251 forwards on every profile) goes through mail.example's queue at once, "
                 "on a simulated clock that jumps to each next event, so retries over days "
                 "take no real time (RFC 5321 4.5.4.1); it reaches only the simulated "
                 "world's hosts (smtpsim world), never the real internet. Mail for "
                 "client.example waits for TURN or ETRN.")


def register(sub: argparse._SubParsersAction, parser: argparse.ArgumentParser) -> None:
    serve = sub.add_parser("serve", help=_("serve the simulated server MTA on a TCP port"),
                           description=_(SERVE_QUEUE))
    serve.add_argument("--host", default="127.0.0.1",
                       help=_("address to bind (default 127.0.0.1: this machine only)"))
    serve.add_argument("--port", type=int, default=2525,
                       help=_("TCP port (default 2525; 0 = any)"))
    add_session_options(serve)
    serve.add_argument("--maildir", metavar="DIR",
                       help=_("store accepted mail in DIR/<user>/new (Maildir), not in memory"))
    serve.add_argument("--explain", action="store_true", help=_("explain every reply"))
    serve.add_argument("--idle-timeout", type=float, default=300.0, metavar="S",
                       help=_("421 when a command line (or 4 KiB of message text) takes "
                              "longer than S seconds (default 300, RFC 5321 4.5.3.2.7)"))
    serve.add_argument("--max-connections", type=int, default=100, metavar="N",
                       help=_("421 to connection N+1 (default 100; fewer if ulimit -n "
                              "cannot hold them)"))
    serve.add_argument("--max-per-address", type=int, default=20, metavar="N",
                       help=_("421 to connection N+1 from one client address (default 20)"))
    serve.add_argument("--quiet", action="store_true",
                       help=_("print no transcripts, only the address and a summary"))
    serve.set_defaults(handler=cmd_serve)

    send = sub.add_parser("send", help=_("send one message to a real SMTP server"))
    send.add_argument("--server", required=True, metavar="HOST:PORT",
                      help=_("the SMTP server to deliver to, e.g. 127.0.0.1:2525"))
    send.add_argument("--from", dest="sender", required=True, metavar="ADDR",
                      help=_("the envelope sender (MAIL FROM) and the From: header"))
    send.add_argument("--to", dest="recipients", action="append", required=True,
                      metavar="ADDR",
                      help=_("a recipient: RCPT TO and the To: header (repeatable)"))
    send.add_argument("--subject", default="A message from smtpsim",
                      help=_("the Subject: header (default: %(default)s)"))
    send.add_argument("--body-file", metavar="F", help=_("message body (UTF-8 text; - for stdin)"))
    send.add_argument("--helo", default="client.example", help=_("name for EHLO/HELO"))
    send.add_argument("--timeout", type=float, default=30.0, metavar="S",
                      help=_("seconds to wait for each reply (default 30)"))
    send.add_argument("--explain", action="store_true", help=_("explain every reply"))
    send.add_argument("--pipelining", action="store_true",
                      help=_("send MAIL, RCPT and DATA in one write if the server offers "
                             "PIPELINING (RFC 2920)"))
    send.set_defaults(handler=cmd_send)


# -- serve -----------------------------------------------------------------------------
def print_entries(connection_id: int, entries: list[Entry], explain: bool) -> None:
    try:
        sys.stdout.write(format_entries(connection_id, entries, explain))
        sys.stdout.flush()
    except BrokenPipeError:
        pass   # whoever read our output went away; the server keeps serving


class TranscriptPrinter:
    """serve's transcript, written in batches: what the connections said is held for at
    most PRINT_DELAY seconds (or PRINT_BATCH pieces) and then written at once, so a busy
    server makes one write (and one flush) where it would make hundreds - even when each
    command is its own turn of the event loop, as with a client waiting for every reply."""

    def __init__(self, explain: bool, out=None) -> None:
        self.explain = explain
        self.out = out
        self.pending: list[tuple[int, list[Entry]] | str] = []
        self._scheduled = False

    def __call__(self, connection_id: int, entries: list[Entry]) -> None:
        self.pending.append((connection_id, entries))
        self._later()

    def text(self, text: str) -> None:
        """Lines already formatted (``SimServer(on_text=...)``, without --explain)."""
        self.pending.append(text)
        self._later()

    def _later(self) -> None:
        if len(self.pending) >= PRINT_BATCH:
            self.flush()
        elif not self._scheduled:
            import asyncio
            self._scheduled = True
            asyncio.get_running_loop().call_later(PRINT_DELAY, self.flush)

    def flush(self) -> None:
        self._scheduled = False
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        explain = self.explain
        text = "".join([part if isinstance(part, str) else format_entries(*part, explain)
                        for part in pending])
        out = self.out if self.out is not None else sys.stdout
        try:
            out.write(text)
            out.flush()
        except BrokenPipeError:
            pass   # whoever read our output went away; the server keeps serving


PRINT_BATCH = 512    # pieces (a connection's entries or lines) held at most before a write
PRINT_DELAY = 0.05   # seconds: later than that, a person watching would notice


def cmd_serve(args: argparse.Namespace) -> int:
    import asyncio

    from ..net.maildir import MaildirStore
    from ..net.server import SimServer

    if args.idle_timeout <= 0 or args.max_connections < 1 or args.max_per_address < 1:
        raise UsageError(_("--idle-timeout must be positive, --max-connections and "
                           "--max-per-address at least 1"))
    if not 0 <= args.port <= 65535:
        raise UsageError(_("--port {port} is not a TCP port").format(port=args.port))
    faults = fault_list(args.fault)
    store = None
    if args.maildir:
        try:
            store = MaildirStore(args.maildir)
        except OSError as error:
            raise UsageError(_("cannot use {path} as a Maildir: {reason}").format(
                path=args.maildir, reason=error.strerror)) from None
    printer = None if args.quiet else TranscriptPrinter(args.explain)
    # Entries are needed only to explain the replies; otherwise lines go straight out.
    sink = printer if args.explain else None
    text_sink = printer.text if printer is not None and not args.explain else None
    server = SimServer(args.profile, faults, store=store, keep_in_memory=store is None,
                       idle_timeout=args.idle_timeout, max_connections=args.max_connections,
                       max_per_address=args.max_per_address, on_entries=sink,
                       on_text=text_sink,
                       on_queue=None if args.quiet else lambda line: print(line, flush=True),
                       on_notice=lambda text: print(f"smtpsim: {say(text)}", file=sys.stderr))
    if args.host not in LOOPBACK:
        print("smtpsim: " + _("warning: listening on {host}, reachable from other machines"
                              ).format(host=args.host)
              + (_("; the classic profile is an OPEN RELAY and hands queued mail to anyone "
                   "who says TURN") if args.profile == "classic" else ""), file=sys.stderr)
    try:
        return asyncio.run(_serve(server, args))
    except OSError as error:
        print("smtpsim: " + _("cannot listen on {host}:{port}: {reason}").format(
              host=args.host, port=args.port, reason=error.strerror or error), file=sys.stderr)
        return 1


async def _serve(server, args: argparse.Namespace) -> int:
    import asyncio
    import resource
    import signal

    host, port = await server.start(args.host, args.port)
    if server.max_connections < server.asked_connections:
        print("smtpsim: " + _("--max-connections {asked} lowered to {allowed}: the process may "
                              "open only {files} files (ulimit -n), and each connection is "
                              "one").format(asked=server.asked_connections,
                                            allowed=server.max_connections,
                                            files=resource.getrlimit(resource.RLIMIT_NOFILE)[0]),
              file=sys.stderr, flush=True)
    where = _(" storing mail in {path}").format(path=args.maildir) if args.maildir else ""
    print("smtpsim: " + _("{name} ({profile} profile) listening on {host}:{port}{where}; "
                          "Ctrl-C stops it").format(name=server.world.server.name,
                                                    profile=args.profile, host=host,
                                                    port=port, where=where), flush=True)
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
        for printer in (server.on_entries, getattr(server.on_text, "__self__", None)):
            if isinstance(printer, TranscriptPrinter):
                printer.flush()
    print("smtpsim: " + _("stopped after {connections} connection(s); {messages} message(s) "
                          "accepted with 250").format(connections=server.total_connections,
                                                      messages=server.accepted_messages),
          flush=True)
    return 0


# -- send ---------------------------------------------------------------------------------
def parse_server(text: str, option: str = "--server") -> tuple[str, int]:
    """``HOST:PORT`` (an IPv6 host in brackets) for ``option``, or a one-line usage error."""
    host, sep, port = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(_("{option} wants HOST:PORT, e.g. 127.0.0.1:2525, not {text}").format(
            option=option, text=repr(text)))
    return host, int(port)


def read_body(path: str | None) -> str:
    if path is None:
        return "Hello from smtpsim.\n"
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as error:
        raise UsageError(_("cannot read {path}: {reason}").format(
            path=path, reason=error.strerror)) from None
    return data.decode("utf-8", "replace")


def real_date_and_id(sender: str) -> dict[str, str]:
    """A real message's Date: (now, local zone) and a unique Message-ID: (RFC 5322 3.6.1,
    3.6.4); the simulator's own messages use its standing clock instead."""
    from email.utils import formatdate, make_msgid
    domain = sender.rpartition("@")[2] or None
    return {"date": formatdate(localtime=True), "message_id": make_msgid(domain=domain)}


def cmd_send(args: argparse.Namespace) -> int:
    import asyncio

    from ..net.client import RemoteError, send_message

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
        for line in note_text(entry.lines):
            print(PREFIX[entry.side] + printable(line, REPLY_LINE_SHOWN))
        if args.explain and entry.side == "S":
            print(as_text(explain_entry(entry), indent="   | "))
    if _client.failure is not None:
        print(f"smtpsim: {say(_client.failure)}", file=sys.stderr)
    if message.failed or message.outcome == "failed":
        return 1
    if message.deferred or message.outcome in ("deferred", "waiting"):
        return EX_TEMPFAIL
    return 0
