"""Every lesson file is a test case: it loads, validates, and its model answers pass.

Coverage is computed by replaying the lessons through the engine, never from what
the lesson files declare: the union of what the server actually answered must
include every command and every reply code of the source article.
"""

from __future__ import annotations

import pytest

from smtpsim.course import LessonRun, load_lessons, read_lesson, replay
from smtpsim.course.lessons import language_folder, lesson_files
from smtpsim.course.lessons_run import CLOSED, NOT_YET, PASSED, commands_and_codes

LANGUAGES = ("en", "it")       # every language folder is replayed, not only English
FILES = [path for language in LANGUAGES for path in lesson_files(language_folder(language))]
FILE_IDS = [f"{path.parent.name}/{path.stem}" for path in FILES]
LESSONS = {lesson.id: lesson for lesson in load_lessons("en").lessons}

ARTICLE_COMMANDS = {"HELO", "MAIL", "RCPT", "DATA", "QUIT", "RSET", "VRFY", "NOOP", "TURN",
                    "EXPN", "HELP", "SEND", "SOML", "SAML", "VERB", "TICK"}
ARTICLE_CODES = {211, 214, 220, 221, 250, 251, 354, 421, 403, 450, 451, 452, 500, 501, 502,
                 503, 504, 550, 551, 552, 553, 554}


@pytest.mark.parametrize("language", LANGUAGES)
def test_there_are_at_least_fourteen_lessons(language):
    folder = language_folder(language)
    assert folder.name == language            # a real folder, not the English fallback
    found = load_lessons(language)
    assert len(found.lessons) >= 14
    assert len(found.lessons) == len(lesson_files(folder))
    assert not found.broken


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_lesson_file_loads_and_validates(path):
    lesson, problems = read_lesson(path)
    assert problems == []
    assert lesson.steps and lesson.text and lesson.goal
    for step in lesson.steps:
        assert step.instruction and step.hint and step.success and step.answer


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_model_answers_pass_every_step(path):
    lesson, _ = read_lesson(path)
    run, problems = replay(lesson)
    assert problems == []
    assert run.done and run.completed == len(lesson.steps)
    assert run.last is not None and run.last.status == PASSED


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_lessons_exercise_every_command_and_code_of_the_article(language):
    sessions = []
    for lesson in load_lessons(language).lessons:
        run, problems = replay(lesson)
        assert problems == []
        sessions.extend(run.sessions)
    verbs, codes = commands_and_codes(sessions)
    assert ARTICLE_COMMANDS - verbs == set()
    assert ARTICLE_CODES - codes == set()
    assert 252 in codes          # VRFY on a hardened server: the arc asks for it too


# For every lesson: a step, lines that are a plausible mistake, and the code the
# server really answers them with.  The step must stay unpassed, and the feedback
# must carry the engine's explanation of that reply.
WRONG = {
    "first-conversation": (2, ["RCPT TO:<bob@mail.example>"], "503"),
    "three-digits": (4, ["RCPT TO:<bob@mail.example>"], "250"),
    "several-recipients": (3, ["RCPT TO:<frank@mail.example>"], "551"),
    "syntax-and-sequence": (4, ["HELO client.example", "MAIL FROM:<alice@client.example>"],
                            "250"),
    "rset-and-noop": (3, ["NOOP"], "250"),
    "vrfy-and-expn": (2, ["VRFY john.smith"], "250"),
    "help": (3, ["HELP HELO"], "214"),
    "data-transparency": (2, ["..signature", "."], "250"),
    "temporary-failures": (1, ["HELO client.example", "MAIL FROM:<alice@client.example>"],
                           "250"),
    "permanent-failures": (2, ["RCPT TO:<bob@mail.example>", "NOOP"], "250"),
    "send-soml-saml": (4, ["RSET", "SEND FROM:<alice@client.example>",
                           "RCPT TO:<carol@mail.example>"], "450"),
    "turn-and-etrn": (2, ["MAIL FROM:<alice@client.example>", "TURN"], "503"),
    "verb-and-tick": (3, ["TICK"], "501"),
    "esmtp-and-ehlo": (2, ["MAIL FROM:<alice@client.example> SIZE=100"], "250"),
    "two-hops": (1, ["HELO client.example", "MAIL FROM:<alice@client.example>",
                     "RCPT TO:<bob@mail.example>"], "250"),
    "myths": (1, ["HELO client.example", "MAIL FROM:<alice@client.example>"], "250"),
    "article-errors": (7, ["HELO client.example", "SOML FROM:<alice@client.example>"], "250"),
    # hop 2: a recipient on the wrong host is refused on hop 1 and never reaches hop 2
    "mx-and-received": (1, ["EHLO client.example", "MAIL FROM:<alice@client.example>",
                            "RCPT TO:<friend@mail.example>"], "550"),
    "greylisting-and-retry": (1, ["EHLO client.example", "MAIL FROM:<alice@client.example>",
                                  "RCPT TO:<gus@mail.example>"], "550"),
    # a real reverse-path: this failure is bounced, not dropped
    "reading-a-bounce": (3, ["MAIL FROM:<alice@client.example>",
                             "RCPT TO:<who@nowhere.example>", "DATA", "x", "."], "250"),
}


