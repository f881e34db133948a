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
from ..i18n import _, ngettext
from ..usage import UsageError


def register(subparsers: argparse._SubParsersAction, parser: argparse.ArgumentParser) -> None:
    from ..mta import PROFILES
    room = subparsers.add_parser(
        "classroom", help=_("serve the app to a class's browsers, and collect exam results"),
        description=_("Each student opens the URL shown in a browser, types the code and "
                      "gets their own simulator; exam results land in --results."))
    room.add_argument("--host", default="127.0.0.1",
                      help=_("address to bind (default 127.0.0.1: this machine only; "
                             "0.0.0.0 for the class)"))
    room.add_argument("--port", type=int, default=8000,
                      help=_("TCP port (default 8000; 0: any)"))
    room.add_argument("--profile", choices=sorted(PROFILES), help=_("server profile"))
    room.add_argument("--projector", action="store_true",
                      help=_("the app's high-contrast theme, in every student's app "
                             "(alt+p switches it in the browser)"))
    room.add_argument("--font-size", type=int, default=16, choices=FONT_SIZES,
                      help=_("the page's default text size (students may pick another)"))
    opened = room.add_mutually_exclusive_group()
    opened.add_argument("--lesson", metavar="ID", help=_("open this lesson for everyone"))
    opened.add_argument("--exam", action="store_true", help=_("open an exam for everyone"))
    room.add_argument("--seed", type=int, help=_("with --exam: the same exam for everyone "
                                                 "(default: one drawn now and shown)"))
    room.add_argument("--seed-per-student", action="store_true",
                      help=_("with --exam: each student gets an exam of their own"))
    room.add_argument("--count", type=int, default=10, help=_("with --exam: questions (10)"))
    room.add_argument("--minutes", type=float, help=_("with --exam: time limit "
                                                      "(default: 2 a question)"))
    room.add_argument("--code", help=_("the join code (default: a random one, shown)"))
    room.add_argument("--max-students", type=int,
                      help=_("places in the class (default: what this machine's memory "
                             "holds)"))
    room.add_argument("--results", default="results", metavar="DIR",
                      help=_("where exam results are collected (default: ./results)"))
    room.set_defaults(handler=cmd_classroom)

    results = subparsers.add_parser(
        "results", help=_("merge a folder of exam results: a summary, and one CSV"))
    results.add_argument("folder", metavar="DIR", help=_("the folder of results (*.json)"))
    results.add_argument("--csv", metavar="OUT", help=_("write the merged CSV here"))
    results.add_argument("--excel", action="store_true",
                         help=_("write the CSV as Excel opens it in Italian settings: "
                                "semicolons, decimal commas, UTF-8 marked"))
    results.set_defaults(handler=cmd_results)


def settings_from(args: argparse.Namespace) -> ClassroomSettings:
    from ..classroom.gate import normalise
    from ..classroom.settings import join_code
    from ..course.exam import MAX_QUESTIONS, MAX_SEED, MINUTES_PER_QUESTION
    from ..course.lessons import load_lessons
    from ..i18n import language
    if not 0 <= args.port <= 65535:
        raise UsageError(_("--port {port} is not a TCP port").format(port=args.port))
    exam_options = args.seed is not None or args.seed_per_student or args.minutes is not None
    if exam_options and not args.exam:
        raise UsageError(_("--seed, --seed-per-student and --minutes go with --exam"))
    if args.seed is not None and args.seed_per_student:
        raise UsageError(_("--seed gives everyone the same exam; --seed-per-student one "
                           "each: choose one"))
    if args.profile and (args.lesson or args.exam):
        raise UsageError(_("--profile is for the simulator: a lesson sets its own profile, "
                           "an exam needs none"))
    exam = None
    if args.exam:
        if not 1 <= args.count <= MAX_QUESTIONS:
            raise UsageError(_("--count must be between 1 and {max}").format(max=MAX_QUESTIONS))
        if args.minutes is not None and not 0 < args.minutes <= 24 * 60:
            raise UsageError(_("--minutes must be more than 0 and at most a day (1440)"))
        seed = args.seed
        if seed is not None and not 0 <= seed <= MAX_SEED:
            raise UsageError(_("--seed must be between 0 and {max}").format(max=MAX_SEED))
        if seed is None and not args.seed_per_student:
            import secrets
            seed = secrets.randbelow(MAX_SEED) + 1
        minutes = args.minutes if args.minutes is not None else float(
            MINUTES_PER_QUESTION * args.count)
        exam = ExamPlan(seed, args.count, minutes, args.seed_per_student)
    if args.lesson is not None and load_lessons().get(args.lesson) is None:
        raise UsageError(_("no lesson {id} (see: smtpsim lessons list)").format(
            id=repr(args.lesson)))
    code = normalise(args.code) if args.code is not None else join_code()
    if args.code is not None and not 3 <= len(code) <= 32:
        raise UsageError(_("--code needs 3 to 32 letters or digits"))
    places = args.max_students if args.max_students is not None else default_max_students()
    if places < 1:
        raise UsageError(_("--max-students must be at least 1"))
    return ClassroomSettings(
        host=args.host, port=args.port, code=code, max_students=places,
        language=getattr(args, "lang", None) or language(),
        profile=args.profile, projector=args.projector, lesson=args.lesson, exam=exam,
        results_dir=Path(args.results), font_size=args.font_size)


def cmd_classroom(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    try:
        settings.results_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(_("cannot use --results {folder}: {error}").format(
            folder=settings.results_dir, error=error.strerror)) from None
    import asyncio

    from ..classroom.runner import serve
    # Each student's data folder and status file live here for the class's duration.
    settings = replace(settings, run_dir=Path(tempfile.mkdtemp(prefix="smtpsim-classroom-")))
    if settings.exam is not None:
        plan = settings.exam
        which = _("one per student") if plan.per_student else _("seed {seed}").format(
            seed=plan.seed)
        print(ngettext("smtpsim classroom: exam of {count} question, {which}, {minutes} "
                       "minutes", "smtpsim classroom: exam of {count} questions, {which}, "
                       "{minutes} minutes", plan.count).format(
              count=plan.count, which=which, minutes=f"{plan.minutes:g}"))
    try:
        asyncio.run(serve(settings))
    except OSError as error:
        print("smtpsim: " + _("cannot serve on {host}:{port}: {error}").format(
              host=settings.host, port=settings.port, error=error.strerror or error),
              file=sys.stderr)
        return 1
    finally:
        import shutil
        shutil.rmtree(settings.run_dir, ignore_errors=True)
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    from ..classroom.results import collect, merged_csv, summary
    folder = Path(args.folder)
    if not folder.is_dir():
        raise UsageError(_("no such folder: {folder}").format(folder=folder))
    collected = collect(folder)
    for problem in collected.problems:
        print(f"smtpsim: {problem}", file=sys.stderr)
    print(summary(collected))
    if args.excel and not args.csv:
        raise UsageError(_("--excel is a way of writing the CSV: give --csv OUT too"))
    if args.csv:
        try:
            Path(args.csv).write_text(merged_csv(collected, excel=args.excel), "utf-8",
                                      newline="")
        except OSError as error:
            raise UsageError(_("cannot write {file}: {error}").format(
                file=args.csv, error=error.strerror)) from None
        print(_("Written: {file}").format(file=args.csv))
    return 0
