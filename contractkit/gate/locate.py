"""Find the line of a JSON pointer in a JSON file, or of a version's key in index.toml (for annotations)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

__all__ = ["index_line", "json_pointer_line"]


def _lines(path: Path) -> tuple[str, ...]:
    # Keyed by the absolute path and the file's stamp: a relative path or an edited file never reads stale lines.
    try:
        stat = path.stat()
    except OSError:
        return ()
    return _read(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _read(path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    try:
        return tuple(path.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def json_pointer_line(path: Path, pointer: str | None) -> int | None:
    """Best effort: follow the pointer's keys through the pretty-printed text, in order."""
    lines = _lines(path)
    if not lines:
        return None
    if not pointer:
        return 1
    row = 0
    for raw in pointer.lstrip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if token.isdigit():
            continue  # array positions have no key to look for; stay at the enclosing key
        needle = json.dumps(token) + ":"
        for i in range(row, len(lines)):
            if needle in lines[i].replace('" :', '":'):
                row = i
                break
        else:
            return row + 1
    return row + 1


def index_line(path: Path, version: str | None, key: str | None) -> int | None:
    lines = _lines(path)
    if not lines:
        return None
    start = 0
    if version is not None:
        pat = re.compile(rf'^\s*name\s*=\s*"{re.escape(version)}"\s*$')
        for i, line in enumerate(lines):
            if pat.match(line):
                start = i
                break
        else:
            return None
    if key is None:
        return start + 1
    kpat = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for i in range(start, len(lines)):
        if i > start and lines[i].strip() == "[[versions]]":
            break
        if kpat.match(lines[i]):
            return i + 1
    return start + 1
