"""Strings: minLength, maxLength, pattern (inclusion through ``compat._regex`` and ``compat._automata``)."""

from __future__ import annotations

from typing import Any

from contractkit._json import is_number
from contractkit.compat import _automata as automata
from contractkit.compat._prove.nodes import NO, R_YES, UNKNOWN, Res
from contractkit.compat._regex import pattern_subset


def string_kw(kw: str, v: Any, pos: list[dict[str, Any]], ap: str | None, kp: str) -> Res:
    if kw == "minLength":
        best = max((s["minLength"] for s in pos if is_number(s.get("minLength"))), default=0)
        return R_YES if best >= v else Res(NO, kw, ap, kp)
    if kw == "maxLength":
        vals = [s["maxLength"] for s in pos if is_number(s.get("maxLength"))]
        if vals and min(vals) <= v:
            return R_YES
        return Res(NO, kw, ap, kp)
    # pattern
    if not isinstance(v, str):
        return Res(UNKNOWN, kw, ap, kp)
    if v in ("", ".*", "^.*", ".*$", "^.*$", "[\\s\\S]*", "^[\\s\\S]*$"):
        return R_YES if v in ("", "[\\s\\S]*", "^[\\s\\S]*$") else Res(UNKNOWN, "pattern", ap, kp)
    if any(s.get("pattern") == v for s in pos):
        return R_YES
    if any(isinstance(s.get("pattern"), str) and pattern_subset(s["pattern"], v) for s in pos):
        return R_YES
    # By automata: every string matching all of A's patterns matches B's (ECMA-262 guarded).
    mine = tuple(s["pattern"] for s in pos if isinstance(s.get("pattern"), str))
    if mine and automata.subset(mine, v):
        return R_YES
    return Res(UNKNOWN, "pattern", ap, kp)
