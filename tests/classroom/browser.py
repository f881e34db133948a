"""Debian's chromium, driven headless by selenium, as a student's browser.

The terminal in the page is drawn on a canvas, so its text is not in the DOM.  The
page's xterm.js keeps it in a buffer, though: a script added before the page's own
(the DevTools protocol's ``Page.addScriptToEvaluateOnNewDocument``; the page served to
students is unchanged) notes the terminal object when textual.js creates it, and
:func:`screen_text` reads the buffer - the characters the page shows, row by row.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage")

# textual.js does `this.terminal = new Terminal(...)` then `this.fitAddon = ...` in the
# constructor of its terminal class: a setter for "fitAddon" sees that object first.
NOTE_TERMINAL = """
Object.defineProperty(Object.prototype, "fitAddon", {configurable: true, set(value) {
  Object.defineProperty(this, "fitAddon", {value, writable: true, configurable: true,
                                           enumerable: true});
  window.smtpsimTestTerminal = this.terminal;
}});
// What the page sends to the server (the last 200 messages), to see which keys went out.
window.smtpsimSent = [];
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
  window.smtpsimSent.push(String(data));
  if (window.smtpsimSent.length > 200) { window.smtpsimSent.shift(); }
  return send.call(this, data);
};
"""
READ_SCREEN = """
const terminal = window.smtpsimTestTerminal;
if (!terminal) { return null; }
const buffer = terminal.buffer.active, rows = [];
for (let y = 0; y < terminal.rows; y++) {
  const line = buffer.getLine(buffer.viewportY + y);
  rows.push(line ? line.translateToString(true) : "");
}
return rows.join("\\n");
"""


def missing() -> str | None:
    """Why no browser test can run here (None: they can)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    for program in (CHROMIUM, CHROMEDRIVER):
        if not Path(program).exists():
            return f"no {Path(program).name} on this machine (Debian: apt install chromium " \
                   "chromium-driver)"
    return None


def start_browser(width: int = 1280, height: int = 800, downloads: Path | None = None):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='smtpsim-chromium-')}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": NOTE_TERMINAL})
    if downloads is not None:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {
            "behavior": "allow", "downloadPath": str(downloads)})
    return driver


def join_class(driver, base: str, code: str, font_size: int | None = None) -> None:
    """What a student does: open the URL, type the code, Join."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select
    driver.get(base + "/")
    driver.find_element(By.NAME, "code").send_keys(code)
    if font_size is not None:
        Select(driver.find_element(By.NAME, "fontsize")).select_by_value(str(font_size))
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def screen_text(driver) -> str:
    return driver.execute_script(READ_SCREEN) or ""


def wait_for_text(driver, wanted: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        text = screen_text(driver)
        if wanted in text:
            return text
        if time.monotonic() > deadline:
            raise AssertionError(f"{wanted!r} never appeared on the page; it shows:\n{text}")
        time.sleep(0.1)


def sent_keys(driver) -> list[str]:
    """The keys the page sent to the app so far (its ``stdin`` messages), newest last."""
    import json
    messages = driver.execute_script("return window.smtpsimSent || [];")
    return [m[1] for m in map(json.loads, messages) if m and m[0] == "stdin"]


def type_into_terminal(driver, *keys: str) -> None:
    """Keys into the terminal (xterm.js listens on its hidden textarea)."""
    from selenium.webdriver.common.by import By
    driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys(*keys)
