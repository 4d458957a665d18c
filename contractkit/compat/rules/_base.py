"""What every rule family returns: a candidate finding and the *effect* of the change.

The effect says how the change moves the set of valid instances; the engine alone turns an effect
into the directions it breaks (see ``contractkit.compat.engine.breaks``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

from contractkit._json import dumps_sorted
from contractkit.compat.walk import MISSING

Effect = Literal["narrows", "widens", "changes", "annotation"]
NARROWS: Final[Effect] = "narrows"  # some instance valid before is invalid now
WIDENS: Final[Effect] = "widens"  # some instance invalid before is valid now
CHANGES: Final[Effect] = "changes"  # may do both
ANNOTATION: Final[Effect] = "annotation"  # validation unaffected


# Not frozen (nothing assigns to a field): cheaper to build, one per classified change; hashed and
# compared as a frozen one is. A written __init__ (init=False): a native class in the compiled build.
@dataclass(slots=True, unsafe_hash=True, init=False)
class Candidate:
    rule_id: str
    effect: Effect
    message: str

    def __init__(self, rule_id: str, effect: Effect, message: str) -> None:
        self.rule_id = rule_id
        self.effect = effect
        self.message = message


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
    else:
        text = dumps_sorted(v)
    return text if len(text) <= 60 else text[:57] + "..."


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
