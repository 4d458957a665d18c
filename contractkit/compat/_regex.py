"""A sufficient test for ``pattern`` inclusion on a small, common regex subset.

Supported: an anchored sequence ``^ atom quantifier? ... $`` where an atom is a literal character,
an escaped punctuation character, ``.``, a character class of literals and ranges (``[A-Z0-9_-]``), or
a group of ``.`` and one such atom (``(.|[\\r\\n])``, the dot and those characters),
and a quantifier is ``* + ? {n} {n,} {n,m}`` (lazy forms read the same). ``A ⊆ B`` is proven when
both parse into the same number of atoms and each atom of A is included in B's atom at the same
position (class inclusion and quantifier range inclusion); concatenation is monotone, so that is
sound. Anything else — groups, alternation, ``\\d \\w \\s \\b`` (whose meaning differs between regex
dialects), negated classes, non-BMP characters — answers None ("cannot tell").
"""

from __future__ import annotations

from dataclasses import dataclass

_LINE_TERMINATORS = frozenset({0x0A, 0x0D, 0x2028, 0x2029})
_SPECIAL = frozenset("\\^$.|?*+()[]{}")
_INF = 1 << 30


@dataclass(frozen=True, slots=True)
class _Atom:
    ranges: tuple[tuple[int, int], ...]  # inclusive code point ranges; the dot is its own flag
    dot: bool
    lo: int
    hi: int


def _parse(p: str) -> list[_Atom] | None:
    if not (p.startswith("^") and p.endswith("$")) or p.endswith("\\$"):
        return None
    body = p[1:-1]
    i = 0
    atoms: list[_Atom] = []
    while i < len(body):
        c = body[i]
        ranges: tuple[tuple[int, int], ...] = ()
        dot = False
        if c == "[":
            j = i + 1
            if j < len(body) and body[j] == "^":
                return None
            items: list[tuple[int, int]] = []
            prev: int | None = None
            while j < len(body) and body[j] != "]":
                ch, j = _class_char(body, j)
                if ch is None:
                    return None
                if ch == -1:  # a literal "-" between two characters makes a range
                    nxt = body[j] if j < len(body) else "]"
                    if prev is not None and nxt != "]":
                        hi, j = _class_char(body, j)
                        if hi is None or hi < 0 or hi < prev:
                            return None
                        items[-1] = (prev, hi)
                        prev = None
                        continue
                    ch = ord("-")
                items.append((ch, ch))
                prev = ch
            if j >= len(body) or not items:
                return None
            ranges = tuple(items)
            i = j + 1
        elif c == ".":
            dot = True
            i += 1
        elif c == "(":
            # ``(.|[\r\n])`` and the like: a group of two alternatives, one the dot, the other one atom
            k = body.find(")", i)
            alts = body[i + 1 : k].removeprefix("?:").split("|") if k > 0 else []
            other = [a for a in alts if a != "."]
            one = _parse("^" + other[0] + "$") if len(alts) == 2 and len(other) == 1 else None
            if one is None or len(one) != 1 or one[0].dot or (one[0].lo, one[0].hi) != (1, 1):
                return None
            ranges, dot = one[0].ranges, True
            i = k + 1
        elif c == "\\":
            if i + 1 >= len(body):
                return None
            e = body[i + 1]
            if e.isalnum() or e == "_":
                return None  # \d \w \s \b, control and unicode escapes: dialect-dependent or unsupported
            ranges = ((ord(e), ord(e)),)
            i += 2
        elif c in _SPECIAL:
            return None
        else:
            ranges = ((ord(c), ord(c)),)
            i += 1
        if any(hi > 0xFFFF or 0xD800 <= lo <= 0xDFFF or 0xD800 <= hi <= 0xDFFF for lo, hi in ranges):
            return None
        lo, hi, i = _quantifier(body, i)
        if lo < 0:
            return None
        atoms.append(_Atom(ranges, dot, lo, hi))
    return atoms


def _class_char(body: str, j: int) -> tuple[int | None, int]:
    """One character inside [...]: its code point, -1 for a bare '-', None if unsupported."""
    c = body[j]
    if c == "\\":
        if j + 1 >= len(body):
            return None, j
        e = body[j + 1]
        if e.isalnum() or e == "_":
            return None, j
        return ord(e), j + 2
    if c == "-":
        return -1, j + 1
    if c == "[":
        return None, j
    return ord(c), j + 1


