"""Every main screen of the app in Italian, read as a student reads it: no English left.

The app is driven with real keys at the two sizes a class meets it (120x36 and 80x24)
through the simulator, the mailbox reader (ctrl+b), the journey (ctrl+k), the composer
(F2), the profile and fault pickers (F6, F7), the lookup (F8), the export dialog (F9),
the help (F1), the lesson picker (ctrl+l), an earlier connection (ctrl+pageup), a lesson
and an exam.  What each screen draws is compared with the English words of the gettext
template: a word that only the English messages use (it is in a msgid, in no Italian
msgstr, and not on the SMTP wire, which stays English) must not be on an Italian screen.
"""

from __future__ import annotations

import re

import pytest

from smtpsim import catalogue, i18n, po, settings

from .helpers import new_app, send

SIZES = [(120, 36), (80, 24)]
WORDS = re.compile(r"\b[A-Za-z][a-z]{3,}\b")
#: What is not our text: paths and file names, mail addresses, quotations «...» (an
#: Italian explanation may quote the RFC's own English words).
NOT_OURS = re.compile(r"\S*[/@]\S*|\S+\.(?:json|csv|txt|md|svg|pcapng)\b|«[^»]*»")
#: A line of the wire as the panes (arrows) and the explanations (C:/S:) show it.
WIRE_LINES = re.compile(r"(?:\b[CS]: |[←→] )[^│\n]*")
#: Words an Italian screen may show although English messages use them too: names of
#: things that Italian uses as they are (networking terms, file formats, keys).
SHARED = {"server", "client", "relay", "mailbox", "script", "mode", "bounce", "host",
          "markdown", "mermaid", "wireshark", "tshark", "pcapng", "telnet", "smtpsim",
          "pipelining", "reverse", "path", "forward", "paths", "envelope", "from",
          "esmtp", "helo", "ehlo", "data", "pageup", "pagedown", "ctrl", "enter", "shift",
          "batch", "alice", "carol", "dave", "gina", "john", "jane", "smith", "postmaster",
          "example", "staff", "friend", "modern", "classic", "hardened", "spool", "queue",
          "tick",      # the glossary gives the English term beside the Italian one
          "nobody"}    # a user the far domain does not have, named in its replies


