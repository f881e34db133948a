"""What every command, reply code and reply of the simulator means: data plus a small loader.

Layout of ``data/``:

* ``replies.toml``        - every reply the server can send, by id: code, enhanced
                            code, wire text.  Wire text is protocol, so it has no language.
* ``<lang>/commands.toml`` - one entry per verb.
* ``<lang>/codes.toml``    - one entry per reply code, plus what each digit position means.
* ``<lang>/enhanced.toml`` - RFC 3463 enhanced status codes.
* ``<lang>/why.toml``      - for every reply id: why the server sent it, and the RFC.
* ``<lang>/extensions.toml`` - the ESMTP keywords of the EHLO reply (SIZE, PIPELINING...).
* ``<lang>/article.toml``  - the source article's translated and misspelled verbs (POSTA DA,
                            SMOL...), keyed by the word; a language without this file uses
                            the English one.

* ``<lang>/glossary.toml`` - each technical term once, as this language says it.

A second language is a second folder with the same files; no code changes.  English is
complete; any entry (or field of an entry) another language lacks is read from English,
so a half-translated folder shows English where it is missing and never fails.
``load()`` with no argument gives the catalogue of the language :mod:`smtpsim.i18n`
chose for this process.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from .. import i18n
from ..parsecache import cached_parse

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


class _Blank(dict[str, Any]):
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

    kind: str            # "command", "code", "enhanced", "extension", "article"
    key: str
    entry: dict[str, Any]


class Catalogue:
    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        folder = DATA / language
        if not folder.is_dir():
            raise ValueError(f"no catalogue for language {language!r}")
        self.language = language
        self.folder = folder
        # What the first screen needs (the greeting, its code and why) is read now; the
        # commands, EHLO keywords, enhanced codes, glossary and the article's words when
        # first asked for (start-up time).
        codes = self._read("codes.toml")
        self.digits: dict[str, dict[str, str]] = codes.pop("digits")
        self.codes: dict[str, dict[str, Any]] = codes
        self.why: dict[str, dict[str, Any]] = self._read("why.toml")
        self.replies: dict[str, ReplyTemplate] = {
            key: ReplyTemplate(key, int(v["code"]), v.get("esc"), v["text"])
            for key, v in _load(DATA / "replies.toml").items()
        }
        # The code of every reply, by id: the server asks for it on every reply it sends.
        self.reply_codes: dict[str, int] = {key: t.code for key, t in self.replies.items()}

    def _read(self, name: str) -> dict[str, Any]:
        """A data file of this language over the English one, entry by entry."""
        if self.language == DEFAULT_LANGUAGE:
            return dict(_english(DATA, name))
        return _with_fallback(_english(DATA, name), _load_lenient(self.folder / name))

    @functools.cached_property
    def commands(self) -> dict[str, dict[str, Any]]:
        return self._read("commands.toml")

    @functools.cached_property
    def extensions(self) -> dict[str, dict[str, Any]]:
        return self._read("extensions.toml")

    @functools.cached_property
    def glossary(self) -> dict[str, dict[str, Any]]:
        return self._read("glossary.toml")

    @functools.cached_property
    def _enhanced(self) -> dict[str, Any]:
        return self._read("enhanced.toml")

    @property
    def enhanced_class(self) -> dict[str, str]:
        return cast("dict[str, str]", self._enhanced["class"])

    @property
    def enhanced_subject(self) -> dict[str, str]:
        return cast("dict[str, str]", self._enhanced["subject"])

    @property
    def enhanced_detail(self) -> dict[str, dict[str, Any]]:
        return cast("dict[str, dict[str, Any]]", self._enhanced["detail"])

    @functools.cached_property
    def _article(self) -> dict[str, Any]:
        return self._read("article.toml")

    @property
    def article_general(self) -> dict[str, str]:
        return cast("dict[str, str]", self._article["general"])

    @property
    def article_words(self) -> dict[str, dict[str, Any]]:
        return cast("dict[str, dict[str, Any]]", self._article["words"])

    @functools.cached_property
    def _article_firsts(self) -> dict[str, str]:
        # "POSTA" alone finds "POSTA DA" - unless the first word is a real verb (MAIL DA).
        firsts: dict[str, list[str]] = {}
        for word in self.article_words:
            firsts.setdefault(word.split()[0], []).append(word)
        return {first: words[0] for first, words in firsts.items()
                if len(words) == 1 and first not in self.commands}

    # -- lookups ---------------------------------------------------------------
    def reply(self, reply_id: str) -> ReplyTemplate:
        return self.replies[reply_id]

    def code(self, code: int | str) -> dict[str, Any] | None:
        key = f"{int(code):03d}" if str(code).isdigit() else str(code)
        return self.codes.get(key)

    def command(self, verb: str) -> dict[str, Any] | None:
        return self.commands.get(verb.upper())

    def extension(self, keyword: str) -> dict[str, Any] | None:
        """An EHLO keyword; ``keyword`` may carry its parameters (``"SIZE 10485760"``)."""
        words = keyword.split()
        return self.extensions.get(words[0].upper()) if words else None

    def enhanced_entry(self, code: str) -> dict[str, Any] | None:
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
        article = self.article_word(raw)
        if article is not None:
            return Lookup("article", article, self.article_words[article])
        if word in self.commands:
            return Lookup("command", word, self.commands[word])
        if word in self.extensions:
            return Lookup("extension", word, self.extensions[word])
        return None

    def article_word(self, line: str) -> str | None:
        """The article's word (``"POSTA DA"``, ``"SMOL"``) that ``line`` starts with, if any.

        ``line`` is a command as typed (``SMOL FROM:<a@b>``, ``mail da:``) or a word to
        explain.  The longest match wins, so ``SMOL DA:`` finds ``SMOL DA``."""
        head = line.strip().upper()
        for stop in (":", "<"):
            head = head.split(stop, 1)[0]
        words = head.split()
        for n in range(min(len(words), 3), 0, -1):
            candidate = " ".join(words[:n])
            if candidate in self.article_words:
                return candidate
        if len(words) == 1:
            return self._article_firsts.get(words[0])
        return None

    def glossary_rows(self) -> list[tuple[str, str, str, tuple[str, ...]]]:
        """(term, English term or "", meaning, RFC sections) for every glossary entry, in
        the file's order; the English term is given when this catalogue is not English."""
        english = load(DEFAULT_LANGUAGE).glossary if self.language != DEFAULT_LANGUAGE else {}
        rows = []
        for key, entry in self.glossary.items():
            other = english.get(key, {}).get("term", "")
            rows.append((entry.get("term", key), other if other != entry.get("term") else "",
                         entry.get("meaning", ""), tuple(entry.get("rfc", ()))))
        return rows

    def suggestions(self, token: str, limit: int = 5) -> list[str]:
        """Real names only: a verb, a code or an EHLO keyword - never a misspelling."""
        word = token.strip().upper()
        pool = list(self.commands) + list(self.codes) + list(self.extensions)
        return difflib.get_close_matches(word, pool, n=limit, cutoff=0.4)


