"""``smtpsim screenshots``: drive the real app headless through telling moments, write SVGs.

The same scenes feed the SVG snapshot tests, so the README's pictures and the tested
screens cannot drift apart.  Everything that could vary between runs is pinned:
size, theme, no cursor blink, no animation, and the SVG class prefix is normalised.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from pathlib import Path

from .app import DEFAULT_THEME, PROJECTOR, make_app

TRANSACTION = ["EHLO client.example", "MAIL FROM:<alice@client.example>",
               "RCPT TO:<bob@mail.example>", "RCPT TO:<carol@mail.example>", "DATA",
               "Subject: Lunch", "", "Noon at the usual place?", "."]


@dataclass(frozen=True)
class Scene:
    name: str
    caption: str
    profile: str = "modern"
    lines: tuple[str, ...] = ()
    select_code: int | None = None   # travel back to the first reply with this code
    size: tuple[int, int] = (120, 36)
    theme: str = DEFAULT_THEME
    faults: tuple[str, ...] = field(default_factory=tuple)
    keys: tuple[str, ...] = ()       # pressed after the lines (ctrl+b opens the mail)


SCENES = (
    Scene("01-greeting", "The first screen: the server's 220 greeting, explained"),
    Scene("02-transaction", "A complete transaction: EHLO, MAIL, two RCPT, DATA, the text, '.'",
          lines=tuple(TRANSACTION)),
    Scene("03-503-explained", "RCPT before MAIL: 503, and the states that would allow it",
          lines=("EHLO client.example", "RCPT TO:<bob@mail.example>")),
    Scene("04-soml-terminal", "Classic profile: SOML delivers to bob's terminal",
          profile="classic",
          lines=("HELO client.example", "SOML FROM:<alice@client.example>",
                 "RCPT TO:<bob@mail.example>", "DATA", "Subject: Are you there?", "",
                 "Call me when you read this.", ".")),
    Scene("05-turn-classic", "Classic profile: TURN swaps the roles, the reversed session plays",
          profile="classic", lines=("HELO client.example", "TURN")),
    Scene("06-time-travel", "Stepping back: the 503 line selected after the transaction",
          lines=("EHLO client.example", "MAIL FROM:<alice@client.example>", "DATA",
                 *TRANSACTION[2:]), select_code=503),
    Scene("07-projector-80x24", "80x24 in the high-contrast projector theme, in DATA mode",
          lines=("EHLO client.example", "MAIL FROM:<alice@client.example>",
                 "RCPT TO:<bob@mail.example>", "DATA", "Subject: Hello"),
          size=(80, 24), theme=PROJECTOR.name),
    Scene("08-mailbox", "ctrl+b: the delivered message whole, and who added each line",
          lines=tuple(TRANSACTION), keys=("ctrl+b",)),
    Scene("09-tall-80x24", "80x24 with F10: the conversations take the whole height",
          profile="classic", lines=("HELO client.example", "SOML FROM:<alice@client.example>",
                                    "RCPT TO:<bob@mail.example>", "DATA", "Hi Bob.", "."),
          size=(80, 24), keys=("f10",)),
    Scene("10-journey", "ctrl+k, ctrl+u: hop 2 of a greylisted message in the two panes",
          lines=("EHLO client.example", "MAIL FROM:<alice@client.example>",
                 "RCPT TO:<gus@grey.example>", "DATA", "Subject: Hello Gus", "", "Hi.", "."),
          keys=("ctrl+k", "ctrl+u", "home", "down", "down", "down")),
)


def normalise(svg: str) -> str:
    """Textual numbers its CSS classes per run (terminal-1234-); make them stable."""
    return re.sub(r"\bterminal-\d+-", "terminal-", svg)


async def render(scene: Scene) -> str:
    app = make_app(scene.profile, scene.faults, theme=scene.theme, cursor_blink=False)
    app.animation_level = "none"
    async with app.run_test(size=scene.size) as pilot:
        app.send_lines(list(scene.lines))
        if scene.select_code is not None:
            app.select_entry(next(e.index for e in app.session.transcript
                                  if e.code == scene.select_code))
        await pilot.pause()
        for key in scene.keys:
            await pilot.press(key)
            await pilot.pause()
        svg = app.export_screenshot(title=f"smtpsim - {scene.caption}")
    return normalise(svg)


def write_all(folder: Path, scenes: tuple[Scene, ...] | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for scene in SCENES if scenes is None else scenes:
        path = folder / f"{scene.name}.svg"
        path.write_text(asyncio.run(render(scene)), encoding="utf-8")
        paths.append(path)
    return paths