def english_only_words() -> set[str]:
    """Words of the English messages that no Italian translation and no wire text uses."""
    template = po.parse((i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot").read_text("utf-8"))
    english = {word.lower() for fields, _fuzzy in template
               for word in WORDS.findall(fields.get("msgid", ""))}
    words = set()        # every Italian word, and its beginnings (a word cut by a border)
    for translated in i18n.translations("it").values():
        for form in translated if isinstance(translated, tuple) else (translated,):
            for word in WORDS.findall(form):
                words |= {word.lower()[:end] for end in range(4, len(word) + 1)}
    wire = {word.lower() for reply in catalogue.load("en").replies.values()
            for word in WORDS.findall(reply.text)}
    return english - words - wire - SHARED


ENGLISH_ONLY = english_only_words()


def screen_text(app) -> str:
    """What the terminal shows now: every cell of the top screen, line by line."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def english_on(text: str, wire: str) -> list[str]:
    """The English-only words of ``text``, leaving out what the session's wire carried
    (the learner's own commands and message text, and the replies)."""
    carried = {word.lower() for word in WORDS.findall(wire)}
    text = NOT_OURS.sub(" ", WIRE_LINES.sub(" ", text))
    return sorted({word for word in WORDS.findall(text)
                   if word.lower() in ENGLISH_ONLY and word.lower() not in carried})


def test_the_word_list_knows_english_from_italian():
    """The comparison can fail: these are words of English messages only."""
    assert {"nothing", "export", "compose", "question", "cancel", "closed", "search",
            "theme"} <= ENGLISH_ONLY
    assert not {"server", "ehlo", "recipient", "queued"} & ENGLISH_ONLY   # shared, or wire
    assert english_on("Posta consegnata - Nothing /tmp/export\nS: 250 Question", "") == \
        ["Nothing"]


SCREENS = [("ctrl+b", "mailbox"), ("f2", "composer"),
           ("f6", "profile"), ("f7", "fault"), ("f8", "lookup"), ("f9", "export"),
           ("f1", "help"), ("ctrl+l", "lessons")]


@pytest.mark.parametrize("size", SIZES)
async def test_every_main_screen_is_italian(italian, size):
    app = new_app()
    found: dict[str, list[str]] = {}
    async with app.run_test(size=size) as pilot:
        await send(pilot, app, "EHLO client.example", "MAIL FROM:<alice@client.example>",
                   "RCPT TO:<bob@mail.example>", "RCPT TO:<gus@grey.example>", "DATA",
                   "Subject: prova", "", "ciao", ".")

        def wire() -> str:
            return "\n".join(line for entry in app.session.transcript
                             if entry.side != "*" for line in entry.lines)

        found["simulator"] = english_on(screen_text(app), wire())
        for key, name in SCREENS:
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is not app.screen_stack[0], name     # the screen opened
            found[name] = english_on(screen_text(app), wire())
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+u", "ctrl+k")        # the journey panel, after one attempt
        await pilot.pause()
        assert app.query("#journey-panel"), "journey"
        found["journey"] = english_on(screen_text(app), wire())
        await pilot.press("ctrl+k")
        await pilot.pause()
        app.query_one("#command").focus()           # the journey took the focus
        await send(pilot, app, "QUIT")
        assert app.session.closed
        found["after QUIT"] = english_on(screen_text(app), wire())   # the prompt's label
        assert str(app.query_one("#prompt").content) == "chiusa"
        await pilot.press("ctrl+p")                  # Textual's command palette
        from textual.command import CommandPalette
        for _tick in range(100):                     # until it is up (it mounts async)
            if isinstance(app.screen, CommandPalette):
                break
            await pilot.pause(0.05)
        await pilot.pause()
        found["command palette"] = english_on(screen_text(app), wire())
        assert "Cerca un'azione…" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f5")                      # a new connection: the old one is kept
        await pilot.pause()
        await pilot.press("ctrl+pageup")
        await pilot.pause()
        found["earlier connection"] = english_on(screen_text(app), wire())
        assert app.status_note.startswith("connessione 1 di 2 (precedente: ")
    assert {name: words for name, words in found.items() if words} == {}


@pytest.mark.parametrize(("size", "seed"), [(SIZES[0], 7), (SIZES[1], 4)])
async def test_a_lesson_and_an_exam_are_italian(italian, size, seed, monkeypatch):
    """ctrl+e draws a random seed: these two are fixed so that a failure can be replayed
    (between them they hold every question kind, the journey's bounce among them)."""
    import secrets
    monkeypatch.setattr(secrets, "randbelow", lambda limit: seed - 1)
    from smtpsim.course import Progress, load_lessons
    from smtpsim.ui.course.exam_screen import ExamScreen
    from smtpsim.ui.course.lesson_pane import open_lesson
    lessons = load_lessons()
    lesson = lessons.get("first-conversation")
    app = new_app(lesson.profile, lesson.faults, lesson_id=lesson.id,
                  setup=lambda app: open_lesson(app, lesson.id, Progress(italian), lessons))
    found: dict[str, list[str]] = {}
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await send(pilot, app, "HELO client.example", "RCPT TO:<bob@mail.example>")
        await pilot.press("ctrl+g")
        await pilot.pause()
        wire = "\n".join(line for entry in app.session.transcript for line in entry.lines)
        found["lesson"] = english_on(screen_text(app), wire)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        exam = app.screen
        for _number in range(len(exam.sitting.exam)):   # every question, as shown
            question = exam.sitting.exam.questions[exam.index]
            shown = "\n".join((*question.context, *question.setup, question.command,
                               *question.text, *question.choices, question.key))
            found[f"exam question {exam.index + 1}"] = english_on(screen_text(app), shown)
            await pilot.press("pagedown")
            await pilot.pause()
        await pilot.press("f10", "f10")                # finish (twice: questions unanswered)
        await pilot.pause()
        found["exam results"] = english_on(screen_text(app), "")
    assert {name: words for name, words in found.items() if words} == {}


async def test_the_exam_keys_follow_a_live_switch(monkeypatch, tmp_path):
    """English first (every module imported in English), then F12: the exam opened after
    the switch, its results and the simulator's own key footer speak Italian; F12 again
    and the next exam is English."""
    from smtpsim.ui.course.exam_screen import ExamScreen
    monkeypatch.setenv(settings.ENV_VAR, str(tmp_path))
    i18n.set_language("en")
    app = new_app()
    try:
        async with app.run_test(size=SIZES[0]) as pilot:
            await pilot.press("ctrl+e")
            await pilot.pause()
            assert "f10 Finish" in screen_text(app)
            await pilot.press("f10", "f10", "escape")
            await pilot.pause()
            await pilot.press("f12")
            await pilot.pause()
            assert i18n.language() == "it"
            await pilot.press("ctrl+e")
            await pilot.pause()
            assert isinstance(app.screen, ExamScreen)
            footer = screen_text(app).splitlines()[-1]
            assert "f10 Termina" in footer and "f8 Spiega" in footer
            assert "Finish" not in footer and "palette" not in footer
            await pilot.press("f10", "f10")
            await pilot.pause()
            footer = screen_text(app).splitlines()[-1]
            assert "esc Chiudi" in footer and "f2 Componi" in footer and "Azioni" in footer
            await pilot.press("escape", "f12")
            await pilot.pause()
            await pilot.press("ctrl+e")
            await pilot.pause()
            assert "f10 Finish" in screen_text(app).splitlines()[-1]
    finally:
        i18n.set_language("en")
