"""``smtpsim exam``: exam practice in the app, or a paper exam on standard output.

* ``smtpsim exam [--seed N] [--count N] [--minutes M] [--practice] [--student NAME]``
  opens the exam in the app.  Without ``--seed`` a seed is drawn and shown, so the
  same exam can be given again; exam mode is timed (two minutes a question unless
  ``--minutes`` says otherwise), practice mode only when ``--minutes`` is given.
* ``smtpsim exam --retry`` practises the questions of the retry pool.
* ``smtpsim exam --print --seed N --count N`` prints a paper exam: the questions
  only, so that a key cannot be handed out by accident.  ``--key`` adds the answer
  key after a form feed (a printer starts a new page there); ``--key-only`` prints
  the key alone, for a separate file.  The same seed gives the same paper as in the
  app, and its first questions stay the same as ``--count`` grows.  That path never
  imports Textual.

Results are saved as JSON and CSV when the exam ends, in ``--results DIR``
(default: ``results`` in the user-data directory), for a teacher to collect.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path

from ..course.exam import (
    MAX_QUESTIONS,
    MAX_SEED,
    MINUTES_PER_QUESTION,
    ExamSettings,
    build_exam,
)
from ..course.exam_paper import paper
from ..course.exam_pool import RetryPool
from ..i18n import N_, _
from ..usage import UsageError

PRINT_FORMATS = ("text", "moodle", "gift")
#: The two modes, as ExamSettings.mode names them (translated where they are shown).
MODE_NAMES = (N_("practice"), N_("exam"))


def register_exam(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exam = subparsers.add_parser(
        "exam", help=_("exam practice: seeded questions graded by the engine"),
        description=_("Questions made and graded by the SMTP engine. The same --seed gives "
                      "the same exam to a whole class."))
    exam.add_argument("--seed", type=int,
                      help=_("which exam (default: a new one, shown); a seed fixes a sequence "
                             "of questions and --count takes its first ones"))
    exam.add_argument("--count", type=int, default=10,
                      help=_("number of questions (default 10)"))
    exam.add_argument("--minutes", type=float,
                      help=_("time limit (exam default: {minutes} a question)").format(
                          minutes=MINUTES_PER_QUESTION))
    exam.add_argument("--practice", action="store_true",
                      help=_("practice mode: feedback after every answer, no time limit"))
    exam.add_argument("--student", default="", help=_("your name, written into the results"))
    exam.add_argument("--retry", action="store_true",
                      help=_("practise the questions you got wrong before (the retry pool)"))
    exam.add_argument("--results", metavar="DIR", help=_(
        "where to save the results (JSON and CSV; default: results in the user-data "
        "directory)"))
    exam.add_argument("--classroom", action="store_true",
                      help=_("ask the student's name first and report to the classroom "
                             "server (smtpsim classroom --exam starts the exam so)"))
    exam.add_argument("--print", action="store_true", dest="print_paper",
                      help=_("print a paper exam instead: the questions (no answer key)"))
    exam.add_argument("--key", action="store_true",
                      help=_("with --print: the answer key too, after a page break"))
    exam.add_argument("--key-only", action="store_true",
                      help=_("print only the answer key (implies --print)"))
    exam.add_argument("--format", choices=PRINT_FORMATS, default="text",
                      help=_("with --print: text (default), or a Moodle question bank import: "
                             "moodle (Moodle XML) or gift; those hold the questions with "
                             "their answers"))
    exam.set_defaults(handler=cmd_exam)


def printed_part(args: argparse.Namespace) -> str | None:
    """Which part of the paper exam the flags ask for (one of PARTS), or None."""
    if args.key_only:
        return "key"
    if args.print_paper:
        return "all" if args.key else "questions"
    return None


def settings_from(args: argparse.Namespace) -> ExamSettings:
    if not 1 <= args.count <= MAX_QUESTIONS:
        raise UsageError(_("--count must be between 1 and {max}").format(max=MAX_QUESTIONS))
    if args.minutes is not None and not 0 < args.minutes <= 24 * 60:
        raise UsageError(_("--minutes must be more than 0 and at most a day (1440)"))
    if args.seed is not None and not 0 <= args.seed <= MAX_SEED:
        raise UsageError(_("--seed must be between 0 and {max}").format(max=MAX_SEED))
    if args.key and not (args.print_paper or args.key_only):
        raise UsageError(_("--key goes with --print (or use --key-only)"))
    args.print_part = printed_part(args)
    if args.format != "text" and not args.print_part:
        raise UsageError(_("--format goes with --print: it writes a paper exam or a quiz file"))
    if args.retry and args.print_part:
        raise UsageError(_("--print makes a paper exam from a seed; it cannot print the "
                           "retry pool"))
    # The one place a seed is drawn without being asked for: the edge, not the core.
    seed = args.seed if args.seed is not None else secrets.randbelow(MAX_SEED) + 1
    minutes = args.minutes
    if minutes is None and not (args.practice or args.retry):
        minutes = float(MINUTES_PER_QUESTION * args.count)
    return ExamSettings(seed=seed, count=args.count, minutes=minutes,
                        practice=args.practice or args.retry, student=args.student.strip(),
                        retry=args.retry,
                        results_dir=Path(args.results) if args.results else None)


def cmd_exam(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.format != "text":
        from ..exports.files import quiz_file  # Moodle XML or GIFT, with the answers
        sys.stdout.write(quiz_file(build_exam(settings.seed, settings.count), args.format))
        return 0
    if args.print_part:
        sys.stdout.write(paper(build_exam(settings.seed, settings.count), args.print_part))
        return 0
    if settings.retry:
        pool = RetryPool()
        if not len(pool):
            print(_("The retry pool is empty: questions you get wrong are kept there until "
                    "you answer them right three times in a row."))
            return 0
    print(_("smtpsim exam: seed {seed}, {count} questions, {mode} mode").format(
          seed=settings.seed, count=settings.count, mode=_(settings.mode)), file=sys.stderr)
    # Imported only now: `smtpsim exam --print` never loads Textual.
    from ..ui.app import make_app
    if getattr(args, "classroom", False):
        from ..ui.course.name_screen import open_named_exam
        make_app(setup=lambda app: open_named_exam(app, settings), exam=settings).run()
        return 0
    from ..ui.course.exam_screen import open_exam
    make_app(setup=lambda app: open_exam(app, settings, leave_app=True), exam=settings).run()
    return 0
