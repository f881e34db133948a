"""``--listen``: real clients on a loopback port, their lines shown and explained live."""

from __future__ import annotations

import asyncio
import socket

from smtpsim.mta import parse_fault
from smtpsim.protocol import KNOWN_VERBS, State
from smtpsim.ui.listen import ListenApp
from smtpsim.ui.widgets.mta_pane import MtaPane

from .helpers import SIZE, diagram_text, explanation_text, export_this

DIALOGUE = [("HELO client.example", b"250 "), ("MAIL FROM:<alice@client.example>", b"250 "),
            ("RCPT TO:<bob@mail.example>", b"250 "), ("DATA", b"354 ")]


def listen_app(**options) -> ListenApp:
    app = ListenApp(port=0, cursor_blink=False, **options)
    app.animation_level = "none"
    return app


async def settle(pilot, app: ListenApp, entries: int) -> None:
    """Wait (bounded) until the shown conversation has ``entries`` lines."""
    for _ in range(100):
        await pilot.pause()
        if len(app.entries) >= entries:
            return
    raise AssertionError(f"{len(app.entries)} entries, wanted {entries}")


async def talk(reader, writer, line: str) -> bytes:
    writer.write(line.encode() + b"\r\n")
    await writer.drain()
    return await asyncio.wait_for(reader.readline(), 5)


async def test_a_real_client_is_answered_shown_and_explained_and_gets_421_on_exit():
    app = listen_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        host, port = app.address
        assert host == "127.0.0.1" and port > 0
        assert "listening on 127.0.0.1:" in str(app.query_one("#status").render())
        reader, writer = await asyncio.open_connection(host, port)
        assert (await reader.readline()).startswith(b"220 mail.example")
        for line, code in DIALOGUE:
            assert (await talk(reader, writer, line)).startswith(code)
        writer.write(b"Subject: Lunch\r\n\r\nNoon?\r\n.\r\n")
        await writer.drain()
        assert (await reader.readline()).startswith(b"250 2.0.0 Ok: queued as")
        await settle(pilot, app, 12)
        left, right = app.query_one("#left", MtaPane), app.query_one("#right", MtaPane)
        sides = [(e.side, e.lines[0]) for e in app.entries]
        assert sides[2] == ("C", "HELO client.example")
        assert sides[9] == ("S", "354 End data with <CR><LF>.<CR><LF>")
        assert right.view.rows_of(2) == ["← HELO client.example"]      # the server read it
        assert left.view.rows_of(2) == ["→ HELO client.example"]       # the client sent it
        assert right.view.rows_of(7) == ["→ 250 2.1.5 Recipient <bob@mail.example> OK"]
        assert left.view.rows_of(10)[:3] == ["→ Subject: Lunch", "→ ", "→ Noon?"]
        assert "state READY" in right.inner.text.plain
        assert "bob            1   0" in right.users.text.plain           # the real mailbox
        assert len(app.server.world.server.users["bob"].mailbox) == 1
        assert "remote client 127.0.0.1:" in left.inner.text.plain
        assert "said hello as client.example" in left.inner.text.plain
        explanation = explanation_text(app)
        assert explanation.startswith("250 2.0.0 - Requested mail action okay, completed")
        assert "The line '.' ended the text" in explanation
        # Time travel: the RCPT reply, with the state diagram as it was then.
        app.select_entry(7)
        await pilot.pause()
        assert explanation_text(app).startswith("250 2.1.5")
        assert app.entries[7].after is State.RCPT and "RCPT" in diagram_text(app)
        assert "state RCPT" in right.inner.text.plain                  # buffers as then
        assert "<bob@mail.example>" in right.inner.text.plain
        # An out-of-order command from the real client: 503, explained.
        assert (await talk(reader, writer, "RCPT TO:<carol@mail.example>")).startswith(b"503")
        await settle(pilot, app, 14)
        await pilot.press("escape")
        await pilot.pause()
        assert explanation_text(app).startswith("503 5.5.1")
        assert "no MAIL has named a sender yet" in explanation_text(app)
    # Leaving the app shut the server down: 421 to the open session, then the port closed.
    assert (await asyncio.wait_for(reader.readline(), 5)).startswith(b"421 4.3.2")
    assert await asyncio.wait_for(reader.read(), 5) == b""
    assert not app.server.connections
    writer.close()
    try:
        await asyncio.wait_for(asyncio.open_connection(host, port), 2)
    except OSError:
        pass
    else:
        raise AssertionError("the port still accepts connections after exit")


