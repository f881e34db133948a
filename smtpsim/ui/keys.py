"""The key table: every key of the app, its action, its label and its help, in one place.

One row drives a key binding, the key bar at the bottom, the F1 help and the command
palette (``ctrl+p``).  :data:`ACTIONS` is the simulator's table; ``--listen`` and
``--connect`` take :data:`COMMON_ACTIONS` (the rows that act on what every mode has on
screen) and add their own rows (:mod:`smtpsim.ui.listen`, :mod:`smtpsim.ui.connect`).
The shell (:mod:`smtpsim.ui.shell`) reads a mode's table from its ``ACTIONS``.

App-wide keys are F-keys or ctrl combinations, because the command input (focused
most of the time) takes every printable key for itself.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from ..i18n import N_

#: (key, action, footer label, palette title, palette help, shown in the footer)
ACTIONS = [
    ("f1", "help", N_("Keys"), N_("Keys and help"),
     N_("Every key of the app, with what it does"), True),
    ("f2", "compose", N_("Compose"), N_("Compose a message"),
     N_("From, To (several), Subject, body: the client MTA sends it itself"), True),
    ("f3", "step", N_("Step"), N_("Next step of the client MTA"),
     N_("The client MTA sends its next command (or the whole message text)"), True),
    ("f4", "play", N_("Play"), N_("Play / pause the client MTA"),
     N_("The client MTA sends its outbox continuously, step after step"), True),
    ("f5", "new_connection", N_("New conn"), N_("New connection"),
     N_("Close this connection and connect again (same world, profile and faults)"), True),
    ("f6", "pick_profile", N_("Profile"), N_("Switch server profile"),
     N_("classic (RFC 821), modern (RFC 5321, default) or hardened"), True),
    ("f7", "pick_fault", N_("Fault"), N_("Arm a fault"),
     N_("Make a chosen occurrence of a command fail with a chosen code"), True),
    ("f8", "lookup", N_("Explain"), N_("Explain a code or command"),
     N_("Look up a reply code (550), a command (SOML) or an enhanced code (5.7.1)"), True),
    ("f9", "export", N_("Export"), N_("Export the transcript"),
     N_("Choose a folder and a name, this connection or the whole session: a replayable "
        "script (.txt), an explained transcript (.md), a capture (.pcapng) and a sequence "
        "diagram (.sequence.md, .svg)"), True),
    ("ctrl+l", "lessons", N_("Lessons"), N_("Lessons"),
     N_("The lesson picker: each lesson with your completion; Enter opens one beside the "
        "simulator"), False),
    ("ctrl+g", "lesson('hint')", N_("Hint"), N_("Lesson: hint"),
     N_("A hint for the current step of the open lesson"), False),
    ("ctrl+o", "lesson('answer')", N_("Answer"), N_("Lesson: model answer"),
     N_("The model answer for the current step of the open lesson"), False),
    ("ctrl+n", "lesson('reconnect')", N_("Step again"),
     N_("Lesson: new connection for this step"),
     N_("Open a new connection so the current step of the lesson starts again"), False),
    ("ctrl+f", "lesson('next')", N_("Next lesson"), N_("Lesson: next lesson"),
     N_("Open the next lesson (when this one is complete, or to skip it)"), False),
    ("ctrl+e", "exam_practice", N_("Practice"), N_("Exam practice"),
     N_("Practice questions with a fresh seed: feedback after every answer, no clock"), False),
    ("ctrl+y", "toggle_pipelining", N_("Pipelining"), N_("Client pipelining on/off"),
     N_("RFC 2920: if the server lists PIPELINING, the client MTA sends MAIL, every RCPT and "
        "DATA in one write, then reads the replies in order (new connection)"), False),
    ("ctrl+k", "journey", N_("Journey"), N_("Journey and queue panel"),
     N_("Each relayed message's hops as a chain (MX lookup, every attempt, the mailbox or "
        "the bounce); pick a hop to see its dialogue in the two panes; the queue with each "
        "next attempt"), False),
    ("ctrl+u", "clock_next", N_("Clock"), N_("Clock: next event"),
     N_("Move the simulated clock to the queue's next event and make every attempt due "
        "then (RFC 5321 4.5.4.1 retries: 30 minutes, doubling, up to a day, for 5 days)"),
     False),
    ("ctrl+d", "queue_to_end", N_("Run queue"), N_("Run the queue to the end"),
     N_("Move the clock on until every queued message is delivered or bounced"), False),
    ("ctrl+r", "reset", N_("Reset"), N_("Reset the world"),
     N_("Fresh world (empty mailboxes, queued mail back) and a new connection"), False),
    ("f10", "toggle_tall", N_("Tall"), N_("Tall transcripts on/off"),
     N_("The two conversations take the whole height (insides, diagram and explanation "
        "hidden): for 80x24 and projectors; again to bring the rest back"), False),
    ("ctrl+b", "mailboxes", N_("Mailboxes"), N_("Read the delivered mail"),
     N_("Every user's mailbox and terminal, each message whole, with who added which header "
        "line and why (or click a user in the server pane)"), False),
    ("ctrl+t", "toggle_theme", N_("Projector"), N_("Projector theme"),
     N_("Switch between the default theme and a high-contrast one"), False),
    ("pageup", "travel(-1)", N_("Earlier"), N_("Step back in the session"),
     N_("Select the previous line: panes, diagram and explanation as they were"), False),
    ("pagedown", "travel(1)", N_("Later"), N_("Step forward in the session"),
     N_("Select the next line; at the newest line the view follows live"), False),
    ("escape", "live", N_("Newest"), N_("Back to the newest line"),
     N_("Leave time travel and follow the session live"), False),
    ("ctrl+pageup", "view_connection(-1)", N_("Earlier conn"), N_("View the earlier connection"),
     N_("Show the connection before this one (a lesson's TURN session, the one before F5): "
        "its lines, buffers and explanations, to select and step through"), False),
    ("ctrl+pagedown", "view_connection(1)", N_("Later conn"), N_("View the later connection"),
     N_("Show the connection after this one; past the newest, the live one again"), False),
    ("f12", "switch_language", N_("Language"), N_("Language: English / italiano"),
     N_("Switch the language of explanations, help and lessons opened from now on; "
        "it is remembered"), False),
]



def bindings_for(actions: list[tuple]) -> list[BindingType]:
    """Textual bindings for rows of an actions table, plus ctrl+q to quit."""
    # Descriptions stay N_-marked English here: translate_bindings says them when the
    # app is made and after each language switch.
    bindings: list[BindingType] = [Binding(key, action, label, show=shown)
                                   for key, action, label, _t, _h, shown in actions]
    return bindings + [Binding("ctrl+q", "quit", N_("Quit"), show=False)]


def shown_keys(actions: list[tuple]) -> list[tuple[str, str, str]]:
    """The key bar: the rows marked as shown, then the palette (which lists the rest)."""
    keys = [(key, action, label) for key, action, label, _, _, shown in actions if shown]
    return keys + [("ctrl+p", "command_palette", N_("Actions"))]


#: Keys every mode shares with the simulator: the same rows of its table.
COMMON_ACTIONS = [row for row in ACTIONS
                  if row[1] in ("help", "lookup", "export", "toggle_theme", "travel(-1)",
                                "travel(1)", "live")]
BINDINGS = bindings_for(ACTIONS)
SHOWN_KEYS = shown_keys(ACTIONS)
