"""What is missing in each translation: the list must be empty.

Catalogue: every entry of data/en/ exists in data/<lang>/ with every text field that has
words to translate, the same {placeholders}, and at least the RFC sections the English text
cites (a translation may cite more; its `rfc` lists and other language-free fields are read
from English, so they cannot differ). An id the English lacks is not an error: a
mistyped id shows as its English id missing, and a translation may run ahead of English.
"""

import re
import tomllib

import pytest

from smtpsim import catalogue, i18n

OTHER_LANGUAGES = [lang for lang in i18n.available() if lang != "en"]
PLACEHOLDER = re.compile(r"\{(\w+)\}")
RFC_CITE = re.compile(r"RFC ?(\d{3,4})(?: ((?:App\.|Appendix) [A-Z](?:\.\d+)*|\d+(?:\.\d+)*))?")
LANGUAGE_FREE_FIELDS = {"syntax", "example", "status"}


def citations(text: str) -> set[tuple[str, str]]:
    return {(number, section.replace("Appendix", "App."))
            for number, section in RFC_CITE.findall(text)}


def _texts(english: dict, other: dict, path: str):
    """(path, English text, translated text or None) for every string of ``english``."""
    for key, value in english.items():
        where = f"{path}.{key}" if path else str(key)
        if isinstance(value, dict):
            yield from _texts(value, other.get(key, {}) if isinstance(other, dict) else {},
                              where)
        elif isinstance(value, str):
            found = other.get(key) if isinstance(other, dict) else None
            yield where, value, found if isinstance(found, str) else None


def _needs_translation(path: str, text: str) -> bool:
    """False for syntax lines, examples and values made only of RFC citations."""
    if path.rsplit(".", 1)[-1] in LANGUAGE_FREE_FIELDS:
        return False
    return bool(re.search(r"[a-z]{2}", RFC_CITE.sub("", text)))


def missing_in_catalogue(language: str) -> list[str]:
    problems = []
    english_dir, other_dir = catalogue.DATA / "en", catalogue.DATA / language
    for english_file in sorted(english_dir.glob("*.toml")):
        other_file = other_dir / english_file.name
        if not other_file.is_file():
            problems.append(f"{language}/{english_file.name}: missing file")
            continue
        english = tomllib.loads(english_file.read_text(encoding="utf-8"))
        other = tomllib.loads(other_file.read_text(encoding="utf-8"))
        for where, text, translated in _texts(english, other, ""):
            name = f"{language}/{english_file.name}: {where}"
            if translated is None:
                if _needs_translation(where, text):
                    problems.append(f"{name}: not translated")
                continue
            if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(translated)):
                problems.append(f"{name}: placeholders {sorted(set(PLACEHOLDER.findall(text)))}"
                                f" != {sorted(set(PLACEHOLDER.findall(translated)))}")
            theirs = citations(translated)
            cited = {(number, section) for number, section in citations(text)
                     if (number, section) not in theirs
                     and not (section == "" and any(n == number for n, _ in theirs))}
            if cited:
                problems.append(f"{name}: cites no "
                                + ", ".join(f"RFC {n} {s}".strip() for n, s in sorted(cited)))
    return problems


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_catalogue_entry_is_translated(language):
    assert missing_in_catalogue(language) == []


def test_italian_is_a_language_here():
    assert "it" in OTHER_LANGUAGES


def test_translated_catalogue_keeps_rfc_sections_and_ids():
    english, italian = catalogue.load("en"), catalogue.load("it")
    for table in ("commands", "codes", "why", "extensions", "glossary", "enhanced_detail"):
        assert set(getattr(english, table)) <= set(getattr(italian, table)), table
    for key, entry in english.why.items():
        assert italian.why[key]["rfc"] == entry["rfc"], key
    for verb, entry in english.commands.items():
        for field in ("rfc", "replies", "syntax", "aliases"):
            assert italian.commands[verb].get(field) == entry.get(field), (verb, field)
    assert italian.replies == english.replies      # the wire text has no language


