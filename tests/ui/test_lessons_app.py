"""Lessons in the app: the picker, the pane beside the simulator, a lesson to the end."""

from __future__ import annotations

import shutil
from pathlib import Path

from smtpsim.course import Progress, load_lessons
from smtpsim.course.lessons import language_folder
from smtpsim.ui.course.lesson_pane import LessonPane, open_lesson, open_lesson_picker
from smtpsim.ui.course.lesson_picker import LessonPicker

from .helpers import SIZE, new_app, send

BROKEN = Path(__file__).parents[1] / "course" / "fixtures" / "lessons_broken"


def lesson_app(lesson_id: str, progress: Progress):
    lessons = load_lessons()
    lesson = lessons.get(lesson_id)
    return new_app(lesson.profile, lesson.faults, lesson_id=lesson_id,
                   setup=lambda app: open_lesson(app, lesson_id, progress, lessons))


async def test_a_lesson_taken_to_the_end_in_the_app(tmp_path):
    progress = Progress(tmp_path)
    app = lesson_app("first-conversation", progress)
    lesson = load_lessons().get("first-conversation")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(LessonPane)
        assert app.side_panel_open
        assert "Step 1 of 6" in pane.step_text
        assert pane.query_one("#lesson-bar").progress == 0
        for number, step in enumerate(lesson.steps, start=1):
            assert f"Step {number} of 6" in pane.step_text
            await send(pilot, app, *step.answer)
            assert pane.query_one("#lesson-bar").progress == number
            assert pane.result_text.startswith("✓ " + step.success[:30])
            assert progress.get("first-conversation").steps_done == number
        assert "Lesson complete." in pane.step_text
        assert app.session.closed
    assert Progress(tmp_path).get("first-conversation").finished


