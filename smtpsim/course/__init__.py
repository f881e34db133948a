"""The course: guided lessons (and exam practice) graded by the engine itself.

Content lives in ``lessons/<language>/`` as data; this package loads it
(``lessons``), judges each step against what the engine actually did
(``checks``, ``lessons_run``) and remembers how far a learner got
(``progress``).  Nothing here imports Textual: the app shows what this decides.
"""

from .checks import Check, CheckError, parse_check
from .lessons import (
                      BrokenLesson,
                      Lesson,
                      LessonSet,
                      Problem,
                      Step,
                      lessons_root,
                      load_files,
                      load_lessons,
                      read_lesson,
)
from .lessons_run import Feedback, LessonRun, replay
from .progress import LessonProgress, Progress

__all__ = [
    "BrokenLesson", "Check", "CheckError", "Feedback", "Lesson", "LessonProgress",
    "LessonRun", "LessonSet", "Problem", "Progress", "Step", "lessons_root", "load_files",
    "load_lessons", "parse_check", "read_lesson", "replay",
]
