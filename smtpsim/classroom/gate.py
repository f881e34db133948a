"""Who may join: the join code, the cookie it earns, and a limit on wrong guesses.

The code is short so that it fits on a board, which makes it guessable by brute
force: each address gets a few wrong tries, then has to wait.  A right code earns
a random token in an HttpOnly, SameSite=Strict cookie; the token, not the code,
opens the app page and its websocket, so the code can change (a new server run)
without the teacher dictating anything but the code.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable

COOKIE = "smtpsim_class"
#: Wrong codes allowed per address within WINDOW seconds, then a wait until the oldest
#: of them is WINDOW seconds old.
WRONG_TRIES = 5
WINDOW = 60.0
#: Addresses remembered at once (a flood of addresses must not grow memory).
MAX_ADDRESSES = 4096
MAX_TOKENS = 10_000

Clock = Callable[[], float]


def normalise(code: str) -> str:
    """What the student typed, as compared: case and spaces do not matter."""
    return "".join(code.split()).upper()[:64]


class JoinGate:
    def __init__(self, code: str, clock: Clock = time.monotonic) -> None:
        self.code = normalise(code)
        self.clock = clock
        self._wrong: OrderedDict[str, list[float]] = OrderedDict()
        self._tokens: OrderedDict[str, None] = OrderedDict()

    def wait_for(self, address: str) -> int:
        """Seconds ``address`` must wait before its next try (0: it may try now)."""
        now = self.clock()
        tries = [t for t in self._wrong.get(address, ()) if now - t < WINDOW]
        if tries:
            self._wrong[address] = tries
        else:
            self._wrong.pop(address, None)
        if len(tries) < WRONG_TRIES:
            return 0
        return max(1, int(WINDOW - (now - tries[0]) + 0.999))

    def try_code(self, address: str, code: str) -> str | None:
        """A new token for a right code; None for a wrong one (counted against ``address``).
        Callers check :meth:`wait_for` first."""
        if hmac.compare_digest(normalise(code).encode(), self.code.encode()):
            token = secrets.token_urlsafe(24)
            self._tokens[token] = None
            while len(self._tokens) > MAX_TOKENS:
                self._tokens.popitem(last=False)
            return token
        self._wrong.setdefault(address, []).append(self.clock())
        self._wrong.move_to_end(address)
        while len(self._wrong) > MAX_ADDRESSES:
            self._wrong.popitem(last=False)
        return None

    def admits(self, token: str | None) -> bool:
        return bool(token) and token in self._tokens
