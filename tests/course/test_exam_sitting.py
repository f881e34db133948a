"""Sitting an exam: practice and exam modes, the injected clock, grading arithmetic, the
retry pool (three right answers in a row clear an item) and where it is kept."""

from __future__ import annotations

import json

import pytest

from smtpsim.course.exam import Exam, ExamSettings, Sitting, build_exam, exam_for, start
from smtpsim.course.exam_pool import FILE_NAME, RIGHTS_TO_CLEAR, RetryPool
from smtpsim.course.questions import LETTERS, Question


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def wrong_answer(question: Question) -> str:
    """An answer that is certainly wrong for the question."""
    if question.choices:
        return LETTERS[(LETTERS.index(question.key) + 1) % len(question.choices)]
    if question.kind == "faulty":
        line = int(question.key.split()[0])
        return f"{line % len(question.setup) + 1} 999"
    if question.kind == "order":
        return " ".join(reversed(question.key.split()))   # QUIT first: never accepted
    if question.kind == "predict":
        return "999"
    return "NOOP" if question.goal != "close" else "RSET"


def half_answer(question: Question) -> str:
    return question.key.split()[0]      # the faulty line without its code


@pytest.fixture
def exam() -> Exam:
    return build_exam(11, 6)


def test_exam_mode_gives_no_feedback_until_the_end(exam):
    sitting = Sitting(exam, FakeClock(), minutes=10)
    assert sitting.answer(0, wrong_answer(exam.questions[0])) is None
    assert sitting.answer(0, exam.questions[0].key) is None     # changed: the last counts
    assert sitting.verdicts == {}
    result = sitting.finish()
    assert result.items[0].result == "right"
    assert sitting.finish() is result                            # finishing twice is harmless
    assert sitting.answer(1, exam.questions[1].key) is None
    assert 1 not in sitting.answers                              # nothing after the end


def test_practice_mode_answers_at_once_and_keeps_the_first_answer(exam):
    sitting = Sitting(exam, FakeClock(), practice=True)
    assert sitting.answer(0, "  ") is None and sitting.answers == {}   # blank: no answer
    verdict = sitting.answer(0, wrong_answer(exam.questions[0]))
    assert verdict is not None and not verdict.correct
    assert "RFC" in verdict.feedback or "See:" in verdict.feedback
    again = sitting.answer(0, exam.questions[0].key)
    assert again is verdict                                      # the first answer stands
    good = sitting.answer(1, exam.questions[1].key)
    assert good is not None and good.correct
    assert sitting.remaining() is None and not sitting.expired


def test_grading_arithmetic(exam):
    sitting = Sitting(exam, FakeClock(), minutes=10, student="Ann")
    questions = exam.questions
    sitting.answer(0, questions[0].key)
    sitting.answer(1, questions[1].key)
    sitting.answer(2, questions[2].key)
    sitting.answer(3, wrong_answer(questions[3]))
    sitting.answer(4, "   ")                                     # blank: unanswered
    result = sitting.finish()
    assert [i.result for i in result.items] == ["right"] * 3 + ["wrong"] + ["unanswered"] * 2
    assert [i.mark for i in result.items] == ["✓"] * 3 + ["✗"] * 3
    assert result.points == 3.0 and result.score == 50.0
    assert result.summary == "50% - 3 of 6 right"


def test_half_points_and_rounding():
    exam = build_exam(11, 6)
    faulty = [i for i, q in enumerate(exam.questions) if q.kind == "faulty"]
    assert faulty
    three = Exam(exam.seed, tuple(exam.questions[i] for i in (faulty[0], 0, 1)))
    sitting = Sitting(three, FakeClock())
    sitting.answer(0, half_answer(three.questions[0]))
    sitting.answer(1, three.questions[1].key)
    result = sitting.finish()
    assert [i.points for i in result.items] == [0.5, 1.0, 0.0]
    assert [i.result for i in result.items] == ["partial", "right", "unanswered"]
    assert result.items[0].mark == "½"
    assert result.score == 50.0
    one_of_three = Sitting(three, FakeClock())
    one_of_three.answer(1, three.questions[1].key)
    assert one_of_three.finish().score == 33.3
    assert "1 half right" in result.summary


def test_time_runs_out_and_unanswered_items_count_wrong(exam):
    clock = FakeClock()
    sitting = Sitting(exam, clock, minutes=1)
    assert sitting.remaining() == 60.0
    clock.now += 30
    sitting.answer(0, exam.questions[0].key)
    assert sitting.remaining() == 30.0 and not sitting.expired
    clock.now += 31
    assert sitting.expired and sitting.over and sitting.remaining() == 0.0
    assert sitting.answer(1, exam.questions[1].key) is None
    assert 1 not in sitting.answers                              # too late: not recorded
    clock.now += 500
    result = sitting.finish()
    assert result.timed_out and result.elapsed_seconds == 60.0
    assert result.points == 1.0 and result.score == round(100 / 6, 1)
    assert "time ran out" in result.summary


