"""UI and CLI strings through gettext: the .pot is what the code says, every .po translates
every message with the same fields, a language is added by adding files, and both an
editable checkout and an installed wheel read the .po at run time (no .mo exists)."""

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

import smtpsim
from smtpsim import catalogue, i18n, po, settings
from smtpsim.cli import main

PACKAGE = Path(smtpsim.__file__).parent
POT = i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot"
BRACES = re.compile(r"\{(\w*)\}")
PERCENT = re.compile(r"%\((\w+)\)[sr]|%[sr]")


def msgids(path: Path) -> set[str]:
    return {fields["msgid"] for fields, _ in po.parse(path.read_text(encoding="utf-8"))
            if fields.get("msgid")}


def test_the_template_is_what_the_code_says():
    """Babel's extraction, run now, finds exactly the messages of the committed .pot:
    after changing a string, rerun the command in CONTRIBUTING.md."""
    extracted = set()
    for _file, _line, message, _comments, _context in extract_from_dir(PACKAGE):
        extracted.add(message if isinstance(message, str) else message[0])
    committed = msgids(POT)
    assert sorted(extracted - committed) == [], "in the code, not in smtpsim.pot"
    assert sorted(committed - extracted) == [], "in smtpsim.pot, no longer in the code"


@pytest.mark.parametrize("language", [lang for lang in i18n.available() if lang != "en"])
def test_every_message_is_translated_with_the_same_fields(language):
    path = i18n.po_path(language)
    assert path.is_file(), f"{path} is missing"
    table = po.read_translations(path)
    missing = sorted(msgids(POT) - set(table))
    assert missing == [], f"not translated in {language}"
    for msgid, translated in table.items():
        forms = translated if isinstance(translated, tuple) else (translated,)
        for form in forms:
            assert set(BRACES.findall(form)) == set(BRACES.findall(msgid)), msgid
            assert sorted(PERCENT.findall(form)) == sorted(PERCENT.findall(msgid)), msgid


@pytest.fixture
def italian(monkeypatch, tmp_path):
    monkeypatch.setenv(settings.ENV_VAR, str(tmp_path))
    yield
    i18n.set_language("en")


def test_cli_help_errors_and_world_speak_italian(italian, capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "it", "explain", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("uso: smtpsim explain")
    assert "mostra questo messaggio di aiuto ed esce" in out
    assert "stampa il glossario: ogni termine una volta, con la sua RFC" in out
    assert main(["world", "--lang", "it"]) == 0
    assert "Utenti locali di mail.example:" in capsys.readouterr().out
    assert main(["explain", "nonsense", "--lang", "it"]) == 1
    assert "nel catalogo non c'è nulla che si chiami 'nonsense'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["--lang", "it", "explain", "550", "--bogus"])
    assert stop.value.code == 2
    assert "errore: argomenti non riconosciuti: --bogus" in capsys.readouterr().err


def test_run_explain_annotations_in_italian(italian, capsys, monkeypatch, tmp_path):
    script = tmp_path / "s.txt"
    script.write_text("HELO client.example\nRCPT TO:<bob@mail.example>\nQUIT\n")
    assert main(["run", str(script), "--explain", "--lang", "it"]) == 0
    out = capsys.readouterr().out
    assert "S: 503 5.5.1" in out                      # the wire is never translated
    assert "   | Perché: RCPT è arrivato nello stato READY" in out
    assert "   | Stato: READY -> READY; RCPT è ammesso in MAIL o RCPT" in out


def test_a_new_language_is_files_only(monkeypatch, tmp_path, capsys):
    """A copy of Italian under a new name works without touching any code."""
    locale, data = tmp_path / "locale", tmp_path / "data"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    shutil.copytree(locale / "it", locale / "xx")
    shutil.copytree(catalogue.DATA, data)
    shutil.copytree(data / "it", data / "xx")
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setattr(i18n, "CATALOGUE_DIR", data)
    monkeypatch.setattr(catalogue, "DATA", data)
    monkeypatch.setenv(settings.ENV_VAR, str(tmp_path))
    for cached in (i18n.available, i18n.translations, catalogue.load):
        cached.cache_clear()
    try:
        assert "xx" in i18n.available()
        assert main(["explain", "250", "--lang", "xx"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("250 - Azione di posta richiesta eseguita correttamente")
        assert "Prima cifra 2: Completamento positivo" in out
        monkeypatch.setenv(i18n.ENV_VAR, "xx_XX.UTF-8")
        assert i18n.resolve() == "xx"
    finally:
        i18n.set_language("en")     # before the caches are emptied: it reads available()
        for cached in (i18n.available, i18n.translations, catalogue.load):
            cached.cache_clear()


def test_a_broken_translation_file_falls_back_to_english(monkeypatch, tmp_path, capsys):
    locale = tmp_path / "locale"
    (locale / "it" / "LC_MESSAGES").mkdir(parents=True)
    (locale / "it" / "LC_MESSAGES" / "smtpsim.po").write_bytes(b'msgid "usage: \n\xff\x00')
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    i18n.translations.cache_clear()
    try:
        assert main(["explain", "250", "--lang", "it"]) == 0
        out = capsys.readouterr().out
        assert "First digit 2: Completamento positivo" in out   # labels English, catalogue Italian
        assert i18n.gettext("usage: ") == "usage: "
    finally:
        i18n.translations.cache_clear()
        i18n.set_language("en")


def test_an_installed_wheel_reads_its_po_files(tmp_path):
    """``pip install .`` (not editable) into a fresh venv: the wheel carries the .po and
    the Italian catalogue, and speaks Italian from them."""
    root = PACKAGE.parent
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", str(root)], check=True, timeout=300,
                   capture_output=True)
    # The venv has smtpsim alone; its dependencies (textual, platformdirs) come from ours.
    # A regular package in the venv wins over the editable install's path hook.
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": sysconfig.get_paths()["purelib"],
           i18n.ENV_VAR: "it", settings.ENV_VAR: str(tmp_path / "data")}
    where = subprocess.run([str(python), "-c", "import smtpsim; print(smtpsim.__file__)"],
                           env=env, cwd=tmp_path, capture_output=True, text=True,
                           check=True, timeout=60).stdout
    assert where.startswith(str(venv)), where
    result = subprocess.run([str(python), "-m", "smtpsim", "explain", "--help"], env=env,
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "mostra questo messaggio di aiuto ed esce" in result.stdout
    out = subprocess.run([str(python), "-m", "smtpsim", "explain", "550"], env=env,
                         cwd=tmp_path, capture_output=True, text=True, check=True,
                         timeout=60).stdout
    assert "Completamento negativo permanente" in out
    assert not list(venv.rglob("*.mo"))
