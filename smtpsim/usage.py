"""A usage error: the one exception every command raises for bad options or arguments.

Its own module, below every command, so that the command modules need not import the
top :mod:`smtpsim.cli` (which imports them): :func:`smtpsim.cli.main` reports it on
one line with exit status :data:`EXIT_USAGE`.
"""

from __future__ import annotations

#: The exit status of a usage error (argparse's own, for the same kind of mistake).
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad usage: reported on one line, exit status 2, never a traceback."""
