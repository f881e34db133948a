"""``python -m smtpsim`` is the same as the ``smtpsim`` command."""

import sys

from .cli import main

sys.exit(main())
