"""Shared test setup.

Textual reads TEXTUAL_* variables at import time, and NO_COLOR changes how the app
renders: they are removed here, before anything imports Textual, so that snapshots
do not depend on the machine that runs them.
"""

import atexit
import os
import shutil
import tempfile

for _name in ("TEXTUAL_FILTERS", "TEXTUAL_ANIMATIONS", "NO_COLOR", "TEXTUAL_THEME"):
    os.environ.pop(_name, None)

# The suite speaks English whatever the machine's locale or saved choice: tests of other
# languages ask for them (--lang, monkeypatch) and put the language back.
os.environ["SMTPSIM_LANG"] = "en"

# Nor does it read or write the user's own settings, progress or retry pool (an F12 in the
# app saves the language there): every process the suite starts gets a data folder of its
# own unless a test names another.
_DATA = tempfile.mkdtemp(prefix="smtpsim-tests-data-")
atexit.register(shutil.rmtree, _DATA, ignore_errors=True)
os.environ["SMTPSIM_DATA_DIR"] = _DATA
