"""Parsed data files kept between runs, so that a start-up reads them in a blink.

The catalogue's TOML files and the translation's ``.po`` are parsed by pure-Python
readers: the first screen's files (reply texts, codes, the why of every reply) cost about
20 ms in English and 35 ms in Italian at every start, a tenth of the whole.  The parsed
value is kept in the user's cache folder (``platformdirs.user_cache_dir("smtpsim")``) in
Python's ``marshal`` format and used again while the source file is unchanged.

Safe by construction: each cache file stores the full key it was made for (the source's
absolute path, its length and CRC-32 checksum, and the Python version, since
``marshal``'s format is per version), and a file whose key differs is parsed afresh.
There is one cache file per source file (rewritten when the source changes), written to
a temporary name first and renamed, so that 25 students starting at once never read
half a file.  A cache that cannot be read or written (read-only home, full disk) only
costs the parse.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

T = TypeVar("T")

#: Bumped when what is stored changes shape; part of every key.
FORMAT = 1
MAX_BYTES = 8 * 1024 * 1024   # a parsed catalogue file is far smaller: bigger is not read


def cache_folder() -> Path:
    return Path(platformdirs.user_cache_dir("smtpsim", appauthor=False)) / "parsed"


def _key(path: Path) -> str | None:
    """What the parsed value depends on: the source's bytes (their length and CRC-32,
    read in well under a millisecond), where it is, and marshal's format."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_BYTES:
        return None
    return f"{FORMAT}|{sys.version}|{path.resolve()}|{len(data)}|{zlib.crc32(data):08x}"


def cached_parse(path: Path, parse: Callable[[Path], T], folder: Path | None = None) -> T:
    """``parse(path)``, or the value it gave last time while ``path`` is unchanged.

    ``parse`` must return plain data (dicts, lists, tuples, strings, numbers); anything
    ``marshal`` cannot store is returned without being kept."""
    key = _key(path)
    if key is None:
        return parse(path)          # missing or huge: the parser says what it does then
    folder = folder or cache_folder()
    name = f"{path.stem}-{zlib.crc32(str(path.resolve()).encode()):08x}.marshal"
    target = folder / name
    found = _read(target, key)
    if found is not None:
        return found[1]
    value = parse(path)
    _write(folder, target, key, value)
    return value


def _read(target: Path, key: str) -> tuple[str, Any] | None:
    try:
        with target.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            return None
        stored = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key:
        return stored
    return None                     # another source, version or edit: parse again


def _write(folder: Path, target: Path, key: str, value: Any) -> None:
    try:
        data = marshal.dumps((key, value))
    except ValueError:              # not plain data: nothing is kept
        return
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
