"""LessonRun(wait_to_connect=True): the app's way to keep a passed step's connection."""

from __future__ import annotations

from smtpsim.course import LessonRun, load_lessons
from smtpsim.course.lessons_run import PASSED


def test_a_passed_step_keeps_its_connection_until_move_on() -> None:
    lesson = load_lessons().get("turn-and-etrn")
    run = LessonRun(lesson, wait_to_connect=True)
    run.type_line("HELO client.example")
    feedback = run.type_line("TURN")
    turned = run.session
    assert feedback is not None and feedback.status == PASSED
    assert feedback.step.number == 2 and run.current.number == 3
    assert run.waiting_to_connect and turned.reversed and run.sessions == [turned]
    assert run.update() is None                 # nothing of step 3 is judged on it
    opened = run.move_on()
    assert opened is run.session and opened is not turned
    assert opened.profile.name == "modern" and not run.waiting_to_connect
    assert run.sessions == [turned, opened]
    assert run.move_on() is None                # nothing waits any more
    run.type_line("EHLO client.example")
    assert run.type_line("TURN").status == PASSED and run.current.number == 4
    assert not run.waiting_to_connect           # step 4 stays on this connection


def test_without_waiting_the_next_connection_opens_at_once() -> None:
    """``smtpsim lessons check`` and the headless replay: as before."""
    lesson = load_lessons().get("turn-and-etrn")
    run = LessonRun(lesson)
    run.type_line("HELO client.example")
    run.type_line("TURN")
    assert not run.waiting_to_connect
    assert run.session.profile.name == "modern" and len(run.sessions) == 2
