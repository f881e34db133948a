"""What the learner can do besides typing: keys, pickers, composing, exporting, the API."""

import io

from rich.console import Console
from textual.widgets import Static

from smtpsim.cli import main as cli_main
from smtpsim.mta import Session, default_world
from smtpsim.ui.app import PROJECTOR
from smtpsim.ui.keys import ACTIONS

from .helpers import SIZE, explanation_text, export_this, new_app, pane, send, type_keys


async def test_export_writes_a_replayable_script_and_an_explained_markdown(tmp_path, capsys):
    app = new_app(faults=["RCPT#2=452"], export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "EHLO client.example", "MAIL FROM:<alice@client.example>",
                   "RCPT TO:<bob@mail.example>", "RCPT TO:<carol@mail.example>", "DATA",
                   "Subject: hi", "", "..a dot-stuffed line", ".", "QUIT")
        await export_this(pilot)
        script, markdown = tmp_path / "smtpsim-session-001.txt", tmp_path / "smtpsim-session-001.md"
        assert str(tmp_path) in str(app.query_one("#status").render())
        expected = app.session.transcript.as_text()
    text = script.read_text()
    assert text.splitlines()[0] == ("# smtpsim session - replay it with: "
                                    "smtpsim run FILE --profile modern --fault RCPT#2=452")
    assert cli_main(["run", str(script), "--profile", "modern", "--fault", "RCPT#2=452"]) == 0
    assert capsys.readouterr().out.rstrip("\n") == expected
    md = markdown.read_text()
    assert expected in md
    assert md.count("\n### ") == len(app.session.transcript.replies())
    # replies numbered 1, 2, 3...
    numbers = [int(line.split(".")[0][4:]) for line in md.splitlines()
               if line.startswith("### ")]
    assert numbers == list(range(1, len(numbers) + 1))
    assert "\n### 1. `220 " in md and "\n### 2. `250-mail.example" in md
    assert "State: state" not in md and "State: INIT -> READY" in md
    assert "452 4.3.1 - Requested action not taken" in md


async def test_a_second_export_never_overwrites_the_first(tmp_path):
    app = new_app(export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await export_this(pilot)
        await export_this(pilot)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"smtpsim-session-00{n}{suffix}" for n in (1, 2)
        for suffix in (".md", ".pcapng", ".sequence.md", ".svg", ".txt")]


def plain(renderable) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


async def test_f1_lists_every_key_and_the_palette_offers_every_action():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        shown = "\n".join(plain(s.content) for s in app.screen.query(Static))
        for key, _, _, title, _, _ in ACTIONS:
            assert f"{key} {title}" in " ".join(shown.split())
        assert "ctrl+p" in shown and "tab" in shown
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert all(title in titles for _, _, _, title, _, _ in ACTIONS)


async def test_compose_then_step_by_step_then_play_to_the_end():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        app.screen.query_one("#to").value = "bob@mail.example, dave@mail.example"
        await pilot.click("#queue")
        await pilot.pause()
        assert len(app.session.client.outbox) == 1
        message = app.session.client.outbox[0]
        assert message.recipients == ["bob@mail.example", "dave@mail.example"]
        # RFC 5322 3.6: Date required, Message-ID recommended; the simulator's clock
        assert message.content.startswith(b"Date: Thu, 26 Nov 2026 09:00:00 +0000\r\n")
        assert b"\r\nMessage-ID: <composed.1@client.example>\r\n" in message.content
        await pilot.press("f2")                       # the same message again: a new id
        await pilot.pause()
        await pilot.click("#queue")
        await pilot.pause()
        again = app.session.client.outbox[1]
        assert b"\r\nMessage-ID: <composed.2@client.example>\r\n" in again.content
        app.session.client.outbox.pop()
        await pilot.press("f3")                       # EHLO
        assert app.session.transcript[-1].verb == "EHLO"
        await pilot.press("f3")                       # MAIL FROM
        assert app.session.transcript[-2].lines == (
            f"MAIL FROM:<alice@client.example> SIZE={len(message.content)}",)
        while app.action_step():
            pass
        await pilot.pause()
        users = {u.name: u for u in app.snapshots[-1].views["mail.example"].users}
        assert users["bob"].mailbox == 1 and users["dave"].mailbox == 1
        assert app.session.closed                      # the client MTA said QUIT
        assert "nothing to send" in str(app.query_one("#status").render())


