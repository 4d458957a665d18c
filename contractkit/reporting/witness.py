"""Witnesses as people read and copy them: whole JSON values, never cut inside a token.

Every report format prints a witness as complete JSON. Only where a format has no room for a large
one (a one-line GitHub annotation, an inline changelog example) is it shortened, and then visibly and
at value boundaries: the members on the way to the place the break shows (`at`) are always kept, and
the others are replaced by one `…(n more)` marker per container. A shortened witness is therefore
not JSON any more, and says so; the JSON, SARIF, JUnit and Markdown reports always carry the whole one.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["compact", "pretty", "value_at"]

_MIN_ROOM = 40  # never squeeze the members on the path below this many characters


def pretty(value: Any) -> str:
    """Indented JSON (for code blocks)."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def compact(value: Any, at: str | None = None, limit: int | None = None) -> str:
    """One-line JSON; when longer than `limit`, shortened around the path to `at` (see module doc)."""
    full = _dumps(value)
    if limit is None or len(full) <= limit:
        return full
    return _render(value, _tokens(at), limit)


def value_at(value: Any, at: str | None) -> tuple[bool, Any]:
    """(found, the value at the pointer `at` inside `value`)."""
    node = value
    for token in _tokens(at):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _tokens(pointer: str | None) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _render(value: Any, path: list[str], budget: int) -> str:
    if isinstance(value, dict):
        keys = list(value)
        keep = path[0] if path and path[0] in value else None
        return _members(
            [(k, _dumps(k) + ": ") for k in keys],
            lambda k: value[k],
            keep,
            path[1:],
            budget,
            "{",
            "}",
        )
    if isinstance(value, list):
        idx = int(path[0]) if path and path[0].isdigit() and int(path[0]) < len(value) else None
        return _members([(i, "") for i in range(len(value))], lambda i: value[i], idx, path[1:], budget, "[", "]")
    return _dumps(value)


def _members(
    items: list[tuple[Any, str]], get: Any, keep: Any, rest: list[str], budget: int, open_: str, close: str
) -> str:
    kept: dict[Any, str] = {}
    used = len(open_) + len(close)
    if keep is not None:
        prefix = dict(items)[keep]
        kept[keep] = prefix + _render(get(keep), rest, max(budget - used - len(prefix) - 16, _MIN_ROOM))
        used += len(kept[keep]) + 2
    for key, prefix in items:  # the leading members, while they fit
        if key in kept:
            continue
        text = prefix + _dumps(get(key))
        if used + len(text) + 2 + 24 > budget:  # 24: room for two markers
            break
        kept[key] = text
        used += len(text) + 2
    parts: list[str] = []
    gap = 0
    for key, _ in items:  # one marker per run of left-out members, where they were
        if key in kept:
            if gap:
                parts.append(f"…({gap} more)")
                gap = 0
            parts.append(kept[key])
        else:
            gap += 1
    if gap:
        parts.append(f"…({gap} more)")
    return open_ + ", ".join(parts) + close
