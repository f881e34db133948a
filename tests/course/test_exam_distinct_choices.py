"""Meaning questions never offer two near-identical titles; choose questions take the names."""

import random

import pytest

from smtpsim import catalogue
from smtpsim.course.exam import build_exam
from smtpsim.course.question_kinds import check
from smtpsim.course.questions import LETTERS
from smtpsim.course.questions_catalogue import (
    make_choose,
    make_meaning,
    near_identical,
    standard_codes,
)

TITLES = {code: catalogue.load().codes[code]["title"] for code in standard_codes()}


def test_the_rule_sets_450_and_550_apart_but_not_550_and_553():
    assert near_identical(TITLES["450"], TITLES["550"])
    assert not near_identical(TITLES["550"], TITLES["553"])
    assert not near_identical(TITLES["250"], TITLES["550"])


def test_no_seed_offers_two_near_identical_titles():
    title_questions = 0
    for seed in range(600):
        question = make_meaning(random.Random(seed))
        if not question.prompt.startswith("What does reply code"):
            continue
        title_questions += 1
        choices = question.choices
        assert len(set(choices)) == 4
        for i, one in enumerate(choices):
            for other in choices[i + 1:]:
                assert not near_identical(one, other), (seed, one, other)
        code = question.prompt.split()[4].rstrip("?")
        assert choices[LETTERS.index(question.key)] == TITLES[code]
    assert title_questions > 100


def test_the_450_question_that_offered_550s_title_no_longer_does():
    seeds = [s for s in range(600) if make_meaning(random.Random(s)).prompt
             == "What does reply code 450 mean?"]
    assert seeds
    for seed in seeds:
        assert TITLES["550"] not in make_meaning(random.Random(seed)).choices


@pytest.mark.parametrize("seed", range(0, 200, 7))
def test_a_choose_question_takes_the_key_by_letter_by_name_and_as_printed(seed):
    question = make_choose(random.Random(seed))
    key = LETTERS.index(question.key)
    name = question.choices[key]
    for answer in (question.key, name, name.lower(), f"{question.key}) {name}"):
        assert check(question, answer).points == 1.0, answer
    for i, other in enumerate(question.choices):
        if i != key:
            assert check(question, other).points == 0.0
    assert question.answer_hint == "a letter (A-D) or a command name from the list"


def test_a_choose_question_accepts_the_key_by_letter_by_name_and_as_printed():
    from smtpsim.course.questions import LETTERS
    chosen = [q for seed in (3, 42) for q in build_exam(seed, 20).questions
              if q.kind == "choose"]
    assert chosen
    for question in chosen:
        name = question.choices[LETTERS.index(question.key)]
        assert check(question, question.key).points == 1.0
        assert check(question, name).points == 1.0
        assert check(question, f"{question.key}) {name}").points == 1.0
