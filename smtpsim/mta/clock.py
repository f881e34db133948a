"""The simulated clock of the second hop, and the retry schedule that runs on it.

The queue run needs time to pass - greylisting asks for five minutes, a dead server is
retried for days - and the same script must print the same transcript every time.  So
time is a number this module owns: it starts at the simulator's fixed date and jumps
straight to the next event (a retry, a timeout) instead of waiting for it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from ..i18n import _, ngettext

# The same moment the server's trace lines use on hop 1 (server.SIMULATED_DATE).
EPOCH = datetime(2026, 11, 26, 9, 0, 0, tzinfo=UTC)
MINUTE, HOUR, DAY = 60, 3600, 86400

# The retry schedule.  RFC 5321 4.5.4.1 asks for at least 30 minutes between attempts and a
# give-up time of at least 4-5 days, and leaves the rest to the MTA (Postfix backs off from
# about 17 to 67 minutes and gives up after 5 days).  This one is easy to follow: 30 minutes
# after the first attempt, then doubling - 1 h, 2 h, 4 h, 8 h, 16 h - and at most a day
# apart, with a last attempt when the message has been queued for exactly 5 days.
FIRST_RETRY = 30 * MINUTE        # RFC 5321 4.5.4.1: "at least 30 minutes"
LONGEST_WAIT = DAY               # the backoff stops doubling at a day
LIFETIME = 5 * DAY               # RFC 5321 4.5.4.1: "at least 4-5 days"
PICKUP_DELAY = 1                 # the queue manager sees a new message one second later


def label(seconds: int) -> str:
    """A clock reading as a learner reads it: ``00:30:00``, or ``4d 07:30:00`` after days."""
    days, rest = divmod(max(0, int(seconds)), DAY)
    hours, rest = divmod(rest, HOUR)
    minutes, secs = divmod(rest, MINUTE)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{days}d {clock}" if days else clock


def duration(seconds: int) -> str:
    """A length of time in words: ``5 minutes``, ``30 minutes``, ``1 hour``, ``5 days``."""
    if seconds >= DAY and seconds % DAY == 0:
        count = seconds // DAY
        return ngettext("{count} day", "{count} days", count).format(count=count)
    if seconds >= HOUR and seconds % HOUR == 0:
        count = seconds // HOUR
        return ngettext("{count} hour", "{count} hours", count).format(count=count)
    if seconds >= MINUTE and seconds % MINUTE == 0:
        count = seconds // MINUTE
        return ngettext("{count} minute", "{count} minutes", count).format(count=count)
    if seconds >= HOUR:
        return _("{hours} h {minutes} min").format(hours=seconds // HOUR,
                                                   minutes=seconds % HOUR // MINUTE)
    return ngettext("{count} second", "{count} seconds", seconds).format(count=seconds)


def retry_interval(attempts: int) -> int:
    """The wait after the ``attempts``-th failed attempt: 30 min, 1 h, 2 h ... at most 1 day."""
    return min(FIRST_RETRY << max(0, attempts - 1), LONGEST_WAIT)   # doubling each time


def schedule(arrival: int = 0) -> list[int]:
    """Every attempt time of a delivery that never succeeds, from ``arrival`` to give-up."""
    times, now, attempts = [arrival + PICKUP_DELAY], arrival + PICKUP_DELAY, 1
    while now < arrival + LIFETIME:
        now = min(now + retry_interval(attempts), arrival + LIFETIME)
        times.append(now)
        attempts += 1
    return times


def describe_schedule() -> str:
    """The schedule in words, for ``smtpsim world`` and the journey."""
    waits = ", ".join(duration(retry_interval(n)) for n in range(1, 7))
    return _("Retry schedule: after a failed attempt wait {waits}, then {longest} between "
             "attempts; return the message after {lifetime} in the queue (RFC 5321 4.5.4.1: "
             "at least 30 minutes apart, give up after at least 4-5 days)").format(
        waits=waits, longest=duration(LONGEST_WAIT), lifetime=duration(LIFETIME))


class SimClock:
    """Simulated seconds since the script started; it only moves forward."""

    def __init__(self, start: int = 0) -> None:
        self.now = start

    def advance(self, seconds: int) -> None:
        self.now += max(0, int(seconds))

    def jump_to(self, moment: int) -> None:
        """Jump to a later moment (the next event); an earlier one leaves the clock as is."""
        self.now = max(self.now, int(moment))

    @property
    def label(self) -> str:
        return label(self.now)

    def date(self, at: int | None = None) -> str:
        """RFC 5322 3.3 date-time of a moment, for Received:, Date: and Arrival-Date:."""
        moment = EPOCH + timedelta(seconds=self.now if at is None else at)
        return format_datetime(moment)   # e.g. "Thu, 26 Nov 2026 09:00:00 +0000"