async def test_connections_are_followed_and_switched_and_the_line_explains_tokens():
    app = listen_app(profile="classic", faults=())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        host, port = app.address
        first = await asyncio.open_connection(host, port)
        await first[0].readline()
        await talk(*first, "HELO one.example")
        await settle(pilot, app, 4)
        second = await asyncio.open_connection(host, port)
        await second[0].readline()
        # RCPT before any MAIL: 503 on every profile (RFC 821 4.3 and RFC 5321 3.3)
        assert (await talk(*second, "RCPT TO:<bob@mail.example>")).startswith(b"503")
        for _ in range(100):
            await pilot.pause()
            if app.shown == 2 and len(app.entries) >= 4:
                break
        assert app.shown == 2                        # the newest connection is followed
        assert app.entries[2].lines == ("RCPT TO:<bob@mail.example>",)
        assert "2 open, 2 in all, 0 accepted" in str(app.query_one("#status").render())
        await pilot.press("f6")                      # the previous connection
        await pilot.pause()
        assert app.shown == 1 and not app.follow
        assert app.entries[2].lines == ("HELO one.example",)
        assert str(app.query_one("#left", MtaPane).border_title) == \
            "remote client #1 · client (sender)"
        await pilot.press("f5")
        await pilot.pause()
        assert app.shown == 2 and app.follow
        app.query_one("#command").value = "SOML"     # the line explains, never sends
        await pilot.press("enter")
        await pilot.pause()
        assert explanation_text(app).startswith("SOML")
        app.query_one("#command").value = "XYZZY"
        await pilot.press("enter")
        await pilot.pause()
        assert "nothing is called 'XYZZY'" in str(app.query_one("#status").render())
        for _, writer in (first, second):
            writer.close()


