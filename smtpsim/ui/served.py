"""The app in a browser tab (``smtpsim classroom``): keys the browser keeps, F9 as a download.

When textual-serve runs the app, keys reach it through the page; a few never do.
Chromium handles these itself before any page sees them (``BrowserCommandController::
IsReservedCommandOrKey``: close tab or window, new tab, new window, new incognito
window, reopen tab, next or previous tab, exit), and Firefox likewise keeps
ctrl+w, ctrl+t, ctrl+n and ctrl+q.  The app binds three of them, so in a browser each
gets an alt+ key as well, shown in the key bar and in F1.  The other keys (F1-F10,
ctrl+r, ctrl+l, ctrl+p ...) reach the app: the page's terminal (xterm.js) stops
the browser's own action for the keys it sends on.

F9 writes files on the machine the app runs on - in a classroom, the teacher's.  In
a browser the same two files (the replayable script and the explained Markdown)
are sent to the student's browser as downloads instead (``App.deliver_text``).
"""

from __future__ import annotations

import io
import os
import time
from typing import TYPE_CHECKING

from ..i18n import N_, _
from .export import render
from .keys import ACTIONS

if TYPE_CHECKING:
    from .app import SmtpsimApp

#: (key the browser keeps, the key used in a browser instead)
BROWSER_KEEPS = (("ctrl+n", "alt+n"), ("ctrl+t", "alt+p"), ("ctrl+q", "alt+q"))
#: Shown in the key bar in a browser, before the palette: the projector theme.
SHOWN_IN_BROWSER = ("alt+p",)
HELP_GROUP = N_("In a browser (the browser keeps ctrl+n, ctrl+t, ctrl+q)")
PARENT_CHECK_SECONDS = 2.0
#: "1": the classroom's --projector (smtpsim.classroom.settings sets it for every mode).
PROJECTOR_ENV = "SMTPSIM_PROJECTOR"
DOWNLOADED = N_("Downloaded to your browser: {files}")


def _actions() -> dict[str, tuple[str, str]]:
    """key -> (action, label), for the app's keys and quit."""
    table = {key: (action, label) for key, action, label, *_ in ACTIONS}
    table["ctrl+q"] = ("quit", N_("Quit"))
    return table


def browser_key(key: str) -> str:
    """The key that does ``key``'s job in a browser (``key`` itself when it reaches the app)."""
    return dict(BROWSER_KEEPS).get(key, key)


def served_key_bar(keys: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The key bar in a browser: the usual keys, then the browser's alternatives that are
    worth a place, then the palette (kept last)."""
    table = _actions()
    extra = [(alt, *table[key]) for key, alt in BROWSER_KEEPS if alt in SHOWN_IN_BROWSER]
    head = [row for row in keys if row[1] != "command_palette"]
    tail = [row for row in keys if row[1] == "command_palette"]
    return head + extra + tail


def help_rows() -> list[tuple[str, str]]:
    table = _actions()
    return [(alt, _("{action} (instead of {key})").format(action=_(table[key][1]), key=key))
            for key, alt in BROWSER_KEEPS]


def serve_keys(app: SmtpsimApp) -> None:
    """Bind the alternatives and show them in the key bar, take the classroom's theme,
    and watch the server; called once the app is mounted."""
    from .shell import PROJECTOR
    from .widgets.key_bar import KeyBar
    if os.environ.get(PROJECTOR_ENV) == "1":
        app.theme = PROJECTOR.name
    watch_server(app)
    table = _actions()
    for key, alt in BROWSER_KEEPS:
        action, label = table[key]
        app.bind(alt, action, description=label, show=False)
    for bar in app.query(KeyBar):
        # The alternatives stay in view whatever the width, like the palette.
        bar.set_keys(served_key_bar(bar.keys), pinned=len(SHOWN_IN_BROWSER) + 1)


def watch_server(app: SmtpsimApp) -> None:
    """End the app if the server that started it is gone.

    textual-serve ends its app processes itself, but a server killed outright (or one
    that crashed) cannot: the app would run on, unseen, with nobody to read it.  Its
    parent process then changes (the orphan is adopted), which is checked every two
    seconds."""
    parent = os.getppid()

    def check() -> None:
        if os.getppid() != parent:
            app.exit()
    app.set_interval(PARENT_CHECK_SECONDS, check)


def deliver_export(app: SmtpsimApp) -> None:
    """F9 in a browser: every export format of this connection, as downloads (there is no
    folder to choose on the teacher's machine; a student's browser asks for few files)."""
    stem = "smtpsim-session-" + time.strftime("%Y%m%d-%H%M%S")
    files = render(app.export_parts(False), stem)
    for name, content in files:
        if isinstance(content, bytes):
            app.deliver_binary(io.BytesIO(content), save_filename=name)
        else:
            app.deliver_text(io.StringIO(content), save_filename=name, encoding="utf-8")
    app.status_note = _(DOWNLOADED).format(files=", ".join(name for name, _c in files))
    app.notify(app.status_note, timeout=8, markup=False)
