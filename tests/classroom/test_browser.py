"""A real browser (headless chromium) in the classroom: join with the code, type SMTP and
read the reply from the page; sit an exam and find it in the teacher's results folder.
Skipped, with the reason, on a machine without chromium and chromedriver."""

from __future__ import annotations

import asyncio
import json

import pytest

from smtpsim.classroom.settings import ExamPlan

from . import browser
from .helpers import CODE, running, settings_for, wait_until

pytestmark = pytest.mark.skipif(browser.missing() is not None,
                                reason=browser.missing() or "")


@pytest.fixture
def chrome(tmp_path):
    driver = browser.start_browser(downloads=tmp_path / "downloads")
    yield driver
    driver.quit()


async def test_a_student_types_ehlo_in_the_browser_and_reads_250(tmp_path, chrome):
    async with running(settings_for(tmp_path)) as (server, base, _):
        def student() -> tuple[str, str, str, str]:
            browser.join_class(chrome, base, CODE.lower())
            browser.wait_for_text(chrome, "220 mail.example ESMTP")
            chrome.execute_script("window.stillTheSamePage = true;")
            browser.type_into_terminal(chrome, "EHLO client.example\n")
            after_ehlo = browser.wait_for_text(chrome, "250 ")
            # Typed ahead, without waiting for the reply: still two lines, in order.
            browser.type_into_terminal(chrome, "NOOP\nVRFY bob\n")
            after_typing = browser.wait_for_text(chrome, "→ VRFY bob")
            assert "→ NOOP" in after_typing and "NOOPVRFY" not in after_typing
            # A pasted block (the paste event xterm.js reads from its textarea, as after
            # Ctrl+V or the browser's Paste menu) is sent line by line.
            chrome.execute_script("""
              const data = new DataTransfer(); data.setData("text/plain", "VRFY carol\\rRSET\\r");
              document.querySelector(".xterm-helper-textarea").dispatchEvent(
                new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));""")
            after_paste = browser.wait_for_text(chrome, "→ RSET")
            from selenium.webdriver.common.keys import Keys
            # Ctrl+V is left to the browser (its paste event above), not sent as ^V.
            browser.type_into_terminal(chrome, Keys.CONTROL, "v", Keys.NULL, "x")
            assert browser.sent_keys(chrome)[-1] == "x"
            assert "\x16" not in browser.sent_keys(chrome)
            browser.type_into_terminal(chrome, Keys.F5)         # the app's, not a reload
            after_f5 = browser.wait_for_text(chrome, "new connection")
            browser.type_into_terminal(chrome, Keys.CONTROL, "r", Keys.NULL)   # nor ctrl+r
            browser.wait_for_text(chrome, "fresh world, new connection")
            same_page = chrome.execute_script("return window.stillTheSamePage === true;")
            # While the session is live, leaving the page asks first (a real browser shows
            # its "Leave site?" dialog when the handler cancels the event).
            assert chrome.execute_script("""
              const leaving = new Event("beforeunload", {cancelable: true});
              window.dispatchEvent(leaving); return leaving.defaultPrevented;""") is True
            browser.type_into_terminal(chrome, Keys.F9)         # downloads, as a browser does
            browser.wait_for_text(chrome, "Downloaded to your browser")
            return after_ehlo, after_paste, after_f5, str(same_page)
        after_ehlo, after_paste, after_f5, same_page = await asyncio.to_thread(student)
        assert "← 250-mail.example Hello client.example" in after_ehlo
        assert "→ VRFY carol" in after_paste and "→ RSET" in after_paste
        assert same_page == "True"
        assert "state INIT" in after_f5
        assert len(server.processes) == 1
        downloads = tmp_path / "downloads"
        wanted = {".txt", ".md", ".pcapng", ".sequence.md", ".svg"}
        await wait_until(lambda: {p.name.split(".", 1)[1] and "." + p.name.split(".", 1)[1]
                                  for p in downloads.glob("smtpsim-session-*")
                                  if not p.name.endswith(".crdownload")} == wanted,
                         what="every F9 file in the browser's downloads")
        # F9 came after F5: the files hold the new connection, its greeting only.
        script = next(downloads.glob("*.txt")).read_text("utf-8")
        assert script.startswith("# smtpsim session - replay it with: smtpsim run FILE")
        assert "# S: 220 mail.example ESMTP" in script and "EHLO" not in script
        explained = next(p for p in downloads.glob("*.md") if not p.name.endswith(".sequence.md"))
    assert "## Every reply explained" in explained.read_text("utf-8")
    assert next(downloads.glob("*.pcapng")).read_bytes()[:4] == b"\x0a\x0d\x0d\x0a"   # SHB


async def test_an_exam_sat_in_the_browser_lands_in_the_results_folder(tmp_path, chrome):
    settings = settings_for(tmp_path, exam=ExamPlan(seed=5, count=1, minutes=5))
    async with running(settings) as (_, base, terminal):
        def student() -> str:
            from selenium.webdriver.common.keys import Keys
            browser.join_class(chrome, base, CODE)
            browser.wait_for_text(chrome, "Your first and last name")
            browser.type_into_terminal(chrome, "Ada Lovelace\n")
            browser.wait_for_text(chrome, "question 1 of 1")
            browser.type_into_terminal(chrome, Keys.F10)
            browser.type_into_terminal(chrome, Keys.F10)
            browser.wait_for_text(chrome, "Exam results")
            results = browser.wait_for_text(chrome, "handed to your teacher")
            browser.type_into_terminal(chrome, Keys.ESCAPE)
            return results, browser.wait_for_text(chrome, "220 mail.example ESMTP")
        shown, after = await asyncio.to_thread(student)
        assert "Ada Lovelace" in shown and "seed 5" in shown
        # The results folder is the teacher's, and a browser runs no commands: the
        # student reads that the result was handed in, and what Esc does.
        flat = " ".join(shown.replace("│", " ").split())
        assert "Your result has been handed to your teacher." in flat
        assert "Esc closes the results: the simulator behind them is yours" in flat
        assert str(tmp_path) not in flat and "smtpsim exam" not in flat
        assert "Exam results" not in after       # Esc: the simulator, to try things
        await wait_until(lambda: "Ada Lovelace finished the exam: 0%" in terminal.text,
                         what="the teacher's status line")
    (saved,) = (tmp_path / "results").glob("*.json")
    data = json.loads(saved.read_text("utf-8"))
    assert (data["student"], data["seed"], data["count"]) == ("Ada Lovelace", 5, 1)
    assert data["items"][0]["result"] == "unanswered"
