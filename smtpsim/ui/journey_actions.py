"""The app's keys for hop 2: the journey panel (ctrl+k) and the simulated clock.

* ctrl+k opens or closes the journey panel beside the MTA panes;
* ctrl+u moves the clock to the next event: the queue manager takes what hop 1 queued,
  and the next due attempt is made - five minutes of greylisting, or a day of retries,
  pass in one keystroke (RFC 5321 4.5.4.1);
* ctrl+d runs the queue to the end: every delivery is delivered, bounced or given up on.

The world's queue is one :class:`~smtpsim.mta.live_queue.LiveQueue` per world (a fresh
world, ctrl+r, gets a fresh queue and clock).  A bounce reaches alice's mailbox on
client.example, where ctrl+b reads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import N_, _

# The queue and the panel load on first use: the header reads the clock on every change,
# and that must stay cheap (and off the start-up path).
if TYPE_CHECKING:
    from ..mta import Entry
    from ..mta.live_queue import LiveQueue
    from .app import SmtpsimApp
    from .simulator import Simulator
    from .widgets.journey_panel import JourneyPanel

CLOCK = N_("clock {clock}")
NOTHING_DUE = N_("the queue is empty: nothing to wait for (the clock stays at {clock})")
STEPPED = N_("clock {clock}: {hops}")
RAN = N_("queue run to the end: {count} attempt(s), clock {clock}")
NEW_MAIL = N_("; new mail for {users} (ctrl+b)")
ARRIVED = N_("New mail for {users}: ctrl+b reads it")


def live_queue(app: SmtpsimApp) -> LiveQueue:
    """The queue of the world on screen (made on first use, again after a reset)."""
    from ..mta.live_queue import LiveQueue
    world = app.session.world
    live: LiveQueue | None = getattr(app, "_live_queue", None)
    if live is None or live.world is not world:
        live = LiveQueue(world)
        app._live_queue = live
    return live


def clock_status(app: Simulator) -> str:
    """The header's clock, once the queue has anything to do with it."""
    live: LiveQueue | None = getattr(app, "_live_queue", None)
    if live is None or live.world is not app.session.world or not live.started:
        return ""
    return "  " + _(CLOCK).format(clock=live.clock.label)


def _panel(app: SmtpsimApp) -> JourneyPanel | None:
    from .widgets.journey_panel import JourneyPanel
    panels = list(app.query(JourneyPanel))
    return panels[0] if panels else None


def toggle_panel(app: SmtpsimApp) -> None:
    panel = _panel(app)
    if panel is not None:
        if app.hop_view is not None:
            app.hop_view.leave()
        app.session_listeners.remove(panel_listener(app))
        panel.remove()
        return
    from .widgets.journey_panel import JourneyPanel
    panel = JourneyPanel(live_queue(app))
    app.query_one("#main").mount(panel, before="#side")
    app.session_listeners.append(panel_listener(app))


def panel_listener(app: SmtpsimApp):
    """One listener per app (so that it can be removed): a message accepted on hop 1
    appears in the panel at once."""
    listener = getattr(app, "_journey_listener", None)
    if listener is None:
        def listener(entries: list[Entry]) -> None:
            refresh(app)
        app._journey_listener = listener
    return listener


def refresh_panel(app: SmtpsimApp) -> None:
    """The open journey panel (if any) drawn again from the queue, in the current language."""
    panel = _panel(app)
    if panel is not None:
        panel.live = live_queue(app)
        panel.refresh_from_queue()


def refresh(app: SmtpsimApp) -> None:
    refresh_panel(app)
    app.refresh_view()


def advance(app: SmtpsimApp) -> None:
    live = live_queue(app)
    before = _mail_count(app)
    if live.next_event() is None:
        app.status_note = _(NOTHING_DUE).format(clock=live.clock.label)
    else:
        hops = live.advance()
        said = ", ".join(f"{h.client} -> {h.server}" for h in hops)
        app.status_note = _(STEPPED).format(clock=live.clock.label, hops=said)
    _say_new_mail(app, before)
    refresh(app)


def run_to_end(app: SmtpsimApp) -> None:
    live = live_queue(app)
    before = _mail_count(app)
    count = live.run_to_end()
    app.status_note = _(RAN).format(count=count, clock=live.clock.label)
    _say_new_mail(app, before)
    refresh(app)


def _mail_count(app: SmtpsimApp) -> dict[str, int]:
    client = app.session.world.client
    return {user.name: len(user.mailbox) for user in client.users.values()}


def _say_new_mail(app: SmtpsimApp, before: dict[str, int]) -> None:
    after = _mail_count(app)
    users = [f"{name}@{app.session.world.client.name}" for name, count in after.items()
             if count > before.get(name, 0)]
    if users:
        app.status_note += _(NEW_MAIL).format(users=", ".join(users))
        app.notify(_(ARRIVED).format(users=", ".join(users)), timeout=4, markup=False)
