"""Exam results: the score, a tick or a cross per item, and files a teacher can collect.

The JSON file holds everything (questions, answers, keys, explanations); the CSV
file has one row per item with the same student, seed and score on every row, so
that a teacher can concatenate a whole class's files into one spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import _, ngettext
from ..settings import data_dir
from ..textsafe import csv_cell
from .questions import Question, key_text

FORMAT = 1
CSV_FIELDS = ("student", "seed", "mode", "score", "item", "kind", "question_id", "answer",
              "key", "points", "result")
MARKS = {"right": "✓", "partial": "½", "wrong": "✗", "unanswered": "✗"}


def default_results_dir() -> Path:
    """Where results go unless ``--results`` says otherwise: beside the progress file."""
    return data_dir() / "results"


@dataclass(frozen=True)
class ItemResult:
    number: int                 # from 1, as shown to the learner
    question: Question
    answer: str
    points: float               # 0, 0.5 (the faulty line without its code) or 1
    feedback: str               # the verdict's explanation, with RFC sections
    answered: bool = True

    @property
    def result(self) -> str:
        if not self.answered:
            return "unanswered"
        if self.points >= 1.0:
            return "right"
        return "partial" if self.points > 0 else "wrong"

    @property
    def mark(self) -> str:
        return MARKS[self.result]


@dataclass(frozen=True)
class ExamResult:
    student: str
    seed: int
    mode: str                   # "exam" or "practice"
    items: tuple[ItemResult, ...]
    elapsed_seconds: float = 0.0
    minutes: float | None = None
    timed_out: bool = False
    source: str = "seed"

    @property
    def points(self) -> float:
        return sum(item.points for item in self.items)

    @property
    def score(self) -> float:
        """The percentage of the points available, to one decimal place."""
        if not self.items:
            return 0.0
        return round(100.0 * self.points / len(self.items), 1)

    @property
    def summary(self) -> str:
        right = sum(1 for i in self.items if i.result == "right")
        partial = sum(1 for i in self.items if i.result == "partial")
        # Plural forms by the number right: Italian says "1 corretta", "2 corrette".
        text = ngettext("{score}% - {right} of {count} right",
                        "{score}% - {right} of {count} right", right).format(
            score=f"{self.score:g}", right=right, count=len(self.items))
        if partial:
            text += ngettext(", {partial} half right", ", {partial} half right",
                             partial).format(partial=partial)
        if self.timed_out:
            text += _(" (time ran out; unanswered items count as wrong)")
        return text

    # -- export -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "student": self.student, "seed": self.seed, "mode": self.mode,
            "source": self.source, "count": len(self.items), "score": self.score,
            "points": self.points, "elapsed_seconds": self.elapsed_seconds,
            "minutes": self.minutes, "timed_out": self.timed_out,
            "items": [{
                "item": item.number, "kind": item.question.kind,
                "question_id": item.question.id, "question": item.question.prompt,
                "answer": item.answer, "key": key_text(item.question),
                "points": item.points, "result": item.result, "feedback": item.feedback,
            } for item in self.items],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_csv(self) -> str:
        out = io.StringIO()
        # RFC 4180 2.1: rows end with CRLF - and then a CR or LF inside a cell is quoted.
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\r\n")
        writer.writeheader()
        # Free text (the name typed, the answers) could start a spreadsheet formula:
        # csv_cell keeps it text (OWASP "CSV Injection").  The JSON keeps it as typed.
        student = csv_cell(self.student)
        for item in self.items:
            writer.writerow({
                "student": student, "seed": self.seed, "mode": self.mode,
                "score": self.score, "item": item.number, "kind": item.question.kind,
                "question_id": item.question.id, "answer": csv_cell(item.answer),
                "key": csv_cell(key_text(item.question)), "points": item.points,
                "result": item.result,
            })
        return out.getvalue()

    def file_stem(self) -> str:
        who = re.sub(r"[^A-Za-z0-9_-]+", "-", self.student).strip("-") or "anonymous"
        return f"exam-{who}-seed{self.seed}-{self.mode}"

    def save(self, directory: Path) -> tuple[Path, Path]:
        """Write ``<stem>.json`` and ``<stem>.csv``; an existing pair gets a number."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        stem, n = self.file_stem(), 1
        while (directory / f"{stem}.json").exists() or (directory / f"{stem}.csv").exists():
            n += 1
            stem = f"{self.file_stem()}-{n}"
        json_path, csv_path = directory / f"{stem}.json", directory / f"{stem}.csv"
        json_path.write_text(self.to_json(), "utf-8")
        csv_path.write_text(self.to_csv(), "utf-8", newline="")
        return json_path, csv_path

    def as_text(self) -> str:
        """The results as plain text: score, then a mark and the feedback per item."""
        rows = [_("Student: {student}   seed {seed}   {mode}").format(
                    student=self.student or _("(not given)"), seed=self.seed,
                    mode=_(self.mode)),
                _("Score: {summary}").format(summary=self.summary), ""]
        for item in self.items:
            answer = item.answer.strip() or _("(no answer)")
            rows.append(f"{item.mark} {item.number}. {item.question.title} - "
                        + _("your answer: {answer}").format(answer=answer))
            rows.extend("    " + line for line in item.feedback.splitlines())
        return "\n".join(rows)
