"""Exam figures - a script that prints numbers, not a test.

    python tests/benchmarks/bench_exam.py [--exams N] [--count C]

1. Building an exam: every key is made by running real sessions, so this is the
   wait between ``smtpsim exam`` and the first question (and ``--print``).
2. Checking an answer: every answer replays its question's state through the engine;
   this is the pause after Enter in practice mode, and the grading at the end.
3. Grading a whole sitting of C questions (every item checked once).
"""

from __future__ import annotations

import argparse
import statistics
import time

from smtpsim.course.exam import Sitting, build_exam
from smtpsim.course.question_kinds import check
from smtpsim.course.questions import KINDS


def timed(function, *args) -> tuple[float, object]:
    start = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exams", type=int, default=40)
    parser.add_argument("--count", type=int, default=10)
    args = parser.parse_args()

    build_times, exams = [], []
    for seed in range(args.exams):
        seconds, exam = timed(build_exam, seed, args.count)
        build_times.append(seconds)
        exams.append(exam)
    print(f"build an exam of {args.count}: median {statistics.median(build_times) * 1000:.1f} ms,"
          f" worst {max(build_times) * 1000:.1f} ms ({args.exams} seeds)")

    per_kind: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for exam in exams:
        for question in exam.questions:
            seconds, _ = timed(check, question, question.key)
            per_kind[question.kind].append(seconds)
    for kind, times in per_kind.items():
        if times:
            print(f"check one {kind:<8} answer: median {statistics.median(times) * 1000:6.2f} ms,"
                  f" worst {max(times) * 1000:6.2f} ms ({len(times)} answers)")

    grade_times = []
    for exam in exams:
        sitting = Sitting(exam, lambda: 0.0)
        for index, question in enumerate(exam.questions):
            sitting.answer(index, question.key)
        seconds, result = timed(sitting.finish)
        assert result.score == 100.0
        grade_times.append(seconds)
    print(f"grade a sitting of {args.count}: median {statistics.median(grade_times) * 1000:.1f} ms,"
          f" worst {max(grade_times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
