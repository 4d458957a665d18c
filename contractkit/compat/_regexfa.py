"""Pattern inclusion by our own automata, read in every regex dialect a validator may use.

``_automata.py`` hands a pattern to ``greenery`` only in a narrow form (no ``\\d``, at most 100
characters and 24 letters, no lookaround): real-world patterns such as corepack's
``(npm|pnpm|yarn|bun)@\\d+\\.\\d+\\.\\d+(-.+)?``, tsconfig's case-insensitive ``lib`` names
(``^[Ee][Ss]2016(\\.([Ii][Nn][Tt][Ll]|...))?$``, a few hundred characters) or pre-commit's
``^(?!(?:meta|local)$).*$`` fall outside it. This module decides ``L(a1) ∩ ... ⊆ L(b)`` for them with
Thompson automata over character *ranges*, explored as a product of subset constructions one
alphabet cell at a time, with a count bound on the explored product states (``None`` beyond it).

**Dialects.** JSON Schema's ``pattern`` is ECMA-262, but validators differ: jsonschema-rs reads
``\\d \\w \\s`` as ECMA-262 (ASCII digits and word characters, ECMA's white space) and its ``.``
excludes only ``\\n``; python-jsonschema (Python ``re``) reads them as Unicode classes; a Rust regex in
Unicode mode reads ``\\s`` as Unicode White_Space. An inclusion is proven only when it holds in each
reading (:data:`_DIALECTS`): ECMA-262 (``.`` excludes ``\\n \\r U+2028 U+2029``), the ASCII classes with
``.`` excluding ``\\n``, the Unicode classes with Python's ``\\s`` and ``$`` (which also matches before a
final ``\\n``) and with Unicode's ``\\s``, and jsonschema-rs's own mix: ASCII classes except in a pattern
with a lookaround, which its other regex engine reads with the Unicode classes (so ``^(?!x)\\d$`` is
*not* included in ``^\\d$`` there, although it is in every uniform reading). A Unicode
``\\d``/``\\w`` is an infinite family of characters; it is read with one representative each
(U+0660 for a non-ASCII digit, U+00E9 for a non-ASCII word character that is not a digit), which is
exact when no literal or range of either pattern names a non-ASCII character (then every non-ASCII
digit, resp. word character, is matched by exactly the same atoms as its representative, so a string
is accepted iff the string with each such character replaced by its representative is: inclusion over
the representatives is inclusion over all characters). Patterns with a ``\\d``/``\\w`` and a non-ASCII
literal are not read.

**Syntax read** (anything else: ``None``): literals of the BMP (no surrogates); escapes of
punctuation, ``\\t \\n \\r \\f \\v``, ``\\d \\D \\w \\W \\s \\S``; classes of those with ranges (no nested
``[``, no ``&& -- ~~``, not empty); ``.``; groups ``(...)``, ``(?:...)``; ``|``; quantifiers
``* + ? {n} {n,} {n,m}`` (bounds at most 64), lazy or not (the same language); ``^`` / ``$`` only at
the start / end of a top-level alternative; and a *leading lookahead* ``^(?!X)`` / ``^(?=X)`` right
after a top-level alternative's ``^`` (X of the same syntax, optionally ending in ``$``). Regex
*matching* asks whether some match exists, so these are languages: a pattern is an unanchored search,
``Σ*·R·Σ*`` with the ends anchored away; ``^(?!X)R`` is ``R ∩ ¬(X·Σ*)`` (``¬X`` when X ends with
``$``) and ``^(?=X)R`` is ``R ∩ X·Σ*``. Back-references, ``\\b``, other lookarounds, ``\\cX``, ``\\u``,
Annex B braces are refused, as in ``_automata.py``; and, as there, UTF-16 code units and code points
are taken to delimit the same characters since no pattern read names a character outside the BMP.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

from contractkit.compat._regex import split_top

_MAX = 0x10FFFF
_MAX_COUNT = 64
_MAX_STATES = 6000  # NFA states per pattern
_MAX_PRODUCT = 20000  # product states explored per question
_READABLE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@ /:+"

Ranges = tuple[tuple[int, int], ...]


def _norm(rs: list[tuple[int, int]]) -> Ranges:
    rs = sorted(rs)
    out: list[tuple[int, int]] = []
    for lo, hi in rs:
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


def _neg(rs: Ranges) -> Ranges:
    out: list[tuple[int, int]] = []
    u = 0
    for lo, hi in rs:
        if lo > u:
            out.append((u, lo - 1))
        u = hi + 1
    if u <= _MAX:
        out.append((u, _MAX))
    return tuple(out)


def _chars(s: str) -> Ranges:
    return _norm([(ord(c), ord(c)) for c in s])


_ASCII_D = ((0x30, 0x39),)
_ASCII_W = _norm([(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A), (0x5F, 0x5F)])
_U_DIGIT, _U_WORD = 0x0660, 0x00E9  # representatives of the non-ASCII digits / word characters
_COMMON_S = [(9, 13), (0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A), (0x2028, 0x2029)]
_COMMON_S += [(0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000)]
_ECMA_S = _norm([*_COMMON_S, (0xFEFF, 0xFEFF)])  # ECMA-262 WhiteSpace and LineTerminator
_UNICODE_S = _norm([*_COMMON_S, (0x85, 0x85)])  # Unicode White_Space (a Rust regex in Unicode mode)
_PYTHON_S = _norm([*_COMMON_S, (0x85, 0x85), (0x1C, 0x1F)])  # str.isspace()


@dataclass(frozen=True, slots=True)
class _Dialect:
    dot: Ranges
    d: Ranges
    w: Ranges
    s: Ranges
    unicode: bool  # \d \w read with their non-ASCII representatives
    dollar_newline: bool = False  # Python's `$` also matches before a final "\n"


_DIALECTS = {
    "ecma": _Dialect(_neg(_chars("\n\r\u2028\u2029")), _ASCII_D, _ASCII_W, _ECMA_S, False),
    "ascii": _Dialect(_neg(_chars("\n")), _ASCII_D, _ASCII_W, _ECMA_S, False),
    # jsonschema-rs: the ASCII classes, except in a pattern with a lookaround (its other regex engine
    # reads \d \w \s as Unicode there): each pattern of a question is read its own way (`_side`).
    "validator": _Dialect(_neg(_chars("\n")), _ASCII_D, _ASCII_W, _ECMA_S, False),
    "python": _Dialect(
        _neg(_chars("\n")),
        _norm([*_ASCII_D, (_U_DIGIT, _U_DIGIT)]),
        _norm([*_ASCII_W, (_U_DIGIT, _U_DIGIT), (_U_WORD, _U_WORD)]),
        _PYTHON_S,
        True,
        True,
    ),
    "unicode": _Dialect(
        _neg(_chars("\n")),
        _norm([*_ASCII_D, (_U_DIGIT, _U_DIGIT)]),
        _norm([*_ASCII_W, (_U_DIGIT, _U_DIGIT), (_U_WORD, _U_WORD)]),
        _UNICODE_S,
        True,
    ),
}


class _Refused(Exception):
    pass


# --- parsing into a small AST: ("set", ranges) | ("cat", [..]) | ("alt", [..]) | ("rep", node, lo, hi)
# ("cls", letter) stands for \d \D \w \W \s \S until a dialect is chosen.


class _Parser:
    def __init__(self, text: str) -> None:
        self.p = text
        self.i = 0
        self.classes = False  # uses \d \w (dialect-dependent beyond ASCII)
        self.non_ascii = False  # names a non-ASCII character

    def peek(self) -> str | None:
        return self.p[self.i] if self.i < len(self.p) else None

    def alt(self) -> object:
        branches = [self.seq()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.seq())
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def seq(self) -> object:
        items: list[object] = []
        while (c := self.peek()) is not None and c not in "|)":
            atom = self.atom()
            items.append(self.quantified(atom))
        return ("cat", items)

    def quantified(self, atom: object) -> object:
        c = self.peek()
        if c is None or c not in "*+?{":
            return atom
        if c == "{":
            j = self.p.find("}", self.i)
            if j < 0:
                raise _Refused
            lo_s, comma, hi_s = self.p[self.i + 1 : j].partition(",")
            if not lo_s.isdigit() or (hi_s and not hi_s.isdigit()):
                raise _Refused  # {,n} and lone braces: literals in ECMA-262 (Annex B)
            lo, hi = int(lo_s), (int(hi_s) if hi_s else (-1 if comma else int(lo_s)))
            if lo > _MAX_COUNT or hi > _MAX_COUNT or (hi >= 0 and hi < lo):
                raise _Refused
            self.i = j + 1
        else:
            lo, hi = {"*": (0, -1), "+": (1, -1), "?": (0, 1)}[c]
            self.i += 1
        if self.peek() == "?":
            self.i += 1  # lazy: the same language
        if (n := self.peek()) is not None and n in "*+?{":
            raise _Refused
        return ("rep", atom, lo, hi)

    def char(self, c: str) -> int:
        o = ord(c)
        if o > 0xFFFF or 0xD800 <= o <= 0xDFFF:
            raise _Refused
        if o > 0x7F:
            self.non_ascii = True
        return o

    def escape(self, in_class: bool) -> object:
        if self.i + 1 >= len(self.p):
            raise _Refused
        e = self.p[self.i + 1]
        self.i += 2
        if e in "dDwWsS":
            if e in "dDwW":
                self.classes = True
            return ("cls", e)
        simple = {"t": 9, "n": 10, "r": 13, "f": 12, "v": 11}
        if e in simple:
            return ("set", ((simple[e], simple[e]),))
        if e.isalnum() or e == "_":
            raise _Refused  # \b \B \c \x \u \k \p, back-references, \0
        o = self.char(e)
        return ("set", ((o, o),))

    def klass(self) -> object:
        self.i += 1
        negated = self.peek() == "^"
        if negated:
            self.i += 1
        start = self.i
        items: list[object] = []
        while True:
            c = self.peek()
            if c is None:
                raise _Refused
            if c == "]":
                break
            if c == "[" or self.p.startswith(("&&", "--", "~~"), self.i):
                raise _Refused  # nested classes / set operations in other dialects
            if c == "\\":
                lo_item = self.escape(True)
            else:
                o = self.char(c)
                self.i += 1
                lo_item = ("set", ((o, o),))
            if self.peek() == "-" and self.i + 1 < len(self.p) and self.p[self.i + 1] != "]":
                self.i += 1
                c2 = self.peek()
                if c2 == "\\":
                    hi_item = self.escape(True)
                elif c2 is None or c2 == "[":
                    raise _Refused
                else:
                    o2 = self.char(c2)
                    self.i += 1
                    hi_item = ("set", ((o2, o2),))
                if lo_item[0] != "set" or hi_item[0] != "set":  # type: ignore[index]
                    raise _Refused  # a range with a class escape as an end
                a, b = lo_item[1][0][0], hi_item[1][0][0]  # type: ignore[index]
                if b < a:
                    raise _Refused
                items.append(("set", ((a, b),)))
                continue
            items.append(lo_item)
        if self.i == start:
            raise _Refused  # [] / [^]
        self.i += 1
        return ("class", negated, items)

    def atom(self) -> object:
        c = self.p[self.i]
        if c == "(":
            if self.p.startswith("(?:", self.i):
                self.i += 3
            elif self.p.startswith("(?", self.i):
                raise _Refused  # lookarounds other than a leading one, named groups
            else:
                self.i += 1
            inner = self.alt()
            if self.peek() != ")":
                raise _Refused
            self.i += 1
            return inner
        if c == "[":
            return self.klass()
        if c == ".":
            self.i += 1
            return ("dot",)
        if c == "\\":
            return self.escape(False)
        if c in "^$*+?{}]":
            raise _Refused  # an inner anchor, a dangling quantifier, an Annex B literal
        self.i += 1
        o = self.char(c)
        return ("set", ((o, o),))


def _split_top(p: str) -> list[str]:
    alts = split_top(p)
    if alts is None:
        raise _Refused
    return alts


def _ends_with_anchor(s: str) -> bool:
    if not s.endswith("$"):
        return False
    n = 0
    while len(s) - 2 - n >= 0 and s[len(s) - 2 - n] == "\\":
        n += 1
    return n % 2 == 0


def _group_end(p: str, i: int) -> int:
    """Index of the ``)`` closing the group opened at ``p[i] == '('``."""
    depth, in_class = 0, False
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise _Refused


def _parse_body(text: str) -> tuple[object, bool, bool]:
    ps = _Parser(text)
    node = ps.alt()
    if ps.i != len(text):
        raise _Refused
    return node, ps.classes, ps.non_ascii


# A parsed pattern: alternatives, each (start-anchored, body, end-anchored, lookahead), the lookahead
# (positive, body, end-anchored) or None.
Alt = tuple[bool, object, bool, "tuple[bool, object, bool] | None"]


@lru_cache(maxsize=1024)
def _parse(pattern: str) -> tuple[tuple[Alt, ...], bool, bool] | None:
    try:
        alts: list[Alt] = []
        classes = non_ascii = False
        for raw in _split_top(pattern):
            start = raw.startswith("^")
            core = raw[1:] if start else raw
            look = None
            if start and core.startswith(("(?!", "(?=")):
                j = _group_end(core, 0)
                inner = core[3:j]
                inner_end = _ends_with_anchor(inner)
                body_l, c1, n1 = _parse_body(inner[:-1] if inner_end else inner)
                look = (core[2] == "=", body_l, inner_end)
                classes, non_ascii = classes or c1, non_ascii or n1
                core = core[j + 1 :]
            end = _ends_with_anchor(core)
            body, c2, n2 = _parse_body(core[:-1] if end else core)
            classes, non_ascii = classes or c2, non_ascii or n2
            alts.append((start, body, end, look))
        return tuple(alts), classes, non_ascii
    except (_Refused, RecursionError):
        return None


# --- Thompson automata over ranges


class _NFA:
    __slots__ = ("closure", "edges", "eps", "final", "start")

    def __init__(self) -> None:
        self.eps: list[list[int]] = []
        self.edges: list[list[tuple[Ranges, int]]] = []
        self.start = 0
        self.final = 0
        self.closure: list[frozenset[int]] = []

    def new(self) -> int:
        if len(self.eps) >= _MAX_STATES:
            raise _Refused
        self.eps.append([])
        self.edges.append([])
        return len(self.eps) - 1

    def build(self, node: object, dia: _Dialect) -> tuple[int, int]:
        kind = node[0]  # type: ignore[index]
        if kind in ("set", "dot", "cls", "class"):
            s, f = self.new(), self.new()
            self.edges[s].append((_ranges(node, dia), f))
            return s, f
        if kind == "cat":
            s = f = self.new()
            for item in node[1]:  # type: ignore[index]
                a, b = self.build(item, dia)
                self.eps[f].append(a)
                f = b
            return s, f
        if kind == "alt":
            s, f = self.new(), self.new()
            for item in node[1]:  # type: ignore[index]
                a, b = self.build(item, dia)
                self.eps[s].append(a)
                self.eps[b].append(f)
            return s, f
        # rep
        sub: object = node[1]  # type: ignore[index]
        lo: int = node[2]  # type: ignore[index]
        hi: int = node[3]  # type: ignore[index]
        s = f = self.new()
        for _ in range(lo):
            a, b = self.build(sub, dia)
            self.eps[f].append(a)
            f = b
        if hi < 0:
            a, b = self.build(sub, dia)
            self.eps[f].append(a)
            self.eps[b].append(a)
            end = self.new()
            self.eps[f].append(end)
            self.eps[b].append(end)
            return s, end
        end = self.new()
        for _ in range(hi - lo):
            self.eps[f].append(end)
            a, b = self.build(sub, dia)
            self.eps[f].append(a)
            f = b
        self.eps[f].append(end)
        return s, end

    def close(self) -> None:
        n = len(self.eps)
        out: list[frozenset[int]] = []
        for s in range(n):
            seen = {s}
            stack = [s]
            while stack:
                x = stack.pop()
                for y in self.eps[x]:
                    if y not in seen:
                        seen.add(y)
                        stack.append(y)
            out.append(frozenset(seen))
        self.closure = out


def _ranges(node: object, dia: _Dialect) -> Ranges:
    kind = node[0]  # type: ignore[index]
    if kind == "set":
        return node[1]  # type: ignore[index,no-any-return]
    if kind == "dot":
        return dia.dot
    if kind == "cls":
        e = node[1]  # type: ignore[index]
        base = {"d": dia.d, "w": dia.w, "s": dia.s}[e.lower()]
        return base if e.islower() else _neg(base)
    negated, items = node[1], node[2]  # type: ignore[index]
    rs = _norm([r for it in items for r in _ranges(it, dia)])
    return _neg(rs) if negated else rs


_ANY_NODE = ("rep", ("set", ((0, _MAX),)), 0, -1)


def _automaton(body: object, start: bool, end: bool, dia: _Dialect) -> _NFA:
    tail: list[object] = [] if not end else [("rep", ("set", ((10, 10),)), 0, 1)] if dia.dollar_newline else []
    node = ("cat", [*([] if start else [_ANY_NODE]), body, *([] if end else [_ANY_NODE]), *tail])
    nfa = _NFA()
    nfa.start, nfa.final = nfa.build(node, dia)
    nfa.close()
    return nfa


# A side of a question: a conjunction of patterns, each a disjunction of alternatives, each a
# conjunction of (automaton index, must accept) literals.
Side = list[list[list[tuple[int, bool]]]]


@lru_cache(maxsize=512)
def _compiled(pattern: str, dialect: str) -> tuple[tuple[_NFA, ...], tuple[tuple[tuple[int, bool], ...], ...]] | None:
    parsed = _parse(pattern)
    if parsed is None:
        return None
    alts, classes, non_ascii = parsed
    dia = _DIALECTS[dialect]
    if dia.unicode and classes and non_ascii:
        return None  # the representatives are exact only without non-ASCII literals
    nfas: list[_NFA] = []
    out: list[tuple[tuple[int, bool], ...]] = []
    try:
        for start, body, end, look in alts:
            lits = [(len(nfas), True)]
            nfas.append(_automaton(body, start, end, dia))
            if look is not None:
                positive, lbody, lend = look
                lits.append((len(nfas), positive))
                nfas.append(_automaton(lbody, True, lend, dia))
            out.append(tuple(lits))
    except (_Refused, RecursionError):
        return None
    return tuple(nfas), tuple(out)


def _side(patterns: tuple[str, ...], dialect: str, comps: list[_NFA]) -> Side | None:
    side: Side = []
    for p in patterns:
        c = _compiled(p, "unicode" if dialect == "validator" and "(?" in p.replace("(?:", "") else dialect)
        if c is None:
            return None
        nfas, alts = c
        base = len(comps)
        comps.extend(nfas)
        side.append([[(base + i, pos) for i, pos in alt] for alt in alts])
    return side


def _holds(side: Side, acc: list[bool]) -> bool:
    return all(any(all(acc[i] == pos for i, pos in alt) for alt in pat) for pat in side)


def _may_hold(side: Side, alive: list[bool]) -> bool:
    """False when no continuation can satisfy ``side`` (a needed automaton has no state left)."""
    return all(any(all(alive[i] for i, pos in alt if pos) for alt in pat) for pat in side)


def _pick(lo: int, hi: int) -> int | None:
    for c in _READABLE:
        if lo <= ord(c) <= hi:
            return ord(c)
    for x in (lo, 0xE000):
        if lo <= x <= hi and not 0xD800 <= x <= 0xDFFF:
            return x
    return None


def _rank(c: int) -> int:
    i = _READABLE.find(chr(c))
    return i if i >= 0 else len(_READABLE) + c


def _search(a: tuple[str, ...], b: str | None, dialect: str, want: int) -> tuple[list[str], bool] | None:
    """Strings matching every pattern of ``a`` and not ``b``, shortest first (up to ``want``), and
    whether the search was complete; None when a pattern is not read or the bound is reached before
    an answer."""
    comps: list[_NFA] = []
    sa = _side(a, dialect, comps)
    sb = _side((b,), dialect, comps) if b is not None else []
    if sa is None or sb is None:
        return None
    start = tuple(n.closure[n.start] for n in comps)
    seen = {start}
    queue: deque[tuple[tuple[frozenset[int], ...], str]] = deque([(start, "")])
    found: list[str] = []
    while queue:
        state, text = queue.popleft()
        acc = [n.final in s for n, s in zip(comps, state, strict=True)]
        if _holds(sa, acc) and not (sb and _holds(sb, acc)):
            found.append(text)
            if len(found) >= want:
                return found, False
        bounds = {0, _MAX + 1}
        moves: list[list[tuple[Ranges, int]]] = []
        for n, s in zip(comps, state, strict=True):
            mv = [e for x in sorted(s) for e in n.edges[x]]
            moves.append(mv)
            for rs, _ in mv:
                for lo, hi in rs:
                    bounds.add(lo)
                    bounds.add(hi + 1)
        cuts = sorted(bounds)
        cells = [(c, lo) for lo, nxt in itertools.pairwise(cuts) if (c := _pick(lo, nxt - 1)) is not None]
        cells.sort(key=lambda cl: (_rank(cl[0]), cl[0]))  # readable characters first
        for c, lo in cells:
            nxt: list[frozenset[int]] = []
            for n, mv in zip(comps, moves, strict=True):
                t: set[int] = set()
                for rs, target in mv:
                    if any(r0 <= lo <= r1 for r0, r1 in rs):
                        t |= n.closure[target]
                nxt.append(frozenset(t))
            if not _may_hold(sa, [bool(x) for x in nxt]):
                continue
            key = tuple(nxt)
            if key in seen:
                continue
            if len(seen) >= _MAX_PRODUCT:
                return None
            seen.add(key)
            queue.append((key, text + chr(c)))
    return found, True


@lru_cache(maxsize=1024)
def subset(a: tuple[str, ...], b: str) -> bool | None:
    """True when every string matching all of ``a`` matches ``b`` in every dialect; False when the
    validator's reading has a counter-example; None when not decided."""
    if not a:
        return None
    verdict: bool | None = True
    for dialect in _DIALECTS:
        r = _search(a, b, dialect, 1)
        if r is None:
            return None
        if r[0]:
            if dialect == "validator":
                return False
            verdict = None
    return verdict


