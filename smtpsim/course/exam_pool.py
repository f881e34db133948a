"""The retry pool: questions a learner got wrong, asked again until they stick.

A wrong (or half-right) answer puts the question into the pool; once it is in,
it leaves only after it has been answered right three times in a row - a mistake
in between starts the count again.  ``smtpsim exam --retry`` practises from it.

The pool is one JSON file beside the lessons' progress, in the platform's
user-data directory (``SMTPSIM_DATA_DIR`` overrides it; tests pass a directory).
Questions are stored whole, so a pooled question is shown and checked exactly as
it was asked, whatever exam it came from - and with where it came from (the seed and
its place in that exam), so that it can be worded again in the language of the day
(:func:`smtpsim.course.exam.exam_for`): a learner who missed it in English retries it
in Italian.  A damaged file never stops anything:
the pool starts empty and the damaged file is left for a human.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..i18n import _
from ..settings import data_dir
from .progress import read_json, write_json
from .question_kinds import check
from .questions import Question

FILE_NAME = "exam_retry.json"
FORMAT = 1
RIGHTS_TO_CLEAR = 3


@dataclass
class PoolItem:
    question: Question
    streak: int = 0        # right answers in a row since it last went wrong
    misses: int = 1        # how many times it went wrong
    origin: tuple[int, int] | None = None   # (seed, index) of the exam that first asked it


class RetryPool:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else data_dir()
        self.path = self.directory / FILE_NAME
        self.items: dict[str, PoolItem] = {}
        self.problem = ""    # why the file could not be read or written, if it could not
        self._load()

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, question: Question) -> bool:
        return question.id in self.items

    def questions(self) -> list[Question]:
        """The pooled questions, the ones missed most often first (then oldest first)."""
        return [item.question for item in self.ordered()]

    def ordered(self) -> list[PoolItem]:
        """The pooled items in the order :meth:`questions` gives."""
        return sorted(self.items.values(), key=lambda item: -item.misses)

    def streak(self, question: Question) -> int | None:
        item = self.items.get(question.id)
        return None if item is None else item.streak

    def record(self, question: Question, correct: bool,
               origin: tuple[int, int] | None = None) -> None:
        """One answer: a mistake (re)enters the pool, a right answer counts towards clearing.
        ``origin``: the seed and the index of the question in that seed's exam."""
        item = self.items.get(question.id)
        if not correct:
            if item is None:
                self.items[question.id] = PoolItem(question, origin=origin)
            else:
                item.streak, item.misses = 0, item.misses + 1
        elif item is not None:
            item.streak += 1
            if item.streak >= RIGHTS_TO_CLEAR:
                del self.items[question.id]
        else:
            return   # a right answer to a question that was never missed: nothing to keep
        self.save()

    # -- the file ---------------------------------------------------------------------
    def _load(self) -> None:
        data, self.problem = read_json(self.path)
        rows = data.get("items", []) if isinstance(data, dict) else []
        for row in rows if isinstance(rows, list) else []:
            try:
                question = Question.from_dict(row["question"])
                if not check(question, question.key).correct:
                    continue   # the engine has changed since: the old key no longer holds
                origin = row.get("origin")
                where = (int(origin[0]), int(origin[1])) if isinstance(origin, list) \
                    and len(origin) == 2 else None
                self.items[question.id] = PoolItem(question, int(row.get("streak", 0)),
                                                   int(row.get("misses", 1)), where)
            except (KeyError, TypeError, ValueError, AttributeError, IndexError):
                continue   # one bad entry loses that question only

    def save(self) -> None:
        data = {"format": FORMAT, "items": [
            {"question": item.question.to_dict(), "streak": item.streak,
             "misses": item.misses, "origin": list(item.origin) if item.origin else None}
            for item in self.items.values()]}
        failure = write_json(self.path, data)
        if failure:
            self.problem = _("could not save the retry pool to {path}: {failure}").format(
                path=self.path, failure=failure)
