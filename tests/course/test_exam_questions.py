"""Seeded exams are repeatable; answers are checked by outcome; bad input never crashes."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smtpsim.course.exam import MAX_QUESTIONS, build_exam, kind_plan
from smtpsim.course.question_kinds import check
from smtpsim.course.questions import KINDS, Question, replay
from smtpsim.course.questions_dialogue import make_order
from smtpsim.course.questions_state import greeting_for, make_type, prefixes, state_after
from smtpsim.protocol import State


def test_same_seed_same_exam_and_keys():
    first, second = build_exam(42, 12), build_exam(42, 12)
    assert first == second
    assert [q.key for q in first.questions] == [q.key for q in second.questions]
    assert [q.id for q in first.questions] == [q.id for q in second.questions]


def test_other_seeds_other_exams():
    exams = [tuple(q.id for q in build_exam(seed, 10).questions) for seed in range(30)]
    assert len(set(exams)) == 30


def test_the_global_random_generator_is_neither_used_nor_obeyed():
    random.seed(7)
    expected = random.random()
    random.seed(7)
    exam = build_exam(5, 8)
    assert random.random() == expected          # nothing drawn from the global generator
    random.seed(12345)
    assert build_exam(5, 8) == exam             # and its state changes nothing


def test_same_seed_same_exam_in_another_process_with_another_hash_seed():
    code = ("from smtpsim.course.exam import build_exam\n"
            "print(' '.join(q.id + '=' + q.key.replace(' ', '_') "
            "for q in build_exam(99, 12).questions))\n")
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env=env, check=True)
        outputs.add(run.stdout)
    here = " ".join(q.id + "=" + q.key.replace(" ", "_")
                    for q in build_exam(99, 12).questions)
    assert outputs == {here + "\n"}


def test_kinds_are_spread_evenly():
    counts = Counter(kind_plan(1, 2 * len(KINDS)))
    assert counts == {kind: 2 for kind in KINDS}
    counts = Counter(q.kind for q in build_exam(3, 8).questions)
    assert set(counts.values()) <= {1, 2} and len(counts) == len(KINDS) == 7


def test_a_seed_fixes_a_sequence_and_count_takes_its_first_questions():
    for seed in (1, 42, 777):
        longest = build_exam(seed, 30).questions
        for count in (1, 5, 6, 7, 12):
            assert build_exam(seed, count).questions == longest[:count]
    assert build_exam(1, 6).questions != build_exam(2, 6).questions


def test_no_question_twice_in_one_exam():
    for seed in range(10):
        ids = [q.id for q in build_exam(seed, 30).questions]
        assert len(ids) == len(set(ids))


@pytest.mark.parametrize("count", [0, -1, MAX_QUESTIONS + 1])
def test_impossible_sizes_are_refused(count):
    with pytest.raises(ValueError):
        build_exam(1, count)


def test_questions_survive_a_round_trip_through_json():
    for question in build_exam(8, 12).questions:
        again = Question.from_dict(json.loads(json.dumps(question.to_dict())))
        assert again == question and again.id == question.id
    with pytest.raises(ValueError):
        Question.from_dict({"kind": "essay", "prompt": "?"})


# -- checking by outcome, not by text ------------------------------------------------------
def first(kind: str, test=lambda q: True) -> Question:
    for seed in range(200):
        for question in build_exam(seed, 12).questions:
            if question.kind == kind and test(question):
                return question
    raise AssertionError(f"no {kind} question found")


def test_type_accepts_any_command_with_the_outcome():
    abandon = first("type", lambda q: q.goal == "abandon" and q.profile == "modern")
    assert check(abandon, "RSET").correct
    assert check(abandon, "EHLO client.example").correct   # also empties the buffers
    assert check(abandon, "rset").correct                  # verbs are case-insensitive
    wrong = check(abandon, "QUIT")
    assert wrong.points == 0 and "221" in wrong.feedback and "RFC" in wrong.feedback
    assert not check(abandon, "NOOP").correct


def test_type_postmaster_any_spelling():
    add = first("type", lambda q: q.goal == "add" and q.goal_args == ("postmaster@mail.example",))
    assert check(add, "RCPT TO:<Postmaster>").correct
    assert check(add, "RCPT TO:<postmaster@mail.example>").correct
    assert not check(add, "RCPT TO:<bob@mail.example>").correct


def test_order_accepts_every_order_the_server_accepts():
    question = make_order(random.Random(0))
    items = list(question.setup)
    rcpts = [i + 1 for i, item in enumerate(items) if item.startswith("RCPT")]
    key = [int(n) for n in question.key.split()]
    assert check(question, question.key).correct
    if len(rcpts) >= 2:   # two recipients: either order is a valid dialogue
        swapped = [rcpts[1] if n == rcpts[0] else rcpts[0] if n == rcpts[1] else n
                   for n in key]
        assert swapped != key and check(question, " ".join(map(str, swapped))).correct
    data = items.index("DATA") + 1
    early = [data] + [n for n in key if n != data]       # DATA first: refused
    verdict = check(question, ",".join(map(str, early)))
    assert verdict.points == 0 and "503" in verdict.feedback
    assert check(question, "1 1 1").points == 0           # not a permutation
    assert "exactly once" in check(question, "1 2").feedback


def test_order_with_two_recipients_accepts_both_orders():
    question = first("order", lambda q: sum(i.startswith("RCPT") for i in q.setup) >= 2)
    test_items = list(question.setup)
    key = [int(n) for n in question.key.split()]
    a, b = [n for n in key if test_items[n - 1].startswith("RCPT")][:2]
    swapped = [b if n == a else a if n == b else n for n in key]
    assert check(question, " ".join(map(str, swapped))).correct


def test_faulty_line_scores_half_without_the_code():
    question = first("faulty")
    line, code = question.key.split()
    assert check(question, f"{line} {code}").points == 1.0
    assert check(question, f"line {line}, code {code}").points == 1.0
    assert check(question, line).points == 0.5
    assert check(question, f"{line} 999").points == 0.5
    other = str(int(line) % len(question.setup) + 1)
    assert check(question, f"{other} {code}").points == 0.0


def test_predict_and_choice_answers():
    predict = first("predict")
    assert check(predict, predict.key).correct
    assert check(predict, f"{predict.key} something").correct
    assert not check(predict, "999").correct
    assert not check(predict, "abc").correct
    choose = first("choose")
    letter = choose.key
    verb = choose.choices["ABCD".index(letter)]
    for answer in (letter, letter.lower(), f"{letter})", verb, verb.lower()):
        assert check(choose, answer).correct, answer
    other = "ABCD"[("ABCD".index(letter) + 1) % 4]
    assert not check(choose, other).correct
    assert "not one of the choices" in check(choose, "Z").feedback


def test_type_generation_is_possible_on_every_profile():
    profiles = {make_type(random.Random(seed)).profile for seed in range(40)}
    assert profiles == {"classic", "modern", "hardened"}


ANSWERS = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=50),
    st.sampled_from(["", " ", "\r\n", "\x00", "DATA", "QUIT", ".", "\ud800", "1 2 3 4 5 6 7",
                     "x" * 5000, "TURN", "EHLO client.example\r\nQUIT", "9" * 40]),
)
SAMPLE = build_exam(2024, 12).questions


@settings(max_examples=150, deadline=None)
@given(index=st.integers(0, len(SAMPLE) - 1), answer=ANSWERS)
def test_any_answer_gets_a_verdict(index, answer):
    verdict = check(SAMPLE[index], answer)
    assert 0.0 <= verdict.points <= 1.0
    assert verdict.feedback


@pytest.mark.parametrize("profile", ["modern", "classic", "hardened"])
def test_the_states_predict_questions_start_from_are_the_ones_a_real_session_reaches(profile):
    # The states come from the transition table (state_after), not a list written out:
    # each must be where the engine really is after typing the prefix.
    greet = greeting_for(profile, random.Random(1))
    reached = [replay(profile, prefix).state for prefix in prefixes(greet)]
    assert [state_after(prefix) for prefix in prefixes(greet)] == reached
    assert reached == [State.INIT, State.READY, State.MAIL, State.RCPT, State.READY]