async def test_a_port_in_use_ends_the_app_with_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        app = ListenApp(port=port, cursor_blink=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
        assert app.return_code == 1
        assert app.address is None


async def test_at_80_columns_the_key_bar_keeps_the_palette_and_quit():
    app = listen_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = app.query_one("#keys").render().plain
        assert text == ("F1 Keys F5 Newest conn F6 Prev conn F7 Next conn ctrl+p Actions "
                        "ctrl+q Quit ")


async def test_help_and_palette_offer_this_modes_keys_only():
    app = listen_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Previous connection" in titles and "Follow the newest connection" in titles
        assert "Compose a message" not in titles          # no simulated session to act on
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert app.screen.intro.startswith("Listen mode: the server MTA on the right")
        keys = dict(app.key_groups()[0][1])
        assert keys["f6"].startswith("Previous connection - ")


async def test_junk_from_a_real_client_is_shown_literally_and_the_app_keeps_serving():
    app = listen_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader, writer = await asyncio.open_connection(*app.address)
        await reader.readline()
        writer.write(b"MAIL FROM:<[red]x@y>\r\n" + b"\x1b[2J\x00\xff\r\n" + b"A" * 5000 + b"\r\n")
        await writer.drain()
        replies = [await asyncio.wait_for(reader.readline(), 5) for _ in range(3)]
        assert [r[:3] for r in replies] == [b"503", b"501", b"500"]   # order, bytes, length
        await settle(pilot, app, 8)
        right = app.query_one("#right", MtaPane)
        assert right.view.rows_of(2) == ["← MAIL FROM:<[red]x@y>"]     # no markup
        assert "<0x1B>[2J" in right.view.rows_of(4)[0]                 # no terminal control
        assert len(right.view.rows_of(6)[0]) < 1000                    # a long line is cut
        assert (await talk(reader, writer, "NOOP")).startswith(b"250")
        writer.close()


async def test_after_turn_the_pane_titles_say_the_roles_swapped():
    app = listen_app(profile="classic")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader, writer = await asyncio.open_connection(*app.address)
        await reader.readline()                                        # 220
        assert (await talk(reader, writer, "HELO client.example")).startswith(b"250")
        assert (await talk(reader, writer, "TURN")).startswith(b"250 OK, turning around")
        await settle(pilot, app, 6)
        left, right = app.query_one("#left", MtaPane), app.query_one("#right", MtaPane)
        assert str(right.border_title) == "mail.example · server (receiver)"   # TURN's 250
        # RFC 821 3.8: the remote client now answers as a server, and mail.example sends.
        writer.write(b"220 client.example ready\r\n")
        await writer.drain()
        assert (await reader.readline()) == b"HELO mail.example\r\n"
        await settle(pilot, app, 8)
        assert str(left.border_title).endswith("· server (receiver)")
        assert str(right.border_title) == "mail.example · client (sender)"
        app.select_entry(3)                                            # back before TURN
        await pilot.pause()
        assert str(right.border_title) == "mail.example · server (receiver)"
        assert str(left.border_title).endswith("· client (sender)")
        writer.close()


async def test_f9_exports_the_connection_on_screen_replayable_against_the_same_server(
        tmp_path):
    app = listen_app(profile="hardened", faults=(parse_fault("RCPT#1=452", KNOWN_VERBS),),
                     export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader, writer = await asyncio.open_connection(*app.address)
        await reader.readline()
        line = await talk(reader, writer, "EHLO client.example")
        while line.startswith(b"250-"):                               # the extensions
            line = await asyncio.wait_for(reader.readline(), 5)
        assert line.startswith(b"250 ")
        assert (await talk(reader, writer, "VRFY bob")).startswith(b"252")
        await settle(pilot, app, 6)
        await export_this(pilot)
        writer.close()
    script = (tmp_path / "smtpsim-session-001.txt").read_text()
    assert script.startswith("# smtpsim session - replay it with: smtpsim run FILE "
                             "--profile hardened --fault RCPT#1=452\n")
    assert script.endswith("\n\nEHLO client.example\nVRFY bob\n")
    markdown = (tmp_path / "smtpsim-session-001.md").read_text()
    assert "A real client, remote client #1 (127.0.0.1:" in markdown
    assert "profile **hardened**; faults armed: RCPT#1=452" in markdown
    assert "### 3. `252 2.5.2 Cannot VRFY user" in markdown   # 220, 250, 252
    assert "Why: This server does not reveal which users exist" in markdown   # our server


async def test_a_noop_flood_keeps_a_bounded_window_behind_a_visible_marker():
    from smtpsim.ui.listen import WINDOW_KEPT, WINDOW_LINES
    app = listen_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader, writer = await asyncio.open_connection(*app.address)
        await reader.readline()
        flood = 3 * WINDOW_LINES              # NOOPs: two lines each in the window
        writer.write(b"NOOP\r\n" * flood)
        await writer.drain()
        for _ in range(flood):
            assert await asyncio.wait_for(reader.readline(), 10) == b"250 2.0.0 OK\r\n"
        writer.write(b"QUIT\r\n")
        await writer.drain()
        await asyncio.wait_for(reader.read(), 10)
        conversation = app.conversations[1]
        for _ in range(200):
            await pilot.pause()
            if not conversation.open:
                break
        assert not conversation.open
        assert WINDOW_KEPT <= len(conversation.entries) <= WINDOW_LINES
        assert len(app.entries) == len(conversation.entries)       # what the panes show
        marker = conversation.entries[0]
        total = 2 + 2 * flood + 2 + 1        # note and greeting, NOOPs, QUIT and 221, note
        assert conversation.dropped + len(app.entries) - 1 == total
        assert marker.lines == (f"older lines not kept: {conversation.dropped} earlier "
                                "line(s) of this connection were dropped to keep memory "
                                "bounded",)
        assert [e.index for e in app.entries] == list(range(len(app.entries)))
        assert app.entries[-1].lines[0] == "connection 1 closed"
        right = app.query_one("#right", MtaPane)
        assert right.view.rows_of(0)[0].startswith("* older lines not kept: ")
        assert len(conversation.snapshots) == len(conversation.snapshot_ends) >= 1
        writer.close()


async def test_dot_stuffing_is_shown_as_sent_and_as_stored_and_the_script_replays_it(
        tmp_path, capsys):
    import smtplib

    from smtpsim.cli import main
    from smtpsim.mta import Transcript
    from smtpsim.mta.explain import explain_entry
    from smtpsim.ui.export import transcript_script
    app = listen_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        def send() -> None:
            with smtplib.SMTP(*app.address, timeout=10) as client:   # smtplib stuffs
                client.sendmail("alice@client.example", ["bob@mail.example"],
                                "Subject: dots\r\n\r\n.starts with dot\r\nplain\r\n")
        await asyncio.to_thread(send)
        await settle(pilot, app, 13)
        text = next(e for e in app.entries if e.side == "C" and e.in_data)
        assert text.lines == ("Subject: dots", "", "..starts with dot", "plain", ".")
        extra = dict(explain_entry(text).extra)
        assert extra["Sent"].splitlines()[2] == "..starts with dot"
        assert extra["Stored"].splitlines()[2] == ".starts with dot"
        stored = app.server.world.server.users["bob"].mailbox[0].content
        assert b"\r\n.starts with dot\r\n" in stored
        script = tmp_path / "again.txt"
        shown = Transcript()
        shown.entries = list(app.entries)
        script.write_text(transcript_script(shown, "FILE"))
    # the exported script sends the same wire lines, so the server stores the same text
    assert script.read_text().endswith("\n..starts with dot\nplain\n.\nQUIT\n")
    assert main(["run", str(script), "--mailboxes"]) == 0
    assert capsys.readouterr().out.endswith("\nSubject: dots\n\n.starts with dot\nplain\n")
