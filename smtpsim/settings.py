"""The user's settings and data folder: ``platformdirs.user_data_dir("smtpsim")``
(``~/.local/share/smtpsim`` on Linux), or ``SMTPSIM_DATA_DIR`` when it is set.

``settings.json`` holds what the app remembers between runs (today: the language chosen
with its live switch).  A missing, unreadable or foreign file is an empty setting, never
an error; a value is written whole through a temporary file and a rename.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs

ENV_VAR = "SMTPSIM_DATA_DIR"
FILE_NAME = "settings.json"
MAX_BYTES = 64 * 1024


def data_dir() -> Path:
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("smtpsim", appauthor=False))


def settings_path() -> Path:
    return data_dir() / FILE_NAME


def load() -> dict[str, Any]:
    path = settings_path()
    try:
        if path.stat().st_size > MAX_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(**values: Any) -> Path:
    """Merge ``values`` into the settings file; raises OSError if it cannot be written."""
    data = {**load(), **values}
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path
