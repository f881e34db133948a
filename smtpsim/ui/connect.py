"""``python -m smtpsim --connect HOST:PORT``: the learner's command line talks to a real server.

The client pane is the learner's, as in the simulator: the same command line (verb
completion, history, DATA mode after 354, a pasted block sent line by line), but
each line goes out on a real TCP connection through
:class:`smtpsim.net.RemoteSession`, and the real server answers.  Its replies carry
``reply_id == "remote"``: the explanation pane explains the code, each digit and the
enhanced code, but cannot say *why* that server chose it - only the server knows.

The server pane shows the server's replies and the session state as the client
mirrors it from them (the same transition table); the server's buffers, users and
mailboxes are on the other machine and are not drawn.  If the server cannot be
reached, the status line and the client pane say why, in one line; F5 tries again.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.worker import WorkerCancelled, WorkerFailed

from ..i18n import N_, _
from ..mta.phrases import error_text
from ..net import RemoteError, RemoteSession
from ..protocol import ProtocolError
from .keys import COMMON_ACTIONS, bindings_for
from .remote import RemoteApp
from .shell import Inside
from .text import printable
from .widgets.command_bar import CommandBar

CONNECT_ACTIONS = COMMON_ACTIONS[:1] + [
    ("f5", "reconnect", N_("New conn"), N_("New connection"),
     N_("Close this connection and connect to the server again"), True),
] + COMMON_ACTIONS[1:]


class ConnectApp(RemoteApp):
    ACTIONS = CONNECT_ACTIONS
    BINDINGS: ClassVar[list[BindingType]] = bindings_for(CONNECT_ACTIONS)
    INTRO = N_("Connect mode: you are the client on the left and a real SMTP server answers "
               "on the right, over TCP. Type commands below as in the simulator; every reply "
               "is explained by its code, digits and enhanced code (why the server chose it, "
               "only the server knows). Select any line (Tab to a pane, ↑/↓, or click) to see "
               "it explained and the state as it was. F5 connects again.")

    def __init__(self, host: str, port: int, *, client_host: str = "client.example",
                 timeout: float = 30.0, **options) -> None:
        super().__init__(client_host, f"{host}:{port}", **options)
        self.host, self.port = host, port
        self.client_host = client_host
        self.timeout = timeout
        self.session: RemoteSession | None = None
        self.error = ""
        self.connecting = False
        self._lock = asyncio.Lock()    # lines go out one at a time, in the order typed

    def export_about(self) -> tuple[str, str]:
        return (_("`smtpsim --connect` to a real server at {host}:{port}: its replies are its "
                  "own. The script replays the same lines against the simulator, to "
                  "compare.").format(host=self.host, port=self.port), "smtpsim run FILE")

    def compose_bar(self) -> ComposeResult:
        yield CommandBar(id="bar", blink=self._blink,
                         closed_hint=_("Not connected (or the connection is closed): F5 "
                                       "connects to the server again."))

    @property
    def bar(self) -> CommandBar:
        return self.query_one(CommandBar)

    # -- connecting -------------------------------------------------------------------
    def on_mount(self) -> None:
        self.bar.input.focus()
        self.action_reconnect()

    def action_reconnect(self) -> None:
        self.run_worker(self._connect(), group="connect", exclusive=True)

    async def _connect(self) -> None:
        async with self._lock:
            await self._stop_watching()
            old, self.session = self.session, None
            if old is not None:
                await old.close()
            self.connecting, self.error = True, ""
            self.status_note = _("connecting to {host}:{port}").format(host=self.host,
                                                                        port=self.port)
            self.show_conversation([], self.client_host, self.server_label)
            self._update_bar()
            try:
                session = await RemoteSession.connect(self.host, self.port,
                                                      client_host=self.client_host,
                                                      timeout=self.timeout)
            except RemoteError as error:
                self.error = str(error)
                self.status_note = self.error
                self.notify(self.error, severity="error", markup=False)
            else:
                self.session = session
                self.status_note = ""
                self.add_entries(list(session.transcript.entries))
                self._watch()
            finally:
                self.connecting = False
                self._update_bar()
                self.refresh_view()

    async def on_unmount(self) -> None:
        if self.session is not None:
            await self.session.close()

    # -- typing -----------------------------------------------------------------------
    def on_command_bar_submitted(self, event: CommandBar.Submitted) -> None:
        self.run_worker(self._send(event.lines), group="send")

    # -- between lines: what the server says unasked (a 421 on its idle timeout) -----
    def _watch(self) -> None:
        self.run_worker(self._listen_unasked(), group="watch", exclusive=True,
                        exit_on_error=False)

    async def _listen_unasked(self) -> None:
        session = self.session
        while session is not None and not session.closed and session is self.session:
            entries = await session.watch()
            if not entries:
                return
            self.add_entries(list(entries))
            self._update_bar()

    async def _stop_watching(self) -> None:
        """One reader at a time: the watcher must be gone before a line's reply is read
        (called holding the lock, after which the watcher is started again)."""
        for worker in [w for w in self.workers if w.group == "watch"]:
            worker.cancel()
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await worker.wait()

    async def _send(self, lines: list[str]) -> None:
        async with self._lock:   # the lines of a paste after the ones typed before it
            await self._stop_watching()
            for number, line in enumerate(lines):
                session = self.session
                if session is None or session.closed:
                    self.status_note = _("{count} line(s) not sent: not connected (F5 connects "
                                         "again)").format(count=len(lines) - number)
                    break
                self.selected = None
                self.status_note = _("waiting for the server's reply")
                self.refresh_view()
                start = len(session.transcript)
                try:
                    await session.send_line(line)
                except ProtocolError as error:
                    self.status_note = error_text(error)
                    break
                self.status_note = ""
                self.add_entries(list(session.transcript.entries[start:]))
            self._update_bar()
            self.refresh_view()
            if self.session is not None and not self.session.closed:
                self._watch()

    def _update_bar(self) -> None:
        session = self.session
        bar = self.bar
        bar.closed = session is None or session.closed
        bar.data_mode = session is not None and session.in_data and not session.closed

    # -- what the panes say ------------------------------------------------------------
    def inner_views(self, index: int | None) -> tuple[Inside, Inside]:
        where = f"{self.host}:{self.port}"
        client, server = Text(), Text()
        client.append(self.client_host, "bold").append(" " + _("(you) over real TCP to") + " ",
                                                       "dim")
        client.append(where, "bold")
        if self.connecting:
            client.append("\n" + _("connecting…"), "italic")
        elif self.error:
            client.append("\n" + _("not connected:") + " ", "bold").append(
                printable(self.error, 300))
            client.append("\n" + _("F5 tries again"), "dim")
        elif self.session is not None:
            mode = (_("message text until a lone '.'") if self.session.in_data
                    else _("a command"))
            client.append("\n" + _("next line") + " ", "dim").append(mode)
            sent = sum(1 for e in self.session.transcript if e.side == "C")
            client.append("\n" + _("lines sent {count}").format(count=sent), "dim")
        server.append(_("a real SMTP server at") + " ", "dim").append(where, "bold")
        if index is not None and self.entries:
            entry = self.entries[index]
            server.append("\n" + _("state") + " ", "dim").append(entry.after.value,
                                                                "bold reverse")
            server.append("  " + _("as the client mirrors it from the replies"), "dim")
        server.append("\n" + _("Its buffers, users and mailboxes are on its own machine: "
                                "smtpsim sees only its replies, and explains their codes."),
                      "italic")
        return client, server

    def status_text(self, index: int | None) -> Text:
        text = Text()
        text.append("smtpsim", "bold").append("  " + (
            _("connected to {host}:{port}") if self.session and not self.session.closed
            else _("server {host}:{port}")).format(host=self.host, port=self.port))
        if self.session is not None:
            text.append("  " + _("state {state}").format(state=self.session.state.value),
                        "bold")
            if self.session.closed:
                text.append("  " + _("closed"))
        return text
