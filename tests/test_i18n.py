"""How the language is chosen (--lang, SMTPSIM_LANG, the saved choice, the locale,
English) and how UI/CLI strings are read from the .po files at run time."""

import json
import subprocess
import sys

import pytest

from smtpsim import catalogue, i18n, po, settings
from smtpsim.cli import main


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No language variable set, and an empty user-data folder."""
    for name in (i18n.ENV_VAR, *i18n.LOCALE_VARS):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(settings.ENV_VAR, str(tmp_path))
    yield tmp_path
    i18n.set_language("en")


@pytest.mark.parametrize("value, expected", [
    ("it_IT.UTF-8", "it"), ("it", "it"), ("it-CH", "it"), ("it_IT@euro", "it"),
    ("en_GB.UTF-8", "en"), ("C", "en"), ("POSIX", "en"), ("C.UTF-8", "en"),
    ("fr_FR.UTF-8", None), ("", None), ("xx", None),
])
def test_locale_names_are_read_as_gettext_names_them(value, expected):
    assert i18n.normalise(value) == expected


def test_order_lang_option_then_env_then_saved_then_locale_then_english(clean_env):
    env: dict[str, str] = {}
    assert i18n.resolve(None, env) == "en"
    env["LANG"] = "it_IT.UTF-8"
    assert i18n.resolve(None, env) == "it"
    settings.save(language="en")
    assert i18n.resolve(None, env) == "en"          # the saved choice beats the locale
    env[i18n.ENV_VAR] = "it"
    assert i18n.resolve(None, env) == "it"          # the classroom's variable beats it
    assert i18n.resolve("en", env) == "en"          # --lang beats everything
    env[i18n.ENV_VAR] = "klingon"                   # unknown: passed over
    assert i18n.resolve(None, env) == "en"


def test_the_first_non_empty_locale_variable_decides(clean_env):
    assert i18n.from_locale({"LC_ALL": "it_IT.UTF-8", "LANG": "en_US.UTF-8"}) == "it"
    assert i18n.from_locale({"LC_ALL": "", "LC_MESSAGES": "en_US", "LANG": "it_IT"}) == "en"
    assert i18n.from_locale({"LANGUAGE": "fr:it", "LANG": "en_US"}) == "it"
    # gettext stops at the first variable that is set, even in a language it lacks
    assert i18n.from_locale({"LC_ALL": "fr_FR.UTF-8", "LANG": "it_IT"}) is None


def test_lang_is_found_anywhere_before_a_double_dash():
    assert i18n.language_from_argv(["explain", "550", "--lang", "it"]) == "it"
    assert i18n.language_from_argv(["--lang=it", "world"]) == "it"
    assert i18n.language_from_argv(["run", "--", "--lang", "it"]) is None
    assert i18n.language_from_argv(["run", "--lang"]) is None


def test_a_broken_settings_file_is_no_setting(clean_env):
    (clean_env / settings.FILE_NAME).write_text("{not json", encoding="utf-8")
    assert settings.load() == {} and i18n.resolve(None, {}) == "en"
    (clean_env / settings.FILE_NAME).write_text('["it"]', encoding="utf-8")
    assert settings.load() == {}
    (clean_env / settings.FILE_NAME).write_text('{"language": 3}', encoding="utf-8")
    assert i18n.resolve(None, {}) == "en"


def test_settings_keep_other_keys(clean_env):
    (clean_env / settings.FILE_NAME).write_text('{"theme": "x"}', encoding="utf-8")
    settings.save(language="it")
    assert json.loads((clean_env / settings.FILE_NAME).read_text()) == {
        "theme": "x", "language": "it"}


@pytest.mark.parametrize("argv", [
    ["--lang", "it", "explain", "550"], ["explain", "550", "--lang", "it"],
    ["explain", "--lang=it", "550"], ["lessons", "list", "--lang", "it"], ["world", "--lang", "it"],
])
def test_lang_is_accepted_on_every_command(argv, clean_env, capsys):
    assert main(argv) == 0
    assert i18n.language() == "it"


def test_an_unknown_lang_is_a_usage_error(clean_env, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["explain", "550", "--lang", "fr"])
    assert stop.value.code == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_the_environment_variable_reaches_a_subprocess(tmp_path):
    env = {"PATH": "/usr/bin:/bin", i18n.ENV_VAR: "it", settings.ENV_VAR: str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "smtpsim", "explain", "550"], env=env,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    english = subprocess.run([sys.executable, "-m", "smtpsim", "explain", "550", "--lang", "en"],
                             env=env, capture_output=True, text=True, timeout=60,
                             check=True).stdout
    assert "550" in out and "Completamento negativo permanente" in out
    assert "Permanent negative completion" in english


# -- the .po reader -------------------------------------------------------------------------
PO_TEXT = r'''
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\n"

#: a.py
msgid "Hello"
msgstr "Ciao"

msgid ""
"two "
"lines\n"
msgstr "due "
"righe\n"

#, fuzzy
msgid "Unsure"
msgstr "Incerto"

msgid "Empty"
msgstr ""

msgid "{n} line"
msgid_plural "{n} lines"
msgstr[0] "{n} riga"
msgstr[1] "{n} righe"

msgctxt "menu"
msgid "Hello"
msgstr "Salve"

msgid "Quote \"x\" \\ tab\t"
msgstr "Virgolette \"x\" \\ tab\t"
broken line without quotes
msgid "After"
msgstr "Dopo"
'''


def test_po_reader_reads_what_babel_writes(tmp_path):
    path = tmp_path / "x.po"
    path.write_text(PO_TEXT, encoding="utf-8")
    table = po.read_translations(path)
    assert table == {
        "Hello": "Ciao", "two lines\n": "due righe\n",
        "{n} line": ("{n} riga", "{n} righe"),
        'Quote "x" \\ tab\t': 'Virgolette "x" \\ tab\t', "After": "Dopo",
    }


@pytest.mark.parametrize("text", ["", "msgid", 'msgid "a', 'msgstr "x"', "\x00\xff" * 50,
                                  'msgid "a"\nmsgstr[x] "b"', '"orphan"'])
def test_po_reader_never_raises(tmp_path, text):
    path = tmp_path / "x.po"
    path.write_text(text, encoding="utf-8", errors="replace")
    assert isinstance(po.read_translations(path), dict)
    assert po.read_translations(tmp_path / "missing.po") == {}


def test_missing_translations_fall_back_to_english(clean_env):
    i18n.set_language("it")
    assert i18n.gettext("a string nobody translated") == "a string nobody translated"
    assert i18n.ngettext("one x", "many x", 2) == "many x"


# -- the catalogue follows the language, entry by entry ------------------------------------
def test_catalogue_follows_the_process_language(clean_env):
    i18n.set_language("it")
    assert catalogue.load().language == "it"
    i18n.set_language("en")
    assert catalogue.load().language == "en"


def test_a_partial_catalogue_falls_back_to_english_per_entry(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "en").mkdir(parents=True)
    for name in catalogue.DATA.glob("*.toml"):
        (data / name.name).write_bytes(name.read_bytes())
    for name in (catalogue.DATA / "en").glob("*.toml"):
        (data / "en" / name.name).write_bytes(name.read_bytes())
    (data / "yy").mkdir()
    (data / "yy" / "why.toml").write_text('[greeting]\nwhy = "YY greeting"\n', encoding="utf-8")
    (data / "yy" / "codes.toml").write_text("this is [not toml", encoding="utf-8")
    (data / "yy" / "commands.toml").write_text('HELO = "a string, not a table"\n',
                                               encoding="utf-8")
    monkeypatch.setattr(catalogue, "DATA", data)
    catalogue.load.cache_clear()
    try:
        english, other = catalogue.load("en"), catalogue.load("yy")
        assert other.why["greeting"]["why"] == "YY greeting"
        assert other.why["greeting"]["rfc"] == english.why["greeting"]["rfc"]
        assert set(other.why) == set(english.why)
        assert other.codes == english.codes                     # broken file: English
        assert other.commands["HELO"] == english.commands["HELO"]  # wrong shape: English
    finally:
        catalogue.load.cache_clear()


def test_glossary_in_both_languages(clean_env, capsys):
    assert main(["explain", "--glossary", "--lang", "it"]) == 0
    out = capsys.readouterr().out
    assert "completamento negativo permanente (5yz)  [en: permanent negative completion (5yz)]" in out
    assert "RFC 5321 4.2.1" in out
    assert main(["explain", "--glossary", "--lang", "en"]) == 0
    assert "permanent negative completion (5yz)\n" in capsys.readouterr().out


def test_explain_without_token_is_a_usage_error(clean_env, capsys):
    assert main(["explain"]) == 2
    assert "--glossary" in capsys.readouterr().err
