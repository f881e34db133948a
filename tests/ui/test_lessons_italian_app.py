"""The article lesson, in English and in Italian, taken to the end in the app as a learner does.

It is the longest lesson (12 steps, two new connections, a classic profile and an armed
fault), so it exercises everything a lesson file can ask of the app; the Italian twin runs
on the very same checks.  Both sizes a classroom uses: a projector (120x36) and a laptop
terminal (80x24).
"""

from __future__ import annotations

import pytest

from smtpsim.course import Progress, load_lessons
from smtpsim.ui.course.lesson_pane import LessonPane, open_lesson

from .helpers import SIZE, new_app, send

LESSON_ID = "article-errors"


@pytest.mark.parametrize("language, title", [
    ("en", "The article's errors, one by one"),
    ("it", "Gli errori dell'articolo, uno per uno"),
])
@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x36", "80x24"])
async def test_the_article_lesson_is_taken_to_the_end(tmp_path, language, title, size):
    lessons = load_lessons(language)
    lesson = lessons.get(LESSON_ID)
    progress = Progress(tmp_path)
    app = new_app(lesson.profile, lesson.faults, lesson_id=LESSON_ID,
                  setup=lambda app: open_lesson(app, LESSON_ID, progress, lessons))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        pane = app.query_one(LessonPane)
        assert title in str(pane.query_one("#lesson-title").render())
        profiles = []
        for number, step in enumerate(lesson.steps, start=1):
            await send(pilot, app, *step.answer)
            # The connection the step's lines went to (a new one opens at its first line;
            # a passed step's stays on screen while the next waits for the learner).
            profiles.append(pane.run.session.profile.name)
            assert pane.query_one("#lesson-bar").progress == number
            assert "✓ " + step.success[:30] in pane.result_text
        assert app.session.closed
    assert profiles[:6] == ["modern"] * 6            # the article's colons, NOOP, 504
    assert profiles[6:9] == ["classic"] * 3          # SMOL, SMAL and SAML on RFC 821
    assert profiles[9:] == ["modern"] * 3            # the armed 403, then 553 and QUIT
    assert progress.get(LESSON_ID).finished


async def test_the_article_wording_is_refused_and_the_step_waits_for_the_rfc_wording(tmp_path):
    lessons = load_lessons("it")
    app = new_app(setup=lambda app: open_lesson(app, LESSON_ID, Progress(tmp_path), lessons))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(LessonPane)
        await send(pilot, app, "HELO: client.example")
        assert pane.result_text.startswith("✗ ")
        assert "500" in pane.result_text
        assert pane.query_one("#lesson-bar").progress == 0
        await send(pilot, app, "HELO client.example")
        assert pane.query_one("#lesson-bar").progress == 1
        assert pane.result_text.startswith("✓ 500 per «HELO:»")
