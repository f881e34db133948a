"""``smtpsim`` with no command opens the app; ``smtpsim screenshots`` writes SVGs.

Kept light: Textual is imported only inside the handlers, so ``smtpsim run`` and the
other headless commands never load it.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers, parser: argparse.ArgumentParser) -> None:
    # Top-level options, so that `python -m smtpsim --profile classic` opens the app so.
    from ..cli import add_session_options
    add_session_options(parser)
    parser.add_argument("--projector", action="store_true",
                        help="open the app in the high-contrast theme")
    parser.set_defaults(default_handler=cmd_app)
    shots = subparsers.add_parser(
        "screenshots", help="drive the app headless and write SVG screenshots")
    shots.add_argument("--out", default="screenshots", help="folder (default: screenshots)")
    shots.set_defaults(handler=cmd_screenshots)


def cmd_app(args: argparse.Namespace) -> int:
    from ..cli import fault_list
    faults = fault_list(getattr(args, "fault", None))
    from .app import make_app
    from .app import DEFAULT_THEME, PROJECTOR
    theme = PROJECTOR.name if getattr(args, "projector", False) else DEFAULT_THEME
    make_app(getattr(args, "profile", "modern"), faults, theme=theme).run()
    return 0


def cmd_screenshots(args: argparse.Namespace) -> int:
    from .screenshots import write_all
    for path in write_all(Path(args.out)):
        print(path)
    return 0
