"""Exam kind "journey": hop 2 questions whose keys come from running the relay queue."""

from __future__ import annotations

import random

import pytest

from smtpsim.course.question_kinds import check
from smtpsim.course.questions import LETTERS, Question
from smtpsim.course.questions_journey import (
    BOUNCE,
    RETRY,
    _after_reply,
    _next_mx,
    _status,
    make_journey,
)


def key_choice(question: Question) -> str:
    return question.choices[LETTERS.index(question.key)]


@pytest.mark.parametrize("seed", range(6))
def test_the_next_mx_is_the_one_the_simulated_dns_puts_second(seed):
    question = _next_mx(random.Random(seed))
    domain = question.prompt.split("someone@")[1].split(",")[0]
    expected = {"far.example": "mx2.far.example", "backup.example": "mx2.backup.example"}
    assert key_choice(question) == expected[domain]
    first = {"far.example": "mx1", "backup.example": "mx1"}[domain]
    assert sorted(question.context) == [f"{domain}.  IN MX 10 {first}.{domain}.",
                                        f"{domain}.  IN MX 20 mx2.{domain}."]
    assert check(question, question.key).correct
    wrong = next(letter for letter in LETTERS[:4] if letter != question.key)
    assert not check(question, wrong).correct


def test_after_451_the_queue_retried_and_after_550_it_bounced():
    seen = {}
    for seed in range(20):
        question = _after_reply(random.Random(seed))
        rcpt = question.prompt.split("<")[1].split(">")[0]
        seen[rcpt] = (key_choice(question), question.context[-1])
    assert seen["gus@grey.example"][0] == RETRY
    assert seen["gus@grey.example"][1].startswith("S: 451 4.7.1 <gus@grey.example>")
    assert seen["nobody@far.example"][0] == BOUNCE
    assert seen["nobody@far.example"][1].startswith("S: 550 5.1.1 <nobody@far.example>")


def test_the_status_question_shows_a_real_bounce_and_hides_the_code_in_the_choices():
    statuses = {}
    for seed in range(30):
        question = _status(random.Random(seed))
        status = next(row for row in question.context if row.startswith("Status: "))
        statuses[status] = key_choice(question)
        assert not any(c[:5] in ("5.1.1", "5.1.2", "4.4.7") for c in question.choices)
        assert "RFC 3464 2.3.4" in question.explanation
    assert statuses == {
        "Status: 5.1.1": "Permanent failure - Bad destination mailbox address",
        "Status: 5.1.2": "Permanent failure - Bad destination system address",
        "Status: 4.4.7": "Persistent transient failure - Delivery time expired"}


def test_a_journey_question_survives_the_retry_pool_round_trip():
    question = make_journey(random.Random(4))
    again = Question.from_dict(question.to_dict())
    assert again == question and again.id == question.id
