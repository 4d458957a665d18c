"""Regular-expression containment and examples by finite automata (``greenery``), ECMA-262 guarded.

JSON Schema's ``pattern`` is an ECMA-262 regular expression, matched *anywhere* in the string (an
unanchored search). ``greenery`` reads a regex as a full match over Unicode characters, with its
own dialect. A pattern is handed to it only after :func:`_translate` has rewritten it into a form
both read the same way, and refused (``None``: "cannot tell") whenever the two could differ:

* ``.``: ECMA-262 excludes four line terminators (``\\n \\r U+2028 U+2029``), the Rust regex of jsonschema-rs
  only ``\\n``; an inclusion is proven with the wider reading on the including side and the narrower
  one on the included side, so it holds for both (witness candidates use the validator's reading);
* ``^`` / ``$`` only as anchors of the whole pattern or of a top-level alternative (no multiline
  flag in JSON Schema); an unanchored side is padded with "any string";
* escapes: punctuation and ``\\t \\n \\r \\f \\v`` only. ``\\d \\w \\s \\b`` (ASCII in ECMA-262, Unicode
  in the Rust regex behind jsonschema-rs and Pydantic), ``\\cX``, ``\\uXXXX``, back-references and
  every other letter escape are refused;
* groups: plain and ``(?:``; lookarounds and named groups are refused;
* patterns longer than 100 characters or naming more than 24 letters and digits are not read (the
  construction's cost grows fast with both);
* a quantified group holding a quantifier (``(a+)*``) and more than two unanchored ends among the
  alternatives are refused too (the construction explodes on them);
* braces only as a quantifier ``{n}``, ``{n,}``, ``{n,m}`` (n, m ≤ 64); ``{,n}`` and a lone brace
  are literals in ECMA-262 (Annex B) and refused here; ``[]``/``[^]`` are refused;
* characters outside the BMP and surrogates are refused, so UTF-16 code units (ECMA-262) and code
  points (Rust regex) delimit the same characters.

An inclusion proven between two translated patterns then holds for ECMA-262 and for the validator
alike: over any alphabet in which every character the patterns do not mention behaves the same,
which is the case for code units and code points.
"""

from __future__ import annotations

import itertools
from collections import deque
from functools import lru_cache
from typing import Any

from contractkit.compat import _regexfa
from contractkit.compat._regex import split_top

_LINE_TERMINATORS = "\n\r\u2028\u2029"
# ECMA-262's dot excludes four line terminators, the Rust regex of jsonschema-rs and Pydantic only \n.
# A proof reads the including side's dots widely and the included side's narrowly, so it holds for both.
_DOTS = {"wide": "[^\\n]", "narrow": "[^\\n\\r\u2028\u2029]"}
_ANY = "(?:[^a]|a)*"
_MAX_PATTERN = 100  # greenery's construction time grows fast with length and alphabet
_MAX_LETTERS = 24
_MAX_COUNT = 64
_SIMPLE_ESCAPES = frozenset("tnrfv")


def _bad_char(c: str) -> bool:
    o = ord(c)
    return o > 0xFFFF or 0xD800 <= o <= 0xDFFF


def _quantifier(p: str, i: int) -> tuple[str, int] | None:
    """A ``{n}``/``{n,}``/``{n,m}`` quantifier at ``p[i] == '{'``: (text, next index), or None."""
    j = p.find("}", i)
    if j < 0:
        return None
    inner = p[i + 1 : j]
    lo, _, hi = inner.partition(",")
    if not lo.isdigit() or (hi and not hi.isdigit()):
        return None
    if int(lo) > _MAX_COUNT or (hi and (int(hi) > _MAX_COUNT or int(hi) < int(lo))):
        return None
    return "{" + inner + "}", j + 1