def test_the_completeness_check_finds_what_is_missing(tmp_path, monkeypatch):
    data = tmp_path / "data"
    for folder in ("en", "it"):
        (data / folder).mkdir(parents=True)
        for path in (catalogue.DATA / folder).glob("*.toml"):
            (data / folder / path.name).write_bytes(path.read_bytes())
    why = data / "it" / "why.toml"
    text = why.read_text(encoding="utf-8")
    text = text.replace("{count} errori consecutivi", "Errori consecutivi", 1)
    text = text.replace("RFC 854: CR", "CR", 1)
    why.write_text(text.replace('["session.busy"]\nwhy', '["session.busy"]\nnot_why', 1),
                   encoding="utf-8")
    (data / "it" / "glossary.toml").unlink()
    monkeypatch.setattr(catalogue, "DATA", data)
    problems = missing_in_catalogue("it")
    assert "it/glossary.toml: missing file" in problems
    assert "it/why.toml: session.busy.why: not translated" in problems
    assert "it/why.toml: session.too_many_errors.why: placeholders ['count'] != []" in problems
    assert "it/why.toml: line.cr_nul.why: cites no RFC 854" in problems
    assert len(problems) == 4


# -- lessons: the same lessons, steps, checks and model answers in every language ----------
def missing_in_lessons(language: str, root=None) -> list[str]:
    from smtpsim.course.lessons import load_lessons
    from smtpsim.course.lessons_run import replay
    english, other = load_lessons("en", root), load_lessons(language, root)
    problems = [f"lessons/{language}: {broken.title}: {broken.error}" for broken in other.broken]
    problems += [f"lessons/{language}: no lesson {lesson_id!r}"
                 for lesson_id in english.ids() if other.get(lesson_id) is None]
    problems += [f"lessons/{language}: {lesson_id!r} is not an English lesson"
                 for lesson_id in other.ids() if english.get(lesson_id) is None]
    for lesson in english.lessons:
        twin = other.get(lesson.id)
        if twin is None:
            continue
        if (twin.profile, twin.faults) != (lesson.profile, lesson.faults):
            problems.append(f"{lesson.id}: profile or faults differ")
        if len(twin.steps) != len(lesson.steps):
            problems.append(f"{lesson.id}: {len(twin.steps)} steps, English has "
                            f"{len(lesson.steps)}")
            continue
        for mine, theirs in zip(twin.steps, lesson.steps, strict=False):
            for field in ("check", "answer", "new_connection", "profile", "faults"):
                if getattr(mine, field) != getattr(theirs, field):
                    problems.append(f"{lesson.id} step {mine.number}: {field} differs")
        problems += [f"{lesson.id}: {p}" for p in replay(twin)[1]]
    return problems


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_lesson_is_translated_with_the_same_checks(language):
    from smtpsim.course.lessons import lessons_root
    if not (lessons_root() / language).is_dir():
        pytest.skip(f"lessons/{language}/ is not in this checkout")
    assert missing_in_lessons(language) == []


def test_the_lesson_comparison_finds_differences(tmp_path):
    import shutil

    from smtpsim.course.lessons import lessons_root
    shutil.copytree(lessons_root() / "en", tmp_path / "en")
    shutil.copytree(lessons_root() / "en", tmp_path / "xx")
    first = sorted((tmp_path / "xx").glob("*.toml"))
    first[0].unlink()
    text = first[1].read_text(encoding="utf-8")
    first[1].write_text(text.replace('answer = ["', 'answer = ["NOOP", "', 1), encoding="utf-8")
    problems = missing_in_lessons("xx", tmp_path)
    english_id = tomllib.loads(first[0].read_text() if first[0].exists() else
                               (tmp_path / "en" / first[0].name).read_text())["id"]
    assert f"lessons/xx: no lesson {english_id!r}" in problems
    assert any("answer differs" in p for p in problems)
