"""A lesson step whose successor runs on a new connection: the learner sees the step's
success beside the connection it describes, and moves on when ready.

Played as a learner plays them - the model answers typed into the command line - at the
two sizes a class uses (120x36, and 80x24 on a projector), reading what is on screen.
"""

from __future__ import annotations

import html
import re

import pytest

from smtpsim.course import Progress, load_lessons
from smtpsim.ui.course.lesson_pane import LessonPane, open_lesson

from .helpers import new_app, send

SIZES = [(120, 36), (80, 24)]
WAITING = "press ctrl+n, or type its first command, to open it"
MOVED_ON = "A new connection for this step. ctrl+pageup shows the one before it"


def lesson_app(lesson_id: str, tmp_path):
    lessons = load_lessons()
    lesson = lessons.get(lesson_id)
    progress = Progress(tmp_path)
    app = new_app(lesson.profile, lesson.faults, lesson_id=lesson_id,
                  setup=lambda app: open_lesson(app, lesson_id, progress, lessons))
    return app, lesson


def screen_rows(app) -> list[str]:
    """The screen as the learner reads it: one string per terminal row, each character in
    its column (the SVG export places each run of text at x = column * cell width)."""
    cells = re.findall(r'<text [^>]*x="([\d.]+)" y="([\d.]+)" textLength="([\d.]+)"[^>]*>'
                       r'([^<]*)</text>', app.export_screenshot())
    width = next(float(length) / len(html.unescape(text)) for _x, _y, length, text in cells
                 if text)
    rows: dict[float, dict[int, str]] = {}
    for x, y, _length, text in cells:
        row = rows.setdefault(float(y), {})
        for offset, char in enumerate(html.unescape(text).replace("\xa0", " ")):
            row[round(float(x) / width) + offset] = char
    return ["".join(row.get(column, " ") for column in range(max(row, default=-1) + 1))
            for _y, row in sorted(rows.items())]


def on_screen(app, *fragments: str, inside=None) -> bool:
    """Every fragment is drawn (on the whole screen, or in the region of ``inside``),
    however its words wrap."""
    rows = screen_rows(app)
    if inside is not None:
        region = inside.region
        rows = [row[region.x:region.right] for row in rows[region.y:region.bottom]]
    text = " ".join(" ".join(rows).split())
    return all(" ".join(fragment.split()) in text for fragment in fragments)