async def test_play_runs_the_outbox_on_a_timer_and_f4_pauses_it():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        from smtpsim.mta import compose
        app.queue_message(compose("alice@client.example", ["bob@mail.example"], "s", "b"))
        await pilot.press("f4")
        assert app._play_timer is not None
        await pilot.press("f4")
        assert app._play_timer is None and "paused" in str(app.query_one("#status").render())


async def test_ctrl_y_makes_the_client_mta_pipeline_on_a_new_connection():
    from smtpsim.mta import compose
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.pipelining and app.session.client.pipelining
        status = str(app.query_one("#status").render())
        assert "pipelining" in status and "RFC 2920" in status
        app.queue_message(compose("alice@client.example", ["bob@mail.example"], "s", "b"))
        await pilot.press("f3")                       # EHLO: the reply lists PIPELINING
        await pilot.press("f3")                       # one write: MAIL, RCPT, DATA
        await pilot.pause()
        last = app.session.transcript.entries[-6:]
        assert [(e.side, e.verb) for e in last] == [
            ("C", "MAIL"), ("C", "RCPT"), ("C", "DATA"), ("S", "MAIL"), ("S", "RCPT"),
            ("S", "DATA")]
        # the group and its replies are one exchange: selecting one shows them all
        assert app.exchanges.members(last[0].index) == [e.index for e in last]
        await pilot.press("ctrl+y")                   # off again: a new connection
        await pilot.pause()
        assert not app.session.client.pipelining and len(app.session.transcript) == 1
        assert "pipelining off" in str(app.query_one("#status").render())


async def test_pipelining_on_classic_says_the_server_does_not_offer_it():
    app = new_app("classic")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert "lists no PIPELINING" in str(app.query_one("#status").render())


async def test_profile_picker_opens_a_new_connection_on_classic():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        app.screen.query_one("#profiles").highlighted = 0     # classic
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.profile.name == "classic"
        assert pane(app, "left").view.rows_of(0)[0].endswith("Simple Mail Transfer Service ready")


async def test_new_connection_keeps_the_world_and_reset_starts_a_fresh_one():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "HELO client.example", "MAIL FROM:<a@client.example>",
                   "RCPT TO:<bob@mail.example>", "DATA", "x", ".")
        await pilot.press("f5")
        assert len(app.session.transcript) == 1
        assert len(app.session.world.server.users["bob"].mailbox) == 1
        await pilot.press("ctrl+r")
        assert len(app.session.world.server.users["bob"].mailbox) == 0


async def test_lookup_explains_a_code_and_suggests_for_a_typo():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await type_keys(pilot, "SMOL")
        result = str(app.screen.query_one("#lookup-result").render())
        assert result.startswith("SMOL is not an SMTP verb: it is the article's misspelling")
        assert "SOML - Send or mail" in result
        app.screen.query_one("#token").value = "qqq"
        await pilot.pause()
        assert "Nothing is called 'qqq'" in str(app.screen.query_one("#lookup-result").render())


async def test_completion_history_and_the_inline_hint():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("M", "A")
        await pilot.pause()
        assert str(app.query_one("#hint").render()).startswith("MAIL FROM:<reverse-path>")
        await pilot.press("tab")
        command = app.query_one("#command")
        assert command.value == "MAIL FROM:<alice@client.example>"
        await pilot.press("enter", "up")
        assert command.value == "MAIL FROM:<alice@client.example>"
        await pilot.press("down")
        assert command.value == ""


async def test_side_panel_and_listeners_for_the_course_panes():
    seen: list[list[int]] = []
    app = new_app(lesson_id="demo", setup=lambda a: a.session_listeners.append(
        lambda entries: seen.append([e.index for e in entries])))
    async with app.run_test(size=SIZE) as pilot:
        assert app.extra == {"lesson_id": "demo"}
        assert not app.side_panel_open
        app.open_side_panel(Static("lesson", id="lesson"))
        await pilot.pause()
        assert app.side_panel_open and app.query_one("#lesson")
        await send(pilot, app, "NOOP")
        assert seen[-1] == [1, 2]
        session = app.new_session(profile="hardened", world=default_world())
        assert isinstance(session, Session) and app.session is session
        assert seen[-1] == [0]
        app.close_side_panel()
        await pilot.pause()
        assert not app.side_panel_open and not app.query("#lesson")


