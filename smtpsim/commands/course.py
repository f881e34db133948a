"""The course's subcommands.

* ``smtpsim lesson [ID]``         - open the app in one lesson (without ID: the picker);
* ``smtpsim lessons list``        - every lesson with the learner's completion;
* ``smtpsim lessons check PATH``  - validate lesson files for a teacher
  (``file:line: message`` per problem; exit 1 if any, 0 when clean).

The exam practice adds its own subcommand from :mod:`smtpsim.commands.exam`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..course.lessons import load_lessons
from ..course.lessons_run import check_path
from ..course.progress import Progress
from ..i18n import _, ngettext
from ..usage import UsageError
from .exam import register_exam


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             parser: argparse.ArgumentParser) -> None:
    register_lessons(subparsers)
    register_exam(subparsers)


def register_lessons(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lesson = subparsers.add_parser("lesson",
                                   help=_("open the app in one lesson (no ID: pick one)"))
    lesson.add_argument("lesson_id", metavar="ID", nargs="?",
                        help=_("a lesson id (see: smtpsim lessons list)"))
    lesson.add_argument("--language", default=None,
                        help=_("lesson language (default: the --lang language)"))
    lesson.set_defaults(handler=cmd_lesson)

    lessons = subparsers.add_parser("lessons", help=_("list lessons, or check lesson files"))
    actions = lessons.add_subparsers(dest="lessons_command", metavar="ACTION")
    listing = actions.add_parser("list", help=_("every lesson with your completion"))
    listing.add_argument("--language", default=None,
                        help=_("lesson language (default: the --lang language)"))
    listing.set_defaults(handler=cmd_lessons_list)
    check = actions.add_parser("check", help=_("validate lesson files (a file or a folder)"))
    check.add_argument("path", help=_("a lesson .toml file or a folder of them"))
    check.set_defaults(handler=cmd_lessons_check)
    lessons.set_defaults(handler=cmd_lessons_list, language=None)


def cmd_lessons_list(args: argparse.Namespace) -> int:
    found = load_lessons(args.language)
    progress = Progress()
    for number, lesson in enumerate(found.lessons, start=1):
        entry = progress.get(lesson.id)
        done = entry.steps_done if entry else 0
        mark = _("done") if entry and entry.finished else f"{done}/{len(lesson.steps)}"
        print(f"{number:2d}. {lesson.id:<28} {mark:>5}  {lesson.title}")
    for broken in found.broken:
        print(f" !  {broken.title:<28} " + _("broken") + f"  {broken.error}")
    if progress.problem:
        print(f"smtpsim: {progress.problem}", file=sys.stderr)
    return 0


def cmd_lessons_check(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.exists():
        raise UsageError(_("no such file or folder: {path}").format(path=path))
    report = check_path(path)
    if not report.files:
        print(_("{path}: no lesson files (*.toml) found").format(path=path))
        return 1
    for problem in report.problems:
        print(problem)
    broken = len({p.path for p in report.problems})
    # The summary is the command's result: stdout, like the problems above it.
    files = ngettext("{count} file", "{count} files", len(report.files)).format(
        count=len(report.files))
    good = ngettext("{count} lesson", "{count} lessons", len(report.good)).format(
        count=len(report.good))
    print(_("{files} checked: {good} OK, {broken} with problems").format(
          files=files, good=good, broken=broken))
    return 0 if report.ok else 1


def cmd_lesson(args: argparse.Namespace) -> int:
    found = load_lessons(args.language)
    lesson = found.get(args.lesson_id) if args.lesson_id else None
    if args.lesson_id and lesson is None:
        known = ", ".join(found.ids())
        raise UsageError(_("no lesson {id}; lessons are: {known}").format(
            id=repr(args.lesson_id), known=known))
    # Imported only when the app is wanted: `smtpsim lessons check` never loads Textual.
    from ..ui.app import make_app
    from ..ui.course.lesson_pane import open_lesson, open_lesson_picker
    if lesson is None:
        app = make_app(setup=lambda app: open_lesson_picker(app, lessons=found))
    else:
        app = make_app(lesson.profile, lesson.faults, lesson_id=lesson.id,
                       setup=lambda app: open_lesson(app, lesson, lessons=found))
    app.run()
    return 0
