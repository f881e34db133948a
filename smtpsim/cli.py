"""Command line: ``smtpsim`` opens the app; subcommands run the engine headless.

The engine's own subcommands (run, explain, world) live here; the app, the course
and the TCP adapters add theirs through a ``register(subparsers)`` function in
their own ``cli`` module, imported only when the command line is built, and the
heavy parts (Textual, asyncio servers) only when their command runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from . import __version__
from .mta import PROFILES, FaultError, Session, describe, default_world, parse_fault
from .mta.explain import as_text, explain_token
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

    run = sub.add_parser("run", help="play a client script against the simulated server")
    run.add_argument("file", nargs="?", default="-", help="script file, or - for stdin")
    add_session_options(run)
    run.add_argument("--explain", action="store_true", help="explain every reply")
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


def cmd_run(args: argparse.Namespace) -> int:
    from .script_run import JsonWriter, ScriptError, TextWriter, read_script, run_script

    source = args.file
    try:
        stream = sys.stdin.buffer if source == "-" else open(source, "rb")
    except OSError as error:
        raise UsageError(f"cannot read {source}: {error.strerror}") from None
    session = Session(args.profile, fault_list(args.fault))
    # Each output is a writer fed every transcript entry as it is made (see script_run).
    writers = [JsonWriter(args.explain) if args.json else TextWriter(args.explain)]
    try:
        with stream:
            run_script(session, read_script(stream, source), writers)
    except ScriptError as error:
        print(f"smtpsim: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"smtpsim: cannot read {source}: {error.strerror}", file=sys.stderr)
        return 1
    return 0


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
