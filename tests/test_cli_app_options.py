"""The app's top-level options are applied or refused, never silently ignored."""

import pytest

from smtpsim.cli import EXIT_USAGE, main

SCRIPT = "HELO client.example\nMAIL FROM:<alice@client.example>\nRCPT TO:<bob@mail.example>\nQUIT\n"


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "session.txt"
    path.write_text(SCRIPT)
    return str(path)


@pytest.mark.parametrize("before", [
    ["--profile", "classic"], ["--fault", "RCPT=503"], ["--projector"],
    ["--host", "0.0.0.0"], ["--listen", "0"],
])
def test_an_app_option_before_run_is_a_one_line_usage_error(before, script, capsys):
    assert main([*before, "run", script]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == ""   # nothing was run
    err = captured.err.splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"smtpsim: {before[0]} before the command run is not applied")


def test_the_same_options_after_run_are_applied(script, capsys):
    assert main(["run", "--profile", "classic", "--fault", "RCPT=503", script]) == 0
    out = capsys.readouterr().out
    assert "Simple Mail Transfer Service ready" in out   # the classic greeting
    assert "S: 503 " in out                              # the armed fault


def test_language_stays_accepted_before_a_command(script, capsys):
    assert main(["--lang", "en", "run", script]) == 0
    assert "S: 221 " in capsys.readouterr().out
