"""The app in Italian, driven as a learner does, at the two sizes a class meets it:
labels translated, nothing cut off, the key bar fitting, and F12 switching the language
of a running session without losing it."""

from __future__ import annotations

import json

import pytest

from smtpsim import i18n, settings
from smtpsim.ui.screens.info import HelpScreen
from smtpsim.ui.widgets.key_bar import KeyBar

from .helpers import SIZE, explanation_text, new_app, pane, send

SMALL = (80, 24)


def status_text(app) -> str:
    return app.query_one("#status").render().plain


@pytest.mark.parametrize("size", [SIZE, SMALL])
async def test_the_main_screen_speaks_italian_and_fits(italian, size):
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await send(pilot, app, "HELO client.example", "MAIL FROM:<alice@client.example>")
        width = size[0]
        keys = app.query_one("#keys", KeyBar).render().plain
        words = keys.split()     # the spacing tightens at 80 columns
        assert words[:4] == ["F1", "Tasti", "F2", "Componi"] and words[-2:] == ["ctrl+p", "Azioni"]
        assert len(keys) <= width
        status = status_text(app)
        assert status.startswith("smtpsim  profilo modern  guasti nessuno  stato MAIL")
        assert status.endswith("in diretta") and len(status) <= width
        assert str(pane(app, "left").border_title) == "client.example · client (mittente)"
        assert str(pane(app, "right").border_title) == "mail.example · server (ricevente)"
        assert app.query_one("#explanation").border_title == "perché questa risposta, ora"
        explained = explanation_text(app)
        assert "Perché ora  MAIL ha aperto una transazione" in explained
        assert "S: " not in explained
        inner = pane(app, "right").inner.text.plain
        assert "reverse-path  <alice@client.example>" in inner
        assert "dati          (vuoto)" in inner
    if size == SIZE:   # every F-key of the bar has room at 120 columns, in Italian too
        for label in ("Passo", "Avvia", "Nuova conn", "Profilo", "Guasto", "Spiega", "Esporta"):
            assert label in keys


async def test_the_wire_stays_english(italian):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, "HELO client.example", "RCPT TO:<bob@mail.example>")
        replies = [entry.lines for entry in app.session.transcript if entry.side == "S"]
        assert replies[-1] == ("503 5.5.1 Bad sequence of commands: MAIL first",) or \
            replies[-1][0].startswith("503 5.5.1 ")
        assert "RCPT è arrivato nello stato READY" in explanation_text(app)
        # the states the 503 allows are joined in Italian in the pane (the wire says "or")
        explained = " ".join(explanation_text(app).split())
        assert "RCPT è ammesso soltanto in MAIL o RCPT" in explained
        assert "MAIL or RCPT" not in explained


@pytest.mark.parametrize("size", [SIZE, SMALL])
async def test_f1_help_in_italian_with_the_glossary(italian, size):
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from .test_app_actions import plain
        shown = " ".join(" ".join(plain(static.content)
                                  for static in app.screen.query("Static")).split())
        assert "Tu sei l'MTA client a sinistra" in shown
        assert "f1 Tasti e aiuto - Ogni tasto dell'app" in shown
        assert "ctrl+p Tavolozza dei comandi" in shown
        assert "completamento negativo permanente (5yz)" in shown
        assert "(permanent negative" in shown          # the English term beside it
        assert "casella di posta" in shown


async def test_f12_switches_the_language_live_and_keeps_the_session(monkeypatch, tmp_path):
    monkeypatch.setenv(settings.ENV_VAR, str(tmp_path))
    i18n.set_language("en")
    app = new_app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await send(pilot, app, "HELO client.example", "MAIL FROM:<alice@client.example>")
            before = list(app.session.transcript)
            assert "Why now  MAIL opened a transaction" in explanation_text(app)
            await pilot.press("f12")
            await pilot.pause()
            assert i18n.language() == "it"
            assert list(app.session.transcript) == before        # same session, same lines
            assert app.session.state.value == "MAIL"
            assert "Perché ora  MAIL ha aperto una transazione" in explanation_text(app)
            assert app.query_one("#keys", KeyBar).render().plain.startswith(" F1 Tasti")
            assert str(pane(app, "left").border_title).endswith("client (mittente)")
            assert "Lingua: italiano" in status_text(app)
            # The widgets that stay on screen say their words again, not only new ones.
            from smtpsim.ui.widgets.command_bar import CommandBar
            from smtpsim.ui.widgets.diagram import StateDiagram
            diagram = app.query_one(StateDiagram)
            assert "da INIT READY MAIL RCPT:" in diagram.text.plain
            assert "from INIT" not in diagram.text.plain
            assert str(diagram.border_title) == "stato della sessione (dalla tabella delle " \
                "transizioni)"
            bar = app.query_one(CommandBar)
            assert not bar.input.placeholder.startswith("type an SMTP command")
            saved = json.loads((tmp_path / settings.FILE_NAME).read_text(encoding="utf-8"))
            assert saved == {"language": "it"}
            await send(pilot, app, "RCPT TO:<bob@mail.example>")
            assert "destinatario" in explanation_text(app) or "utente locale" in \
                explanation_text(app)
            await pilot.press("f12")
            await pilot.pause()
            assert i18n.language() == "en"
            assert app.query_one("#keys", KeyBar).render().plain.startswith(" F1 Keys")
    finally:
        i18n.set_language("en")


async def test_f12_says_the_open_journey_panel_again(monkeypatch, tmp_path):
    monkeypatch.setenv(settings.ENV_VAR, str(tmp_path))
    i18n.set_language("en")
    app = new_app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await send(pilot, app, "EHLO client.example", "MAIL FROM:<alice@client.example>",
                       "RCPT TO:<gus@grey.example>", "DATA", "hi", ".")
            await pilot.press("ctrl+u", "ctrl+k")
            await pilot.pause()
            panel = app.query_one("#journey-panel")
            assert str(panel.border_title) == "Journey · clock 00:00:01"
            await pilot.press("f12")
            await pilot.pause()
            assert str(panel.border_title) == "Percorso · orologio 00:00:01"
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("size", [SIZE, SMALL])
async def test_a_lesson_pane_in_italian(italian, size):
    from smtpsim.course import Progress, load_lessons
    from smtpsim.ui.course.lesson_pane import LessonPane, open_lesson
    lessons = load_lessons()
    lesson = lessons.get("first-conversation")
    app = new_app(lesson.profile, lesson.faults, lesson_id=lesson.id,
                  setup=lambda app: open_lesson(app, lesson.id, Progress(italian), lessons))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        lesson_pane = app.query_one(LessonPane)
        assert "Passo 1 di 6" in lesson_pane.step_text
        await send(pilot, app, "HELO client.example", "RCPT TO:<bob@mail.example>")
        assert "Passo 2 di 6" in lesson_pane.step_text
        result = lesson_pane.result_text
        assert "l'ultima risposta con codice 250 a MAIL" in result
        assert "Che cosa è successo: 503 5.5.1 - Sequenza di comandi errata" in result
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert str(lesson_pane.query_one("#lesson-help").render()).startswith("Suggerimento: ")
