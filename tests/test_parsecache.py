"""The parsed-file cache: used while the source is unchanged, never a stale or broken value."""

from __future__ import annotations

import tomllib
from pathlib import Path

from smtpsim import catalogue, i18n, po
from smtpsim.parsecache import cached_parse


class CountingParser:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, path: Path) -> dict:
        self.calls += 1
        with path.open("rb") as handle:
            return tomllib.load(handle)


def test_second_read_comes_from_the_cache(tmp_path: Path) -> None:
    source = tmp_path / "codes.toml"
    source.write_text('[220]\ntext = "ready"\n')
    parse = CountingParser()
    first = cached_parse(source, parse, tmp_path / "cache")
    second = cached_parse(source, parse, tmp_path / "cache")
    assert first == second == {"220": {"text": "ready"}}
    assert parse.calls == 1
    assert len(list((tmp_path / "cache").glob("codes-*.marshal"))) == 1


def test_an_edit_of_the_same_size_is_parsed_again(tmp_path: Path) -> None:
    source = tmp_path / "why.toml"
    source.write_text('a = "one"\n')
    parse = CountingParser()
    assert cached_parse(source, parse, tmp_path) == {"a": "one"}
    source.write_text('a = "two"\n')          # same length, same name, maybe the same mtime
    assert cached_parse(source, parse, tmp_path) == {"a": "two"}
    assert parse.calls == 2
    assert len(list(tmp_path.glob("why-*.marshal"))) == 1   # rewritten, not piled up


def test_a_broken_cache_file_is_parsed_again_and_repaired(tmp_path: Path) -> None:
    source = tmp_path / "replies.toml"
    source.write_text("x = 1\n")
    parse = CountingParser()
    cached_parse(source, parse, tmp_path / "c")
    (kept,) = (tmp_path / "c").glob("replies-*.marshal")
    kept.write_bytes(b"\x00garbage")
    assert cached_parse(source, parse, tmp_path / "c") == {"x": 1}
    assert cached_parse(source, parse, tmp_path / "c") == {"x": 1}
    assert parse.calls == 2


def test_an_unwritable_cache_only_costs_the_parse(tmp_path: Path) -> None:
    source = tmp_path / "codes.toml"
    source.write_text("x = 1\n")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    parse = CountingParser()
    assert cached_parse(source, parse, blocked) == {"x": 1}
    assert cached_parse(source, parse, blocked) == {"x": 1}
    assert parse.calls == 2
    assert list(tmp_path.glob("**/*.tmp")) == []


def test_values_marshal_cannot_keep_are_returned_and_not_kept(tmp_path: Path) -> None:
    source = tmp_path / "odd.toml"
    source.write_text("x = 1\n")
    value = {"when": object()}
    assert cached_parse(source, lambda _path: value, tmp_path / "c") is value
    assert not (tmp_path / "c").exists()


def test_a_missing_source_is_left_to_the_parser(tmp_path: Path) -> None:
    assert cached_parse(tmp_path / "gone.po", po.read_translations, tmp_path) == {}


def test_the_shipped_catalogue_and_translation_read_through_the_cache_as_parsed() -> None:
    """Whatever the cache holds, the app sees exactly what the parsers give."""
    for language in ("en", "it"):
        for name in ("codes.toml", "why.toml"):
            path = catalogue.DATA / language / name
            with path.open("rb") as handle:
                assert catalogue._load(path) == tomllib.load(handle)
    replies = catalogue.DATA / "replies.toml"
    with replies.open("rb") as handle:
        assert catalogue._load(replies) == tomllib.load(handle)
    i18n.translations.cache_clear()
    try:
        assert i18n.translations("it") == po.read_translations(i18n.po_path("it"))
        assert i18n.translations("it")["newest line"]
    finally:
        i18n.translations.cache_clear()