def test_every_lesson_has_a_deliberately_wrong_answer():
    assert set(WRONG) == set(LESSONS)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("lesson_id", sorted(WRONG))
def test_a_wrong_answer_fails_the_right_step_with_an_explanation(lesson_id, language):
    lesson = load_lessons(language).get(lesson_id)
    number, lines, code = WRONG[lesson_id]
    run = LessonRun(lesson)
    for step in lesson.steps[:number - 1]:
        for line in step.answer:
            run.type_line(line)
    step = lesson.steps[number - 1]
    assert run.current is step
    feedback = None
    for line in lines:
        feedback = run.type_line(line) or feedback
    assert run.current is step, "the wrong answer must not pass the step"
    assert feedback is not None and feedback.step is step
    assert feedback.status in (NOT_YET, CLOSED)
    assert step.check.describe() in feedback.message
    assert feedback.explanation.startswith(code)
    assert "Why:" in feedback.explanation


def _run_to(lesson_id: str, number: int) -> LessonRun:
    lesson = LESSONS[lesson_id]
    run = LessonRun(lesson)
    for step in lesson.steps[:number - 1]:
        for line in step.answer:
            run.type_line(line)
    assert run.current is lesson.steps[number - 1]
    return run


@pytest.mark.parametrize("lesson_id, number, lines", [
    ("first-conversation", 1, ["EHLO client.example"]),
    ("first-conversation", 1, ["helo client.example"]),
    ("first-conversation", 2, ["mail from:<alice@client.example>"]),
    ("several-recipients", 2, ["RCPT TO:<carol@mail.example>", "RCPT TO:<Bob@mail.example>"]),
    ("rset-and-noop", 6, ["MAIL FROM:<>", "EHLO client.example"]),
    ("rset-and-noop", 1, ["EHLO client.example", "NOOP", "MAIL FROM:<alice@client.example>",
                          "RCPT TO:<nobody@mail.example>", "RCPT TO:<carol@mail.example>"]),
    ("syntax-and-sequence", 2, ["XYZZY"]),
    ("send-soml-saml", 4, ["RSET", "SOML FROM:<alice@client.example>",
                           "RCPT TO:<staff@mail.example>", "DATA", "."]),
    ("article-errors", 1, ["helo: client.example", "ehlo client.example"]),
    ("article-errors", 2, ["VRFY bob", "VRFY: bob", "vrfy bob"]),
    ("article-errors", 8, ["RSET", "SAML FROM:<alice@client.example>", "SMAL",
                           "RCPT TO:<bob@mail.example>", "DATA", "."]),
])
def test_any_correct_way_passes(lesson_id, number, lines):
    run = _run_to(lesson_id, number)
    step = run.current
    results = [run.type_line(line) for line in lines]
    assert run.current is not step
    assert results[-1].status == PASSED and results[-1].step is step
    assert all(r is None or r.status != PASSED for r in results[:-1])


def test_message_text_is_not_judged_until_the_server_answers():
    run = _run_to("first-conversation", 5)
    feedback = run.type_line("Subject: still typing")
    assert feedback.status == "typing" and feedback.explanation == ""
    assert run.type_line(".").status == PASSED


def test_a_closed_connection_is_reported_and_a_new_one_restarts_the_step():
    run = _run_to("first-conversation", 2)
    step = run.current
    feedback = run.type_line("QUIT")
    assert feedback.status == CLOSED and "open a new one" in feedback.message
    assert feedback.explanation.startswith("221")
    session = run.reconnect()
    assert run.session is session and run.current is step and len(run.sessions) == 2
    for line in ("HELO client.example", "MAIL FROM:<alice@client.example>"):
        run.type_line(line)
    assert run.current is not step


def test_hints_are_counted_and_model_answers_given():
    run = _run_to("help", 1)
    assert run.hint() == LESSONS["help"].steps[0].hint
    assert run.hints_used == 1
    assert run.model_answer() == ("HELP",)
