"""Every answer key of many exams, verified by running the engine (or reading the
catalogue) again here, independently of the code that made the key."""

from __future__ import annotations

import re

import pytest

from smtpsim import catalogue
from smtpsim.course.exam import build_exam
from smtpsim.course.question_kinds import check
from smtpsim.course.questions import LETTERS, Question
from smtpsim.mta import Session
from smtpsim.protocol import State

SEEDS = range(25)
QUESTIONS = [q for seed in SEEDS for q in build_exam(seed, 12).questions]


def by_kind(kind: str) -> list[Question]:
    found = [q for q in QUESTIONS if q.kind == kind]
    assert len(found) >= 25, f"too few {kind} questions to test"
    return found


def typed(profile: str, lines) -> Session:
    session = Session(profile)
    for line in lines:
        session.type_line(line)
    return session


def final_reply(session: Session, start: int):
    replies = [e for e in session.transcript.entries[start:]
               if e.side == "S" and not e.reversed_roles]
    return replies[-1]


def chosen(question: Question) -> str:
    return question.choices[LETTERS.index(question.key)]


@pytest.mark.parametrize("question", by_kind("predict"), ids=lambda q: q.id)
def test_predict_key_is_what_the_server_answers(question):
    session = typed(question.profile, question.setup)
    start = len(session.transcript)
    session.type_line(question.command)
    assert question.key == str(final_reply(session, start).code)
    assert check(question, question.key).correct


@pytest.mark.parametrize("question", by_kind("faulty"), ids=lambda q: q.id)
def test_faulty_key_is_the_first_refused_line(question):
    session = Session(question.profile)
    expected = None
    for number, line in enumerate(question.setup, 1):
        if session.closed:
            break
        in_text = session.in_data
        start = len(session.transcript)
        session.type_line(line)
        codes = [e.code for e in session.transcript.entries[start:] if e.side == "S"]
        if not in_text and codes and codes[-1] >= 500:
            expected = f"{number} {codes[-1]}"
            break
    assert question.key == expected
    assert check(question, question.key).points == 1.0


@pytest.mark.parametrize("question", by_kind("order"), ids=lambda q: q.id)
def test_order_key_is_a_dialogue_the_server_accepts(question):
    items = [question.setup[int(n) - 1] for n in question.key.split()]
    assert sorted(items) == sorted(question.setup)   # every item exactly once
    session = Session(question.profile)
    for item in items:
        start = len(session.transcript)
        session.type_line(item)
        if item == "DATA":
            assert session.state is State.DATA
            for line in (*question.text, "."):
                session.type_line(line)
        codes = [e.code for e in session.transcript.entries[start:] if e.side == "S"]
        assert codes and all(code < 400 for code in codes), (item, codes)
    assert session.closed
    assert any(entry.code == 250 and entry.answers == "<end of data>"
               for entry in session.transcript)
    assert check(question, question.key).correct


# The outcome each goal asks for, written again here from the engine's own objects.
OUTCOMES = {
    "greet": lambda s, q: s.state is State.READY and s.server.client_name == "client.example",
    "open": lambda s, q: s.state is State.MAIL
    and s.server.envelope.sender == "alice@client.example",
    "add": lambda s, q: q.goal_args[0] in s.server.envelope.forward_paths,
    "text": lambda s, q: s.state is State.DATA,
    "abandon": lambda s, q: s.state is State.READY and not s.server.envelope.recipients
    and s.server.envelope.sender is None,
    "close": lambda s, q: s.state is State.CLOSED,
    "verify": lambda s, q: s.transcript.entries[-1].code == 250
    and f"{q.goal_args[0]}@mail.example" in s.transcript.entries[-1].text,
    "expand": lambda s, q: s.transcript.entries[-1].code == 250
    and "bob@mail.example" in "".join(e.text for e in s.transcript.entries[-3:]),
    "help": lambda s, q: s.transcript.entries[-1].code == 214,
    "queue": lambda s, q: not s.server.host.queued_for("client.example"),
    "soml": lambda s, q: s.server.envelope.via == "SOML",
    "saml": lambda s, q: s.server.envelope.via == "SAML",
}


@pytest.mark.parametrize("question", by_kind("type"), ids=lambda q: q.id)
def test_type_key_reaches_the_goal(question):
    session = typed(question.profile, question.setup)
    assert not OUTCOMES[question.goal](session, question), "already reached before typing"
    session.type_line(question.key)
    assert OUTCOMES[question.goal](session, question)
    assert check(question, question.key).correct


@pytest.mark.parametrize("question", by_kind("choose"), ids=lambda q: q.id)
def test_choose_key_is_the_command_the_catalogue_describes(question):
    commands = catalogue.load().commands
    quoted = re.search(r'"(.*)"', question.prompt).group(1)
    def describes(verb):
        summary = " ".join(commands[verb]["summary"].split())
        return re.sub(rf"\b{verb}\b", "this command", summary) == quoted
    assert describes(chosen(question))
    assert [describes(verb) for verb in question.choices].count(True) == 1
    assert len(set(question.choices)) == 4


@pytest.mark.parametrize("question", by_kind("meaning"), ids=lambda q: q.id)
def test_meaning_key_is_the_catalogue_meaning(question):
    cat = catalogue.load()
    digit = re.search(r"the (first|second) digit, (\d)", question.prompt)
    if digit:
        position, value = digit.groups()
        code = re.search(r"replies (\d{3})", question.prompt).group(1)
        assert code[0 if position == "first" else 1] == value
        assert cat.digits[position][value].startswith(chosen(question) + ":")
    else:
        code = re.search(r"code (\d{3})", question.prompt).group(1)
        assert chosen(question) == cat.codes[code]["title"]
        assert len(set(question.choices)) == len(question.choices) == 4


def test_every_kind_appears_and_explanations_cite_sources():
    assert {q.kind for q in QUESTIONS} == {"predict", "choose", "order", "faulty",
                                          "meaning", "type", "journey"}
    for question in QUESTIONS:
        assert re.search(r"RFC \d+|sendmail|batch SMTP|IBM|PMDF", question.explanation), \
            question.id
