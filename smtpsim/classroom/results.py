"""``smtpsim results DIR``: a class's exam results, merged into one CSV and a summary.

Reads the JSON files the exam writes (:mod:`smtpsim.course.exam_results`, format 1)
and trusts none of them: a file that is too big, not JSON, or not shaped like a
result is reported in one line and left out, never a crash.  The summary is for a
terminal: per student (every attempt), per question (how many got it right), and
the class's hardest questions first.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..course.exam_results import CSV_FIELDS, FORMAT
from ..i18n import _, ngettext
from ..textsafe import csv_cell, printable

MAX_FILE_BYTES = 2 * 2 ** 20
MAX_FILES = 5000
MAX_ITEMS = 200
HARDEST_SHOWN = 5
MERGED_FIELDS = ("file",) + CSV_FIELDS
RESULTS = ("right", "partial", "wrong", "unanswered")


@dataclass(frozen=True)
class Item:
    number: int
    kind: str
    question_id: str
    question: str
    answer: str
    key: str
    points: float
    result: str


@dataclass(frozen=True)
class Attempt:
    file: str
    student: str
    seed: int
    mode: str
    score: float
    items: tuple[Item, ...]


@dataclass
class Collected:
    attempts: list[Attempt] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _text(data: dict, name: str, limit: int = 2000) -> str:
    value = data.get(name, "")
    if not isinstance(value, str):
        raise ValueError(_("{name} is not text").format(name=name))
    return value[:limit]


def _number(data: dict, name: str) -> float:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(_("{name} is not a number").format(name=name))
    return float(value)


def parse_attempt(name: str, data: object) -> Attempt:
    """One result file's content as an :class:`Attempt`; ValueError says what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(_("not a JSON object"))
    if data.get("format") != FORMAT:
        raise ValueError(_("not an smtpsim exam result (format {format})").format(
            format=FORMAT))
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or len(raw_items) > MAX_ITEMS:
        raise ValueError(_("items is not a list of at most {max}").format(max=MAX_ITEMS))
    items = []
    for raw in raw_items:
        if not isinstance(raw, dict):
            raise ValueError(_("an item is not a JSON object"))
        result = _text(raw, "result")
        if result not in RESULTS:
            raise ValueError(_("an item's result is {value}").format(
                value=repr(printable(result, 20))))
        items.append(Item(int(_number(raw, "item")), _text(raw, "kind", 40),
                          _text(raw, "question_id", 80), _text(raw, "question"),
                          _text(raw, "answer"), _text(raw, "key"), _number(raw, "points"),
                          result))
    return Attempt(name, _text(data, "student", 200), int(_number(data, "seed")),
                   _text(data, "mode", 20), _number(data, "score"), tuple(items))


def collect(folder: Path) -> Collected:
    collected = Collected()
    files = sorted(folder.glob("*.json"))
    if len(files) > MAX_FILES:
        collected.problems.append(_("{folder}: {count} files, only the first {max} read")
                                  .format(folder=folder, count=len(files), max=MAX_FILES))
        files = files[:MAX_FILES]
    for path in files:
        shown = printable(path.name, 120)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ValueError(_("larger than {size} MB").format(
                    size=MAX_FILE_BYTES // 2 ** 20))
            data = json.loads(path.read_bytes().decode("utf-8"))
            collected.attempts.append(parse_attempt(path.name, data))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
            reason = printable(str(error).splitlines()[0] if str(error) else
                               type(error).__name__, 160)
            collected.problems.append(_("{file}: left out ({reason})").format(
                file=shown, reason=reason))
    return collected


def merged_csv(collected: Collected, *, excel: bool = False) -> str:
    """Every item of every attempt, one row each; cells safe for a spreadsheet.

    ``excel``: as Excel reads a double-clicked file in Italian (and most European)
    settings, where the list separator is ";" and the decimal mark ",": semicolons
    between cells, decimal commas, and a byte order mark so that it reads UTF-8 (an
    accented name stays whole).  Without it: RFC 4180 commas and decimal points."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\n")
    writer.writerow(MERGED_FIELDS)

    def number(value: float) -> str:
        return f"{value:g}".replace(".", ",") if excel else f"{value:g}"

    for attempt in collected.attempts:
        for item in attempt.items:
            row = (attempt.file, attempt.student, attempt.seed, attempt.mode,
                   number(attempt.score), item.number, item.kind, item.question_id,
                   item.answer, item.key, number(item.points), item.result)
            writer.writerow([csv_cell(v) if isinstance(v, str) else v for v in row])
    return ("\ufeff" if excel else "") + out.getvalue()


def question_stats(collected: Collected) -> list[tuple[str, str, str, int, int]]:
    """(question_id, kind, prompt, right, asked) per question, hardest first."""
    stats: dict[str, list] = {}
    for attempt in collected.attempts:
        for item in attempt.items:
            entry = stats.setdefault(item.question_id, [item.kind, item.question, 0, 0])
            entry[2] += item.result == "right"
            entry[3] += 1
    rows = [(qid, kind, prompt, right, asked)
            for qid, (kind, prompt, right, asked) in stats.items()]
    rows.sort(key=lambda row: (row[3] / row[4], -row[4], row[0]))
    return rows


def gist(prompt: str) -> str:
    """A question in a line: the profile sentence that opens most questions ("The server
    runs the modern profile: ...", a third of a line) becomes the profile's name, so that
    the questions of a list can be told apart.  A prompt worded in another language than
    the summary's is shown whole."""
    from ..course.questions_state import profile_sentence
    from ..mta import PROFILES
    for name in PROFILES:
        opening = profile_sentence(name)
        if prompt.startswith(opening):
            return f"[{name}] " + prompt[len(opening):].lstrip()
    return prompt


def summary(collected: Collected) -> str:
    attempts = collected.attempts
    if not attempts:
        return _("No exam results found.")
    students = len({a.student for a in attempts})
    lines = [ngettext("{count} result", "{count} results", len(attempts)).format(
                 count=len(attempts)) + ", " + ngettext(
                 "{count} student", "{count} students", students).format(count=students),
             "", _("Per student (score, right/asked, seed, mode):")]
    for attempt in sorted(attempts, key=lambda a: (a.student.casefold(), a.file)):
        right = sum(item.result == "right" for item in attempt.items)
        who = printable(attempt.student, 40) or _("(no name)")
        lines.append(f"  {who:<30} {attempt.score:6g}%  {right:3d}/{len(attempt.items):<3d} "
                     + _("seed {seed}").format(seed=attempt.seed)
                     + f"  {printable(attempt.mode, 20)}")
    scores = [a.score for a in attempts]
    lines.append("  " + _("class average {average}%").format(
        average=f"{sum(scores) / len(scores):.1f}"))
    rows = question_stats(collected)
    lines += ["", _("Per question (right/asked, kind, id, question):")]
    for qid, kind, prompt, right, asked in sorted(rows, key=lambda r: r[0]):
        lines.append(f"  {right:3d}/{asked:<3d} {printable(kind, 10):<8} "
                     f"{printable(qid, 24):<20} {printable(' '.join(gist(prompt).split()), 60)}")
    lines += ["", _("Hardest questions:")]
    for qid, _kind, prompt, right, asked in rows[:HARDEST_SHOWN]:
        share = 100.0 * right / asked
        lines.append("  " + _("{share}% right ({right}/{asked})").format(
            share=f"{share:5.1f}", right=right, asked=asked)
            + f"  {printable(qid, 24)}  {printable(' '.join(gist(prompt).split()), 70)}")
    return "\n".join(lines)
