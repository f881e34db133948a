"""The README's picture of the classroom: the app in a headless chromium, as a student sees it.

    .venv/bin/python tests/classroom/screenshot.py [screenshots/classroom-browser.png]

Serves a classroom on 127.0.0.1 (any free port), joins it with the code as a student
does, types an EHLO and a MAIL FROM, and saves the browser's window as PNG.  Needs
chromium and chromedriver (Debian: apt install chromium chromium-driver).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from classroom import browser
from classroom.helpers import CODE, running, settings_for

DEFAULT = Path("screenshots/classroom-browser.png")
#: Each line, and what the page shows once its reply is in (a student waits for it too).
LINES = (("EHLO client.example\n", "250 "), ("MAIL FROM:<alice@client.example>\n", "250 2.1.0"))


def shoot(base: str, out: Path) -> None:
    driver = browser.start_browser(width=1280, height=760)
    try:
        browser.join_class(driver, base, CODE)
        browser.wait_for_text(driver, "220 mail.example ESMTP")
        for line, reply in LINES:
            browser.type_into_terminal(driver, line)
            browser.wait_for_text(driver, reply)
        driver.save_screenshot(str(out))
    finally:
        driver.quit()


async def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        async with running(settings_for(Path(scratch))) as (_, base, _terminal):
            await asyncio.to_thread(shoot, base, out)


if __name__ == "__main__":
    reason = browser.missing()
    if reason:
        sys.exit(f"screenshot.py: {reason}")
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    target.parent.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(target))
    print(target)
