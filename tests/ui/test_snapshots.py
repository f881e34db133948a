"""SVG snapshots of a few screens, from the same scenes as ``smtpsim screenshots``.

Deterministic: fixed size, pinned theme, no cursor blink, no animation, no clock, and
the per-run SVG class prefix normalised.  After a deliberate UI change: run
``pytest tests/ui --snapshot-update``, *look* at the SVGs, then run pytest again.
"""

import pytest

from smtpsim.ui.screenshots import SCENES, render

CHECKED = ("01-greeting", "03-503-explained", "05-turn-classic", "07-projector-80x24")


@pytest.mark.parametrize("scene", [s for s in SCENES if s.name in CHECKED], ids=lambda s: s.name)
async def test_screen_matches_its_snapshot(scene, snapshot):
    svg = await render(scene)
    assert "terminal-" in svg and not any(c.isdigit() for c in svg.split("terminal-")[1][:1])
    snapshot.assert_match(svg, f"{scene.name}.svg")
