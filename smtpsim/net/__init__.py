"""Real TCP: the same sans-IO core on asyncio sockets (``smtpsim serve`` / ``send``).

Nothing here decides a reply: the server is :class:`smtpsim.mta.ServerMTA` and the client
:class:`smtpsim.mta.ClientMTA`, exactly as in the app; this package only carries bytes.

Server - :class:`SimServer`::

    server = SimServer("modern", faults=(), world=None,       # one World for all sessions
                       store=MaildirStore("mail"),            # optional stable storage
                       keep_in_memory=False,                  # with a store: memory stays flat
                       idle_timeout=300,                      # per command line
                       max_connections=100, max_per_address=20,
                       on_entries=lambda connection_id, entries: ...,
                       on_text=None,                          # or lines, no entries
                       on_notice=None)                        # one line for the operator
    host, port = await server.start("127.0.0.1", 2525)       # port 0: any free port
    ...
    await server.shutdown()                                   # 421 to every open session

``on_entries(connection_id, entries)`` is called on the event loop, in order, with each
batch of :class:`smtpsim.mta.Entry` objects of one connection: ``*`` notes (connection
opened/closed, idle), ``C`` lines as the server read them (a whole message text is one
entry with ``in_data=True``, summarised after a dozen lines) and ``S`` replies carrying
``reply_id``, so ``smtpsim.mta.explain.explain_entry(entry)`` explains them.  Entries are
not kept by the server.  ``server.world`` shows the mailboxes (when kept in memory),
``server.connections`` the open sessions, ``server.accepted_messages`` the 250s given at
the end of DATA.  ``on_text(text)`` instead receives the same transcript as printed lines
(``[3] C: NOOP``), cheaper when nothing is explained.  ``start()`` lowers
``max_connections`` to what RLIMIT_NOFILE can hold (``asked_connections`` keeps the wish).
With ``store=MaildirStore(...)`` and ``keep_in_memory=False`` the queue for the next hop
is a :class:`smtpsim.net.queue.DiskQueue` in ``DIR/_queue`` (TURN and ETRN read it back).

Client - :class:`RemoteSession` (a learner typing to a real server)::

    session = await RemoteSession.connect("127.0.0.1", 2525)   # reads the greeting
    entries = await session.send_line("EHLO client.example")   # list[Entry]: C line + replies
    session.transcript, session.state, session.closed, session.in_data
    await session.close()

It behaves like :class:`smtpsim.mta.Session`: after a 354 each line is message text
until ``.``; ``send_line`` raises ``ProtocolError`` once the session is closed.  Replies
from a real server have ``reply_id == "remote"``; ``explain_entry`` explains their code,
digits and enhanced code.  Failures to connect raise :class:`RemoteError` (one line).

:func:`send_message` lets the client MTA deliver one message by itself (``smtpsim send``).

Wiring the app (``--listen PORT`` / ``--connect HOST:PORT``): run ``SimServer(...,
on_entries=post)`` on the app's event loop (Textual runs on asyncio: start it in
``on_mount`` with ``await server.start(...)``, and ``await server.shutdown()`` on exit);
``post`` appends the entries to the server pane.  For ``--connect``, replace the in-process
``Session`` with ``await RemoteSession.connect(host, port)`` and ``await
session.send_line(text)`` from an async handler (or a worker); the entries are the same
type, so the transcript and explanation panes need no change.
"""

from .client import RemoteError, RemoteSession, send_message
from .maildir import MaildirStore
from .server import SimServer, real_clock

__all__ = ["MaildirStore", "RemoteError", "RemoteSession", "SimServer", "real_clock",
           "send_message"]