def _body(p: str, dot: str) -> str | None:
    """One alternative without its anchors, in greenery's syntax; None when it could read differently."""
    out: list[str] = []
    i = 0
    after_atom = False  # a quantifier may follow
    quantified: list[bool] = [False]  # per open group: whether a quantifier occurs inside it
    closed_quantified = False  # the atom just read is a group holding a quantifier
    while i < len(p):
        c = p[i]
        if _bad_char(c):
            return None
        if c == "\\":
            if i + 1 >= len(p):
                return None
            e = p[i + 1]
            if _bad_char(e):
                return None
            if (e.isalnum() or e == "_") and e not in _SIMPLE_ESCAPES:
                return None
            out.append("\\" + e)
            i += 2
            after_atom, closed_quantified = True, False
            continue
        if c == "[":
            j = i + 1
            cls = ["["]
            if j < len(p) and p[j] == "^":
                cls.append("^")
                j += 1
            start = j
            while j < len(p) and p[j] != "]":
                ch = p[j]
                if _bad_char(ch):
                    return None
                if ch == "\\":
                    if j + 1 >= len(p):
                        return None
                    e = p[j + 1]
                    if _bad_char(e) or ((e.isalnum() or e == "_") and e not in _SIMPLE_ESCAPES):
                        return None
                    cls.append("\\" + e)
                    j += 2
                    continue
                cls.append("\\" + ch if ch in "[^" else ch)
                j += 1
            if j >= len(p) or j == start:
                return None  # unterminated, or [] / [^] (ECMA: nothing / anything)
            cls.append("]")
            out.append("".join(cls))
            i = j + 1
            after_atom, closed_quantified = True, False
            continue
        if c == ".":
            out.append(dot)
            i += 1
            after_atom, closed_quantified = True, False
            continue
        if c == "(":
            quantified.append(False)
            closed_quantified = False
            if p.startswith("(?:", i):
                out.append("(?:")
                i += 3
            elif p.startswith("(?", i):
                return None  # lookaround, named group
            else:
                out.append("(")
                i += 1
            after_atom = False
            continue
        if c == ")":
            if len(quantified) < 2:
                return None
            closed_quantified = quantified.pop()
            quantified[-1] = quantified[-1] or closed_quantified
            out.append(")")
            i += 1
            after_atom = True
            continue
        if c in "*+?{":
            if not after_atom or closed_quantified:
                return None  # a quantified group holding a quantifier: greenery's construction explodes
            quantified[-1] = True
            if c == "{":
                q = _quantifier(p, i)
                if q is None:
                    return None
                out.append(q[0])
                i = q[1]
            else:
                out.append(c)
                i += 1
            if i < len(p) and p[i] == "?":
                i += 1  # lazy: the same language
            if i < len(p) and p[i] in "*+?{":
                return None
            after_atom, closed_quantified = False, False
            continue
        if c in "^$}]":
            return None  # an anchor inside, or an Annex B literal
        if c == "|":
            out.append("|")
            i += 1
            after_atom = False
            continue
        out.append(c)
        i += 1
        after_atom, closed_quantified = True, False
    return "".join(out)


def _translate(pattern: str, reading: str = "wide") -> str | None:
    """An ECMA-262 ``pattern`` (unanchored search) as a greenery full-match regex, or None."""
    if len(pattern) > _MAX_PATTERN or len({c for c in pattern if c.isalnum()}) > _MAX_LETTERS:
        return None
    alts = split_top(pattern)
    if alts is None:
        return None
    parts: list[str] = []
    padded = sum((not a.startswith("^")) + (not a.endswith("$")) for a in alts)
    if padded > 2:
        return None  # several unanchored alternatives: a substring matcher greenery builds very slowly
    for alt in alts:
        start = alt.startswith("^")
        core = alt[1:] if start else alt
        end = core.endswith("$") and not _escaped_at(core, len(core) - 1)
        core = core[:-1] if end else core
        body = _body(core, _DOTS[reading])
        if body is None:
            return None
        parts.append(("" if start else _ANY) + f"(?:{body})" + ("" if end else _ANY))
    return "|".join(f"(?:{x})" for x in parts)


