"""``smtpsim`` with no command opens the app; ``smtpsim screenshots`` writes SVGs.

``--listen PORT`` puts the server MTA on a real port (:mod:`smtpsim.ui.listen`),
``--connect HOST:PORT`` lets the command line talk to a real server
(:mod:`smtpsim.ui.connect`).

Kept light: Textual is imported only inside the handlers, so ``smtpsim run`` and the
other headless commands never load it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..i18n import _
from ..usage import UsageError
from .options import add_session_options, fault_list

if TYPE_CHECKING:
    from textual.app import App


def register(subparsers, parser: argparse.ArgumentParser) -> None:
    # Top-level options, so that `python -m smtpsim --profile classic` opens the app so.
    add_session_options(parser)
    parser.add_argument("--projector", action="store_true",
                        help=_("open the app in the high-contrast theme"))
    real = parser.add_mutually_exclusive_group()
    real.add_argument("--listen", type=int, metavar="PORT",
                      help=_("put the server MTA on a real TCP port: clients connect with "
                             "telnet, nc or swaks and every line is explained (0 = any port)"))
    real.add_argument("--connect", metavar="HOST:PORT",
                      help=_("the command line talks to a real SMTP server"))
    parser.add_argument("--host", default="127.0.0.1",
                        help=_("with --listen: the address to bind (default 127.0.0.1: "
                               "this machine only)"))
    parser.set_defaults(default_handler=cmd_app)
    shots = subparsers.add_parser(
        "screenshots", help=_("drive the app headless and write SVG screenshots"))
    shots.add_argument("--out", default="screenshots", help=_("folder (default: screenshots)"))
    shots.set_defaults(handler=cmd_screenshots)


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def parse_address(text: str) -> tuple[str, int]:
    from .net import parse_server
    return parse_server(text, "--connect")


def cmd_app(args: argparse.Namespace) -> int:
    faults = fault_list(getattr(args, "fault", None))
    profile = getattr(args, "profile", "modern")
    listen, connect = getattr(args, "listen", None), getattr(args, "connect", None)
    host = getattr(args, "host", "127.0.0.1")
    if listen is not None and not 0 <= listen <= 65535:
        raise UsageError(_("--listen {port} is not a TCP port").format(port=listen))
    if connect is not None and faults:
        raise UsageError(_("--fault arms the simulated server; with --connect the server is "
                           "real"))
    address = parse_address(connect) if connect is not None else None
    from ..ui.app import DEFAULT_THEME, PROJECTOR
    theme = PROJECTOR.name if getattr(args, "projector", False) else DEFAULT_THEME
    app: App[Any]
    if listen is not None:
        from ..ui.listen import ListenApp
        if host not in LOOPBACK:
            print("smtpsim: " + _("warning: listening on {host}, reachable from other machines"
                                  ).format(host=host)
                  + (_("; the classic profile is an OPEN RELAY") if profile == "classic"
                     else ""), file=sys.stderr)
        app = ListenApp(profile, faults, host=host, port=listen, theme=theme)
    elif address is not None:
        from ..ui.connect import ConnectApp
        app = ConnectApp(*address, theme=theme)
    else:
        from ..ui.app import make_app
        app = make_app(profile, faults, theme=theme)
    app.run()
    return app.return_code or 0


def cmd_screenshots(args: argparse.Namespace) -> int:
    from ..ui.screenshots import write_all
    for path in write_all(Path(args.out)):
        print(path)
    return 0
