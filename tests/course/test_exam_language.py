"""One exam, two languages: the same seed gives the same questions in English and in
Italian, so a class can mix languages and still compare ids, keys and results."""

import pytest

from smtpsim import i18n
from smtpsim.cli import main
from smtpsim.course.exam import build_exam
from smtpsim.course.exam_paper import paper
from smtpsim.course.question_kinds import GENERATORS, check
from smtpsim.course.questions_dialogue import RULE_MESSAGES
from smtpsim.exports.moodle import gift_text, moodle_xml
from smtpsim.protocol.states import TRANSITIONS

SEEDS = (1, 7, 42, 2026, 99991)
COUNT = 18            # every kind three times


@pytest.fixture
def both():
    """The exams of SEEDS built in English and in Italian; English is put back."""
    try:
        exams = {}
        for language in ("en", "it"):
            i18n.set_language(language)
            exams[language] = [build_exam(seed, COUNT) for seed in SEEDS]
        yield exams
    finally:
        i18n.set_language("en")


def wire(lines):
    """The lines of a context that are on the wire (client and server lines)."""
    return [line for line in lines if line.lstrip(" 0123456789").startswith(("C: ", "S: "))]


def test_same_seed_same_questions_in_either_language(both):
    for english, italian in zip(both["en"], both["it"], strict=False):
        assert [q.id for q in english.questions] == [q.id for q in italian.questions]
        for en, it in zip(english.questions, italian.questions, strict=False):
            assert (it.kind, it.key, it.profile, it.setup, it.command, it.goal,
                    it.goal_args, it.subject) == (en.kind, en.key, en.profile, en.setup,
                                                  en.command, en.goal, en.goal_args,
                                                  en.subject)
            assert wire(it.context) == wire(en.context)       # the wire is never translated
            if en.kind == "choose":
                assert it.choices == en.choices               # verbs are verbs
            assert len(it.choices) == len(en.choices)
            assert it.prompt != en.prompt and it.explanation != en.explanation
            assert it.answer_hint != en.answer_hint


def test_every_kind_reads_italian(both):
    firsts = {"predict": "Il server usa il profilo", "type": "Il server usa il profilo",
              "order": "Il server usa il profilo", "faulty": "Il server usa il profilo",
              "choose": "Quale comando fa questo?", "meaning": ("Il server risponde",
                                                                "Che cosa significa"),
              "journey": ("Nel secondo salto", "mail.example ha un messaggio",
                          "alice ha ricevuto")}
    seen = set()
    for exam in both["it"]:
        for question in exam.questions:
            seen.add(question.kind)
            assert question.prompt.startswith(firsts[question.kind]), question.prompt
            assert question.title in ("Prevedi la risposta", "Scegli il comando",
                                      "Metti in ordine i comandi", "Trova la riga errata",
                                      "Il significato del codice", "Scrivi il comando",
                                      "Segui il messaggio")
    assert seen == set(GENERATORS)


def test_italian_answers_are_graded_as_in_english(both):
    for english, italian in zip(both["en"], both["it"], strict=False):
        for en, it in zip(english.questions, italian.questions, strict=False):
            i18n.set_language("it")
            right, wrong = check(it, it.key), check(it, "zzz")
            i18n.set_language("en")
            assert right.points == check(en, en.key).points == 1.0
            assert wrong.points == check(en, "zzz").points == 0.0
            assert right.feedback.startswith("Esatto"), right.feedback
            assert "Risposta: " + it.key in wrong.feedback


def test_order_rules_are_all_translatable():
    assert {row.rule for row in TRANSITIONS.values()} <= set(RULE_MESSAGES)


def test_paper_and_moodle_in_italian_keep_ids_and_keys(both):
    exam_en, exam_it = both["en"][1], both["it"][1]
    i18n.set_language("it")
    try:
        sheet, xml, gift = paper(exam_it, "all"), moodle_xml(exam_it.questions, 7), \
            gift_text(exam_it.questions, 7)
    finally:
        i18n.set_language("en")
    assert "soluzioni" in sheet and "Risposta (" in sheet
    assert "verifica smtpsim seme 7" in xml and "Generato da smtpsim" in gift
    for question in exam_en.questions:
        assert question.id in xml and question.id in gift
    english_xml = moodle_xml(exam_en.questions, 7)
    assert "Predict the reply" not in xml and "Predict the reply" in english_xml


def test_exam_print_lang_it_from_the_command_line(capsys):
    try:
        assert main(["exam", "--key-only", "--seed", "7", "--count", "6",
                     "--lang", "it"]) == 0
    finally:
        i18n.set_language("en")
    out = capsys.readouterr().out
    assert "esame smtpsim - seme 7" in out or "seme 7" in out
    assert "Which" not in out and "Answer:" not in out


@pytest.mark.parametrize(("right", "said"), [(1, "50% - 1 corretta su 2"),
                                             (2, "100% - 2 corrette su 2"),
                                             (0, "0% - 0 corrette su 2")])
def test_the_score_line_agrees_with_its_number_in_italian(right, said):
    from smtpsim.course.exam import Sitting
    try:
        i18n.set_language("it")
        exam = build_exam(7, 2)
        sitting = Sitting(exam, lambda: 0.0)
        for index in range(right):
            sitting.answer(index, exam.questions[index].key)
        assert sitting.finish().summary.startswith(said)
    finally:
        i18n.set_language("en")