async def test_projector_theme_and_a_small_terminal():
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        assert app.theme == PROJECTOR.name
        await send(pilot, app, "EHLO client.example")
        for widget_id in ("#left", "#right", "#diagram", "#explanation", "#command"):
            region = app.query_one(widget_id).region
            assert region.width >= 20 and region.height >= 1, widget_id
        assert explanation_text(app).startswith("250")


async def test_an_export_path_with_brackets_is_shown_literally(tmp_path):
    folder = tmp_path / "[red]exports"
    app = new_app(export_dir=folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await export_this(pilot)
        assert "[red]exports" in str(app.query_one("#status").render())
        assert "[red]exports" in app.export_screenshot().replace("&#160;", " ")
    assert (folder / "smtpsim-session-001.txt").exists()


async def test_f9_asks_folder_and_name_shows_full_paths_and_exports_every_connection(
        tmp_path, monkeypatch):
    monkeypatch.setenv("SMTPSIM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    app = new_app()          # no export_dir: the default folder, never the current one
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "EHLO client.example", "QUIT")
        await pilot.press("f5")
        await send(pilot, app, "HELO client.example", "VRFY bob")
        await pilot.press("f9")
        await pilot.pause()
        dialog = app.screen
        folder = dialog.query_one("#export-folder").value
        assert folder == str(tmp_path / "data" / "exports")
        assert dialog.query_one("#export-name").value == "smtpsim-session-001"
        dialog.query_one("#export-name").value = "lab 3"
        dialog.query_one("#export-folder").value = str(tmp_path / "out")
        await pilot.pause()
        preview = str(dialog.query_one("#export-paths").render())
        for name in ("lab 3-1.txt", "lab 3-2.txt", "lab 3.md"):
            assert str(tmp_path / "out" / name) in preview      # the full path, whole
        await pilot.click("#export-all")
        await pilot.pause()
        assert "exported 8 files to " + str(tmp_path / "out") in \
            str(app.query_one("#status").render())
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "lab 3-1.sequence.md", "lab 3-1.svg", "lab 3-1.txt", "lab 3-2.sequence.md",
        "lab 3-2.svg", "lab 3-2.txt", "lab 3.md", "lab 3.pcapng"]
    assert (tmp_path / "out" / "lab 3-1.txt").read_text().endswith("\nEHLO client.example\nQUIT\n")
    assert (tmp_path / "out" / "lab 3-2.txt").read_text().endswith("\nHELO client.example\nVRFY bob\n")
    md = (tmp_path / "out" / "lab 3.md").read_text()
    assert md.startswith("# SMTP session: 2 connections\n")
    assert "\n## Connection 1: modern profile\n" in md and "\n## Connection 2: modern profile\n" in md
    assert "Replay: `smtpsim run FILE-2 --profile modern`" in md
    assert [p.name for p in tmp_path.iterdir()] != [] and not list(tmp_path.glob("*.md"))


async def test_f9_refuses_to_overwrite_and_says_so_in_the_dialog(tmp_path):
    (tmp_path / "taken.txt").write_text("keep me")
    app = new_app(export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        app.screen.query_one("#export-name").value = "taken"
        await pilot.click("#export-this")
        await pilot.pause()
        assert "not overwritten" in str(app.screen.query_one("#export-error").render())
    assert (tmp_path / "taken.txt").read_text() == "keep me"


def test_the_default_export_folder_is_outside_the_checkout(monkeypatch):
    from pathlib import Path

    from smtpsim.ui.export import default_folder
    monkeypatch.delenv("SMTPSIM_DATA_DIR", raising=False)
    checkout = Path(__file__).resolve().parents[2]
    folder = default_folder()
    assert folder.is_absolute() and checkout not in folder.parents and folder != Path.cwd()
