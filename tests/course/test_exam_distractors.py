"""Every question has exactly one right answer: many seeds, every kind.

For the choice kinds, each distractor is checked not to satisfy the question - by
running the engine (does this command also do what the summary says?) or by reading
the catalogue (does this title also mean the code?).  For the other kinds, the key is
accepted and other answers are not.
"""

from __future__ import annotations

import pytest

from smtpsim import catalogue
from smtpsim.course.command_facts import could_answer, facts_of
from smtpsim.course.exam import build_exam
from smtpsim.course.question_kinds import check
from smtpsim.course.questions import KINDS, LETTERS, Question
from smtpsim.course.questions_journey import STATUS_DISTRACTORS, _status_words
from smtpsim.mta import Session
from smtpsim.protocol import State

SEEDS = range(40)
QUESTIONS = [q for seed in SEEDS for q in build_exam(seed, 12).questions]
CAT = catalogue.load()


def of_kind(kind: str) -> list[Question]:
    found = [q for q in QUESTIONS if q.kind == kind]
    assert len(found) >= 40, kind
    return found


def _transaction_then(line: str, profile: str = "modern") -> Session:
    session = Session(profile)
    for typed in ("EHLO relay.example", "MAIL FROM:<alice@client.example>",
                  "RCPT TO:<bob@mail.example>", line):
        session.type_line(typed)
    return session


def test_ehlo_does_all_that_helos_summary_says_and_both_abandon_a_transaction():
    """The engine itself: EHLO names the client and starts clean (HELO's summary), and
    HELO and EHLO abandon the open transaction, keeping the session (RSET's summary,
    RFC 5321 4.1.4)."""
    for line in ("HELO client.example", "EHLO client.example"):
        session = _transaction_then(line)
        assert session.state is State.READY and not session.closed
        assert session.server.envelope.via == "" and session.server.client_name == \
            "client.example"
    assert could_answer("EHLO", "HELO") and not could_answer("HELO", "EHLO")
    assert could_answer("HELO", "RSET") and could_answer("EHLO", "RSET")


@pytest.mark.parametrize("question", of_kind("choose"), ids=lambda q: q.id)
def test_choose_has_one_key_and_no_distractor_does_it_too(question):
    key = question.choices[LETTERS.index(question.key)]
    right = [c for c in question.choices if check(question, c).correct]
    assert right == [key]
    for other in question.choices:
        if other != key:
            assert not could_answer(other, key), (key, other, facts_of(other))
    # the pairs the summaries make ambiguous, read from the summaries themselves
    also_right = {"HELO": {"EHLO"}, "RSET": {"HELO", "EHLO"}, "MAIL": {"SAML"}}
    assert not also_right.get(key, set()) & set(question.choices)


@pytest.mark.parametrize("question", of_kind("meaning"), ids=lambda q: q.id)
def test_meaning_has_one_key_and_no_distractor_means_the_same(question):
    key = question.choices[LETTERS.index(question.key)]
    assert [c for c in question.choices if check(question, c).correct] == [key]
    normal = [" ".join(c.lower().split()) for c in question.choices]
    assert len(set(normal)) == len(normal)      # no two choices say the same thing


@pytest.mark.parametrize("question", of_kind("journey"), ids=lambda q: q.id)
def test_journey_has_one_key_and_no_distractor_is_also_right(question):
    """The key comes from following the message; every other choice is checked wrong,
    and none is the key in other words: another MX than the one the DNS puts next,
    another fate than the queue's, another RFC 3463 code's title than the Status'."""
    key = question.choices[LETTERS.index(question.key)]
    assert [c for c in question.choices if check(question, c).correct] == [key]
    assert [letter for letter in LETTERS[:len(question.choices)]
            if check(question, letter).correct] == [question.key]
    normal = [" ".join(c.lower().split()) for c in question.choices]
    assert len(set(normal)) == len(normal)
    if question.prompt.startswith("alice received a bounce"):
        status = next(row for row in question.context if row.startswith("Status: "))
        code = status.split()[1]
        titles = {_status_words(c): c for c in STATUS_DISTRACTORS + (code,)}
        assert len(titles) == len(set(STATUS_DISTRACTORS + (code,)))   # no shared title
        assert titles[key] == code
        assert all(titles[c] != code for c in question.choices if c != key)


@pytest.mark.parametrize("kind", [k for k in KINDS
                                  if k not in ("choose", "meaning", "journey")])
def test_the_key_is_right_and_another_answer_is_not(kind):
    for question in of_kind(kind):
        assert check(question, question.key).points == 1.0, question.id
        wrong = {"predict": "999", "faulty": "99 999", "order": "1",
                 "type": "NOOP"}[kind]
        if kind == "type" and question.goal in ("greet",) and question.profile:
            wrong = "RSET"
        assert not check(question, wrong).correct, (question.id, wrong)


def test_every_command_is_told_apart_from_at_least_three_others():
    for verb in CAT.commands:
        wrong = [v for v in CAT.commands if v != verb and not could_answer(v, verb)]
        assert len(wrong) >= 3, verb


def test_question_objects_keep_their_shape():
    """Other formats (Moodle, GIFT, paper) read these fields: choices, key, explanation."""
    for question in QUESTIONS[:50]:
        data = question.to_dict()
        assert {"kind", "prompt", "choices", "key", "explanation"} <= set(data)
