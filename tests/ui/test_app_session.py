"""The app follows the session: both panes, the diagram and the explanation, line by line."""

from smtpsim.protocol import State
from smtpsim.ui.model import ServerView
from smtpsim.ui.widgets.command_bar import CommandBar

from .helpers import SIZE, diagram_text, explanation_text, new_app, pane, send, type_keys


async def test_opens_on_the_greeting_with_the_command_line_focused():
    app = new_app()
    async with app.run_test(size=SIZE):
        assert app.focused is app.query_one("#command")
        assert pane(app, "left").view.rows_of(0) == ["← 220 mail.example ESMTP smtpsim ready"]
        assert pane(app, "right").view.rows_of(0) == ["→ 220 mail.example ESMTP smtpsim ready"]
        assert "client.example · client (sender)" in str(pane(app, "left").border_title)
        assert "mail.example · server (receiver)" in str(pane(app, "right").border_title)
        assert explanation_text(app).startswith("220 - <domain> Service ready")
        assert "▶ INIT" in diagram_text(app)


async def test_typing_a_command_updates_both_panes_the_diagram_and_the_explanation():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_keys(pilot, "EHLO client.example")
        assert pane(app, "left").view.rows_of(1) == ["→ EHLO client.example"]
        assert pane(app, "right").view.rows_of(1) == ["← EHLO client.example"]
        assert pane(app, "left").view.rows_of(2)[0] == "← 250-mail.example Hello client.example"
        assert pane(app, "right").view.rows_of(2)[-1] == "→ 250 ETRN"
        diagram = diagram_text(app)
        assert diagram.startswith("last: INIT ─EHLO (250)→ READY")
        assert "▶ READY" in diagram
        assert explanation_text(app).startswith("250 - Requested mail action okay")
        # The selected exchange is lit in both panes: the command and its reply.
        assert pane(app, "left").view.pair == {1, 2}
        assert pane(app, "right").view.pair == {1, 2}


async def test_rcpt_before_mail_gets_503_and_the_diagram_shows_where_it_is_allowed():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "EHLO client.example", "RCPT TO:<bob@mail.example>")
        assert app.session.transcript[4].code == 503
        assert app.session.state is State.READY
        diagram = diagram_text(app).splitlines()
        assert diagram[0] == ("RCPT refused with 503 in READY: allowed only in MAIL or RCPT (✓)")
        ticked = [row.split()[0] for row in diagram[1:] if " ✓ " in row]
        assert ticked == ["MAIL", "RCPT"]
        explanation = explanation_text(app)
        assert explanation.startswith("503 5.5.1 - Bad sequence of commands")
        assert "RCPT is allowed only in MAIL or RCPT" in explanation


async def test_data_mode_after_354_until_a_lone_dot():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        bar = app.query_one(CommandBar)
        await send(pilot, app, "EHLO client.example", "MAIL FROM:<alice@client.example>",
                   "RCPT TO:<bob@mail.example>", "DATA")
        assert bar.data_mode and bar.has_class("-data")
        assert str(app.query_one("#prompt").render()) == "DATA"
        assert "DATA mode" in str(app.query_one("#hint").render())
        await send(pilot, app, "Subject: test", "", "QUIT")   # QUIT here is message text
        assert bar.data_mode
        assert app.session.transcript[-1].in_data
        view = app.snapshots[-1].views["mail.example"]
        assert isinstance(view, ServerView) and view.data_lines == 3
        await send(pilot, app, ".")
        assert not bar.data_mode
        assert app.session.transcript[-1].code == 250
        bob = next(u for u in app.snapshots[-1].views["mail.example"].users if u.name == "bob")
        assert (bob.mailbox, bob.terminal, bob.changed) == (1, 0, True)


