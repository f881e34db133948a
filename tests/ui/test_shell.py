"""One shell: the simulator, --listen and --connect share the screen and its keys.

What the shell owns is written once, in smtpsim/ui/shell.py; a mode that defined its
own copy again would drift from the others (the reason the shell exists).  The three
modes are then checked to get the same layout and keys from it.
"""

import pytest

from smtpsim.ui.app import SmtpsimApp
from smtpsim.ui.connect import ConnectApp
from smtpsim.ui.connections import ConnectionHistory
from smtpsim.ui.listen import ListenApp
from smtpsim.ui.remote import RemoteApp
from smtpsim.ui.shell import DEFAULT_THEME, PROJECTOR, AppShell
from smtpsim.ui.simulator import Simulator

OWNED_BY_THE_SHELL = (
    "compose", "on_resize", "newest_reply", "select_entry",
    "on_transcript_view_line_selected", "action_travel", "refresh_view", "show_empty",
    "update_status", "everywhere_keys", "action_help", "get_system_commands",
    "_palette_callback", "action_lookup", "action_toggle_theme", "export_dir",
)
MODES = (SmtpsimApp, Simulator, ConnectionHistory, RemoteApp, ListenApp, ConnectApp)


@pytest.mark.parametrize("name", OWNED_BY_THE_SHELL)
def test_what_the_shell_owns_is_written_once(name):
    assert name in vars(AppShell)
    assert [mode.__name__ for mode in MODES if name in vars(mode)] == []


def test_every_mode_is_a_shell():
    for mode in (SmtpsimApp, ListenApp, ConnectApp):
        assert issubclass(mode, AppShell)
        assert mode.compose is AppShell.compose


async def test_the_simulator_and_listen_share_the_layout_and_the_theme_key(tmp_path):
    from smtpsim.ui.app import make_app
    from smtpsim.ui.listen import ListenApp

    simulator = make_app(cursor_blink=False, export_dir=tmp_path)
    listening = ListenApp(port=0, cursor_blink=False, export_dir=tmp_path)
    shapes = []
    for app in (simulator, listening):
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            shapes.append([w.id for w in app.screen.children])
            assert app.theme == DEFAULT_THEME
            await pilot.press("ctrl+t")
            assert app.theme == PROJECTOR.name
            await pilot.press("ctrl+t")
            assert app.theme == DEFAULT_THEME
    # the same rows, top to bottom; only the bar above the keys differs
    assert shapes[0][:3] == shapes[1][:3] == ["status", "main", "lower"]
    assert shapes[0][-1] == shapes[1][-1] == "keys"
