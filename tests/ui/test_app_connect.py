"""``--connect``: the learner's command line against a real server on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading

from textual import events

from smtpsim.net import SimServer
from smtpsim.protocol import State
from smtpsim.ui.connect import ConnectApp
from smtpsim.ui.widgets.mta_pane import MtaPane

from .helpers import SIZE, diagram_text, explanation_text, export_this, type_keys


def connect_app(host: str, port: int) -> ConnectApp:
    app = ConnectApp(host, port, cursor_blink=False, timeout=5)
    app.animation_level = "none"
    return app


async def wait_idle(pilot, app: ConnectApp) -> None:
    """Until connecting and sending are done (the watcher for unasked replies never is)."""
    busy = [w for w in app.workers if w.group != "watch"]
    if busy:   # (an empty list would mean every worker to wait_for_complete)
        await app.workers.wait_for_complete(busy)
    await pilot.pause()


async def enter(pilot, app: ConnectApp, *lines: str) -> None:
    for line in lines:
        app.query_one("#command").value = line
        await pilot.press("enter")
        await wait_idle(pilot, app)


def free_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_typed_lines_go_to_the_real_server_and_replies_are_explained():
    async with SimServer() as server:
        host, port = server.address
        app = connect_app(host, port)
        async with app.run_test(size=SIZE) as pilot:
            await wait_idle(pilot, app)
            assert app.entries[0].lines[0].startswith("220 mail.example")
            assert app.entries[0].reply_id == "remote"
            await type_keys(pilot, "EHLO client.example")        # key by key, as typed
            await wait_idle(pilot, app)
            await enter(pilot, app, "MAIL FROM:<alice@client.example>",
                        "RCPT TO:<bob@mail.example>", "DATA")
            assert app.query_one("#prompt").render().plain == "DATA"   # 354: text mode
            await enter(pilot, app, "Subject: Lunch", "", "Noon?", ".")
            left, right = app.query_one("#left", MtaPane), app.query_one("#right", MtaPane)
            codes = [e.code for e in app.entries if e.side == "S"]
            assert codes == [220, 250, 250, 250, 354, 250]
            last = len(app.entries) - 1
            assert left.view.rows_of(last)[0].startswith("← 250 2.0.0 Ok: queued as")
            assert right.view.rows_of(last)[0].startswith("→ 250 2.0.0 Ok: queued as")
            assert left.view.rows_of(last - 1) == ["→ ."]
            explanation = explanation_text(app)
            assert explanation.startswith("250 2.0.0 - Requested mail action okay, completed")
            assert "First digit 2  Positive completion" in explanation
            assert "state READY  as the client mirrors it" in right.inner.text.plain
            assert "smtpsim sees only its replies" in right.inner.text.plain
            # Its profile is unknown: the diagram says it draws the whole RFC table.
            assert "a real server: the whole RFC 821/5321 table is drawn" in " ".join(
                diagram_text(app).split())
            assert len(server.world.server.users["bob"].mailbox) == 1   # really delivered
            await enter(pilot, app, "RCPT TO:<carol@mail.example>")
            assert app.entries[-1].code == 503
            assert explanation_text(app).startswith("503 5.5.1")
            await enter(pilot, app, "QUIT")
            assert app.entries[-1].code == 221 and app.session.closed
            assert app.session.state is State.CLOSED
            assert app.query_one("#prompt").render().plain == "closed"
            await enter(pilot, app, "NOOP")
            assert "1 line(s) not sent: not connected" in str(
                app.query_one("#status").render())
            await pilot.press("f5")                               # connect again
            await wait_idle(pilot, app)
            assert [e.code for e in app.entries] == [220]
            assert not app.session.closed
    assert server.total_connections == 2


async def test_a_pasted_block_goes_out_line_by_line_in_order():
    async with SimServer() as server:
        app = connect_app(*server.address)
        async with app.run_test(size=SIZE) as pilot:
            await wait_idle(pilot, app)
            app.query_one("#command").post_message(
                events.Paste("HELO client.example\nNOOP\nVRFY bob"))
            await pilot.pause()
            await wait_idle(pilot, app)
            typed = [e.lines[0] for e in app.entries if e.side == "C"]
            assert typed == ["HELO client.example", "NOOP", "VRFY bob"]
            assert [e.code for e in app.entries if e.side == "S"][1:3] == [250, 250]


async def test_a_server_that_cannot_be_reached_is_said_in_one_line_and_f5_retries():
    port = free_port()
    app = connect_app("127.0.0.1", port)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot, app)
        assert app.session is None and not app.entries
        status = str(app.query_one("#status").render())
        assert f"cannot connect to 127.0.0.1:{port}: Connection refused" in status
        assert "not connected: cannot connect" in app.query_one("#left", MtaPane).inner.text.plain
        assert app.query_one("#prompt").render().plain == "closed"
        await enter(pilot, app, "EHLO client.example")          # nothing crashes
        server = SimServer()
        await server.start("127.0.0.1", port)
        try:
            await pilot.press("f5")
            await wait_idle(pilot, app)
            assert app.entries[0].code == 220
            await enter(pilot, app, "EHLO client.example")
            assert app.entries[-1].code == 250
        finally:
            await server.shutdown()


class NotSmtpServer:
    """A loopback server that speaks SSH's banner, then answers every line with a coloured
    "what?".  It runs in a thread of its own: its lines reach the socket at once, however
    long the app's event loop is busy drawing on a loaded machine, so the client's reply
    timeout measures the server's silence and nothing else."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            connection, _address = self.listener.accept()
            with connection, connection.makefile("rb") as lines:
                connection.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")
                while lines.readline():
                    connection.sendall(b"\x1b[31mwhat?\r\n")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.thread.join(5)