def result_in_view(pane: LessonPane) -> bool:
    body = pane.query_one("#lesson-body")
    start = pane.query_one("#lesson-result").virtual_region.y
    top = body.scroll_offset.y
    return top <= start < top + body.scrollable_content_region.height


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
async def test_lesson_12_the_turn_session_stays_until_the_learner_moves_on(tmp_path, size):
    app, lesson = lesson_app("turn-and-etrn", tmp_path)
    helo, turn, modern, etrn = lesson.steps
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        pane = app.query_one(LessonPane)
        await send(pilot, app, *helo.answer)
        assert app.session.profile.name == "classic" and not app.session.reversed

        await send(pilot, app, *turn.answer)
        turned = app.session
        # Still the reversed session on screen: the roles swapped and the delivery to
        # alice, with the step's success beside it, in view.
        assert turned is pane.run.session and turned.reversed and turned.closed
        assert pane.run.waiting_to_connect and len(pane.run.sessions) == 1
        assert on_screen(app, "roles reversed by", "reversed session CLOSED")
        if size == (120, 36):      # at 80x24 beside a lesson the transcripts are short
            assert on_screen(app, "221 client.example", inside=app.query_one("#left"))
        assert pane.result_text.startswith("✓ " + turn.success)
        assert WAITING in pane.result_text and result_in_view(pane)
        if size == (120, 36):      # the whole success and how to go on, in the pane
            assert on_screen(app, "✓ " + turn.success, WAITING, inside=pane)
        else:                      # a projector's 80x24: its start, the rest scrolls
            assert on_screen(app, "✓ " + turn.success[:40], inside=pane)
        assert "Step 3 of 4" in pane.step_text
        kept = len(app.earlier)

        # The next command opens the next step's connection and goes to it.
        await send(pilot, app, modern.answer[0])
        live = app.session
        assert live is pane.run.session and live is not turned
        assert live.profile.name == "modern" and not live.reversed
        assert [e.code for e in live.transcript if e.side == "S"] == [220, 250]
        assert len(app.earlier) == kept + 1 and app.earlier[-1].session is turned
        assert on_screen(app, "profile modern") and not on_screen(app, "reversed session")
        await send(pilot, app, *modern.answer[1:])
        assert pane.result_text.startswith("✓ " + modern.success)
        assert not pane.run.waiting_to_connect    # step 4 runs on this same connection
        assert "Step 4 of 4" in pane.step_text

        # The TURN session is still there to select and step through.
        await pilot.press("ctrl+pageup")
        await pilot.pause()
        assert app.session is turned and app.viewing == len(app.earlier) - 1
        assert on_screen(app, "roles reversed by")
        await pilot.press("pageup")
        await pilot.pause()
        assert app.selected is not None and app.session is turned
        where = f"line {app.selected + 1} of {len(turned.transcript)}"
        assert on_screen(app, where, inside=app.query_one("#explanation"))

        await send(pilot, app, *etrn.answer)       # typing goes live again
        assert app.session is live
        assert "Lesson complete." in pane.step_text
        assert pane.result_text.startswith("✓ " + etrn.success)


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
async def test_ctrl_n_moves_on_and_says_so(tmp_path, size):
    app, lesson = lesson_app("turn-and-etrn", tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        pane = app.query_one(LessonPane)
        await send(pilot, app, *lesson.steps[0].answer, *lesson.steps[1].answer)
        turned = app.session
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.session is not turned and app.session.profile.name == "modern"
        assert app.earlier[-1].session is turned
        assert pane.result_text.startswith(MOVED_ON) and result_in_view(pane)
        assert not pane.run.waiting_to_connect
        await pilot.press("ctrl+n")                # now: this step again, as before
        await pilot.pause()
        assert "this step starts again" in pane.result_text


async def test_f5_while_waiting_opens_the_steps_own_connection(tmp_path):
    app, lesson = lesson_app("turn-and-etrn", tmp_path)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        pane = app.query_one(LessonPane)
        await send(pilot, app, *lesson.steps[0].answer, *lesson.steps[1].answer)
        await pilot.press("f5")                    # the app's new connection (classic)
        await pilot.pause()
        assert app.session is pane.run.session
        assert app.session.profile.name == "modern"    # the lesson's, for step 3
        await send(pilot, app, *lesson.steps[2].answer)
        assert pane.result_text.startswith("✓ " + lesson.steps[2].success)


def lessons_with_new_connections() -> list[str]:
    return [lesson.id for lesson in load_lessons().lessons
            if any(step.new_connection for step in lesson.steps[1:])]


@pytest.mark.parametrize("lesson_id", lessons_with_new_connections())
async def test_every_step_before_a_new_connection_stays_on_screen(tmp_path, lesson_id):
    app, lesson = lesson_app(lesson_id, tmp_path)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        pane = app.query_one(LessonPane)
        first_line_typed = False
        for number, step in enumerate(lesson.steps, start=1):
            await send(pilot, app, *step.answer[1 if first_line_typed else 0:])
            first_line_typed = False
            assert pane.result_text.startswith("✓ " + step.success[:40]), number
            following = lesson.steps[number] if number < len(lesson.steps) else None
            if following is None or not following.new_connection:
                assert not pane.run.waiting_to_connect, number
                continue
            finished = app.session
            assert pane.run.waiting_to_connect and pane.run.session is finished, number
            assert WAITING in pane.result_text and result_in_view(pane), number
            await send(pilot, app, following.answer[0])   # moving on: its first command
            first_line_typed = True
            assert app.session is pane.run.session and app.session is not finished
            profile, faults = lesson.connection_for(following)
            assert app.session.profile.name == profile and app.faults == faults, number
            assert app.earlier[-1].session is finished, number
        assert "Lesson complete." in pane.step_text
