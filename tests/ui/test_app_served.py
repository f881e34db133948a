"""The app in a browser tab: the keys the browser keeps get alt+ keys, shown in the key
bar and F1; F9 sends its two files to the browser instead of the server's disk."""

from __future__ import annotations

import pytest

from smtpsim.ui.app import PROJECTOR, SmtpsimApp
from smtpsim.ui.screens.info import HelpScreen
from smtpsim.ui.served import BROWSER_KEEPS
from smtpsim.ui.widgets.key_bar import KeyBar

from .helpers import SIZE, new_app, send


@pytest.fixture
def served(monkeypatch):
    """As under textual-serve's web driver (Pilot's driver is headless)."""
    monkeypatch.setattr(SmtpsimApp, "is_web", property(lambda self: True))


async def test_in_a_browser_alt_keys_replace_the_keys_the_browser_keeps(served):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        assert [k for k, *_ in bar.keys][-2:] == ["alt+p", "ctrl+p"]
        assert "alt+p" in str(bar.content) and "Projector" in str(bar.content)
        await pilot.press("alt+p")
        assert app.theme == PROJECTOR.name
        await pilot.press("alt+p")
        assert app.theme != PROJECTOR.name
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        groups = dict(app.key_groups())
        browser = next(rows for title, rows in groups.items() if title.startswith("In a browser"))
        assert [key for key, _ in browser] == [alt for _, alt in BROWSER_KEEPS]
        assert dict(browser)["alt+q"] == "Quit (instead of ctrl+q)"
        await pilot.press("escape")
        await pilot.press("alt+q")
        await pilot.pause()
    assert app.return_code == 0      # alt+q quit the app


async def test_outside_a_browser_the_key_bar_is_unchanged():
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "alt+p" not in [k for k, *_ in app.query_one(KeyBar).keys]
        await pilot.press("alt+p")
        assert app.theme != PROJECTOR.name


async def test_f9_in_a_browser_delivers_every_file_and_writes_nothing(served, tmp_path,
                                                                       monkeypatch):
    delivered = []
    for method in ("deliver_text", "deliver_binary"):
        monkeypatch.setattr(SmtpsimApp, method, lambda self, file, **options:
                            delivered.append((options["save_filename"], file.read())))
    app = new_app(export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "EHLO client.example")
        await pilot.press("f9")
        await pilot.pause()
        assert "Downloaded to your browser" in app.status_note
    assert list(tmp_path.iterdir()) == []
    names = [name for name, _ in delivered]
    assert [name.split(".", 1)[1] for name in names] == ["txt", "md", "pcapng",
                                                         "sequence.md", "svg"]
    (_script, script_text), (_markdown, markdown_text) = delivered[:2]
    assert script_text.rstrip().endswith("EHLO client.example")
    assert "# smtpsim session - replay it with: smtpsim run FILE --profile modern" in script_text
    assert "250-mail.example" in markdown_text and "## Every reply explained" in markdown_text


async def test_the_app_ends_when_the_server_that_started_it_is_gone(served, monkeypatch):
    import smtpsim.ui.served as served_module
    monkeypatch.setattr(served_module, "PARENT_CHECK_SECONDS", 0.05)
    parent = [4242]
    monkeypatch.setattr(served_module.os, "getppid", lambda: parent[0])
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert app.is_running
        parent[0] = 1                    # the server died: the app was adopted
        await pilot.pause(0.3)
        assert not app.is_running


@pytest.mark.parametrize("opened", ["simulator", "exam"])
async def test_the_classrooms_projector_theme_holds_in_every_mode(served, monkeypatch,
                                                                  tmp_path, opened):
    from smtpsim.course.exam import ExamSettings
    from smtpsim.ui.course.name_screen import NameScreen, open_named_exam
    from smtpsim.ui.served import PROJECTOR_ENV
    monkeypatch.setenv(PROJECTOR_ENV, "1")
    settings = ExamSettings(seed=3, count=1, minutes=5, results_dir=tmp_path, data_dir=tmp_path)
    extra = ({"setup": lambda app: open_named_exam(app, settings), "exam": settings}
             if opened == "exam" else {})
    app = new_app(**extra)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == PROJECTOR.name
        assert isinstance(app.screen, NameScreen) == (opened == "exam")
    monkeypatch.delenv(PROJECTOR_ENV)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme != PROJECTOR.name