def _load(path: Path) -> dict[str, Any]:
    # Start-up: the first screen's three files cost ~20 ms to parse; kept parsed between runs.
    return cached_parse(path, _parse_toml)


def _parse_toml(path: Path) -> dict[str, Any]:
    import tomllib  # start-up: only when a file changed since its parse was kept
    with path.open("rb") as handle:
        return tomllib.load(handle)


@functools.cache
def _english(data: Path, name: str) -> dict[str, Any]:
    """An English file, parsed once per process: every language falls back to it.
    Treat it as read-only (each catalogue merges it into tables of its own)."""
    return _load(data / DEFAULT_LANGUAGE / name)


def _load_lenient(path: Path) -> dict[str, Any]:
    """A translation's file, or nothing when it is missing or broken (English shows)."""
    try:
        return _load(path)
    except (OSError, ValueError):   # tomllib.TOMLDecodeError and UnicodeDecodeError
        return {}


def _with_fallback(english: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """``other`` over ``english``, table by table: what ``other`` lacks, or gives in a
    different shape (a string where English has a table), is English's."""
    merged = dict(english)
    for key, value in other.items():
        base = english.get(key)
        if isinstance(base, dict):
            if isinstance(value, dict):
                merged[key] = _with_fallback(base, value)
        elif base is None or isinstance(value, type(base)):
            merged[key] = value
    return merged


@functools.cache
def _load_language(language: str) -> Catalogue:
    return Catalogue(language)


def load(language: str | None = None) -> Catalogue:
    """The catalogue of ``language``, or of the process's language (English when that
    language has no catalogue folder, e.g. a language translated only in the UI)."""
    if language is None:
        language = i18n.language()
        if not (DATA / language).is_dir():
            language = DEFAULT_LANGUAGE
    return _load_language(language)


def _clear_caches() -> None:
    _load_language.cache_clear()
    _english.cache_clear()


load.cache_clear = _clear_caches  # type: ignore[attr-defined]


def languages() -> list[str]:
    return sorted(p.name for p in DATA.iterdir() if p.is_dir())

