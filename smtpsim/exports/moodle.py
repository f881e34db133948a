"""An exam in Moodle's two import formats: Moodle XML and GIFT.

**Moodle XML.**
``smtpsim exam --print --format moodle --seed 42 --count 10 > quiz.xml``, then in
Moodle: Question bank, Import, "Moodle XML format".  The file follows Moodle's
documented structure (docs.moodle.org, "Moodle XML format"): the XML declaration on
the first line, a ``<quiz>`` root, a ``category`` pseudo-question before each
group (one per question kind), then one ``<question type="...">`` each with
``<name>``, ``<questiontext format="html">`` (HTML in CDATA), ``<generalfeedback>``
(the engine's explanation), ``<defaultgrade>``, ``<penalty>`` and the type's own
elements.  What each kind becomes is explained in :mod:`.quiz`.

**GIFT.**
``smtpsim exam --print --format gift --seed 42 --count 10 > quiz.gift.txt``, then in
Moodle: Question bank, Import, "GIFT format".  Syntax (docs.moodle.org, "GIFT
format"): ``$CATEGORY:`` lines, ``::title::`` then the question text, the answers in
braces - ``=`` a right one, ``~`` a wrong one, ``%50%`` a weight, ``#`` its feedback,
``####`` the general feedback, nothing at all for an essay - and a blank line
between questions.  ``~ = # { } :`` are escaped with a backslash, and so is the
backslash itself; a newline is written as ``\\n``, so that no blank line can end a
question early.  The question text is HTML (``[html]``), so that ``<alice@...>``
shows as typed.

GIFT cannot carry an essay's grader information: for the kinds graded by the
teacher (see :mod:`.quiz`) the model answer is in the general feedback.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..course.questions import Question
from ..i18n import N_, _
from .quiz import QuizItem, about_kinds, escape_html, grouped, question_html, quiz_items, text_html

HEADER = N_("Made by smtpsim from exam seed {seed} ({count} questions).")
# XML 1.0 2.2: these characters may not appear in a document, not even in CDATA.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
PENALTY = "0.3333333"   # Moodle's default penalty for each wrong try (adaptive mode)


def cdata(text: str) -> str:
    """A CDATA section; ``]]>`` inside the text is split across two sections."""
    text = NOT_XML.sub("\ufffd", text)
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


QUESTION_COMMENT = N_("question {number}: {kind} ({identifier})")


def question_comment(item: QuizItem) -> str:
    """The comment above a question: its number, its kind and the engine's id for it."""
    return _(QUESTION_COMMENT).format(number=item.number, kind=item.kind,
                                      identifier=item.identifier)


def comment(text: str) -> str:
    """An XML comment: ``--`` is not allowed inside one (XML 1.0 2.5)."""
    return "<!-- " + NOT_XML.sub("\ufffd", text).replace("--", "- -") + " -->"


def _text(tag: str, value: str, attributes: str = ' format="html"') -> str:
    return f"<{tag}{attributes}><text>{cdata(value)}</text></{tag}>"


def _answer(text: str, fraction: int, feedback: str, answer_format: str) -> str:
    return (f'    <answer fraction="{fraction}" format="{answer_format}">'
            f"<text>{cdata(text)}</text>{_text('feedback', text_html(feedback))}</answer>")


def question_xml(item: QuizItem) -> list[str]:
    lines = [f"  {comment(question_comment(item))}",
             f'  <question type="{item.qtype}">',
             f"    <name><text>{cdata(item.name)}</text></name>",
             f"    {_text('questiontext', question_html(item))}",
             f"    {_text('generalfeedback', text_html(item.feedback))}",
             "    <defaultgrade>1</defaultgrade>",
             f"    <penalty>{PENALTY if item.qtype != 'essay' else '0'}</penalty>",
             "    <hidden>0</hidden>",
             f"    <idnumber>{cdata(item.identifier)}</idnumber>"]
    if item.qtype == "multichoice":
        lines += ["    <single>true</single>",
                  "    <shuffleanswers>false</shuffleanswers>",   # the letters of the paper
                  "    <answernumbering>ABCD</answernumbering>",
                  "    <showstandardinstruction>0</showstandardinstruction>"]
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            lines.append(f"    {_text(tag, '')}")
        lines += [_answer(escape_html(a.text), a.fraction, a.feedback, "html")
                  for a in item.answers]
    elif item.qtype == "shortanswer":
        lines.append("    <usecase>0</usecase>")
        # plain text answers: Moodle compares them with what the student typed
        lines += [_answer(a.text, a.fraction, a.feedback, "moodle_auto_format")
                  for a in item.answers]
    else:
        lines += ["    <responseformat>monospaced</responseformat>",   # a command line
                  "    <responserequired>1</responserequired>",
                  "    <responsefieldlines>3</responsefieldlines>",
                  "    <attachments>0</attachments>",
                  "    <attachmentsrequired>0</attachmentsrequired>",
                  f"    {_text('graderinfo', text_html(item.grader_info))}",
                  f"    {_text('responsetemplate', '')}"]
    lines.append("  </question>")
    return lines


def moodle_xml(questions: Sequence[Question], seed: int) -> str:
    """The whole import file for these questions (in the exam's order within each kind)."""
    items = quiz_items(questions, seed)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>",
             "  " + comment(_(HEADER).format(seed=seed, count=len(items))),
             "  " + comment(about_kinds())]
    for group in grouped(items):
        lines += ['  <question type="category">',
                  f"    <category><text>{cdata(group.category)}</text></category>",
                  "  </question>"]
        for item in group.items:
            lines += question_xml(item)
    lines.append("</quiz>")
    return "\n".join(lines) + "\n"


# -- GIFT ----------------------------------------------------------------------------------
SPECIAL = "\\~=#{}:"
ESSAY_NOTE = N_("GIFT has no grader information: the model answer of an essay is in its "
                "general feedback.")


def gift_escape(text: str) -> str:
    """Every GIFT special character (and the backslash) escaped; newlines as ``\\n``."""
    out = "".join("\\" + c if c in SPECIAL else c for c in text)
    return out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _gift_answer(marker: str, fraction: int, text: str, feedback: str) -> str:
    weight = f"%{fraction}%" if 0 < fraction < 100 else ""
    line = f"    {marker}{weight}{gift_escape(text)}"
    return line + (f" #{gift_escape(feedback)}" if feedback else "")


def question_gift(item: QuizItem) -> list[str]:
    head = f"::{gift_escape(item.name)}::[html]{gift_escape(question_html(item))}" + " {"
    lines = ["// " + question_comment(item), head]
    if item.qtype == "multichoice":
        # in the question's format, [html]: the choices are HTML too
        lines += [_gift_answer("=" if a.fraction == 100 else "~", 0, escape_html(a.text),
                               a.feedback)
                  for a in item.answers]
    elif item.qtype == "shortanswer":
        lines += [_gift_answer("=", a.fraction, a.text, a.feedback) for a in item.answers]
    feedback = item.feedback if item.qtype != "essay" else \
        item.grader_info + "\n\n" + item.feedback
    lines += [f"    ####{gift_escape(text_html(feedback))}", "}"]
    return lines


def gift_text(questions: Sequence[Question], seed: int) -> str:
    items = quiz_items(questions, seed)
    lines = ["// " + _(HEADER).format(seed=seed, count=len(items)), "// " + about_kinds(),
             "// " + _(ESSAY_NOTE), ""]
    for group in grouped(items):
        # The category line is read to its end, unescaped: our names hold no specials.
        lines += [f"$CATEGORY: {group.category}", ""]
        for item in group.items:
            lines += question_gift(item) + [""]
    return "\n".join(lines)