def _quantifier(body: str, i: int) -> tuple[int, int, int]:
    if i >= len(body):
        return 1, 1, i
    c = body[i]
    lo, hi = 1, 1
    if c == "*":
        lo, hi, i = 0, _INF, i + 1
    elif c == "+":
        lo, hi, i = 1, _INF, i + 1
    elif c == "?":
        lo, hi, i = 0, 1, i + 1
    elif c == "{":
        j = body.find("}", i)
        if j < 0:
            return -1, -1, i
        inner = body[i + 1 : j]
        parts = inner.split(",")
        try:
            if len(parts) == 1:
                lo = hi = int(parts[0])
            elif len(parts) == 2:
                lo = int(parts[0])
                hi = int(parts[1]) if parts[1] else _INF
            else:
                return -1, -1, i
        except ValueError:
            return -1, -1, i
        if hi < lo:
            return -1, -1, i
        i = j + 1
    else:
        return 1, 1, i
    if i < len(body) and body[i] == "?":
        i += 1  # lazy: same language
    if i < len(body) and body[i] in "*+?{":
        return -1, -1, i
    return lo, hi, i


def _class_subset(a: _Atom, b: _Atom) -> bool:
    """Whether every character atom ``a`` matches, ``b`` matches (an atom matches its ranges, and with
    ``dot`` every character but a line terminator, as in ECMA-262)."""
    if a.dot and not b.dot:
        return False
    if b.dot:
        # only line terminators escape b's dot: a's must be in b's ranges
        own = [t for lo, hi in a.ranges for t in _LINE_TERMINATORS if lo <= t <= hi]
        return all(any(lo <= t <= hi for lo, hi in b.ranges) for t in own)
    for lo, hi in a.ranges:
        x = lo
        while x <= hi:
            cover = next((h for (low, h) in b.ranges if low <= x <= h), None)
            if cover is None:
                return False
            x = cover + 1
    return True


def pattern_subset(a: str, b: str) -> bool | None:
    """True when every string matching pattern ``a`` matches ``b``; None when not shown."""
    if _alternatives_within(a, b):
        return True
    pa, pb = _parse(a), _parse(b)
    if pa is None or pb is None or len(pa) != len(pb):
        return None
    for x, y in zip(pa, pb, strict=True):
        if not (y.lo <= x.lo and x.hi <= y.hi and (x.hi == 0 or _class_subset(x, y))):
            return None
    return True


def examples(pattern: str) -> list[str]:
    """A few strings matching ``pattern`` (shortest, one longer, longest) for the supported subset."""
    atoms = _parse(pattern)
    if atoms is None:
        return []
    out: list[str] = []
    for pick in ("lo", "more", "hi"):
        parts: list[str] = []
        for a in atoms:
            ch = "a" if a.dot else chr(a.ranges[0][0])
            n = a.lo if pick == "lo" else min(a.lo + 1, a.hi) if pick == "more" else min(a.hi, a.lo + 8)
            parts.append(ch * n)
        out.append("".join(parts))
    return out


def _alternatives_within(a: str, b: str) -> bool:
    """Whether every top-level alternative of ``a`` is, character for character, a top-level alternative of
    ``b`` (``A|C`` within ``A|B|C``). A pattern matches a string when one of its top-level alternatives
    matches somewhere in it, and an alternative means the same wherever it stands, except for what counts
    groups or sets flags: no backreference (``\\1`` names a group by its number, which the alternatives
    before it shift) and no ``(?`` other than ``(?:`` (inline flags, lookbehinds that read context)."""
    alts_a, alts_b = top_alternatives(a), top_alternatives(b)
    if alts_a is None or alts_b is None or len(alts_b) < 2:
        return False
    return all(x in alts_b for x in alts_a)


def top_alternatives(p: str) -> list[str] | None:
    """The top-level alternatives of ``p`` (``a|(b|c)`` -> ``a``, ``(b|c)``); None when not read (see above)."""
    return split_top(p, strict=True)


def split_top(p: str, *, strict: bool = False) -> list[str] | None:
    """The top-level alternatives of ``p`` (``|`` outside groups and classes); None when its groups or classes
    do not close. ``strict`` also refuses what makes an alternative mean something else on its own: a
    backreference, ``[]``/``[^]`` (an empty class in ECMA-262, a literal ``]`` in other dialects) and a
    ``(?`` other than ``(?:``. The one scanner of ``_automata``, ``_regexfa`` and the alternatives test."""
    out: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(p):
        c = p[i]
        if c == "\\":
            if strict and i + 1 < len(p) and p[i + 1].isdigit():
                return None
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            if strict and p.startswith(("[]", "[^]"), i):
                return None
            in_class = True
        elif c == "(":
            if strict and p.startswith("(?", i) and not p.startswith("(?:", i):
                return None
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return None
        elif c == "|" and depth == 0:
            out.append(p[start:i])
            start = i + 1
        i += 1
    if depth != 0 or in_class:
        return None
    out.append(p[start:])
    return out
