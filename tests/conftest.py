"""Shared test setup.

Textual reads TEXTUAL_* variables at import time, and NO_COLOR changes how the app
renders: they are removed here, before anything imports Textual, so that snapshots
do not depend on the machine that runs them.
"""

import os

for _name in ("TEXTUAL_FILTERS", "TEXTUAL_ANIMATIONS", "NO_COLOR", "TEXTUAL_THEME"):
    os.environ.pop(_name, None)

# The suite speaks English whatever the machine's locale or saved choice: tests of other
# languages ask for them (--lang, monkeypatch) and put the language back.
os.environ["SMTPSIM_LANG"] = "en"
