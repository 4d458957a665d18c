"""What every rule family returns: a candidate finding and the *effect* of the change.

The effect says how the change moves the set of valid instances; the engine alone turns an effect
into the directions it breaks (see ``contractkit.compat.engine.breaks``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final, Literal

from contractkit.compat.walk import MISSING

Effect = Literal["narrows", "widens", "changes", "annotation"]
NARROWS: Final[Effect] = "narrows"  # some instance valid before is invalid now
WIDENS: Final[Effect] = "widens"  # some instance invalid before is valid now
CHANGES: Final[Effect] = "changes"  # may do both
ANNOTATION: Final[Effect] = "annotation"  # validation unaffected


@dataclass(frozen=True, slots=True)
class Candidate:
    rule_id: str
    effect: Effect
    message: str


_ENCODER = json.JSONEncoder(sort_keys=True)  # what json.dumps(v, sort_keys=True) builds on every call
_escape = json.encoder.encode_basestring_ascii
_SCALARS: dict[Any, str] = {True: "true", False: "false", None: "null"}


def show(v: Any) -> str:
    if v is MISSING:
        return "(absent)"
    t = type(v)
    if t is str and v.isascii() and v.isprintable() and '"' not in v and "\\" not in v:
        text = f'"{v}"'  # nothing to escape: what the encoder writes
    elif t is int:
        text = int.__repr__(v)
    elif t is bool or v is None:
        text = _SCALARS[v]
    elif (t is dict or t is list) and v:
        text = _head(v, 60)
    else:
        text = _ENCODER.encode(v)
    return text if len(text) <= 60 else text[:57] + "..."


def _head(v: Any, limit: int) -> str:
    """``_ENCODER.encode(v)`` when it has at most ``limit`` characters, else a longer prefix of it: the
    message shows only the first 57 (a whole schema replaced by ``false`` need not be written out)."""
    parts: list[str] = []
    size = 0
    for chunk in _chunks(v):
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            break
    return "".join(parts)


def _chunks(v: Any) -> Iterator[str]:
    """The pieces of ``_ENCODER.encode(v)`` in order (separators ", " and ": ", keys sorted, ASCII only),
    lazily; any value that is not plain JSON (a non-str key, another type) is handed to the encoder whole."""
    t = type(v)
    if t is dict:
        if not v:
            yield "{}"
            return
        if not all(type(k) is str for k in v):
            yield _ENCODER.encode(v)
            return
        sep = "{"
        for k in sorted(v):
            yield sep + _escape(k) + ": "
            yield from _chunks(v[k])
            sep = ", "
        yield "}"
    elif t is list:
        if not v:
            yield "[]"
            return
        sep = "["
        for x in v:
            yield sep
            yield from _chunks(x)
            sep = ", "
        yield "]"
    else:
        yield _ENCODER.encode(v)


def bound_change(
    kw: str, old: Any, new: Any, upper: bool, ids: tuple[str, str, str, str], what: str
) -> list[Candidate]:
    """Shared logic for numeric limits: ids are (added, removed, tightened, relaxed)."""
    added, removed, tightened, relaxed = ids
    if old is MISSING:
        return [Candidate(added, NARROWS, f"{what} now limited by {kw} {show(new)}")]
    if new is MISSING:
        return [Candidate(removed, WIDENS, f"{what} no longer limited by {kw} (was {show(old)})")]
    try:
        tighter = new < old if upper else new > old
    except TypeError:
        return [Candidate(tightened, CHANGES, f"{kw} changed from {show(old)} to {show(new)}")]
    if tighter:
        return [Candidate(tightened, NARROWS, f"{kw} tightened from {show(old)} to {show(new)}")]
    return [Candidate(relaxed, WIDENS, f"{kw} relaxed from {show(old)} to {show(new)}")]