def _escaped_at(s: str, i: int) -> bool:
    n = 0
    while i - 1 - n >= 0 and s[i - 1 - n] == "\\":
        n += 1
    return n % 2 == 1


@lru_cache(maxsize=2048)
def _fsm(pattern: str, reading: str = "wide") -> Any:
    # The empty pattern (any string; the witness search's unconstrained source) padded on both sides
    # builds the very automaton `_ANY` alone builds, at a quarter of the cost.
    text = _ANY if pattern == "" else _translate(pattern, reading)
    if text is None:
        return None
    try:
        from greenery import parse  # type: ignore[import-untyped]  # greenery ships no type information

        return parse(text).to_fsm()
    except Exception:  # greenery rejects what it cannot read; "cannot tell" is always safe
        return None


@lru_cache(maxsize=2048)
def _readable(pattern: str, reading: str = "wide") -> bool:
    """Whether ``pattern`` is translated for greenery (``_fsm`` is None when it is not): checked before any
    automaton is built, so that a pattern refused on sight costs neither an automaton nor greenery's import."""
    return pattern == "" or _translate(pattern, reading) is not None


def _intersection(patterns: tuple[str, ...]) -> Any:
    fsms = [_fsm(p) for p in patterns]
    if not fsms or any(f is None for f in fsms):
        return None
    out = fsms[0]
    for f in fsms[1:]:
        out = out.intersection(f)
    return out


@lru_cache(maxsize=2048)
def subset(a: tuple[str, ...], b: str) -> bool | None:
    """Whether every string matching all of the patterns ``a`` matches ``b``; None when not decided.
    Patterns greenery is not given (``\\d``, a leading lookahead, long ones) go to ``_regexfa``."""
    if not _readable(b, "narrow") or not all(_readable(p) for p in a):
        return _regexfa.subset(a, b)
    fa, fb = _intersection(a), _fsm(b, "narrow")
    if fa is None or fb is None:
        return _regexfa.subset(a, b)
    try:
        return bool(fa.difference(fb).empty())
    except Exception:
        return None


@lru_cache(maxsize=2048)
def _difference_examples(a: tuple[str, ...], b: str, n: int) -> tuple[str, ...]:
    if not _readable(b) or not all(_readable(p) for p in a):
        return _regexfa.difference(a, b or None, n)
    if a == ("",) and n <= 3:
        lit = _anchored_literal(b)
        if lit is not None and len(lit) >= 1 and lit not in ("a", "b"):
            # Strings other than one literal, without an automaton (what the search below yields for it):
            # "" is the shortest, and every one-character string differs from a literal of two or more
            # characters (or from another single one); "a" and "b" rank first among them (`_READABLE`),
            # each its own representative, since the padding `_ANY` puts "a" in a class of its own.
            return ("", "a", "b")[:n]
    return _automaton_difference(a, b, n)


def _automaton_difference(a: tuple[str, ...], b: str, n: int) -> tuple[str, ...]:
    fa, fb = _intersection(a), _fsm(b) if b else None
    if fa is None or (b and fb is None):
        return _regexfa.difference(a, b or None, n)
    try:
        d = fa.difference(fb) if fb is not None else fa
        if d.empty():
            return ()
        # The shortest strings, the most readable first (letters and digits over punctuation).
        first = list(itertools.islice(_strings(d), 30))
        return tuple(sorted(first, key=lambda s: (len(s), sum(not c.isalnum() for c in s)))[:n])
    except Exception:
        return ()


_READABLE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@ /:+"
_ESCAPED = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v"}
_META = frozenset("\\^$.|?*+()[]{}")


