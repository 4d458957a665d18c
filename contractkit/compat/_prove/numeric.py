"""Numbers: minimum/maximum (inclusive and exclusive), multipleOf, A's numeric interval."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from contractkit._json import is_big, is_number
from contractkit.compat._prove.nodes import NO, R_YES, UNKNOWN, Node, Res, type_kw

_INTERVAL_KEYS = frozenset({"type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})


def numeric_kw(
    kw: str,
    v: Any,
    pos: list[dict[str, Any]],
    int_only: bool,
    ap: str | None,
    kp: str,
    negs: tuple[Any, ...] = (),
) -> Res:
    if not is_number(v) or is_big(v):
        return Res(UNKNOWN, kw, ap, kp)
    fv = frac(v)
    if fv is None:
        return Res(UNKNOWN, kw, ap, kp)
    if kw == "multipleOf":
        if int_only and fv.numerator == 1:
            return R_YES
        # x a multiple of every m_i (an allOf of multipleOf) is a multiple of their least common multiple;
        # for p/q in lowest terms that is lcm(p_i) / gcd(q_i).
        common: Fraction | None = None
        for s in pos:
            m = s.get("multipleOf")
            fm = frac(m) if is_number(m) and not is_big(m) else None
            if fm is None or fm <= 0:
                continue
            if (fm / fv).denominator == 1:
                return R_YES
            common = fm if common is None else _lcm(common, fm)
        if common is not None and (common / fv).denominator == 1:
            return R_YES
        # Bounded integer ranges: every integer in range a multiple? rare; leave to witnesses.
        return Res(NO, kw, ap, kp)
    lo, lo_ex, hi, hi_ex = bounds(pos, int_only, negs)
    if kw in ("minimum", "exclusiveMinimum"):
        if lo is None:
            return Res(NO, kw, ap, kp)
        ok = lo > fv or (lo == fv and (kw == "minimum" or lo_ex))
        return R_YES if ok else Res(NO, kw, ap, kp)
    if hi is None:
        return Res(NO, kw, ap, kp)
    ok = hi < fv or (hi == fv and (kw == "maximum" or hi_ex))
    return R_YES if ok else Res(NO, kw, ap, kp)


def bounds(
    pos: list[dict[str, Any]], int_only: bool, negs: tuple[Any, ...] = ()
) -> tuple[Fraction | None, bool, Fraction | None, bool]:
    """A's numeric interval; negated intervals that cut off one end of it tighten it."""
    lo: Fraction | None = None
    lo_ex = False
    hi: Fraction | None = None
    hi_ex = False
    for s in pos:
        for k, ex in (("minimum", False), ("exclusiveMinimum", True)):
            x = s.get(k)
            f = frac(x) if is_number(x) and not is_big(x) else None
            if f is not None and (lo is None or f > lo or (f == lo and ex)):
                lo, lo_ex = f, ex
        for k, ex in (("maximum", False), ("exclusiveMaximum", True)):
            x = s.get(k)
            f = frac(x) if is_number(x) and not is_big(x) else None
            if f is not None and (hi is None or f < hi or (f == hi and ex)):
                hi, hi_ex = f, ex
    for _ in range(2):
        for ns in negs:
            if not isinstance(ns, dict) or not set(ns) <= _INTERVAL_KEYS:
                continue
            if any(not is_number(ns[k]) or is_big(ns[k]) for k in ns if k != "type"):
                continue  # an ignored bound would read as "unbounded"
            types = type_kw(ns["type"]) if "type" in ns else {"number", "integer"}
            if "integer" not in types or ("number" not in types and not int_only):
                continue  # the negated interval does not cover every number A holds
            nlo, nlo_ex, nhi, nhi_ex = bounds([ns], False)
            if nlo is None and nhi is None:
                continue
            # ¬[nlo, nhi] cuts A's lower end when it starts at or below A's start.
            below = nlo is None or (lo is not None and (nlo < lo or (nlo == lo and (not nlo_ex or lo_ex))))
            if below and nhi is not None and (lo is None or nhi > lo or (nhi == lo and not lo_ex and not nhi_ex)):
                lo, lo_ex = nhi, not nhi_ex
                continue
            above = nhi is None or (hi is not None and (nhi > hi or (nhi == hi and (not nhi_ex or hi_ex))))
            if above and nlo is not None and (hi is None or nlo < hi or (nlo == hi and not hi_ex and not nlo_ex)):
                hi, hi_ex = nlo, not nlo_ex
    if int_only:
        if lo is not None:
            c = math.ceil(lo)
            lo = Fraction(c + 1 if (lo_ex and c == lo) else c)
            lo_ex = False
        if hi is not None:
            fl = math.floor(hi)
            hi = Fraction(fl - 1 if (hi_ex and fl == hi) else fl)
            hi_ex = False
    return lo, lo_ex, hi, hi_ex


def all_integers(nodes: list[Node]) -> bool:
    for n in nodes:
        if n.neg:
            continue
        m = n.schema.get("multipleOf")
        f = frac(m) if is_number(m) else None
        if f is not None and f.denominator == 1:
            return True
    return False


def frac(x: Any) -> Fraction | None:
    try:
        if isinstance(x, float):
            if not math.isfinite(x):
                return None
            return Fraction(repr(x))
        return Fraction(x)
    except (ValueError, TypeError, OverflowError):
        return None


def _lcm(a: Fraction, b: Fraction) -> Fraction:
    return Fraction(math.lcm(a.numerator, b.numerator), math.gcd(a.denominator, b.denominator))
