"""Moodle XML and GIFT: structure as Moodle documents it, one right answer where Moodle
needs exactly one, answer sets that agree with the engine's grader, GIFT escaping."""

from __future__ import annotations

import html
import itertools
import re
import xml.etree.ElementTree as ElementTree

import pytest

from smtpsim.cli import main
from smtpsim.course.exam import build_exam
from smtpsim.course.question_kinds import check
from smtpsim.course.questions import letter_answer
from smtpsim.exports.moodle import cdata, gift_escape, gift_text, moodle_xml
from smtpsim.exports.quiz import accepted_orders, quiz_items

SEED, COUNT = 42, 12
TYPES = {"predict": {"shortanswer"}, "choose": {"multichoice"}, "meaning": {"multichoice"},
         "journey": {"multichoice"},
         "faulty": {"shortanswer"}, "order": {"shortanswer", "essay"}, "type": {"essay"}}


@pytest.fixture(scope="module")
def exam():
    return build_exam(SEED, COUNT)


@pytest.fixture(scope="module")
def quiz(exam):
    text = moodle_xml(exam.questions, SEED)
    return text, ElementTree.fromstring(text.encode())


def test_moodle_xml_has_the_documented_structure(exam, quiz):
    text, root = quiz
    assert text.splitlines()[0] == '<?xml version="1.0" encoding="UTF-8"?>'
    assert root.tag == "quiz"
    questions = [q for q in root if q.get("type") != "category"]
    assert len(questions) == COUNT
    category = None
    kinds_in = {}
    for element in root:
        if element.get("type") == "category":
            category = element.findtext("category/text")
            assert category.startswith(f"$course$/top/smtpsim exam seed {SEED}/")
            continue
        assert category is not None, "every question comes after a category"
        name = element.findtext("name/text")
        kinds_in.setdefault(category, set()).add(name.split(" ", 1)[1])
        assert element.find("questiontext").get("format") == "html"
        assert element.findtext("questiontext/text").startswith("<p>")
        assert element.findtext("generalfeedback/text"), "feedback = the explanation"
        assert element.findtext("defaultgrade") == "1"
    # one category per kind: every question in a category has the same kind title
    assert all(len(titles) == 1 for titles in kinds_in.values())
    assert len(kinds_in) == len({q.kind for q in exam.questions})


def test_each_kind_becomes_the_moodle_type_that_can_grade_it(exam, quiz):
    _, root = quiz
    by_number = {int(q.findtext("name/text").split()[0]): q for q in root
                 if q.get("type") != "category"}
    for number, question in enumerate(exam.questions, 1):
        element = by_number[number]
        assert element.get("type") in TYPES[question.kind], question.kind
        answers = element.findall("answer")
        fractions = [a.get("fraction") for a in answers]
        if element.get("type") == "multichoice":
            assert element.findtext("single") == "true"
            assert element.findtext("answernumbering") in {"abc", "ABCD", "123", "none"}
            assert fractions.count("100") == 1 and set(fractions) <= {"0", "100"}
            right = next(a.findtext("text") for a in answers if a.get("fraction") == "100")
            assert right == question.choices[letter_answer(question.key,
                                                           len(question.choices))]
        elif element.get("type") == "shortanswer":
            assert fractions.count("100") >= 1 and set(fractions) <= {"50", "100"}
            for answer in answers:   # the engine's own grader agrees with every answer
                points = check(question, answer.findtext("text")).points
                assert points * 100 == int(answer.get("fraction"))
        else:
            assert not answers
            assert question.key in element.findtext("graderinfo/text")
            # the values Moodle's essay type knows (qtype_essay response formats)
            assert element.findtext("responseformat") in {
                "editor", "editorfilepicker", "plain", "monospaced", "noinline"}


def test_every_order_the_engine_accepts_and_no_other(exam):
    question = next(q for q in exam.questions if q.kind == "order")
    items = range(1, len(question.setup) + 1)
    brute = {" ".join(map(str, p)) for p in itertools.permutations(items)
             if check(question, " ".join(map(str, p))).correct}
    found = accepted_orders(question)
    assert set(found) == brute and len(found) == len(brute) and question.key in found


def test_cdata_survives_its_own_end_marker():
    wrapped = ElementTree.fromstring(f"<t>{cdata('a ]]> b <c> & d')}</t>")
    assert wrapped.text == "a ]]> b <c> & d"


TRICKY = "RCPT TO:<a~b=c#d{e}f@x> \\n and a back\\slash\nsecond line ::title:: {=x ~y}"


def gift_unescape(text: str) -> str:
    """Moodle's GIFT reader: a backslash takes the next character literally; \\n is a
    newline (question/format/gift/format.php, escapedchar_pre/post)."""
    out, index = [], 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            out.append("\n" if following == "n" else following)
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def unescaped(text: str, chars: str) -> list[int]:
    """Positions of ``chars`` not preceded by an escaping backslash."""
    found, index = [], 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] in chars:
            found.append(index)
        index += 1
    return found


