"""Command line: ``smtpsim`` opens the app; subcommands run the engine headless.

The engine's own subcommands (run, explain, world) live here; the app, the course
and the TCP adapters add theirs through a ``register(subparsers)`` function in
their own ``cli`` module, imported only when the command line is built, and the
heavy parts (Textual, asyncio servers) only when their command runs.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Sequence

from .catalogue import plural
from . import __version__
from .mta import PROFILES, FaultError, Session, describe, default_world, parse_fault
from .mta.explain import as_text, explain_entry, explain_token
from .protocol import KNOWN_VERBS, ProtocolError

EXTENSIONS = ("smtpsim.ui.cli", "smtpsim.course.cli", "smtpsim.net.cli")
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad usage: reported on one line, exit status 2, never a traceback."""


def fault_list(specs: Sequence[str] | None) -> tuple:
    try:
        return tuple(parse_fault(spec, KNOWN_VERBS) for spec in specs or ())
    except FaultError as error:
        raise UsageError(str(error)) from None


def add_session_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", default="modern", choices=sorted(PROFILES),
                        help="server profile (default: modern)")
    parser.add_argument("--fault", action="append", metavar="VERB[#N]=CODE",
                        help="arm a fault, e.g. RCPT#2=452 (repeatable)")


ENGINE_COMMANDS = ("run", "explain", "world")


