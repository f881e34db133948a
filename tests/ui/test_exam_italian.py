"""An exam sat in Italian, at the two sizes a class meets it: questions, buttons, footer
keys, status line, feedback and results in Italian, and nothing cut off.

The exam screen's key descriptions are translated when the screen's module is first
imported - after ``--lang``/``SMTPSIM_LANG`` has chosen the language, as ``smtpsim exam``
does - so the sitting is driven in a fresh interpreter started in Italian, where the
learner meets it, and reports what it saw as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SITTING = r'''
import asyncio, json, sys
from smtpsim import i18n
i18n.set_language("it")
from textual.widgets import Button
from textual.widgets._footer import FooterKey
from smtpsim.course.exam import ExamSettings
from smtpsim.ui.app import make_app
from smtpsim.ui.course.exam_screen import open_exam

width, height, results = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
settings = ExamSettings(seed=7, count=3, minutes=6, student="Anna", results_dir=results,
                        data_dir=results)

def clock():
    return 100.0

async def main():
    app = make_app(setup=lambda app: open_exam(app, settings, clock), exam=settings,
                   cursor_blink=False)
    app.animation_level = "none"
    seen = {}
    async with app.run_test(size=(width, height)) as pilot:
        await pilot.pause()
        screen = app.screen
        text = lambda s: str(screen.query_one(s).content)
        seen["status"] = text("#exam-status")
        seen["title"] = text("#exam-title")
        seen["prompt"] = text("#exam-prompt")
        seen["placeholder"] = screen.query_one("#exam-answer").placeholder
        seen["keys"] = [(k.key_display, k.description, k.region.x, k.region.right)
                        for k in screen.query(FooterKey)]
        seen["buttons"] = [(str(b.label), b.region.right, b.region.width,
                            len(str(b.label)) + 2) for b in screen.query(Button)]
        seen["ids"] = [q.id for q in screen.sitting.exam.questions]
        keys = [q.key for q in screen.sitting.exam.questions]
        for key in keys[:-1]:
            screen.query_one("#exam-answer").value = key
            await pilot.press("enter")
            await pilot.pause()
        await pilot.press("f10")          # one unanswered: asks again
        await pilot.pause()
        seen["notice"] = [n.message for n in app._notifications]
        await pilot.press("f10")
        await pilot.pause()
        result = app.screen
        seen["score"] = str(result.query_one("#results-score").content)
        seen["note"] = str(result.query_one("#results-note").content)
        seen["items"] = [str(w.content) for w in result.query(".result-item")]
        seen["result_keys"] = [(k.description, k.region.right) for k in result.query(FooterKey)]
    print(json.dumps(seen))

asyncio.run(main())
'''


def sit_in_italian(size: tuple[int, int], tmp_path: Path) -> dict:
    env = {**os.environ, "SMTPSIM_LANG": "it", "SMTPSIM_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", SITTING, str(size[0]), str(size[1]),
                           str(tmp_path / "results")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_an_exam_in_italian_fits_and_speaks_italian(size, tmp_path):
    width = size[0]
    seen = sit_in_italian(size, tmp_path)
    assert seen["status"].startswith("Anna  ·  Esame  ·  seme 7  ·  domanda 1 di 3")
    assert "rimasti" in seen["status"] and len(seen["status"]) <= width
    assert seen["title"].startswith("1. ") and seen["title"] != "1. "
    assert seen["placeholder"].startswith("la tua risposta: ")
    descriptions = [description for _key, description, _x, _right in seen["keys"]]
    # a timed exam hides F8 (the catalogue would answer the questions)
    assert "Termina" in descriptions and "Spiega" not in descriptions, descriptions
    assert not {"Finish", "Explain", "Previous", "Next", "Scroll"} & set(descriptions)
    assert all(right <= width for *_rest, right in seen["keys"])        # the keys fit
    labels = [label for label, *_rest in seen["buttons"]]
    assert labels == ["Precedente (PgSu)", "Successiva (PgGiù)", "Termina (F10)"]
    for label, right, shown, needed in seen["buttons"]:
        assert right <= width and shown >= needed, (label, shown)      # labels not cut
    assert any("1 domanda non ha ancora una risposta" in n for n in seen["notice"])
    assert seen["score"].startswith("Risultati della verifica  ·  Anna  ·  seme 7")
    assert "Punteggio: 66.7% - 2 corrette su 3" in seen["score"]
    assert "Risultati salvati:" in seen["note"]
    assert "La tua risposta: (nessuna risposta)" in seen["items"][2]
    assert "Nessuna risposta." in seen["items"][2] and "Vedi: RFC" in seen["items"][2]
    assert all("(punti: 1 su 1)" in item for item in seen["items"][:2])
    assert "(punti: 0 su 1)" in seen["items"][2]
    shown = [d for d, _r in seen["result_keys"]]
    assert shown[0] == "Chiudi" and seen["result_keys"][0][1] <= width   # Esc closes, seen
    assert "Tasti" in shown and not {"Close", "Keys", "Quit"} & set(shown)


def test_the_same_seed_in_italian_has_the_english_ids(tmp_path):
    from smtpsim.course.exam import build_exam
    english = [q.id for q in build_exam(7, 3).questions]
    assert sit_in_italian((120, 36), tmp_path)["ids"] == english