def test_gift_escaping_round_trips_every_special_character():
    escaped = gift_escape(TRICKY)
    assert gift_unescape(escaped) == TRICKY
    assert unescaped(escaped, "~=#{}:") == []
    assert "\n" not in escaped        # a newline can never end the question early


def parse_gift(text: str) -> list[dict]:
    """Each question block: title, text, answers (marker, weight, text), general feedback."""
    blocks = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if not line.startswith("//")]
        body = "\n".join(lines).strip()
        if not body or body.startswith("$CATEGORY:"):
            continue
        opening = unescaped(body, "{")
        closing = unescaped(body, "}")
        assert len(opening) == 1 and len(closing) == 1 and body.endswith("}"), body[:80]
        head, answers = body[:opening[0]], body[opening[0] + 1:closing[0]]
        title_marks = unescaped(head, ":")
        assert head.startswith("::") and len(title_marks) == 4
        title = gift_unescape(head[2:title_marks[2]])
        general = ""
        if "####" in answers:
            answers, general = answers.split("####", 1)
        parsed = []
        for line in answers.strip().splitlines():
            line = line.strip()
            marker, rest = line[0], line[1:]
            weight = 100 if marker == "=" else 0
            match = re.match(r"%(\d+)%", rest)
            if match:
                weight, rest = int(match.group(1)), rest[match.end():]
            hashes = unescaped(rest, "#")
            answer = rest[:hashes[0]].strip() if hashes else rest.strip()
            parsed.append((marker, weight, gift_unescape(answer)))
        blocks.append(dict(title=title, text=gift_unescape(head[title_marks[3] + 1:]),
                           answers=parsed, general=gift_unescape(general.strip())))
    return blocks


def test_gift_parses_back_to_the_same_questions_and_answers(exam):
    blocks = parse_gift(gift_text(exam.questions, SEED))
    items = quiz_items(exam.questions, SEED)
    assert sorted(b["title"] for b in blocks) == sorted(i.name for i in items)
    by_name = {i.name: i for i in items}
    for block in blocks:
        item = by_name[block["title"]]
        assert block["text"].startswith("[html]<p>")
        assert html.escape(item.prompt.split(":")[0], quote=False) in block["text"]
        assert block["general"].startswith("<pre>")
        rights = [a for a in block["answers"] if a[1] == 100]
        if item.qtype == "multichoice":
            assert len(rights) == 1 and len(block["answers"]) == len(item.answers)
        elif item.qtype == "shortanswer":
            assert [a[2] for a in block["answers"]] == [a.text for a in item.answers]
        else:
            assert block["answers"] == [] and item.grader_info in block["general"]


def test_the_same_seed_gives_the_same_questions_in_both_formats(exam):
    ids = re.compile(r"question \d+: \w+ \((\w+-\w+)\)")
    in_xml = ids.findall(moodle_xml(exam.questions, SEED))
    in_gift = ids.findall(gift_text(exam.questions, SEED))
    assert sorted(in_xml) == sorted(in_gift) == sorted(q.id for q in exam.questions)


def test_golden_files(snapshot):
    exam = build_exam(7, 8)
    snapshot.assert_match(moodle_xml(exam.questions, 7), "exam-seed-7.moodle.xml")
    snapshot.assert_match(gift_text(exam.questions, 7), "exam-seed-7.gift.txt")


def test_exam_print_format_on_the_command_line(capsys):
    assert main(["exam", "--print", "--format", "gift", "--seed", "42", "--count", "6"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("// Made by smtpsim from exam seed 42 (6 questions).")
    assert len(parse_gift(out)) == 6
    assert main(["exam", "--print", "--format", "moodle", "--seed", "42", "--count", "6"]) == 0
    root = ElementTree.fromstring(capsys.readouterr().out.encode())
    assert len([q for q in root if q.get("type") != "category"]) == 6
    assert main(["exam", "--format", "moodle", "--seed", "42"]) == 2
    assert "--format goes with --print" in capsys.readouterr().err


def test_a_quoted_command_is_code_in_moodle_but_a_wire_line_keeps_its_backticks():
    """Moodle shows HTML: the question's own `quoted command` becomes <code>, escaped;
    the transcript (context) is the wire as it was, backticks included."""
    from smtpsim.exports.quiz import QuizItem, question_html

    item = QuizItem(qtype="shortanswer", number=1, kind="reply", name="q", category="c",
                    prompt="The client sends `RCPT TO:<a@b>`.",
                    context=("C: NOOP `x`",), hint="Write `250`.")
    assert question_html(item) == (
        "<p>The client sends <code>RCPT TO:&lt;a@b&gt;</code>.</p>"
        "<pre>C: NOOP `x`</pre><p><em>Write <code>250</code>.</em></p>")
