"""Command line: ``smtpsim`` opens the app; subcommands run the engine headless.

The top floor: this module and :mod:`smtpsim.commands` are the only ones that know
the subcommands.  The engine's own (run, explain, world) live here; the app, the
course, the TCP adapters and the classroom add theirs through a
``register(subparsers, parser)`` function in their module of :mod:`smtpsim.commands`,
imported only when the command line is built, and the heavy parts (Textual, asyncio
servers) only when their command runs.  Nothing below imports this module back: a
command's bad usage is a :class:`smtpsim.usage.UsageError`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__, i18n
from .commands.options import add_session_options, fault_list
from .exports.files import EntriesKept, add_export_options, export_requested, write_requested
from .i18n import N_, _
from .mta import Session, default_world, describe
from .mta.dns import is_ip_address
from .mta.explain import as_text, explain_token
from .mta.link import FROM_CLIENT_HOST
from .protocol import ProtocolError
from .usage import EXIT_USAGE, UsageError

#: Every other subcommand, by the module that registers it (in the order of --help).
EXTENSIONS = ("smtpsim.commands.app", "smtpsim.commands.course", "smtpsim.commands.net",
              "smtpsim.commands.classroom")
__all__ = ["EXIT_USAGE", "UsageError", "build_parser", "main"]


ENGINE_COMMANDS = ("run", "explain", "world")


def build_parser(extensions: bool = True
                 ) -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    """The whole command line; ``extensions=False`` leaves out the app, course and TCP
    subcommands (the engine's own commands do not need them imported)."""
    parser = argparse.ArgumentParser(
        prog="smtpsim", description=_("An interactive, educational SMTP simulator."))
    parser.add_argument("--version", action="version", version=f"smtpsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_language_option(parser)

    run = sub.add_parser("run", help=_("play a client script against the simulated server"),
                         description=_(RUN_DESCRIPTION),
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("file", nargs="?", default="-", help=_("script file, or - for stdin"))
    add_session_options(run)
    run.add_argument("--explain", action="store_true", help=_("explain every reply"))
    add_run_extras(run)
    run.add_argument("--json", action="store_true", help=_("one JSON object per line"))
    add_export_options(run)
    run.add_argument("--follow", action="store_true", help=_(
        "then follow every relayed message over hop 2 (and any bounce back) on the "
        "simulated clock"))
    run.add_argument("--client-address", default=FROM_CLIENT_HOST, metavar="IP", help=_(
        "connect from this address (default: client.example, 192.0.2.10, inside "
        "mail.example's network; another one may not relay)"))
    run.set_defaults(handler=cmd_run)

    explain = sub.add_parser("explain", help=_("explain a reply code, a command or 5.x.x code"))
    explain.add_argument("token", nargs="*",
                         help=_("e.g. 550, SOML, 5.7.1, or a word from a tutorial: POSTA DA"))
    explain.add_argument("--glossary", action="store_true",
                         help=_("print the glossary: each term once, with its RFC"))
    explain.set_defaults(handler=cmd_explain)

    world = sub.add_parser("world", help=_("describe the default world"))
    world.set_defaults(handler=cmd_world)

    for name in EXTENSIONS if extensions else ():
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name and name.startswith(error.name):
                continue   # that part of smtpsim is not installed in this build
            raise
        module.register(sub, parser)
    for command in sub.choices.values():
        add_language_option(command)
    return parser, sub


def add_language_option(parser: argparse.ArgumentParser) -> None:
    """``--lang`` on ``parser`` and on each of its own subcommands.  The language is
    chosen before the parser is built (:func:`main`, so that help is translated); the
    option is declared so that argparse accepts it anywhere and checks its value."""
    parser.add_argument("--lang", choices=i18n.available(), default=argparse.SUPPRESS,
                        help=_("language of messages and explanations (default: "
                               "$SMTPSIM_LANG, then the saved choice, then the locale)"))
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                add_language_option(command)


RUN_DESCRIPTION = N_("""\
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
""")


def add_run_extras(run: argparse.ArgumentParser) -> None:
    run.add_argument("--brief", action="store_true",
                     help=_("with --explain: only the heading, why this reply now, the state "
                            "and the RFC sections (no digit paragraphs)"))
    run.add_argument("--mailboxes", action="store_true",
                     help=_("at the end, print what every mailbox and terminal holds, each "
                            "message whole (Return-Path, Received, headers, body)"))


def print_mailboxes(session: Session) -> None:
    """``run --mailboxes``: every mailbox and terminal of the world, after the transcript."""
    from .mta.mailboxes import describe_places
    sys.stdout.write("\n" + describe_places(session.world))




def cmd_run(args: argparse.Namespace) -> int:
    from .script_run import JsonWriter, ScriptError, TextWriter, read_script, run_script

    source = args.file
    try:
        # Closed by the `with stream:` below, once the script has run.
        stream = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    except OSError as error:
        raise UsageError(_("cannot read {path}: {reason}").format(
            path=source, reason=error.strerror)) from None
    address = args.client_address
    if address != FROM_CLIENT_HOST and not is_ip_address(address):
        raise UsageError(_("--client-address {address} is not an IP address").format(
            address=repr(address)))
    session = Session(args.profile, fault_list(args.fault), client_address=address)
    # Each output is a writer fed every transcript entry as it is made (see script_run);
    # a capture or a diagram needs the whole session, so only then are entries kept.
    explain = args.explain or args.brief
    writers: list = [JsonWriter(explain, brief=args.brief) if args.json
                     else TextWriter(explain, brief=args.brief)]
    kept = EntriesKept() if export_requested(args) else None
    if kept is not None:
        writers.append(kept)
    try:
        with stream:
            run_script(session, read_script(stream, source), writers)
    except ScriptError as error:
        print(f"smtpsim: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print("smtpsim: " + _("cannot read {path}: {reason}").format(
            path=source, reason=error.strerror), file=sys.stderr)
        return 1
    queue = None
    if args.follow:   # hop 2 and after, on the simulated clock
        from .mta.journey import follow
        queue = follow(session)
    if kept is not None:
        from .exports.files import hop_streams
        later = (hop_streams(kept.entries, queue.hops, session.world.zone)
                 if queue is not None else [])
        try:
            write_requested(args, kept.entries, later)
        except OSError as error:
            raise UsageError(_("cannot write {name}: {reason}").format(
                name=error.filename, reason=error.strerror)) from None
    if args.mailboxes and not args.json:
        print_mailboxes(session)
    if queue is not None:
        from .mta.journey import print_queue
        print_queue(queue, args.json, args.explain)
    return 0


def glossary_text() -> str:
    """The glossary of the current language: term (English term), meaning, RFC."""
    from .catalogue import load
    blocks = []
    for term, english, meaning, rfc in load().glossary_rows():
        head = f"{term}  [en: {english}]" if english else term
        cite = (" " + _("See:") + " " + "; ".join(f"RFC {r}" for r in rfc)) if rfc else ""
        blocks.append(f"{head}\n    {meaning}{cite}")
    return "\n".join(blocks)


def cmd_explain(args: argparse.Namespace) -> int:
    if args.glossary:
        print(glossary_text())
        return 0
    if not args.token:
        raise UsageError(_("explain needs a TOKEN (550, SOML, 5.7.1) or --glossary"))
    token = " ".join(args.token)   # `explain POSTA DA` as well as `explain "POSTA DA"`
    explanation = explain_token(token)
    if explanation is None:
        from .catalogue import load
        hints = load().suggestions(token)
        tip = " " + _("Did you mean: {names}?").format(names=", ".join(hints)) if hints else ""
        print("smtpsim: " + _("nothing is called {token} in the catalogue.").format(
              token=repr(token)) + tip + " " + _(
              "Try a reply code (550), a command (SOML) or an enhanced code (5.7.1)."),
              file=sys.stderr)
        return 1
    print(as_text(explanation))
    return 0


def cmd_world(args: argparse.Namespace) -> int:
    print(describe(default_world()))
    return 0


_APP_PREFIX = "app_option_"
_SHARED_OPTIONS = ("help", "version", "lang")


def _own_dests(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """The app's top-level options (--profile, --fault, --projector ...), stored apart.

    A subcommand's own --profile would otherwise overwrite the top-level one with its
    default, so ``smtpsim --profile classic run f.txt`` would silently run modern."""
    actions = [a for a in parser._actions
               if a.option_strings and a.dest not in _SHARED_OPTIONS]
    for action in actions:
        action.dest = _APP_PREFIX + action.dest
    return actions


def _check_app_options(args: argparse.Namespace, actions: list[argparse.Action]) -> None:
    """Before a command name, an app option is refused (one usage line), never ignored;
    with no command it is handed to the app under its own name."""
    for action in actions:
        value = getattr(args, action.dest, action.default)
        name = action.dest[len(_APP_PREFIX):]
        if args.command is None:
            setattr(args, name, value)
        elif value != action.default:
            raise UsageError(_("{option} before the command {command} is not applied: "
                               "write it after {command} (`smtpsim {command} --help` lists "
                               "the options {command} takes)").format(
                option=action.option_strings[-1], command=args.command))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(i18n.resolve(i18n.language_from_argv(argv)))
    i18n.translate_argparse()
    # `smtpsim run ...` starts faster without importing the app, the course and asyncio.
    parser, _extended = build_parser(extensions=not (argv and argv[0] in ENGINE_COMMANDS))
    app_options = _own_dests(parser)
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        _check_app_options(args, app_options)
        if handler is None:
            handler = getattr(args, "default_handler", None) or cmd_world
        return int(handler(args) or 0)
    except UsageError as error:
        print(f"smtpsim: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ProtocolError as error:
        from .mta.phrases import error_text
        print(f"smtpsim: {error_text(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `smtpsim run x | head`): not an error of ours.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
