"""Start-up: the collector is told once, in a fresh process, to leave the imports alone."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import gc
from smtpsim.ui.app import make_app
before = gc.get_freeze_count()
make_app()
first = gc.get_freeze_count()
make_app(); make_app()
print(before, first, gc.get_freeze_count())
"""


def test_the_first_app_freezes_the_long_lived_objects_and_later_apps_do_not() -> None:
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    before, first, later = map(int, out.split())
    assert before == 0
    assert first > 10_000          # Textual's, Rich's and the engine's modules and data
    assert later <= first          # not frozen again: the later apps stay collectable