async def test_turn_on_classic_swaps_the_roles_and_shows_the_reversed_session():
    app = new_app("classic")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "HELO client.example", "TURN")
        left, right = pane(app, "left"), pane(app, "right")
        assert app.session.reversed
        assert "client.example · server (receiver)" in str(left.border_title)
        assert "mail.example · client (sender)" in str(right.border_title)
        assert left.has_class("-server") and not right.has_class("-server")
        helo = next(e for e in app.session.transcript if e.reversed_roles and e.side == "C")
        assert left.view.rows_of(helo.index) == ["← HELO mail.example"]
        assert right.view.rows_of(helo.index) == ["→ HELO mail.example"]
        alice = next(u for u in app.snapshots[-1].views["client.example"].users
                     if u.name == "alice")
        assert alice.mailbox == 1
        # Stepping back before TURN gives the panes their first roles again.
        app.select_entry(2)
        await pilot.pause()
        assert "client.example · client (sender)" in str(left.border_title)


async def test_an_armed_fault_fires_on_the_chosen_occurrence():
    app = new_app(faults=["RCPT#2=452"])
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "EHLO client.example", "MAIL FROM:<alice@client.example>",
                   "RCPT TO:<bob@mail.example>", "RCPT TO:<carol@mail.example>")
        assert [e.code for e in app.session.transcript.replies()][-2:] == [250, 452]
        assert explanation_text(app).startswith("452 4.3.1")
        assert "An armed fault (RCPT#2=452)" in explanation_text(app)
        assert "RCPT#2=452" in str(app.query_one("#status").render())


async def test_the_fault_picker_arms_a_fault_on_the_current_connection():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "EHLO client.example")
        await pilot.press("f7")
        await pilot.pause()
        codes = app.screen.query_one("#codes")
        codes.highlighted = [o.id for o in codes.options].index("550")
        await pilot.press("enter")          # verb RCPT (default), every occurrence, 550
        await pilot.pause()
        assert [f.spec for f in app.faults] == ["RCPT=550"]
        await send(pilot, app, "MAIL FROM:<alice@client.example>", "RCPT TO:<bob@mail.example>")
        assert app.session.transcript[-1].code == 550
        assert app.session.transcript[-1].reply_id == "fault.550"


async def test_selecting_an_old_line_shows_the_session_as_it_was():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "EHLO client.example", "MAIL FROM:<alice@client.example>",
                   "RCPT TO:<bob@mail.example>", "DATA", "hi", ".")
        mail_reply = next(e for e in app.session.transcript if e.verb == "MAIL" and e.code)
        app.query_one("#left-lines").focus()
        await pilot.pause()
        for _ in range(len(app.session.transcript) - 1 - mail_reply.index):
            await pilot.press("up")
        await pilot.pause()
        assert app.selected == mail_reply.index
        assert diagram_text(app).startswith("last: READY ─MAIL (250)→ MAIL")
        assert "▶ MAIL" in diagram_text(app)
        server = app.snapshot_at(mail_reply.index).views["mail.example"]
        assert server.reverse_path == "alice@client.example" and server.forward_paths == ()
        assert "as after line" in str(pane(app, "right").border_subtitle)
        assert explanation_text(app).startswith("250 2.1.0")
        await pilot.press("escape")
        await pilot.pause()
        assert app.selected is None
        assert "▶ READY" in diagram_text(app)


async def test_page_keys_travel_through_the_session_from_the_command_line():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "EHLO client.example", "NOOP")
        await pilot.press("pageup")
        await pilot.pause()
        assert app.selected == 3                  # the NOOP command, before its reply
        assert diagram_text(app).startswith("NOOP sent in READY")
        await pilot.press("pagedown")
        assert app.selected is None


async def test_clicking_a_line_selects_its_exchange_in_both_panes():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "HELO client.example", "NOOP")
        await pilot.click("#right-lines", offset=(3, 1))        # row 1: the HELO command
        await pilot.pause()
        assert app.selected == 1
        assert pane(app, "left").view.pair == {1, 2} and pane(app, "right").view.cursor == 1
        assert explanation_text(app).startswith("HELO - Hello")
        assert diagram_text(app).startswith("HELO sent in INIT")
