"""What every command, reply code and reply of the simulator means: data plus a small loader.

Layout of ``data/``:

* ``replies.toml``        - every reply the server can send, by id: code, enhanced
                            code, wire text.  Wire text is protocol, so it has no language.
* ``<lang>/commands.toml`` - one entry per verb.
* ``<lang>/codes.toml``    - one entry per reply code, plus what each digit position means.
* ``<lang>/enhanced.toml`` - RFC 3463 enhanced status codes.
* ``<lang>/why.toml``      - for every reply id: why the server sent it, and the RFC.
* ``<lang>/extensions.toml`` - the ESMTP keywords of the EHLO reply (SIZE, PIPELINING...).

A second language is a second folder with the same five files; no code changes.
"""

from __future__ import annotations

import difflib
import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class ReplyTemplate:
    id: str
    code: int
    enhanced: str | None
    text: str          # may hold {placeholders}; "\n" separates the lines of a multi-line reply


class _Missing(str):
    """An unknown field, shown as ``{name}`` whatever its format spec."""

    def __format__(self, spec: str) -> str:
        return str(self)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return _Missing("{" + key + "}")


def plural(count: int, one: str, many: str) -> str:
    """``1 recipient``, ``2 recipients``: the word for ``count``, with the number."""
    return f"{count} {one if count == 1 else many}"


class _Count(int):
    """An integer field that can choose a word: ``{count:recipient|recipients}`` gives
    the word alone (singular for 1), so a template says ``{count} accepted
    {count:recipient|recipients}`` instead of ``recipient(s)``."""

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, _, many = spec.partition("|")
            return one if self == 1 else many
        return int.__format__(int(self), spec)


def fill(template: str, context: dict[str, Any]) -> str:
    """Fill ``{name}`` fields; unknown fields are left visible rather than crashing."""
    counted = {key: _Count(value) if type(value) is int else value
               for key, value in context.items()}
    return template.format_map(_Blank(counted))


def fill_reply(template: str, context: dict[str, Any], host: str, client: str) -> str:
    """:func:`fill` for a reply's wire text, where ``{host}`` and ``{client}`` are known
    unless ``context`` says otherwise."""
    fields = {"host": host, "client": client, **context}
    try:
        return template.format_map(fields)   # the usual case: every field is known
    except KeyError:
        return template.format_map(_Blank(fields))


@dataclass(frozen=True, slots=True)
class Lookup:
    """The answer to ``explain TOKEN``: what kind of thing it is and its entry."""

    kind: str            # "command", "code", "enhanced", "extension"
    key: str
    entry: dict[str, Any]
    note: str = ""       # e.g. "SMOL is a misspelling of SOML"


class Catalogue:
    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        folder = DATA / language
        if not folder.is_dir():
            raise ValueError(f"no catalogue for language {language!r}")
        self.language = language
        self.folder = folder
        # What the first screen needs (the greeting, its code and why) is read now; the
        # commands, EHLO keywords and enhanced codes when first asked for (start-up time).
        codes = _load(folder / "codes.toml")
        self.digits: dict[str, dict[str, str]] = codes.pop("digits")
        self.codes: dict[str, dict] = codes
        self.why: dict[str, dict] = _load(folder / "why.toml")
        self.replies: dict[str, ReplyTemplate] = {
            key: ReplyTemplate(key, int(v["code"]), v.get("esc"), v["text"])
            for key, v in _load(DATA / "replies.toml").items()
        }
        # The code of every reply, by id: the server asks for it on every reply it sends.
        self.reply_codes: dict[str, int] = {key: t.code for key, t in self.replies.items()}

    @functools.cached_property
    def commands(self) -> dict[str, dict]:
        return _load(self.folder / "commands.toml")

    @functools.cached_property
    def extensions(self) -> dict[str, dict]:
        return _load(self.folder / "extensions.toml")

    @functools.cached_property
    def _enhanced(self) -> dict[str, Any]:
        return _load(self.folder / "enhanced.toml")

    @property
    def enhanced_class(self) -> dict[str, str]:
        return self._enhanced["class"]

    @property
    def enhanced_subject(self) -> dict[str, str]:
        return self._enhanced["subject"]

    @property
    def enhanced_detail(self) -> dict[str, dict]:
        return self._enhanced["detail"]

    @functools.cached_property
    def _aliases(self) -> dict[str, str]:
        return {alias.upper(): verb for verb, entry in self.commands.items()
                for alias in entry.get("aliases", ())}

    # -- lookups ---------------------------------------------------------------
    def reply(self, reply_id: str) -> ReplyTemplate:
        return self.replies[reply_id]

    def code(self, code: int | str) -> dict | None:
        key = f"{int(code):03d}" if str(code).isdigit() else str(code)
        return self.codes.get(key)

    def command(self, verb: str) -> dict | None:
        return self.commands.get(verb.upper())

    def extension(self, keyword: str) -> dict | None:
        """An EHLO keyword; ``keyword`` may carry its parameters (``"SIZE 10485760"``)."""
        words = keyword.split()
        return self.extensions.get(words[0].upper()) if words else None

    def enhanced_entry(self, code: str) -> dict | None:
        parts = code.split(".")
        if len(parts) != 3:
            return None
        return self.enhanced_detail.get("X." + ".".join(parts[1:]))

    def lookup(self, token: str) -> Lookup | None:
        """Find a command, reply code or enhanced code; misspellings lead to the right entry."""
        raw = token.strip()
        word = raw.upper().rstrip(":")
        word = word.split()[0] if word.split() else word
        if word.isdigit() and word.zfill(3) in self.codes:
            return Lookup("code", word.zfill(3), self.codes[word.zfill(3)])
        if word.count(".") == 2 and word[0] in "245":
            entry = self.enhanced_entry(word)
            if entry is not None:
                return Lookup("enhanced", word, entry)
        if word in self.commands:
            return Lookup("command", word, self.commands[word])
        if word in self._aliases:
            verb = self._aliases[word]
            return Lookup("command", verb, self.commands[verb],
                          note=f"{word} is not an SMTP verb: it is a misspelling of {verb}.")
        if word in self.extensions:
            return Lookup("extension", word, self.extensions[word])
        return None

    def suggestions(self, token: str, limit: int = 5) -> list[str]:
        word = token.strip().upper()
        pool = list(self.commands) + list(self._aliases) + list(self.codes) \
            + list(self.extensions)
        return difflib.get_close_matches(word, pool, n=limit, cutoff=0.4)


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load(language: str = DEFAULT_LANGUAGE) -> Catalogue:
    """The catalogue of ``language``, read once: ``load()`` and ``load("en")`` are the
    same object (a cache keyed on the call's arguments read the files twice)."""
    return _cached(language)


@functools.cache
def _cached(language: str) -> Catalogue:
    return Catalogue(language)


def languages() -> list[str]:
    return sorted(p.name for p in DATA.iterdir() if p.is_dir())


load.cache_clear = _cached.cache_clear   # type: ignore[attr-defined]  # as before: tests reset it
