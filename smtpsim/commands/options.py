"""Options shared by several subcommands: the simulated server's profile and faults."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from ..i18n import _
from ..mta import PROFILES, Fault, FaultError, parse_fault
from ..protocol import KNOWN_VERBS
from ..usage import UsageError


def fault_list(specs: Sequence[str] | None) -> tuple[Fault, ...]:
    try:
        return tuple(parse_fault(spec, KNOWN_VERBS) for spec in specs or ())
    except FaultError as error:
        raise UsageError(str(error)) from None


def add_session_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", default="modern", choices=sorted(PROFILES),
                        help=_("server profile (default: modern)"))
    parser.add_argument("--fault", action="append", metavar="VERB[#N]=CODE",
                        help=_("arm a fault, e.g. RCPT#2=452 (repeatable)"))
