"""The command line opens the app; the headless commands never import Textual."""

import subprocess
import sys

from smtpsim.cli import build_parser
from smtpsim.commands import app as ui_cli


def test_no_arguments_opens_the_app_with_the_default_profile():
    parser, _ = build_parser()
    args = parser.parse_args([])
    assert args.default_handler is ui_cli.cmd_app
    assert args.profile == "modern" and args.fault is None


def test_top_level_profile_and_faults_reach_the_app(monkeypatch):
    built = {}

    class FakeApp:
        return_code = None

        def run(self):
            built["ran"] = True

    def fake_make_app(profile, faults, **options):
        built.update(profile=profile, faults=[f.spec for f in faults], **options)
        return FakeApp()

    monkeypatch.setattr("smtpsim.ui.app.make_app", fake_make_app)
    from smtpsim.cli import main
    assert main(["--profile", "classic", "--fault", "RCPT#2=452", "--projector"]) == 0
    assert built == {"profile": "classic", "faults": ["RCPT#2=452"],
                     "theme": "smtpsim-projector", "ran": True}


def test_a_bad_fault_is_a_usage_error(capsys):
    from smtpsim.cli import main
    assert main(["--fault", "RCPT=999"]) == 2
    assert "bad fault" in capsys.readouterr().err


def test_headless_commands_and_the_app_command_module_do_not_import_textual():
    code = ("import sys\n"
            "from smtpsim.cli import main\n"
            "main(['explain', '250'])\n"
            "import smtpsim.commands.app\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_screenshots_command_writes_the_scenes(tmp_path, monkeypatch):
    from smtpsim.cli import main
    from smtpsim.ui import screenshots
    scenes = tuple(s for s in screenshots.SCENES if s.name in ("01-greeting", "04-soml-terminal"))
    monkeypatch.setattr(screenshots, "SCENES", scenes)   # two are enough to prove the command
    assert main(["screenshots", "--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["01-greeting.svg", "04-soml-terminal.svg"]
    svg = (tmp_path / "04-soml-terminal.svg").read_text()
    assert "Recipient&#160;&lt;bob@mail.example&gt;&#160;OK,&#160;at&#160;terminal" in svg
    assert "at&#160;terminal" in svg


def test_listen_and_connect_open_the_real_tcp_modes(monkeypatch):
    from smtpsim.cli import main
    from smtpsim.ui.connect import ConnectApp
    from smtpsim.ui.listen import ListenApp
    ran = []

    def fake_run(self):
        ran.append(self)
        self._return_code = 1 if isinstance(self, ListenApp) else None

    monkeypatch.setattr(ListenApp, "run", fake_run)
    monkeypatch.setattr(ConnectApp, "run", fake_run)
    # The exit status is the app's: 1 when the port could not be bound.
    assert main(["--listen", "0", "--profile", "classic", "--fault", "RCPT#2=452"]) == 1
    listen = ran[-1]
    assert isinstance(listen, ListenApp) and (listen.host, listen.port) == ("127.0.0.1", 0)
    assert listen.server.profile.name == "classic"
    assert [f.spec for f in listen.server.faults] == ["RCPT#2=452"]
    assert main(["--connect", "[::1]:2525"]) == 0
    assert isinstance(ran[-1], ConnectApp) and (ran[-1].host, ran[-1].port) == ("::1", 2525)


def test_bad_listen_and_connect_options_are_usage_errors(capsys):
    from smtpsim.cli import main
    assert main(["--connect", "localhost"]) == 2
    assert "--connect wants HOST:PORT" in capsys.readouterr().err
    assert main(["--connect", "localhost:25", "--fault", "RCPT=452"]) == 2
    assert "with --connect the server is real" in capsys.readouterr().err
    assert main(["--listen", "70000"]) == 2
    assert "--listen 70000 is not a TCP port" in capsys.readouterr().err