@lru_cache(maxsize=1024)
def difference(a: tuple[str, ...], b: str | None, n: int) -> tuple[str, ...]:
    """Up to ``n`` strings (the validator's reading) matching every pattern of ``a`` but not ``b``
    (``None``: any), shortest first; () when not read."""
    r = _search(a, b, "validator", n)
    if r is None:
        return ()
    out = list(r[0])
    # The search keeps one string per automaton state, so `node20` stands for `Node20` and `NODE20`
    # too; case variants are tried as well (a sibling `enum` often lists the lower-case spelling).
    for text in r[0]:
        for v in (text.upper(), text[:1].upper() + text[1:], text.swapcase()):
            if len(out) < n + 3 and v not in out and _member(a, b, v):
                out.append(v)
    return tuple(out)


def _member(a: tuple[str, ...], b: str | None, text: str) -> bool:
    """Whether ``text`` matches every pattern of ``a`` and not ``b`` (the validator's reading)."""
    comps: list[_NFA] = []
    sa = _side(a, "validator", comps)
    sb = _side((b,), "validator", comps) if b is not None else []
    if sa is None or sb is None:
        return False
    state = [n.closure[n.start] for n in comps]
    for ch in text:
        o = ord(ch)
        state = [
            frozenset(y for x in s for rs, t in n.edges[x] if any(lo <= o <= hi for lo, hi in rs) for y in n.closure[t])
            for n, s in zip(comps, state, strict=True)
        ]
    acc = [n.final in s for n, s in zip(comps, state, strict=True)]
    return _holds(sa, acc) and not (sb and _holds(sb, acc))