async def test_a_server_that_does_not_speak_smtp_is_noted_not_crashed_on():
    server = NotSmtpServer()
    try:
        app = ConnectApp("127.0.0.1", server.port, cursor_blink=False, timeout=1)
        async with app.run_test(size=SIZE) as pilot:
            await wait_idle(pilot, app)
            await enter(pilot, app, "EHLO client.example")
            notes = [e.lines[0] for e in app.entries if e.side == "*"]
            assert notes[0].startswith("not an SMTP reply: b'SSH-2.0-OpenSSH_9.6'")
            assert notes[1] == "no complete reply to <greeting> within 1 s"
            assert notes[2].startswith("not an SMTP reply: b'\\x1b[31mwhat?'")
            left = app.query_one("#left", MtaPane)
            assert left.view.rows_of(len(app.entries) - 1) == ["* no complete reply to <greeting> within 1 s"]
            assert not any(e.side == "S" for e in app.entries)
    finally:
        server.close()


async def test_f9_exports_the_conversation_with_a_real_server(tmp_path):
    async with SimServer() as server:
        app = ConnectApp(*server.address, cursor_blink=False, timeout=5, export_dir=tmp_path)
        app.animation_level = "none"
        async with app.run_test(size=SIZE) as pilot:
            await wait_idle(pilot, app)
            await enter(pilot, app, "HELO client.example", "RCPT TO:<bob@mail.example>")
            await export_this(pilot)
        script = (tmp_path / "smtpsim-session-001.txt").read_text()
        assert script.startswith("# smtpsim session - replay it with: smtpsim run FILE\n")
        assert script.endswith("\n\nHELO client.example\nRCPT TO:<bob@mail.example>\n")
        assert "# S: 503 5.5.1 Error: need MAIL command" in script
        markdown = (tmp_path / "smtpsim-session-001.md").read_text()
        host, port = server.address
        assert f"`smtpsim --connect` to a real server at {host}:{port}" in markdown
        assert "### 3. `503 5.5.1 Error: need MAIL command`" in markdown   # 220, 250, 503


async def test_a_421_the_server_sends_unasked_is_shown_at_once():
    # RFC 5321 3.8: a server may end a session with 421 at any time - here its idle
    # timeout.  The learner sees it when it comes, not with the next line typed.
    async with SimServer(idle_timeout=0.3) as server:
        app = connect_app(*server.address)
        async with app.run_test(size=SIZE) as pilot:
            await wait_idle(pilot, app)
            await enter(pilot, app, "EHLO client.example")
            for _ in range(100):
                await asyncio.sleep(0.02)
                await pilot.pause()
                if app.session.closed:
                    break
            replies = [e for e in app.entries if e.side == "S"]
            assert replies[-1].lines == ("421 4.4.2 mail.example Error: timeout exceeded, "
                                         "closing transmission channel",)
            assert replies[-1].answers == "<nothing: the server spoke unasked>"
            assert replies[-1].after is State.CLOSED
            assert app.session.closed and app.bar.closed
            assert "421 4.4.2" in explanation_text(app)


async def test_lines_entered_in_quick_succession_each_get_their_reply_in_order():
    # Each line is sent by its own worker; the reader for unasked replies is stopped and
    # started around each, and only one reader may wait on the socket at a time.
    async with SimServer() as server:
        app = connect_app(*server.address)
        async with app.run_test(size=SIZE) as pilot:
            await wait_idle(pilot, app)
            for line in ("HELO client.example", "NOOP", "VRFY bob", "NOOP"):
                app.query_one("#command").value = line
                await pilot.press("enter")               # no waiting in between
            await wait_idle(pilot, app)
            typed = [e.lines[0] for e in app.entries if e.side == "C"]
            assert typed == ["HELO client.example", "NOOP", "VRFY bob", "NOOP"]
            assert [e.code for e in app.entries if e.side == "S"] == [220, 250, 250, 250, 250]
            assert not app.session.closed


async def test_an_endless_reply_ends_the_session_with_one_line_in_the_app():
    import tracemalloc

    async def endless(reader, writer):
        writer.write(b"220 evil.example ESMTP\r\n")
        await reader.readline()
        try:
            while True:
                writer.write(b"250-PIPELINING\r\n" * 100)
                await writer.drain()
        except (ConnectionError, OSError):
            writer.close()

    server = await asyncio.start_server(endless, "127.0.0.1", 0)
    try:
        app = connect_app("127.0.0.1", server.sockets[0].getsockname()[1])
        async with app.run_test(size=SIZE) as pilot:
            await wait_idle(pilot, app)
            tracemalloc.start()
            await enter(pilot, app, "EHLO client.example")
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert app.entries[-1].lines == (
                "the server's reply to EHLO cannot be SMTP: a 250 reply still going after "
                "200 lines and 3200 octets (the limit is 200 lines); the connection was "
                "closed",)
            assert peak < 20_000_000, peak
            left = app.query_one("#left", MtaPane)
            assert left.view.rows_of(len(app.entries) - 1)[0].startswith(
                "* the server's reply to EHLO cannot be SMTP")
    finally:
        server.close()
        await server.wait_closed()