def build_parser(extensions: bool = True
                 ) -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    """The whole command line; ``extensions=False`` leaves out the app, course and TCP
    subcommands (the engine's own commands do not need them imported)."""
    parser = argparse.ArgumentParser(
        prog="smtpsim", description="An interactive, educational SMTP simulator.")
    parser.add_argument("--version", action="version", version=f"smtpsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="play a client script against the simulated server",
                         description=RUN_DESCRIPTION,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("file", nargs="?", default="-", help="script file, or - for stdin")
    add_session_options(run)
    run.add_argument("--explain", action="store_true", help="explain every reply")
    add_run_extras(run)
    run.add_argument("--json", action="store_true", help="one JSON object per line")
    run.set_defaults(handler=cmd_run)

    explain = sub.add_parser("explain", help="explain a reply code, a command or 5.x.x code")
    explain.add_argument("token", help="e.g. 550, SOML, 5.7.1")
    explain.set_defaults(handler=cmd_explain)

    world = sub.add_parser("world", help="describe the default world")
    world.set_defaults(handler=cmd_world)

    for name in EXTENSIONS if extensions else ():
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name and name.startswith(error.name):
                continue   # that part of smtpsim is not installed in this build
            raise
        module.register(sub, parser)
    return parser, sub


RUN_DESCRIPTION = """\
Play a client script against the simulated server and print the transcript.

The script format: one line per line the client sends, as typed.
  - Outside DATA, blank lines and lines starting with # are skipped.
  - After the server's 354, every line is message text, sent as written, up to a
    line holding only "." (the end of the text). A text line that starts with a
    dot is written as it goes on the wire: doubled (RFC 5321 4.5.2), so "..x"
    in the script is the text line ".x".
  - A script that ends inside DATA closes the connection there.
Example:
  EHLO client.example
  MAIL FROM:<alice@client.example>
  RCPT TO:<bob@mail.example>
  DATA
  Subject: hello

  Hi Bob.
  .
  QUIT
"""


def add_run_extras(run: argparse.ArgumentParser) -> None:
    run.add_argument("--brief", action="store_true",
                     help="with --explain: only the heading, why this reply now, the state "
                          "and the RFC sections (no digit paragraphs)")
    run.add_argument("--mailboxes", action="store_true",
                     help="at the end, print what every mailbox and terminal holds, each "
                          "message whole (Return-Path, Received, headers, body)")


def print_mailboxes(session: Session) -> None:
    """``run --mailboxes``: every mailbox and terminal of the world, after the transcript."""
    from .mta.mailboxes import describe_places
    sys.stdout.write("\n" + describe_places(session.world))


def script_lines(text: str) -> list[str]:
    """Lines of a client script; outside DATA, blank lines and '#' comments are skipped
    (decided while running, since only the session knows when DATA mode starts).

    Only LF (or CR LF) separates lines: a CR or a control byte inside a line is sent
    as typed, so that the server can explain it (``str.splitlines`` would split there).
    """
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def cmd_run(args: argparse.Namespace) -> int:
    source = args.file
    try:
        if source == "-":
            text = sys.stdin.buffer.read().decode("utf-8", "surrogateescape")
        else:
            with open(source, "rb") as handle:
                text = handle.read().decode("utf-8", "surrogateescape")
    except OSError as error:
        raise UsageError(f"cannot read {source}: {error.strerror}") from None
    session = Session(args.profile, fault_list(args.fault))
    lines = script_lines(text)
    unsent = 0
    number = 0
    while number < len(lines):
        line = lines[number]
        in_data = session.in_data
        if not in_data and (not line.strip() or line.lstrip().startswith("#")):
            number += 1
            continue
        if session.closed:
            unsent = sum(1 for rest in lines[number:]
                         if rest.strip() and not rest.lstrip().startswith("#"))
            break
        if in_data:
            # message text up to the lone "." goes out in one write (same transcript)
            try:
                end = lines.index(".", number) + 1
            except ValueError:
                end = len(lines)
            session.type_lines(lines[number:end])
            number = end
        else:
            session.type_line(line)
            number += 1
    if session.in_data:
        session.hang_up()   # the script ended before the lone "."
    if unsent:
        session.transcript.add(side="*", lines=(
            f"{plural(unsent, 'more script line', 'more script lines')} not sent: the "
            "connection is closed",),
            sender=session.client.host, before=session.state, after=session.state)
    emit(session, args.explain or args.brief, args.json, brief=args.brief)
    if args.mailboxes and not args.json:
        print_mailboxes(session)
    return 0


def emit(session: Session, explain: bool, as_json: bool, brief: bool = False) -> None:
    # Lines are written in batches: with an unbuffered stdout (PYTHONUNBUFFERED, or a
    # pipe some tools set up) one write per line would be one system call per line.
    out: list[str] = []
    if as_json:
        for entry in session.transcript:
            data = entry.to_json()
            if explain and entry.side == "S":
                data["explanation"] = as_text(explain_entry(entry), brief=brief)
            out.append(json.dumps(data, ensure_ascii=False))
            if len(out) >= EMIT_BATCH:
                _write_lines(out)
        _write_lines(out)
        return
    prefix = {"C": "C: ", "S": "S: ", "*": "* "}
    for entry in session.transcript:
        out.extend(map(prefix[entry.side].__add__, entry.lines))
        if explain and entry.side == "S":
            out.append(as_text(explain_entry(entry), indent="   | ", brief=brief))
        if len(out) >= EMIT_BATCH:
            _write_lines(out)
    _write_lines(out)


EMIT_BATCH = 2048   # transcript lines per write


def _write_lines(lines: list[str]) -> None:
    """Write ``lines`` (each followed by a newline) in one call, and empty the list."""
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")
        lines.clear()


def cmd_explain(args: argparse.Namespace) -> int:
    explanation = explain_token(args.token)
    if explanation is None:
        from .catalogue import load
        hints = load().suggestions(args.token)
        tip = f" Did you mean: {', '.join(hints)}?" if hints else ""
        print(f"smtpsim: nothing is called {args.token!r} in the catalogue.{tip} "
              "Try a reply code (550), a command (SOML) or an enhanced code (5.7.1).",
              file=sys.stderr)
        return 1
    print(as_text(explanation))
    return 0


def cmd_world(args: argparse.Namespace) -> int:
    print(describe(default_world()))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `smtpsim run ...` starts faster without importing the app, the course and asyncio.
    parser, _ = build_parser(extensions=not (argv and argv[0] in ENGINE_COMMANDS))
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            handler = getattr(args, "default_handler", None) or cmd_world
        return int(handler(args) or 0)
    except UsageError as error:
        print(f"smtpsim: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ProtocolError as error:
        print(f"smtpsim: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `smtpsim run x | head`): not an error of ours.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