def test_an_exam_without_a_limit_never_expires(exam):
    clock = FakeClock()
    sitting = Sitting(exam, clock)
    clock.now += 10 ** 6
    assert not sitting.expired and sitting.remaining() is None
    assert sitting.finish().elapsed_seconds == 10 ** 6


# -- the retry pool ---------------------------------------------------------------------------
def test_three_right_answers_in_a_row_clear_an_item(tmp_path, exam):
    pool = RetryPool(tmp_path)
    question = exam.questions[0]
    pool.record(question, correct=True)
    assert question not in pool                                  # never missed: not kept
    pool.record(question, correct=False)
    assert question in pool and pool.streak(question) == 0
    pool.record(question, correct=True)
    pool.record(question, correct=True)
    assert pool.streak(question) == 2
    pool.record(question, correct=False)                         # a mistake starts again
    assert pool.streak(question) == 0 and pool.items[question.id].misses == 2
    for _ in range(RIGHTS_TO_CLEAR - 1):
        pool.record(question, correct=True)
        assert question in pool
    pool.record(question, correct=True)
    assert question not in pool and len(pool) == 0
    assert RIGHTS_TO_CLEAR == 3


def test_the_pool_is_kept_on_disk(tmp_path, exam):
    pool = RetryPool(tmp_path)
    for question in exam.questions[:3]:
        pool.record(question, correct=False)
    pool.record(exam.questions[0], correct=True)
    again = RetryPool(tmp_path)
    assert [q.id for q in again.questions()] == [q.id for q in pool.questions()]
    assert again.questions()[0] in again and again.streak(exam.questions[0]) == 1
    data = json.loads((tmp_path / FILE_NAME).read_text())
    assert data["format"] == 1 and len(data["items"]) == 3


def test_the_data_dir_comes_from_the_environment(tmp_path, monkeypatch, exam):
    monkeypatch.setenv("SMTPSIM_DATA_DIR", str(tmp_path / "elsewhere"))
    pool = RetryPool()
    pool.record(exam.questions[0], correct=False)
    assert (tmp_path / "elsewhere" / FILE_NAME).exists()


def test_a_damaged_pool_file_is_not_fatal(tmp_path, exam):
    (tmp_path / FILE_NAME).write_text("{not json")
    pool = RetryPool(tmp_path)
    assert len(pool) == 0 and "could not read" in pool.problem
    good = exam.questions[0].to_dict()
    broken_key = {**exam.questions[1].to_dict(), "key": "no such key"}
    (tmp_path / FILE_NAME).write_text(json.dumps({"items": [
        {"question": good}, {"question": {"kind": "essay"}}, {"question": broken_key},
        "junk", {"streak": 2}]}))
    pool = RetryPool(tmp_path)
    assert [q.id for q in pool.questions()] == [exam.questions[0].id]


def test_a_read_only_place_is_reported_not_fatal(tmp_path, exam):
    blocker = tmp_path / "file"
    blocker.write_text("")
    pool = RetryPool(blocker / "sub")                            # a folder under a file
    pool.record(exam.questions[0], correct=False)
    assert exam.questions[0] in pool and "could not save" in pool.problem


def test_sittings_feed_the_pool(tmp_path, exam):
    pool = RetryPool(tmp_path)
    practice = Sitting(exam, FakeClock(), practice=True, pool=pool)
    practice.answer(0, wrong_answer(exam.questions[0]))
    assert exam.questions[0] in pool                             # at once in practice
    sitting = Sitting(exam, FakeClock(), pool=pool)
    sitting.answer(1, wrong_answer(exam.questions[1]))
    sitting.answer(0, exam.questions[0].key)
    assert exam.questions[1] not in pool                         # exam: only at the end
    sitting.finish()
    assert exam.questions[1] in pool and pool.streak(exam.questions[0]) == 1
    assert exam.questions[2] not in pool                         # skipped, not a mistake


def test_retry_settings_practise_the_pool(tmp_path, exam):
    pool = RetryPool(tmp_path)
    for question in exam.questions[:4]:
        pool.record(question, correct=False)
    pool.record(exam.questions[3], correct=False)                # missed twice: first
    settings = ExamSettings(seed=1, count=3, retry=True, practice=True, data_dir=tmp_path)
    retry = exam_for(settings)
    assert retry.source == "retry pool" and len(retry) == 3
    assert retry.questions[0] == exam.questions[3]
    sitting = start(settings, FakeClock())
    assert sitting.practice and sitting.exam.questions == retry.questions
    assert exam_for(ExamSettings(seed=4, count=5)) == build_exam(4, 5)
