"""Start-up work of the app that is about the Python process, not about SMTP.

The imports (Textual, Rich, the engine) and the catalogue leave some 57,000 objects that
live as long as the process.  Python's cyclic garbage collector would scan them all again
in a full collection during the first screen's layout (about 30 ms, a tenth of the start-up)
and find nothing to free.  :func:`freeze_long_lived` moves them out of its reach once,
as ``gc.freeze()`` is documented to do; objects made afterwards are collected as usual.
"""

from __future__ import annotations

import gc

_frozen = False


def freeze_long_lived() -> None:
    """Once per process (the first app): later apps, e.g. in a test run, leave the
    collector alone, so that nothing they leave behind is kept for good."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
