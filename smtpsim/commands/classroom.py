"""``smtpsim classroom`` (serve the app to a class) and ``smtpsim results DIR`` (collect).

aiohttp and textual-serve are imported only when ``classroom`` runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from ..classroom.settings import FONT_SIZES, ClassroomSettings, ExamPlan, default_max_students
from ..usage import UsageError


def register(subparsers: argparse._SubParsersAction, parser: argparse.ArgumentParser) -> None:
    from ..mta import PROFILES
    room = subparsers.add_parser(
        "classroom", help="serve the app to a class's browsers, and collect exam results",
        description="Each student opens the URL shown in a browser, types the code and gets "
                    "their own simulator; exam results land in --results.")
    room.add_argument("--host", default="127.0.0.1",
                      help="address to bind (default 127.0.0.1: this machine only; "
                           "0.0.0.0 for the class)")
    room.add_argument("--port", type=int, default=8000, help="TCP port (default 8000; 0: any)")
    room.add_argument("--profile", choices=sorted(PROFILES), help="server profile")
    room.add_argument("--projector", action="store_true",
                      help="the app's high-contrast theme (simulator only)")
    room.add_argument("--font-size", type=int, default=16, choices=FONT_SIZES,
                      help="the page's default text size (students may pick another)")
    opened = room.add_mutually_exclusive_group()
    opened.add_argument("--lesson", metavar="ID", help="open this lesson for everyone")
    opened.add_argument("--exam", action="store_true", help="open an exam for everyone")
    room.add_argument("--seed", type=int, help="with --exam: the same exam for everyone "
                                               "(default: one drawn now and shown)")
    room.add_argument("--seed-per-student", action="store_true",
                      help="with --exam: each student gets an exam of their own")
    room.add_argument("--count", type=int, default=10, help="with --exam: questions (10)")
    room.add_argument("--minutes", type=float, help="with --exam: time limit "
                                                    "(default: 2 a question)")
    room.add_argument("--code", help="the join code (default: a random one, shown)")
    room.add_argument("--max-students", type=int,
                      help="places in the class (default: what this machine's memory holds)")
    room.add_argument("--results", default="results", metavar="DIR",
                      help="where exam results are collected (default: ./results)")
    room.set_defaults(handler=cmd_classroom)

    results = subparsers.add_parser(
        "results", help="merge a folder of exam results: a summary, and one CSV")
    results.add_argument("folder", metavar="DIR", help="the folder of results (*.json)")
    results.add_argument("--csv", metavar="OUT", help="write the merged CSV here")
    results.set_defaults(handler=cmd_results)


def settings_from(args: argparse.Namespace) -> ClassroomSettings:
    from ..classroom.gate import normalise
    from ..classroom.settings import join_code
    from ..course.exam import MAX_QUESTIONS, MAX_SEED, MINUTES_PER_QUESTION
    from ..course.lessons import load_lessons
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a TCP port")
    exam_options = args.seed is not None or args.seed_per_student or args.minutes is not None
    if exam_options and not args.exam:
        raise UsageError("--seed, --seed-per-student and --minutes go with --exam")
    if args.seed is not None and args.seed_per_student:
        raise UsageError("--seed gives everyone the same exam; --seed-per-student one "
                         "each: choose one")
    if (args.profile or args.projector) and (args.lesson or args.exam):
        raise UsageError("--profile and --projector are for the simulator: a lesson sets its "
                         "own profile, an exam needs none (alt+p switches the theme)")
    exam = None
    if args.exam:
        if not 1 <= args.count <= MAX_QUESTIONS:
            raise UsageError(f"--count must be between 1 and {MAX_QUESTIONS}")
        if args.minutes is not None and not 0 < args.minutes <= 24 * 60:
            raise UsageError("--minutes must be more than 0 and at most a day (1440)")
        seed = args.seed
        if seed is not None and not 0 <= seed <= MAX_SEED:
            raise UsageError(f"--seed must be between 0 and {MAX_SEED}")
        if seed is None and not args.seed_per_student:
            import secrets
            seed = secrets.randbelow(MAX_SEED) + 1
        minutes = args.minutes if args.minutes is not None else float(
            MINUTES_PER_QUESTION * args.count)
        exam = ExamPlan(seed, args.count, minutes, args.seed_per_student)
    if args.lesson is not None and load_lessons().get(args.lesson) is None:
        raise UsageError(f"no lesson {args.lesson!r} (see: smtpsim lessons list)")
    code = normalise(args.code) if args.code is not None else join_code()
    if args.code is not None and not 3 <= len(code) <= 32:
        raise UsageError("--code needs 3 to 32 letters or digits")
    places = args.max_students if args.max_students is not None else default_max_students()
    if places < 1:
        raise UsageError("--max-students must be at least 1")
    return ClassroomSettings(
        host=args.host, port=args.port, code=code, max_students=places,
        language=getattr(args, "lang", None),
        profile=args.profile, projector=args.projector, lesson=args.lesson, exam=exam,
        results_dir=Path(args.results), font_size=args.font_size)


def cmd_classroom(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    try:
        settings.results_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot use --results {settings.results_dir}: "
                         f"{error.strerror}") from None
    import asyncio

    from ..classroom.runner import serve
    # Each student's data folder and status file live here for the class's duration.
    settings = replace(settings, run_dir=Path(tempfile.mkdtemp(prefix="smtpsim-classroom-")))
    if settings.exam is not None:
        plan = settings.exam
        which = "one per student" if plan.per_student else f"seed {plan.seed}"
        print(f"smtpsim classroom: exam of {plan.count} questions, {which}, "
              f"{plan.minutes:g} minutes")
    try:
        asyncio.run(serve(settings))
    except OSError as error:
        print(f"smtpsim: cannot serve on {settings.host}:{settings.port}: "
              f"{error.strerror or error}", file=sys.stderr)
        return 1
    finally:
        import shutil
        shutil.rmtree(settings.run_dir, ignore_errors=True)
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    from ..classroom.results import collect, merged_csv, summary
    folder = Path(args.folder)
    if not folder.is_dir():
        raise UsageError(f"no such folder: {folder}")
    collected = collect(folder)
    for problem in collected.problems:
        print(f"smtpsim: {problem}", file=sys.stderr)
    print(summary(collected))
    if args.csv:
        try:
            Path(args.csv).write_text(merged_csv(collected), "utf-8", newline="")
        except OSError as error:
            raise UsageError(f"cannot write {args.csv}: {error.strerror}") from None
        print(f"Written: {args.csv}")
    return 0
