"""The Italian lessons are the English lessons in Italian: same files, ids and exercises.

A learner's progress is kept by lesson id and step number, and a class may mix languages,
so everything the engine judges must be identical in ``lessons/it`` and ``lessons/en``:
the connection (profile, faults), every step's check, model answer and new connection.
Only the prose differs, and it must really be translated (never the English left in place).
"""

from __future__ import annotations

import re

import pytest

from smtpsim.course import load_lessons
from smtpsim.course.lessons import Lesson, language_folder, lesson_files

ENGLISH = {lesson.id: lesson for lesson in load_lessons("en").lessons}
ITALIAN = {lesson.id: lesson for lesson in load_lessons("it").lessons}
PAIRS = [(ENGLISH[lesson_id], ITALIAN[lesson_id]) for lesson_id in ENGLISH
         if lesson_id in ITALIAN]

# Words that appear in Italian prose and never in an English sentence of these lessons.
ITALIAN_WORDS = {"il", "la", "che", "del", "della", "una", "per", "non", "con", "è"}
# Words of English prose; a hint without any of them is only lines to type.
ENGLISH_WORDS = {"the", "then", "a", "an", "of", "with", "and", "or", "no", "is", "its",
                 "line", "text", "just", "first", "any", "one", "each", "after", "before",
                 "four", "letters", "word", "command", "only", "without", "type", "double"}


# "RFC 5321 4.1.1.1, 4.1.1.6 and 4.2" / "RFC 5321 Appendix F.6" / "RFC 5321 3.6 e 7.9"
_CITATION = re.compile(r"RFC\s+(\d{3,4})((?:(?:[\s,]+|\s+(?:and|e)\s+)"
                       r"(?:\d+(?:\.\d+)*|Appendix\s+[A-Z](?:\.\d+)*))*)")
_SECTION = re.compile(r"Appendix\s+[A-Z](?:\.\d+)*|\d+(?:\.\d+)*")


def _cited_sections(lesson: Lesson) -> set[str]:
    """Every "RFC nnnn section" a lesson's prose cites, e.g. {"5321 4.1.1.1", "821 4.1.2"}."""
    prose = " ".join([lesson.title, lesson.goal, lesson.text] + [
        f"{step.instruction} {step.hint} {step.success}" for step in lesson.steps])
    return {f"{match.group(1)} {' '.join(section.split())}"
            for match in _CITATION.finditer(prose)
            for section in _SECTION.findall(match.group(2))}


def _judged(lesson: Lesson) -> tuple:
    """Everything about a lesson that the engine uses: nothing a translator writes."""
    steps = tuple((step.number, step.check, step.answer, step.new_connection, step.profile,
                   step.faults) for step in lesson.steps)
    return lesson.id, lesson.profile, lesson.faults, steps


def test_the_italian_folder_has_every_english_file_under_the_same_name():
    english = [path.name for path in lesson_files(language_folder("en"))]
    italian = [path.name for path in lesson_files(language_folder("it"))]
    assert language_folder("it").name == "it"
    assert italian == english
    assert list(ITALIAN) == list(ENGLISH)         # same ids, in the same order
    assert not load_lessons("it").broken


@pytest.mark.parametrize("english, italian", PAIRS, ids=[pair[0].id for pair in PAIRS])
def test_an_italian_lesson_is_judged_exactly_like_its_english_twin(english, italian):
    assert _judged(italian) == _judged(english)


@pytest.mark.parametrize("english, italian", PAIRS, ids=[pair[0].id for pair in PAIRS])
def test_an_italian_lesson_is_written_in_italian(english, italian):
    prose = [("title", english.title, italian.title), ("goal", english.goal, italian.goal),
             ("text", english.text, italian.text)]
    for step in english.steps:
        twin = italian.steps[step.number - 1]
        prose.append((f"step {step.number} instruction", step.instruction, twin.instruction))
        prose.append((f"step {step.number} success", step.success, twin.success))
    for where, source, translation in prose:
        assert translation != source, f"{italian.id}: {where} is the English text"
    words = set(italian.text.lower().replace(",", " ").replace(".", " ").split())
    assert len(words & ITALIAN_WORDS) >= 3, f"{italian.id}: the text does not read as Italian"


@pytest.mark.parametrize("english, italian", PAIRS, ids=[pair[0].id for pair in PAIRS])
def test_an_italian_lesson_cites_every_rfc_section_its_english_twin_cites(english, italian):
    """Same facts, same sources; the Italian may cite more where it states a fact more fully."""
    cited = _cited_sections(english)
    assert cited, f"{english.id}: no RFC section found (the citation pattern is broken)"
    assert cited - _cited_sections(italian) == set()


@pytest.mark.parametrize("english, italian", PAIRS, ids=[pair[0].id for pair in PAIRS])
def test_a_hint_that_is_wire_text_only_stays_the_wire(english, italian):
    """A hint that is only lines to type ("VRFY bob") stays as it is; any other is translated."""
    for step in english.steps:
        twin = italian.steps[step.number - 1]
        prose = set(re.findall(r"[a-z]+", step.hint.lower())) & ENGLISH_WORDS
        if prose:
            assert twin.hint != step.hint, f"{italian.id} step {step.number}: English hint"
        else:
            assert twin.hint == step.hint, f"{italian.id} step {step.number}: wire text changed"
