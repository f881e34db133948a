"""The UI's name for the safe-text helpers, which live below the UI in ``smtpsim.textsafe``."""

from ..textsafe import MAX_SHOWN, printable

__all__ = ["MAX_SHOWN", "printable"]