def _anchored_literal(pattern: str) -> str | None:
    """The one string ``^literal$`` matches (ASCII letters, digits, plain punctuation and the escapes
    ``\\t \\n \\r \\f \\v``), or None for any other pattern."""
    if len(pattern) < 2 or pattern[0] != "^" or pattern[-1] != "$":
        return None
    body, out, i = pattern[1:-1], [], 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            if i + 1 >= len(body):
                return None
            e = body[i + 1]
            if e not in _ESCAPED:
                return None  # (greenery refuses some escaped punctuation: left to it)
            out.append(_ESCAPED[e])
            i += 2
            continue
        if not (c.isascii() and c.isprintable()) or c in _META:
            return None
        out.append(c)
        i += 1
    return "".join(out)


def _representative(cls: Any) -> str | None:
    """One character of a greenery character class, readable when possible: the first of `_READABLE` it
    accepts, else the lowest code point it accepts in U+0021..U+2FFF, then U+0000..U+0020, then U+2028
    or U+2029 (read off its ranges, not tried one code point at a time)."""
    for c in _READABLE:
        if cls.accepts(c):
            return c
    ranges = sorted(cls.ord_ranges)
    for lo, hi in ((0x21, 0x3000), (0, 0x21)):
        code = _lowest(ranges, cls.negated, lo, hi)
        if code is not None:
            return chr(code)
    for code in (0x2028, 0x2029):
        if cls.accepts(chr(code)):
            return chr(code)
    return None


def _lowest(ranges: list[tuple[int, int]], negated: bool, lo: int, hi: int) -> int | None:
    """The lowest code point in [lo, hi) that a class of these inclusive `ranges` accepts (all but them
    when `negated`), or None."""
    if not negated:
        found = [max(a, lo) for a, b in ranges if b >= lo and a < hi]
        return min(found) if found else None
    u = lo
    for a, b in ranges:
        if b < u:
            continue
        if a > u:
            break
        u = b + 1
    return u if u < hi else None


def _rank(c: str) -> int:
    i = _READABLE.find(c)
    return i if i >= 0 else len(_READABLE) + ord(c)


def _strings(fsm: Any, limit: int = 4000) -> Any:
    """Accepted strings, shortest first: a breadth-first search that visits each state a few times
    (greenery's own enumeration explodes on patterns padded with "any string")."""
    edges: dict[Any, list[tuple[str, Any]]] = {}
    for state, moves in fsm.map.items():
        out = []
        for cls, nxt in sorted(moves.items(), key=lambda kv: repr(kv[0])):
            c = _representative(cls)
            if c is not None:
                out.append((c, nxt))
        edges[state] = sorted(out, key=lambda e: (_rank(e[0]), e[0]))
    # states from which a final state is reachable
    live = set(fsm.finals)
    grew = True
    while grew:
        grew = False
        for state, out in edges.items():
            if state not in live and any(nxt in live for _, nxt in out):
                live.add(state)
                grew = True
    if fsm.initial not in live:
        return
    queue: deque[tuple[Any, str]] = deque([(fsm.initial, "")])
    visits: dict[Any, int] = {}
    steps = 0
    while queue and steps < limit:
        state, text = queue.popleft()
        steps += 1
        if state in fsm.finals:
            yield text
        for c, nxt in edges.get(state, []):
            if nxt in live and visits.get(nxt, 0) < 4 and len(text) < 300:
                visits[nxt] = visits.get(nxt, 0) + 1
                queue.append((nxt, text + c))


def examples(pattern: str, n: int = 3) -> list[str]:
    """Up to ``n`` strings matching ``pattern`` (shortest first); [] when it cannot be read safely."""
    return list(_difference_examples((pattern,), "", n))


def examples_all(patterns: tuple[str, ...], n: int = 3) -> list[str]:
    """Up to ``n`` strings matching every pattern of ``patterns`` (shortest first)."""
    return list(_difference_examples(patterns, "", n))


def difference(a: tuple[str, ...], b: str, n: int = 3) -> list[str]:
    """Up to ``n`` strings matching every pattern of ``a`` but not ``b`` (shortest first)."""
    return list(_difference_examples(a, b, n))
