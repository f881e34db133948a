"""The classroom in a real browser (headless chromium) at the sizes of school screens:
the exam's name dialog whole, the page after the teacher's Ctrl+C, and the projector
theme and the font size in every mode.
Skipped, with the reason, on a machine without chromium and chromedriver."""

from __future__ import annotations

import asyncio

import pytest

from smtpsim.classroom.settings import ExamPlan

from . import browser
from .helpers import CODE, running, settings_for

pytestmark = pytest.mark.skipif(browser.missing() is not None,
                                reason=browser.missing() or "")

EXAM = ExamPlan(seed=5, count=1, minutes=5)
#: The share of the terminal's cells whose background is pure black (the projector's).
BLACK_SHARE = """
const terminal = window.smtpsimTestTerminal, buffer = terminal.buffer.active;
let black = 0, all = 0;
for (let y = 0; y < terminal.rows; y++) {
  const line = buffer.getLine(buffer.viewportY + y);
  for (let x = 0; x < terminal.cols; x++) {
    const cell = line.getCell(x);
    all++;
    if (cell.isBgRGB() && cell.getBgColor() === 0) { black++; }
  }
}
return black / all;
"""
#: Is the element shown, and wholly inside the window?
SHOWN = """
const element = document.querySelector(arguments[0]);
const box = element.getBoundingClientRect();
return getComputedStyle(element).display !== "none" && box.top >= 0 && box.left >= 0
       && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
"""


def start(tmp_path, width: int = 1280, height: int = 800):
    return browser.start_browser(width=width, height=height, downloads=tmp_path / "dl")


def one_line(screen: str) -> str:
    """The screen's text with box borders and line breaks gone: wrapped text joins up."""
    for mark in "│╭╮╰╯─":
        screen = screen.replace(mark, " ")
    return " ".join(screen.split())


@pytest.mark.parametrize("width, height", [(1280, 800), (1024, 768)])
async def test_the_name_dialog_is_whole_at_school_screen_sizes(tmp_path, width, height):
    from smtpsim.ui.course.name_screen import AFTER, PLACEHOLDER, PROMPT, START
    async with running(settings_for(tmp_path, exam=EXAM)) as (_, base, _terminal):
        def student() -> tuple[str, bool, str]:
            chrome = start(tmp_path, width, height)
            try:
                browser.join_class(chrome, base, CODE)
                browser.wait_for_text(chrome, AFTER)
                screen = browser.wait_for_text(chrome, "╯")    # the box drawn whole
                whole_terminal = chrome.execute_script(SHOWN, ".xterm-screen")
                browser.type_into_terminal(chrome, "Ada Lovelace\n")
                return screen, whole_terminal, browser.wait_for_text(chrome, "question 1 of 1")
            finally:
                chrome.quit()
        screen, whole_terminal, exam = await asyncio.to_thread(student)
    assert whole_terminal            # the terminal itself fits the window
    rows = screen.splitlines()
    top = next(i for i, row in enumerate(rows) if "╭" in row)
    bottom = next(i for i, row in enumerate(rows) if "╰" in row)
    assert rows[top].rstrip().endswith("╮") and rows[bottom].rstrip().endswith("╯")
    inside = one_line("\n".join(rows[top:bottom + 1]))
    for words in (PROMPT, PLACEHOLDER, START, AFTER):      # every word of the dialog
        assert words in inside, words
    assert "question 1 of 1" in exam


async def test_after_the_teachers_ctrl_c_the_page_says_the_class_has_ended(tmp_path,
                                                                          monkeypatch):
    from smtpsim import i18n
    monkeypatch.setattr(i18n, "_active", "it")     # smtpsim classroom --lang it
    chrome = start(tmp_path)
    try:
        async with running(settings_for(tmp_path)) as (_, base, _terminal):
            def student() -> None:
                browser.join_class(chrome, base, CODE)
                browser.wait_for_text(chrome, "220 mail.example ESMTP")
            await asyncio.to_thread(student)
        # Leaving `running` is the teacher's Ctrl+C: the server is gone now.

        def page() -> tuple[str, bool, bool, bool, str]:
            from selenium.webdriver.common.by import By
            from selenium.webdriver.support.ui import WebDriverWait
            WebDriverWait(chrome, 15).until(lambda d: d.execute_script(
                "return document.body.classList.contains('-closed');"))
            notice = chrome.find_element(By.ID, "class-ended")
            reload_button = chrome.find_element(By.CSS_SELECTOR, "#ended button")
            asks = chrome.execute_script("""
              const leaving = new Event("beforeunload", {cancelable: true});
              window.dispatchEvent(leaving); return leaving.defaultPrevented;""")
            return (notice.text, chrome.execute_script(SHOWN, "#class-ended"),
                    reload_button.is_displayed(), asks,
                    chrome.execute_script("return document.documentElement.lang;"))
        text, shown, reload_shown, asks, lang = await asyncio.to_thread(page)
    finally:
        chrome.quit()
    assert shown and text.startswith("La lezione è terminata")
    assert "ricaricare questa pagina non lo riporta indietro" in text
    assert not reload_shown and not asks and lang == "it"


@pytest.mark.parametrize("mode", [{}, {"lesson": "three-digits"}, {"exam": EXAM}],
                         ids=["simulator", "lesson", "exam"])
async def test_the_projector_theme_reaches_every_mode(tmp_path, mode):
    first_screen = {"lesson": "Step 1 of", "exam": "Your first and last name"}
    wanted = next((words for key, words in first_screen.items() if key in mode),
                  "220 mail.example ESMTP")
    shares = []
    for projector in (True, False):
        settings = settings_for(tmp_path, projector=projector, font_size=24, **mode)
        async with running(settings) as (_, base, _terminal):
            def student() -> tuple[float, int]:
                chrome = start(tmp_path)
                try:
                    browser.join_class(chrome, base, CODE)
                    browser.wait_for_text(chrome, wanted)
                    size = chrome.execute_script(
                        "return window.smtpsimTestTerminal.options.fontSize;")
                    return chrome.execute_script(BLACK_SHARE), size
                finally:
                    chrome.quit()
            shares.append(await asyncio.to_thread(student))
    (black_on, size_on), (black_off, size_off) = shares
    assert black_on > 0.5 and black_off < 0.1, shares   # the projector's black, or not
    assert int(size_on) == int(size_off) == 24          # --font-size, in this mode too
