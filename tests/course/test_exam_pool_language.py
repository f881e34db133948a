"""A question missed in one language is retried in the language of the day: the pool
keeps where it came from (seed, place) and the exam words it again from there."""

from smtpsim import i18n
from smtpsim.course.exam import ExamSettings, build_exam, exam_for
from smtpsim.course.exam_pool import RetryPool


def test_a_question_missed_in_english_is_retried_in_italian(tmp_path):
    i18n.set_language("en")
    exam = build_exam(11, 6)
    pool = RetryPool(tmp_path)
    for index in (2, 4):
        pool.record(exam.questions[index], correct=False, origin=(11, index))
    try:
        i18n.set_language("it")
        italian = build_exam(11, 6)
        retried = exam_for(ExamSettings(seed=1, retry=True, data_dir=tmp_path),
                           RetryPool(tmp_path))
        assert {q.id for q in retried.questions} == {exam.questions[2].id, exam.questions[4].id}
        by_id = {q.id: q for q in retried.questions}
        for index in (2, 4):
            english, wanted = exam.questions[index], italian.questions[index]
            assert english.prompt != wanted.prompt               # the wording differs...
            assert by_id[english.id].prompt == wanted.prompt     # ...and the retry is Italian
            assert by_id[english.id].key == english.key          # the same answer is right
    finally:
        i18n.set_language("en")


def test_a_pooled_question_without_an_origin_is_shown_as_stored(tmp_path):
    exam = build_exam(5, 3)
    pool = RetryPool(tmp_path)
    pool.record(exam.questions[0], correct=False)      # an old pool file: no origin
    try:
        i18n.set_language("it")
        retried = exam_for(ExamSettings(seed=1, retry=True, data_dir=tmp_path),
                           RetryPool(tmp_path))
        assert retried.questions == (exam.questions[0],)
    finally:
        i18n.set_language("en")
