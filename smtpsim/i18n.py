"""Which language smtpsim speaks, and the translated UI and CLI strings.

The language is chosen once per process, in this order:

1. ``--lang it|en`` on the command line (:func:`language_from_argv`);
2. the environment variable ``SMTPSIM_LANG`` (a classroom server sets it per student);
3. the language saved by the app's live switch (:mod:`smtpsim.settings`);
4. the locale, read as :mod:`gettext` reads it: the first non-empty of ``LANGUAGE``,
   ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` (``it_IT.UTF-8`` means ``it``; a list such as
   ``it:en`` is tried in order; ``C`` and ``POSIX`` mean English);
5. English.

UI and CLI strings go through :func:`gettext` (imported as ``_``).  Their translations
are gettext catalogues, ``smtpsim/locale/<lang>/LC_MESSAGES/smtpsim.po``, read at run
time by :mod:`smtpsim.po` (no compiled ``.mo`` file exists, so an editable checkout and
a wheel behave the same).  A string with no translation is shown in English; nothing
here raises on a missing or broken catalogue.  Strings kept in module constants are
marked with :func:`N_` (so that Babel extracts them) and translated where they are shown.

Adding a language is adding files: ``locale/<lang>/LC_MESSAGES/smtpsim.po`` and/or
``catalogue/data/<lang>/``; :func:`available` lists every language either provides.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path

from . import po

ENGLISH = "en"
ENV_VAR = "SMTPSIM_LANG"
#: The variables gettext reads, in its order (Python's gettext.find).
LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
DOMAIN = "smtpsim"
LOCALE_DIR = Path(__file__).with_name("locale")
CATALOGUE_DIR = Path(__file__).with_name("catalogue") / "data"
#: Names of languages, in their own language (shown by the live switch).
NATIVE_NAMES = {"en": "English", "it": "italiano"}

_active: str | None = None


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def available() -> tuple[str, ...]:
    """Every language smtpsim has files for: English, plus each .po or catalogue folder."""
    found = {ENGLISH}
    if LOCALE_DIR.is_dir():
        found.update(p.name for p in LOCALE_DIR.iterdir() if po_path(p.name).is_file())
    if CATALOGUE_DIR.is_dir():
        found.update(p.name for p in CATALOGUE_DIR.iterdir() if p.is_dir())
    return tuple(sorted(found))


def normalise(value: str) -> str | None:
    """``it_IT.UTF-8@euro`` -> ``it`` if smtpsim has Italian; ``None`` if it has not."""
    code = value.strip().split(".")[0].split("@")[0].replace("-", "_").lower()
    if code in ("c", "posix", ""):
        return ENGLISH if code else None
    for candidate in (code, code.split("_")[0]):
        if candidate in available():
            return candidate
    return None


def from_locale(environ: os._Environ[str] | dict[str, str]) -> str | None:
    """The language the locale variables ask for, as gettext decides it: the first
    non-empty variable wins, and each of its colon-separated names is tried in order."""
    for name in LOCALE_VARS:
        value = environ.get(name, "")
        if value:
            for part in value.split(":"):
                language = normalise(part)
                if language is not None:
                    return language
            return None
    return None


def language_from_argv(argv: Sequence[str]) -> str | None:
    """The value of ``--lang X`` or ``--lang=X`` anywhere in ``argv`` (before ``--``)."""
    for index, word in enumerate(argv):
        if word == "--":
            break
        if word == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if word.startswith("--lang="):
            return word.partition("=")[2]
    return None


def resolve(requested: str | None = None,
            environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """The language to use: ``requested`` (from --lang), then SMTPSIM_LANG, then the
    saved setting, then the locale, then English.  An unknown name is passed over."""
    env = os.environ if environ is None else environ
    for choice in (requested, env.get(ENV_VAR)):
        if choice:
            language = normalise(choice)
            if language is not None:
                return language
    from . import settings
    saved = settings.load().get("language")
    if isinstance(saved, str) and normalise(saved):
        return normalise(saved) or ENGLISH
    return from_locale(env) or ENGLISH


def set_language(language: str) -> str:
    """Make ``language`` the process's language (a name :func:`normalise` accepts)."""
    global _active
    _active = normalise(language) or ENGLISH
    return _active


def language() -> str:
    """The process's language, resolved on first use when nobody chose one."""
    global _active
    if _active is None:
        _active = resolve()
    return _active


@functools.cache
def translations(language: str) -> dict[str, str | tuple[str, ...]]:
    """msgid -> msgstr (or plural forms) for ``language``; empty for English or when the
    catalogue is missing or unreadable."""
    if language == ENGLISH:
        return {}
    from .parsecache import cached_parse  # start-up: the .po parsed once, not every run
    return cached_parse(po_path(language), po.read_translations)


def gettext(message: str) -> str:
    """``message`` in the current language, or ``message`` itself."""
    found = translations(language()).get(message)
    return found if isinstance(found, str) and found else message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular form for one, else the catalogue's last (most general) form.  Right
    for English and Italian (and every language whose only singular is one); the
    catalogue's Plural-Forms expression is not evaluated."""
    found = translations(language()).get(singular)
    if isinstance(found, tuple) and found:
        form = found[0] if count == 1 else found[-1]
        if form:
            return form
    return singular if count == 1 else plural


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (module constants)."""
    return message


_ = gettext

#: argparse's own messages (Python's stdlib domain), listed so that they are extracted and
#: translated with ours; :func:`translate_argparse` makes argparse read them from here.
ARGPARSE_MESSAGES = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"), N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"), N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"), N_("expected one argument"),
    N_("expected at most one argument"), N_("expected at least one argument"),
    N_("not allowed with argument %s"), N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("can't open '%(filename)s': %(error)s"),
)


def translate_argparse() -> None:
    """argparse looks its messages up through module-level ``_``/``ngettext`` (bound to
    the stdlib gettext); point them at smtpsim's catalogue, which has argparse's strings."""
    import argparse
    argparse._ = gettext          # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