async def test_a_wrong_line_is_explained_and_the_step_stays(tmp_path):
    app = lesson_app("first-conversation", Progress(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(LessonPane)
        await send(pilot, app, "HELO client.example", "RCPT TO:<bob@mail.example>")
        assert "Step 2 of 6" in pane.step_text
        result = pane.result_text
        assert result.startswith("✗ Not yet. Wanted: the latest reply with code 250 to MAIL")
        assert "What happened: 503 5.5.1 - Bad sequence of commands\nWhy: RCPT came" in result
        assert "Why:" in result


async def test_hint_and_model_answer_keys(tmp_path):
    app = lesson_app("help", Progress(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(LessonPane)
        pane.focus()
        await pilot.press("ctrl+g")
        help_area = str(pane.query_one("#lesson-help").render())
        assert help_area == "Hint: HELP with no argument."
        await pilot.press("ctrl+o")
        assert str(pane.query_one("#lesson-help").render()) == "Model answer - type:\n  HELP"
        await pilot.click("#lesson-hint")
        assert pane.run.hints_used == 3


async def test_a_step_that_needs_another_server_opens_a_new_connection(tmp_path):
    app = lesson_app("vrfy-and-expn", Progress(tmp_path))
    lesson = load_lessons().get("vrfy-and-expn")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.session.profile.name == "modern"
        for step in lesson.steps[:3]:
            await send(pilot, app, *step.answer)
        assert app.session.profile.name == "modern"       # step 3's, until the learner goes on
        await send(pilot, app, "VRFY bob")                # step 4's first line opens its own
        assert app.session.profile.name == "hardened"
        assert [e.code for e in app.session.transcript if e.side == "S"] == [220, 252]
        assert app.earlier[-1].session.profile.name == "modern"
        assert "Step 5 of 6" in app.query_one(LessonPane).step_text   # and it passed step 4


async def test_a_connection_of_the_learners_own_restarts_the_step(tmp_path):
    app = lesson_app("first-conversation", Progress(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(LessonPane)
        await send(pilot, app, "HELO client.example", "QUIT")
        assert pane.result_text.startswith("✗ Not yet")
        assert "The connection is closed" in pane.result_text
        await pilot.press("f5")           # the app's own "new connection"
        await pilot.pause()
        assert pane.run.session is app.session
        assert "this step starts again" in pane.result_text
        await send(pilot, app, "HELO client.example", "MAIL FROM:<alice@client.example>")
        assert "Step 3 of 6" in pane.step_text


async def test_the_picker_lists_completion_and_broken_lessons_and_opens_one(tmp_path):
    root = tmp_path / "lessons"
    shutil.copytree(language_folder("en"), root / "en")
    shutil.copy(BROKEN / "syntax_error.toml", root / "en" / "99-broken.toml")
    lessons = load_lessons(root=root)
    progress = Progress(tmp_path)
    progress.record("first-conversation", 6, 6)
    progress.record("three-digits", 3, 7)
    app = new_app(setup=lambda app: open_lesson_picker(app, progress, lessons))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, LessonPicker)
        options = picker.query_one("#lessons")
        first = str(options.get_option_at_index(0).prompt)
        assert first.startswith("✓  1. The first conversation")
        assert "██████████ 6/6 steps" in first
        assert "3/7 steps" in str(options.get_option_at_index(1).prompt)
        broken = options.get_option_at_index(20)
        assert broken.disabled
        assert "99-broken.toml:6: TOML syntax" in str(broken.prompt)
        assert options.highlighted == 1            # the first lesson not finished
        await pilot.press("enter")
        await pilot.pause()
        pane = app.query_one(LessonPane)
        assert pane.lesson.id == "three-digits"
        assert "Lesson 2 of 20" in str(pane.query_one("#lesson-title").render())


async def test_smtpsim_lesson_id_opens_the_app_in_that_lesson(monkeypatch, tmp_path):
    from smtpsim.cli import main
    from smtpsim.ui.app import SmtpsimApp
    monkeypatch.setenv("SMTPSIM_DATA_DIR", str(tmp_path))
    built = []
    monkeypatch.setattr(SmtpsimApp, "run", lambda self, *a, **k: built.append(self))
    assert main(["lesson", "send-soml-saml"]) == 0
    app = built[0]
    assert app.extra["lesson_id"] == "send-soml-saml"
    assert app.profile_name == "classic"
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(LessonPane)
        assert pane.lesson.id == "send-soml-saml"
        assert app.session.profile.name == "classic"
        await send(pilot, app, "HELO client.example", "SEND FROM:<alice@client.example>")
        assert "Step 2 of 6" in pane.step_text
    assert Progress(tmp_path).get("send-soml-saml").steps_done == 1


def test_an_unknown_lesson_id_is_a_usage_error(capsys):
    from smtpsim.cli import main
    assert main(["lesson", "no-such-lesson"]) == 2
    err = capsys.readouterr().err
    assert "no lesson 'no-such-lesson'" in err and "first-conversation" in err


async def test_smtpsim_lesson_without_id_opens_the_picker(monkeypatch, tmp_path):
    from smtpsim.cli import main
    from smtpsim.ui.app import SmtpsimApp
    monkeypatch.setenv("SMTPSIM_DATA_DIR", str(tmp_path))
    built = []
    monkeypatch.setattr(SmtpsimApp, "run", lambda self, *a, **k: built.append(self))
    assert main(["lesson"]) == 0
    async with built[0].run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(built[0].screen, LessonPicker)
        await pilot.press("escape")
        await pilot.pause()
        assert not built[0].side_panel_open


async def test_opening_another_lesson_replaces_the_pane_and_its_listener(tmp_path):
    progress = Progress(tmp_path)
    app = lesson_app("first-conversation", progress)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = app.query_one(LessonPane)
        await pilot.click("#lesson-picker")
        await pilot.pause()
        assert isinstance(app.screen, LessonPicker)
        await pilot.press("down", "enter")       # the picker starts on lesson 1; take 2
        await pilot.pause()
        panes = list(app.query(LessonPane))
        assert len(panes) == 1 and panes[0] is not first
        assert panes[0].lesson.id == "three-digits"
        ours = [f for f in app.session_listeners if getattr(f, "__self__", None) in
                (first, panes[0])]
        assert [f.__self__ for f in ours] == [panes[0]]
        await send(pilot, app, "HELO client.example")
        assert "Step 2 of 7" in panes[0].step_text
        await pilot.click("#lesson-close")
        await pilot.pause()
        assert not app.side_panel_open
        assert not any(getattr(f, "__self__", None) is panes[0] for f in app.session_listeners)


def visible_in(container, widget) -> bool:
    """True when ``widget``'s first row is inside the scrolled ``container``."""
    top = container.scroll_offset.y
    start = widget.virtual_region.y
    return top <= start < top + container.scrollable_content_region.height


async def test_a_hint_asked_for_is_scrolled_into_view_at_120x36(tmp_path):
    app = lesson_app("first-conversation", Progress(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        pane = app.query_one(LessonPane)
        body = pane.query_one("#lesson-body")
        await send(pilot, app, "NOOP")          # a check result: the hint goes below it
        for key in ("ctrl+g", "ctrl+o"):
            body.scroll_home(animate=False, immediate=True)
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            help_ = pane.query_one("#lesson-help")
            assert help_.virtual_region.y >= body.scrollable_content_region.height, key
            assert visible_in(body, help_), key


async def test_ctrl_f_opens_the_next_lesson(tmp_path):
    progress = Progress(tmp_path)
    app = lesson_app("first-conversation", progress)
    lessons = load_lessons()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for step in lessons.get("first-conversation").steps:
            await send(pilot, app, *step.answer)
        pane = app.query_one(LessonPane)
        second = lessons.lessons[1]
        assert f"Next: {second.title} (ctrl+f)" in pane.step_text
        await pilot.press("ctrl+f")
        await pilot.pause()
        (pane,) = app.query(LessonPane)
        assert pane.lesson.id == second.id and "Step 1 of" in pane.step_text
        assert app.session.profile.name == second.profile


async def test_the_servers_buffers_stay_visible_beside_a_lesson(tmp_path):
    app = lesson_app("first-conversation", Progress(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(pilot, app, "HELO client.example", "MAIL FROM:<alice@client.example>")
        server = app.query_one("#right")
        buffers = server.inner
        assert buffers.region.width >= 25 and buffers.region.height >= 5
        assert "reverse-path" in buffers.text.plain
        assert "<alice@client.example>" in buffers.text.plain
        assert server.users.region.height >= 2
