"""Structural subset prover: does every instance of A also validate against B?

``Prover.subset(a, b)`` answers ``YES`` only with a proof built from the schemas' structure, ``NO``
when a keyword of B is not implied by A (a hint: the engine still needs a validator-confirmed
witness before it reports a break, and may find one directly here for finite A), and ``UNKNOWN``
naming the keyword it could not decide.

A is handled as a *conjunction* of schema nodes (``allOf``, ``$ref`` and the type being examined
are all conjuncts). Dropping a conjunct of A only enlarges A, so ignoring an A keyword we do not
model is always sound; every B keyword that can reject an instance must be discharged or the
answer is ``UNKNOWN``. Recursive ``$ref`` pairs are assumed to hold (coinduction) only after the
instance has been descended into, so a proof never rests on an unguarded cycle.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from contractkit.compat._doc import ASSERTIONS, Doc, accepts_everything, escape
from contractkit.compat._regex import pattern_subset

YES = "yes"
NO = "no"
UNKNOWN = "unknown"

TYPES = ("null", "boolean", "object", "array", "string", "number")
_MAX_DEPTH = 48
_MAX_FINITE = 1000
_NO_ASSUMPTION = 1 << 30
_INTERVAL_KEYS = frozenset({"type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
_MAX_STEPS = 4000  # proof search budget per comparison; beyond it the answer is UNKNOWN
# ECMA-262 reads these classes as ASCII-only, Python/Rust regex as Unicode: do not prove with them.
_UNICODE_SENSITIVE = re.compile(r"\\[dDwWbB]")
# \s is Unicode-aware in ECMA-262 too; it differs from Unicode White_Space only on these.
_SPACE_CLASS = re.compile(r"\\[sS]")
_SPACE_DIFF = frozenset("\ufeff\u180e")
# ECMA-only syntax (control escapes \cX) that other regex engines - including the Rust regex behind
# generated Pydantic models - reject or read differently: never rest a proof on how it matches.
_DIALECT_SPECIFIC = re.compile(r"\\c[A-Za-z]")


@dataclass(frozen=True, slots=True)
class Node:
    """One conjunct: a subschema, where it lives, and whether it is negated."""

    schema: Any
    ptr: str | None  # None for synthetic nodes (type restrictions)
    doc: Doc | None
    neg: bool = False


@dataclass(frozen=True, slots=True)
class Res:
    kind: str
    keyword: str = ""
    a_ptr: str | None = None
    b_ptr: str | None = None
    witness: Any = None
    has_witness: bool = False


R_YES = Res(YES)


def _num(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def json_type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "integer" if v.is_integer() else "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "unknown"


def _family(t: str) -> str:
    return "number" if t == "integer" else t


def _big(x: Any) -> bool:
    """Beyond ±2**53 implementations disagree (float vs arbitrary precision): no proofs there."""
    return bool(abs(x) > 2**53)


def _frac(x: Any) -> Fraction | None:
    try:
        if isinstance(x, float):
            if not math.isfinite(x):
                return None
            return Fraction(repr(x))
        return Fraction(x)
    except (ValueError, TypeError, OverflowError):
        return None


def _walk_strings(v: Any) -> bool:
    """True when the value holds a non-ASCII string (value or key)."""
    if isinstance(v, str):
        return not v.isascii()
    if isinstance(v, list):
        return any(_walk_strings(x) for x in v)
    if isinstance(v, dict):
        return any(not k.isascii() or _walk_strings(x) for k, x in v.items())
    return False


def _fragile(schema: Any, neg: bool, out: set[str]) -> None:
    """Collect keywords whose verdicts differ between implementations (see _finite_check)."""
    if isinstance(schema, dict):
        for k, v in schema.items():
            if k in ("enum", "const", "default", "examples"):
                continue
            if k == "format" and neg:
                out.add("format")
            elif k in ("$ref", "$dynamicRef") and neg:
                out.add("negated-ref")
            elif k == "pattern" and isinstance(v, str):
                if _UNICODE_SENSITIVE.search(v):
                    out.add("pattern")
                if _SPACE_CLASS.search(v):
                    out.add("pattern-space")
            elif k == "patternProperties" and isinstance(v, dict):
                if any(_UNICODE_SENSITIVE.search(p) for p in v):
                    out.add("patternProperties")
                if any(_SPACE_CLASS.search(p) for p in v):
                    out.add("pattern-space")
                _fragile(v, neg, out)
            elif k == "not":
                _fragile(v, not neg, out)
            elif k in ("if", "oneOf"):
                _fragile(v, True, out)
                _fragile(v, False, out)
            else:
                _fragile(v, neg, out)
    elif isinstance(schema, list):
        for x in schema:
            _fragile(x, neg, out)


class Prover:
    """Decides A ⊆ B for subschemas of two documents; memoises per pointer pair."""

    def __init__(self, format_assertion: bool) -> None:
        self.format_assertion = format_assertion
        self._memo: dict[tuple[Any, ...], Res] = {}
        self._active: dict[tuple[Any, ...], tuple[int, int]] = {}
        self._lowest_assumption = _NO_ASSUMPTION
        self._descent = 0
        self._depth = 0
        self._steps = 0
        self._fragile_memo: dict[int, frozenset[str]] = {}
        # Memo keys use id(); keeping every keyed node alive stops ids from being reused.
        self._alive: list[Any] = []
        self._without_cache: dict[tuple[int, tuple[str, ...]], tuple[Any, dict[str, Any]]] = {}

    # ---------------------------------------------------------------- public
    def subset(self, a: Node, b: Node) -> Res:
        return self._sub((a,), b)

    # ---------------------------------------------------------------- helpers
    def _without(self, s: dict[str, Any], *kws: str) -> dict[str, Any]:
        """``s`` minus some keywords; the same object for the same request (stable memo keys)."""
        key = (id(s), kws)
        got = self._without_cache.get(key)
        if got is None or got[0] is not s:
            got = (s, _without(s, *kws))
            self._without_cache[key] = got
        return got[1]

    def _trivial(self, s: Any) -> bool:
        return accepts_everything(s, self.format_assertion)

    def _deref(self, node: Node) -> Node | None:
        s = node.schema
        assert isinstance(s, dict) and node.doc is not None
        r = node.doc.resolve(s["$ref"])
        if r is None:
            return None
        return Node(r[0], r[1], node.doc, False)

    def _expand(self, nodes: tuple[Node, ...]) -> tuple[list[Node], str | None] | None:
        """Flatten allOf/$ref/not-of-not; return None when the conjunction is literally empty."""
        out: list[Node] = []
        seen: set[tuple[int, bool]] = set()
        todo = list(nodes)
        problem: str | None = None
        while todo:
            n = todo.pop()
            key = (id(n.schema), n.neg)
            if key in seen:
                continue
            seen.add(key)
            s = n.schema
            if s is True or (isinstance(s, dict) and not s):
                if n.neg:
                    return None
                continue
            if s is False:
                if not n.neg:
                    return None
                continue
            if not isinstance(s, dict):
                problem = "schema"
                continue
            if n.neg:
                inner = s.get("not")
                if len(s) == 1 and inner is not None and n.ptr is not None:
                    todo.append(Node(inner, f"{n.ptr}/not", n.doc, False))
                    continue
                out.append(n)
                continue
            out.append(n)
            if "$ref" in s:
                t = self._deref(n)
                if t is None:
                    problem = "$ref"
                else:
                    todo.append(t)
            if "allOf" in s and isinstance(s["allOf"], list):
                for i, br in enumerate(s["allOf"]):
                    todo.append(Node(br, f"{n.ptr}/allOf/{i}", n.doc))
            if "not" in s:
                todo.append(Node(s["not"], f"{n.ptr}/not", n.doc, True))
        return out, problem

    # ------------------------------------------------------------ types of A
    def _types(self, nodes: list[Node]) -> set[str]:
        ts = {"null", "boolean", "object", "array", "string", "integer", "number"}
        for n in nodes:
            if n.neg:
                s = n.schema
                if isinstance(s, dict) and set(s) == {"type"}:
                    ts -= self._type_kw(s["type"])
                continue
            s = n.schema
            if "type" in s:
                ts &= self._type_kw(s["type"])
            if "const" in s:
                ts &= {json_type(s["const"])} | ({"number"} if json_type(s["const"]) == "integer" else set())
            if "enum" in s and isinstance(s["enum"], list):
                es = {json_type(v) for v in s["enum"]}
                if "integer" in es:
                    es.add("number")
                ts &= es
        if "number" not in ts:
            pass
        return ts

    @staticmethod
    def _type_kw(t: Any) -> set[str]:
        names = [t] if isinstance(t, str) else list(t) if isinstance(t, list) else []
        out: set[str] = set()
        for x in names:
            if x == "number":
                out |= {"number", "integer"}
            elif isinstance(x, str):
                out.add(x)
        return out

    def _b_types(self, b: Any) -> set[str]:
        """Upper bound of the types B admits from its own type/const/enum keywords."""
        if not isinstance(b, dict):
            return set(TYPES) | {"integer"} if b is not False else set()
        n = Node(b, "", None)
        return self._types([n])

    # ------------------------------------------------------ finite A handling
    def _finite(self, nodes: list[Node], depth: int = 0) -> list[Any] | None:
        if depth > 8:
            return None  # a union that keeps referring to itself: not provably finite here
        best: list[Any] | None = None
        for n in nodes:
            if n.neg:
                continue
            s = n.schema
            vals: list[Any] | None = None
            if "const" in s:
                vals = [s["const"]]
            elif "enum" in s and isinstance(s["enum"], list):
                vals = list(s["enum"])
            elif (
                _num(s.get("minimum"))
                and _num(s.get("maximum"))
                and s["minimum"] == s["maximum"]
                and self._types(nodes) <= {"integer", "number"}  # bounds only constrain numbers
            ):
                vals = [s["minimum"]]
            elif "type" in s and self._type_kw(s["type"]) <= {"null", "boolean"}:
                vals = []
                if "null" in self._type_kw(s["type"]):
                    vals.append(None)
                if "boolean" in self._type_kw(s["type"]):
                    vals += [False, True]
            else:
                for kw in ("anyOf", "oneOf"):
                    brs = s.get(kw)
                    if isinstance(brs, list) and brs:
                        acc: list[Any] = []
                        for i, br in enumerate(brs):
                            sub = self._expand((Node(br, f"{n.ptr}/{kw}/{i}", n.doc),))
                            if sub is None:
                                continue
                            f = self._finite(sub[0], depth + 1)
                            if f is None:
                                acc = []
                                break
                            acc += f
                        else:
                            vals = acc
                        if vals is not None:
                            break
            if vals is not None and (best is None or len(vals) < len(best)):
                best = vals
        if best is not None and len(best) > _MAX_FINITE:
            return None
        return best

    @staticmethod
    def _valid_in(nodes: list[Node], v: Any) -> bool:
        for n in nodes:
            if n.ptr is None or n.doc is None:
                ok = json_type(v) in Prover._type_kw(n.schema.get("type")) if isinstance(n.schema, dict) else True
                if isinstance(n.schema, dict) and n.schema.get("type") == "number":
                    ok = json_type(v) in ("number", "integer")
            else:
                got = n.doc.is_valid(n.ptr, v)
                if got is None or (got == n.neg and not n.doc.sound_refs):
                    # Unknown, or a rejection that may come from scoped-ref resolution: keep v in A
                    # (over-approximating A is sound).
                    continue
                ok = got
            if ok == n.neg:
                return False
        return True

    def _fragile_kws(self, b: Node) -> frozenset[str]:
        key = id(b.doc)
        got = self._fragile_memo.get(key)
        if got is None:
            out: set[str] = set()
            if b.doc is not None:
                _fragile(b.doc.root, False, out)
            got = frozenset(out)
            self._fragile_memo[key] = got
        return got

    def _finite_check(self, vals: list[Any], nodes: list[Node], b: Node) -> Res:
        fragile = self._fragile_kws(b)
        for v in vals:
            if not self._valid_in(nodes, v):
                continue
            if b.ptr is None or b.doc is None:
                return Res(UNKNOWN, "schema")
            got = b.doc.is_valid(b.ptr, v)
            if got is None:
                return Res(UNKNOWN, "$ref", nodes[0].ptr, b.ptr)
            if not got:
                return Res(NO, "enum", nodes[0].ptr, b.ptr, v, True)
            # Nested $id / $dynamicRef scoping is where implementations disagree most; a proof
            # does not rest on one implementation's reading of it where a mis-resolved ref under a
            # negation would turn into acceptance.
            if not b.doc.sound_refs and "negated-ref" in fragile:
                return Res(UNKNOWN, "$dynamicRef" if "$dynamicRef" in str(b.doc.root) else "$id", nodes[0].ptr, b.ptr)
            # A proof that a value passes B must not rest on behaviour implementations disagree on:
            # format checkers differ in strictness (we never rely on one *rejecting* a value) and
            # \d \w \s \b are ASCII in ECMA-262 but Unicode elsewhere.
            if "format" in fragile and isinstance(v, str | dict | list):
                return Res(UNKNOWN, "format", nodes[0].ptr, b.ptr)
            if fragile & {"pattern", "patternProperties"} and _walk_strings(v):
                return Res(UNKNOWN, "pattern", nodes[0].ptr, b.ptr)
            if "pattern-space" in fragile and _has_chars(v, _SPACE_DIFF):
                return Res(UNKNOWN, "pattern", nodes[0].ptr, b.ptr)
        return R_YES

    # ----------------------------------------------------------- the prover
    def _sub(self, a_nodes: tuple[Node, ...], b: Node) -> Res:
        bs = b.schema
        if bs is True or self._trivial(bs):
            return R_YES
        if len(a_nodes) == 1 and self._identical(a_nodes[0], b):
            return R_YES
        exp = self._expand(a_nodes)
        if exp is None:
            return R_YES
        nodes, problem = exp
        if not nodes:
            nodes = []
        key = (tuple(sorted((n.ptr or "", id(n.doc), n.neg, id(n.schema)) for n in nodes)), b.ptr, id(b.doc))
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        self._alive.append((nodes, b))
        if key in self._active:
            descent, frame = self._active[key]
            if self._descent > descent:
                # Coinductive hypothesis (guarded by an instance descent). Results that lean on
                # it are not memoised until the frame that made the assumption is settled.
                self._lowest_assumption = min(self._lowest_assumption, frame)
                return R_YES
            return Res(UNKNOWN, "$ref", nodes[0].ptr if nodes else None, b.ptr)
        if self._depth > _MAX_DEPTH:
            return Res(UNKNOWN, "$ref", None, b.ptr)
        self._steps += 1
        if self._steps > _MAX_STEPS:
            return Res(UNKNOWN, "schema", nodes[0].ptr if nodes else None, b.ptr)
        frame = self._depth
        self._active[key] = (self._descent, frame)
        saved = self._lowest_assumption
        self._lowest_assumption = _NO_ASSUMPTION
        self._depth += 1
        try:
            res = self._sub_inner(nodes, problem, b)
        finally:
            self._depth -= 1
            del self._active[key]
            used = self._lowest_assumption
            self._lowest_assumption = min(saved, used if used < frame else _NO_ASSUMPTION)
        if res.kind != YES or used >= frame:
            self._memo[key] = res
        return res

    def _unsat(self, nodes: list[Node]) -> bool:
        """Cheap structural proofs that the conjunction admits nothing."""
        pos = [n for n in nodes if not n.neg]
        for n in nodes:
            if n.neg and n.doc is not None:
                for p in pos:
                    if p.doc is n.doc and json_equal(p.schema, n.schema):
                        return True
                if self._trivial(n.schema):
                    return True
        ta = self._types(nodes)
        if not ta:
            return True
        if all(self._family_empty(pos, t) for t in ta):
            return True
        f = self._finite(nodes)
        if f is not None:
            return not any(self._valid_in(nodes, v) for v in f)
        # P ∧ ¬X is empty when P ⊆ X.
        for n in nodes:
            if n.neg and n.ptr is not None and n.doc is not None:
                rest = tuple(p for p in nodes if not p.neg)
                if self._sub(rest, Node(n.schema, n.ptr, n.doc)).kind == YES:
                    return True
        return False

    def _identical(self, n: Node, b: Node) -> bool:
        """Syntactic identity proves containment when refs inside resolve to identical targets."""
        if n.neg or not json_equal(n.schema, b.schema):
            return False
        if not _has_ref(b.schema):
            return True
        if n.doc is None or b.doc is None:
            return False
        if n.doc is b.doc or (n.ptr == b.ptr and json_equal(n.doc.root, b.doc.root)):
            return True
        return _same_ref_closure(n.schema, n.doc, b.doc)

    def _family_empty(self, pos: list[Node], t: str) -> bool:
        """Conflicting bounds of one type family (only keywords of that family are read)."""
        schemas = [n.schema for n in pos if isinstance(n.schema, dict)]
        if t in ("integer", "number"):
            lo, lo_ex, hi, hi_ex = self._bounds(schemas, t == "integer")
            return lo is not None and hi is not None and (lo > hi or (lo == hi and (lo_ex or hi_ex)))
        pairs = {"string": ("minLength", "maxLength"), "array": ("minItems", "maxItems"),
                 "object": ("minProperties", "maxProperties")}.get(t)  # fmt: skip
        if pairs is None:
            return False
        mn = max((s[pairs[0]] for s in schemas if _num(s.get(pairs[0]))), default=0)
        mxs = [s[pairs[1]] for s in schemas if _num(s.get(pairs[1]))]
        return bool(mxs) and mn > min(mxs)

    def _sub_inner(self, nodes: list[Node], problem: str | None, b: Node) -> Res:
        bs = b.schema
        if len(nodes) == 1 and self._identical(nodes[0], b):
            return R_YES
        if self._unsat(nodes):
            return R_YES
        vals = self._finite(nodes)
        if vals is not None:
            return self._finite_check(vals, nodes, b)
        if problem is not None:
            return Res(UNKNOWN, problem, nodes[0].ptr if nodes else None, b.ptr)
        if bs is False:
            return Res(NO, "false", nodes[0].ptr if nodes else None, b.ptr)
        if not isinstance(bs, dict):
            return Res(UNKNOWN, "schema", None, b.ptr)
        ta = self._types(nodes)
        # Split A by type family and discharge B per family.
        families: list[str] = []
        for t in ("null", "boolean", "object", "array", "string", "number"):
            if t in ta or (t == "number" and "integer" in ta):
                families.append(t)
        if len(families) > 1:
            for t in families:
                tn = "integer" if t == "number" and "number" not in ta else t
                r = self._sub((*nodes, _type_node(tn)), b)
                if r.kind != YES:
                    return r
            return R_YES
        if not families:
            return R_YES
        fam = families[0]
        int_only = fam == "number" and "number" not in ta
        # Cases of A: anyOf/oneOf/if-then-else split A into alternatives.
        for i, n in enumerate(nodes):
            if n.neg:
                continue
            s = n.schema
            for kw in ("anyOf", "oneOf"):
                brs = s.get(kw)
                if isinstance(brs, list) and brs:
                    rest = [*nodes[:i], Node(self._without(s, kw), n.ptr, n.doc), *nodes[i + 1 :]]
                    for j, br in enumerate(brs):
                        r = self._sub((*rest, Node(br, f"{n.ptr}/{kw}/{j}", n.doc)), b)
                        if r.kind != YES:
                            return r
                    return R_YES
            if "if" in s and ("then" in s or "else" in s):
                rest = [*nodes[:i], Node(self._without(s, "if", "then", "else"), n.ptr, n.doc), *nodes[i + 1 :]]
                cond = Node(s["if"], f"{n.ptr}/if", n.doc)
                ncond = Node(s["if"], f"{n.ptr}/if", n.doc, True)
                alt1 = [cond] + ([Node(s["then"], f"{n.ptr}/then", n.doc)] if "then" in s else [])
                alt2 = [ncond] + ([Node(s["else"], f"{n.ptr}/else", n.doc)] if "else" in s else [])
                for alt in (alt1, alt2):
                    r = self._sub((*rest, *alt), b)
                    if r.kind != YES:
                        return r
                return R_YES
        return self._against_b(nodes, fam, int_only, b)

    # ------------------------------------------------------------- B side
    def _against_b(self, nodes: list[Node], fam: str, int_only: bool, b: Node) -> Res:
        bs: dict[str, Any] = b.schema
        bp = b.ptr or ""
        ap = next((n.ptr for n in nodes if n.ptr is not None), None)
        tb = self._b_types(bs)
        if fam not in tb and not (fam == "number" and "integer" in tb):
            return Res(NO, "type", ap, bp + "/type" if "type" in bs else bp)
        if fam == "number" and "number" not in tb and not int_only and not self._all_integers(nodes):
            return Res(NO, "type", ap, bp + "/type" if "type" in bs else bp)
        for kw in bs:
            if kw not in ASSERTIONS or kw in ("type",):
                continue
            r = self._b_keyword(kw, nodes, fam, int_only, b)
            if r.kind != YES:
                return r
        return R_YES

    def _all_integers(self, nodes: list[Node]) -> bool:
        for n in nodes:
            if n.neg:
                continue
            m = n.schema.get("multipleOf")
            f = _frac(m) if _num(m) else None
            if f is not None and f.denominator == 1:
                return True
        return False

    def _b_keyword(self, kw: str, nodes: list[Node], fam: str, int_only: bool, b: Node) -> Res:
        bs: dict[str, Any] = b.schema
        bp = b.ptr or ""
        doc = b.doc
        ap = next((n.ptr for n in nodes if n.ptr is not None), None)
        v = bs[kw]
        kp = f"{bp}/{escape(kw)}"
        pos = [n.schema for n in nodes if not n.neg]
        if kw in ("const", "enum"):
            return Res(NO, kw, ap, kp)  # A is not finite here, B is
        if kw == "$ref":
            t = doc.resolve(v) if doc is not None else None
            if t is None:
                return Res(UNKNOWN, "$ref", ap, kp)
            return self._sub(tuple(nodes), Node(t[0], t[1], doc))
        if kw == "allOf":
            for i, br in enumerate(v):
                r = self._sub(tuple(nodes), Node(br, f"{kp}/{i}", doc))
                if r.kind != YES:
                    return r
            return R_YES
        if kw == "anyOf":
            for i, br in enumerate(v):
                r = self._sub(tuple(nodes), Node(br, f"{kp}/{i}", doc))
                if r.kind == YES:
                    return R_YES
            # A ⊆ B1 ∪ … ∪ Bn  ⇐  A ∧ ¬B1 ∧ … (all but Bk) ⊆ Bk.
            if 1 < len(v) <= 4:
                for k in range(len(v) - 1, -1, -1):
                    negs = [Node(br, f"{kp}/{i}", doc, True) for i, br in enumerate(v) if i != k]
                    if self._sub((*nodes, *negs), Node(v[k], f"{kp}/{k}", doc)).kind == YES:
                        return R_YES
            return Res(UNKNOWN if len(v) > 1 else NO, "anyOf", ap, kp)
        if kw == "oneOf":
            for i, br in enumerate(v):
                r = self._sub(tuple(nodes), Node(br, f"{kp}/{i}", doc))
                if r.kind == YES:
                    if all(self._disjoint(nodes, Node(o, f"{kp}/{j}", doc)) for j, o in enumerate(v) if j != i):
                        return R_YES
                    return Res(UNKNOWN, "oneOf", ap, kp)
            return Res(UNKNOWN, "oneOf", ap, kp)
        if kw == "not":
            if self._disjoint(nodes, Node(v, kp, doc)):
                return R_YES
            return Res(UNKNOWN, "not", ap, kp)
        if kw == "if":
            cond = Node(v, kp, doc)
            then = Node(bs.get("then", True), f"{bp}/then", doc)
            els = Node(bs.get("else", True), f"{bp}/else", doc)
            if self._sub(tuple(nodes), cond).kind == YES:
                return self._sub(tuple(nodes), then)
            if self._disjoint(nodes, cond):
                return self._sub(tuple(nodes), els)
            r1 = self._sub((*nodes, cond), then)
            if r1.kind != YES:
                return r1
            return self._sub((*nodes, Node(v, kp, doc, True)), els)
        if kw in ("then", "else", "minContains", "maxContains"):
            return R_YES  # decided with if / contains
        if kw == "format":
            if not self.format_assertion or fam != "string":
                return R_YES
            if any(json_equal(s.get("format"), v) for s in pos):
                return R_YES
            return Res(NO, "format", ap, kp)
        if fam == "number" and kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
            neg_schemas = tuple(n.schema for n in nodes if n.neg)
            return self._numeric(kw, v, pos, int_only, ap, kp, neg_schemas)
        if fam == "string" and kw in ("minLength", "maxLength", "pattern"):
            return self._string(kw, v, pos, ap, kp)
        if fam == "array" and kw in ("items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains"):
            return self._array(kw, nodes, b, ap, kp)
        if fam == "object" and kw in (
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "propertyNames",
            "minProperties",
            "maxProperties",
            "dependentRequired",
            "dependentSchemas",
        ):
            return self._object(kw, nodes, b, ap, kp)
        if kw in (
            "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
            "maxLength", "pattern", "items", "prefixItems", "minItems", "maxItems", "uniqueItems",
            "contains", "properties", "required", "additionalProperties", "patternProperties",
            "propertyNames", "minProperties", "maxProperties", "dependentRequired", "dependentSchemas",
        ):  # fmt: skip
            return R_YES  # keyword of another type family
        if kw in ("unevaluatedProperties",) and fam != "object":
            return R_YES
        if kw in ("unevaluatedItems", "additionalItems") and fam != "array":
            return R_YES
        if kw == "dependencies" and fam != "object":
            return R_YES
        # unevaluated*, $dynamicRef, ...: identical keyword values in one A node still prove it.
        if any(json_equal(s.get(kw), v) and not _has_ref(v) for s in pos) and _only_local(bs, kw):
            return R_YES
        return Res(UNKNOWN, kw, ap, kp)

    # --------------------------------------------------------- disjointness
    def _disjoint(self, nodes: list[Node], x: Node) -> bool:
        """Sufficient conditions for A ∩ X = ∅."""
        if x.schema is False:
            return True
        own = self._expand(tuple(nodes))
        if own is None:
            return True
        nodes = own[0]
        if self._unsat(nodes):
            return True
        exp = self._expand((*nodes, x))
        if exp is None:
            return True
        if self._unsat(exp[0]):
            return True
        # A includes a negated node N: X ⊆ N.schema proves disjointness.
        for n in nodes:
            if (
                n.neg
                and n.doc is not None
                and n.ptr is not None
                and self._sub((x,), Node(n.schema, n.ptr, n.doc)).kind == YES
            ):
                return True
        xs = x.schema
        if isinstance(xs, dict):
            for kw in ("anyOf", "oneOf"):
                brs = xs.get(kw)
                if isinstance(brs, list) and brs:
                    rest = Node(self._without(xs, kw), x.ptr, x.doc)
                    if self._disjoint(nodes, rest) or all(
                        self._disjoint(nodes, Node(br, f"{x.ptr}/{kw}/{i}", x.doc)) for i, br in enumerate(brs)
                    ):
                        return True
            # Disjoint by numeric range, required vs forbidden properties, and the like:
            # A ⊆ not X holds when X's one assertion conflicts with A outright.
            # Object-only A and a property both sides constrain with disjoint schemas (the
            # discriminator of a tagged union): present in every A instance (A requires it) or
            # required by X, so no instance satisfies both.
            if self._types(nodes) <= {"object"} and isinstance(xs.get("properties"), dict):
                pos = [n for n in nodes if not n.neg]
                req_a: set[str] = set()
                for n in pos:
                    if isinstance(n.schema.get("required"), list):
                        req_a.update(r for r in n.schema["required"] if isinstance(r, str))
                req_x = (
                    {r for r in xs.get("required", []) if isinstance(r, str)}
                    if isinstance(xs.get("required"), list)
                    else set()
                )
                for p, sch in xs["properties"].items():
                    if p not in req_a and p not in req_x:
                        continue
                    a_p = self._a_prop(pos, p)
                    if (
                        a_p is not None
                        and a_p
                        and self._disjoint(a_p, Node(sch, f"{x.ptr}/properties/{escape(p)}", x.doc))
                    ):
                        return True
            for kw in ("required",):
                # `required` only rejects objects: it separates X from A only when A is object-only.
                if kw in xs and isinstance(xs[kw], list) and self._types(nodes) <= {"object"}:
                    for p in xs[kw]:
                        for n in nodes:
                            if not n.neg and _forbids(n.schema, p):
                                return True
        return False

    # ---------------------------------------------------------------- numbers
    def _numeric(
        self,
        kw: str,
        v: Any,
        pos: list[dict[str, Any]],
        int_only: bool,
        ap: str | None,
        kp: str,
        negs: tuple[Any, ...] = (),
    ) -> Res:
        if not _num(v) or _big(v):
            return Res(UNKNOWN, kw, ap, kp)
        fv = _frac(v)
        if fv is None:
            return Res(UNKNOWN, kw, ap, kp)
        if kw == "multipleOf":
            if int_only and fv.numerator == 1:
                return R_YES
            for s in pos:
                m = s.get("multipleOf")
                fm = _frac(m) if _num(m) and not _big(m) else None
                if fm is not None and fm != 0 and (fm / fv).denominator == 1:
                    return R_YES
            # Bounded integer ranges: every integer in range a multiple? rare; leave to witnesses.
            return Res(NO, kw, ap, kp)
        lo, lo_ex, hi, hi_ex = self._bounds(pos, int_only, negs)
        if kw in ("minimum", "exclusiveMinimum"):
            if lo is None:
                return Res(NO, kw, ap, kp)
            ok = lo > fv or (lo == fv and (kw == "minimum" or lo_ex))
            return R_YES if ok else Res(NO, kw, ap, kp)
        if hi is None:
            return Res(NO, kw, ap, kp)
        ok = hi < fv or (hi == fv and (kw == "maximum" or hi_ex))
        return R_YES if ok else Res(NO, kw, ap, kp)

    @staticmethod
    def _bounds(
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
                f = _frac(x) if _num(x) and not _big(x) else None
                if f is not None and (lo is None or f > lo or (f == lo and ex)):
                    lo, lo_ex = f, ex
            for k, ex in (("maximum", False), ("exclusiveMaximum", True)):
                x = s.get(k)
                f = _frac(x) if _num(x) and not _big(x) else None
                if f is not None and (hi is None or f < hi or (f == hi and ex)):
                    hi, hi_ex = f, ex
        for _ in range(2):
            for ns in negs:
                if not isinstance(ns, dict) or not set(ns) <= _INTERVAL_KEYS:
                    continue
                if any(not _num(ns[k]) or _big(ns[k]) for k in ns if k != "type"):
                    continue  # an ignored bound would read as "unbounded"
                types = Prover._type_kw(ns["type"]) if "type" in ns else {"number", "integer"}
                if "integer" not in types or ("number" not in types and not int_only):
                    continue  # the negated interval does not cover every number A holds
                nlo, nlo_ex, nhi, nhi_ex = Prover._bounds([ns], False)
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

    # ---------------------------------------------------------------- strings
    def _string(self, kw: str, v: Any, pos: list[dict[str, Any]], ap: str | None, kp: str) -> Res:
        if kw == "minLength":
            best = max((s["minLength"] for s in pos if _num(s.get("minLength"))), default=0)
            return R_YES if best >= v else Res(NO, kw, ap, kp)
        if kw == "maxLength":
            vals = [s["maxLength"] for s in pos if _num(s.get("maxLength"))]
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
        return Res(UNKNOWN, "pattern", ap, kp)

    # ----------------------------------------------------------------- arrays
    def _array(self, kw: str, nodes: list[Node], b: Node, ap: str | None, kp: str) -> Res:
        bs: dict[str, Any] = b.schema
        bp = b.ptr or ""
        doc = b.doc
        pos = [n for n in nodes if not n.neg]
        min_items = max((n.schema["minItems"] for n in pos if _num(n.schema.get("minItems"))), default=0)
        maxes = [n.schema["maxItems"] for n in pos if _num(n.schema.get("maxItems"))]
        max_items = min(maxes) if maxes else None
        if kw == "minItems":
            return R_YES if min_items >= bs[kw] else Res(NO, kw, ap, kp)
        if kw == "maxItems":
            if max_items is not None and max_items <= bs[kw]:
                return R_YES
            return Res(NO, kw, ap, kp)
        if kw == "uniqueItems":
            if bs[kw] is not True:
                return R_YES
            if (max_items is not None and max_items <= 1) or any(n.schema.get("uniqueItems") is True for n in pos):
                return R_YES
            return Res(NO, kw, ap, kp)
        if kw == "prefixItems":
            for i, sch in enumerate(bs[kw]):
                if max_items is not None and i >= max_items:
                    break
                r = self._descend(self._a_item(pos, i), Node(sch, f"{kp}/{i}", doc))
                if r.kind != YES:
                    return r
            return R_YES
        if kw == "items":
            start = len(bs.get("prefixItems", [])) if isinstance(bs.get("prefixItems"), list) else 0
            longest = max(
                (len(n.schema.get("prefixItems", [])) for n in pos if isinstance(n.schema.get("prefixItems"), list)),
                default=0,
            )
            for i in range(start, max(start, longest) + 1):
                if max_items is not None and i >= max_items:
                    break
                r = self._descend(self._a_item(pos, i), Node(bs[kw], kp, doc))
                if r.kind != YES:
                    return r
            return R_YES
        # contains (with minContains / maxContains)
        sch = Node(bs[kw], kp, doc)
        mn = bs.get("minContains", 1)
        mx = bs.get("maxContains")
        if not _num(mn) or (mx is not None and not _num(mx)):
            return Res(UNKNOWN, kw, ap, kp)
        if mx is not None and not (max_items is not None and max_items <= mx):
            ok = False
            for n in pos:
                amx = n.schema.get("maxContains")
                if "contains" in n.schema and _num(amx) and amx <= mx:
                    r = self._descend([Node(bs[kw], kp, doc)], Node(n.schema["contains"], f"{n.ptr}/contains", n.doc))
                    if r.kind == YES:
                        ok = True
                        break
            if not ok:
                return Res(UNKNOWN, "maxContains", ap, f"{bp}/maxContains")
        if mn == 0:
            return R_YES
        for n in pos:
            s = n.schema
            if "contains" in s:
                amn = s.get("minContains", 1)
                if _num(amn) and amn >= mn:
                    r = self._descend([Node(s["contains"], f"{n.ptr}/contains", n.doc)], sch)
                    if r.kind == YES:
                        return R_YES
        # Every element matches and there are enough of them.
        if min_items >= mn:
            ok = True
            longest = max(
                (len(n.schema.get("prefixItems", [])) for n in pos if isinstance(n.schema.get("prefixItems"), list)),
                default=0,
            )
            for i in range(0, longest + 1):
                if max_items is not None and i >= max_items:
                    break
                if self._descend(self._a_item(pos, i), sch).kind != YES:
                    ok = False
                    break
            if ok:
                return R_YES
        # The first mn guaranteed prefix items match.
        if min_items >= mn and all(self._descend(self._a_item(pos, i), sch).kind == YES for i in range(int(mn))):
            return R_YES
        return Res(NO, kw, ap, kp)

    @staticmethod
    def _a_item(pos: list[Node], i: int) -> list[Node]:
        out: list[Node] = []
        for n in pos:
            s = n.schema
            pre = s.get("prefixItems")
            if isinstance(pre, list) and i < len(pre):
                out.append(Node(pre[i], f"{n.ptr}/prefixItems/{i}", n.doc))
            elif "items" in s:
                out.append(Node(s["items"], f"{n.ptr}/items", n.doc))
        return out

    def _descend(self, a: list[Node], b: Node) -> Res:
        self._descent += 1
        try:
            return self._sub(tuple(a), b)
        finally:
            self._descent -= 1

    # ---------------------------------------------------------------- objects
    def _a_prop(self, pos: list[Node], name: str) -> list[Node] | None:
        """Conjunction constraining property ``name`` in A; None if A may not lack knowledge."""
        out: list[Node] = []
        for n in pos:
            s = n.schema
            if (
                "propertyNames" in s
                and n.doc is not None
                and n.ptr is not None
                and n.doc.is_valid(f"{n.ptr}/propertyNames", name) is False
                and _regex_safe(s["propertyNames"], name)
            ):
                return [Node(False, f"{n.ptr}/propertyNames", n.doc)]
            props = s.get("properties")
            if isinstance(props, dict) and name in props:
                out.append(Node(props[name], f"{n.ptr}/properties/{escape(name)}", n.doc))
                continue
            pp = s.get("patternProperties")
            matched = False
            if isinstance(pp, dict):
                for pat, sch in pp.items():
                    m = _regex_match(pat, name)
                    if m is None:
                        return None
                    if m:
                        matched = True
                        out.append(Node(sch, f"{n.ptr}/patternProperties/{escape(pat)}", n.doc))
            if not matched and "additionalProperties" in s:
                out.append(Node(s["additionalProperties"], f"{n.ptr}/additionalProperties", n.doc))
        return out

    def _object(self, kw: str, nodes: list[Node], b: Node, ap: str | None, kp: str) -> Res:
        bs: dict[str, Any] = b.schema
        doc = b.doc
        pos = [n for n in nodes if not n.neg]
        required: set[str] = set()
        for n in pos:
            r = n.schema.get("required")
            if isinstance(r, list):
                required.update(x for x in r if isinstance(x, str))
        v = bs[kw]
        if kw == "required":
            missing = [p for p in v if p not in required]
            if not missing:
                return R_YES
            # A property that can never be absent? (minProperties + closed object etc.) - rare.
            return Res(NO, kw, ap, kp)
        if kw == "minProperties":
            best = max((n.schema["minProperties"] for n in pos if _num(n.schema.get("minProperties"))), default=0)
            return R_YES if max(best, len(required)) >= v else Res(NO, kw, ap, kp)
        if kw == "maxProperties":
            vals = [n.schema["maxProperties"] for n in pos if _num(n.schema.get("maxProperties"))]
            if vals and min(vals) <= v:
                return R_YES
            names = self._closed_names(pos)
            if names is not None and len(names) <= v:
                return R_YES
            return Res(NO, kw, ap, kp)
        if kw == "properties":
            for name, sch in v.items():
                a_p = self._a_prop(pos, name)
                if a_p is None:
                    return Res(UNKNOWN, "patternProperties", ap, kp)
                r = self._descend(a_p, Node(sch, f"{kp}/{escape(name)}", doc))
                if r.kind != YES:
                    return Res(r.kind, r.keyword, r.a_ptr, r.b_ptr, r.witness, r.has_witness)
            return R_YES
        if kw == "patternProperties":
            for pat, sch in v.items():
                target = Node(sch, f"{kp}/{escape(pat)}", doc)
                for name in self._declared(pos):
                    m = _regex_match(pat, name)
                    if m is None:
                        return Res(UNKNOWN, "patternProperties", ap, kp)
                    if m:
                        a_p = self._a_prop(pos, name)
                        if a_p is None:
                            return Res(UNKNOWN, "patternProperties", ap, kp)
                        r = self._descend(a_p, target)
                        if r.kind != YES:
                            return r
                if not self._undeclared_ok(pos, target, [pat], extra_patterns_ok=[pat]):
                    return Res(UNKNOWN, "patternProperties", ap, kp)
            return R_YES
        if kw == "additionalProperties":
            bprops: dict[str, Any] = bs["properties"] if isinstance(bs.get("properties"), dict) else {}
            bpats = list(bs.get("patternProperties", {})) if isinstance(bs.get("patternProperties"), dict) else []
            target = Node(v, kp, doc)
            for name in self._declared(pos):
                if name in bprops:
                    continue
                hit = False
                for pat in bpats:
                    m = _regex_match(pat, name)
                    if m is None:
                        return Res(UNKNOWN, "patternProperties", ap, kp)
                    hit = hit or m
                if hit:
                    continue
                a_p = self._a_prop(pos, name)
                if a_p is None:
                    return Res(UNKNOWN, "patternProperties", ap, kp)
                r = self._descend(a_p, target)
                if r.kind != YES:
                    return Res(NO, "additionalProperties", ap, kp) if r.kind == NO else r
            if self._undeclared_ok(pos, target, None, extra_patterns_ok=bpats):
                return R_YES
            return Res(NO, "additionalProperties", ap, kp)
        if kw == "propertyNames":
            target = Node(v, kp, doc)
            for n in pos:
                if "propertyNames" in n.schema:
                    r = self._sub((Node(n.schema["propertyNames"], f"{n.ptr}/propertyNames", n.doc),), target)
                    if r.kind == YES:
                        return R_YES
            names = self._closed_names(pos)
            if (
                names is not None
                and doc is not None
                and all(doc.is_valid(target.ptr or "", nm) is True for nm in names)
            ):
                return R_YES
            return Res(NO, kw, ap, kp)
        if kw == "dependentRequired":
            for p, deps in v.items():
                if self._never_has(pos, p):
                    continue
                need = set(deps) - required
                if not need:
                    continue
                ok = False
                for n in pos:
                    adr = n.schema.get("dependentRequired")
                    if isinstance(adr, dict) and need <= set(adr.get(p, [])) | required:
                        ok = True
                if not ok:
                    return Res(NO, kw, ap, kp)
            return R_YES
        if kw == "dependentSchemas":
            for p, sch in v.items():
                if self._never_has(pos, p):
                    continue
                target = Node(sch, f"{kp}/{escape(p)}", doc)
                extra = [
                    Node(n.schema["dependentSchemas"][p], f"{n.ptr}/dependentSchemas/{escape(p)}", n.doc)
                    for n in pos
                    if isinstance(n.schema.get("dependentSchemas"), dict) and p in n.schema["dependentSchemas"]
                ]
                # Restrict A to objects holding p: that adds the dependent schemas A itself has.
                r = self._sub((*nodes, *extra, _has_prop_node(p)), target)
                if r.kind != YES:
                    return r
            return R_YES
        return Res(UNKNOWN, kw, ap, kp)

    @staticmethod
    def _declared(pos: list[Node]) -> list[str]:
        names: list[str] = []
        for n in pos:
            props = n.schema.get("properties")
            if isinstance(props, dict):
                names += [k for k in props if k not in names]
            req = n.schema.get("required")
            if isinstance(req, list):
                names += [k for k in req if isinstance(k, str) and k not in names]
        return names

    def _never_has(self, pos: list[Node], p: str) -> bool:
        a_p = self._a_prop(pos, p)
        return a_p is not None and any(x.schema is False for x in a_p)

    def _closed_names(self, pos: list[Node]) -> list[str] | None:
        """Names an A object may hold when some conjunct closes it; None when open."""
        for n in pos:
            s = n.schema
            if s.get("additionalProperties") is False and not s.get("patternProperties"):
                props = s.get("properties") if isinstance(s.get("properties"), dict) else {}
                return [k for k, sch in props.items() if sch is not False]
        return None

    def _undeclared_ok(
        self, pos: list[Node], target: Node, only_patterns: list[str] | None, extra_patterns_ok: list[str]
    ) -> bool:
        """Every value of a property A does not declare validates against ``target``.

        Checked on one A conjunct at a time (any one that suffices proves it). ``only_patterns``
        restricts the keys in question to those matching one of these patterns.
        """
        if self._sub((), target).kind == YES:
            return True
        for n in pos:
            s = n.schema
            pp = s.get("patternProperties") if isinstance(s.get("patternProperties"), dict) else {}

            def ok(pat: str, n: Node = n, pp: dict[str, Any] = pp) -> bool:
                node = Node(pp[pat], f"{n.ptr}/patternProperties/{escape(pat)}", n.doc)
                return self._descend([node], target).kind == YES

            if only_patterns is not None and all(p in pp for p in only_patterns):
                # Keys matching the pattern match A's own copy of it too (a conjunct for them).
                if all(ok(p) for p in only_patterns):
                    return True
                continue
            # Otherwise such a key is governed by whichever of A's patterns it matches - any of
            # them may overlap - or by additionalProperties when it matches none.
            skip = set(extra_patterns_ok) if only_patterns is None else set()
            if not all(ok(p) for p in pp if p not in skip):
                continue
            if "additionalProperties" in s:
                r = self._descend([Node(s["additionalProperties"], f"{n.ptr}/additionalProperties", n.doc)], target)
                if r.kind == YES:
                    return True
        return False


def json_equal(x: Any, y: Any) -> bool:
    """JSON equality: 1 == 1.0, but booleans are not numbers."""
    if isinstance(x, bool) or isinstance(y, bool):
        return x is y
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(json_equal(v, y[k]) for k, v in x.items())
    if isinstance(x, list):
        return isinstance(y, list) and len(x) == len(y) and all(json_equal(u, v) for u, v in zip(x, y, strict=True))
    if _num(x):
        if not _num(y) or x != y:
            return False
        return type(x) is type(y) or not (_big(x) or _big(y))
    return type(x) is type(y) and bool(x == y)


def _regex_safe(schema: Any, name: str) -> bool:
    """False when a pattern in ``schema`` reads ``name`` differently across regex dialects."""
    text = str(schema)
    if _DIALECT_SPECIFIC.search(text) or "format" in text:
        return False  # format checkers differ in strictness; never rely on one rejecting a name
    if _SPACE_CLASS.search(text) and _has_chars(name, _SPACE_DIFF):
        return False
    return not (_UNICODE_SENSITIVE.search(text) and not name.isascii())


def _has_chars(v: Any, chars: frozenset[str]) -> bool:
    if isinstance(v, str):
        return any(c in chars for c in v)
    if isinstance(v, list):
        return any(_has_chars(x, chars) for x in v)
    if isinstance(v, dict):
        return any(_has_chars(k, chars) or _has_chars(x, chars) for k, x in v.items())
    return False


def _same_ref_closure(schema: Any, d1: Doc, d2: Doc) -> bool:
    """Same text and every ref reachable from it resolves to the same text in both documents."""
    todo = [schema]
    seen: set[str] = set()
    while todo:
        node = todo.pop()
        for ref in _refs(node):
            if ref in seen:
                continue
            seen.add(ref)
            if len(seen) > 64:
                return False
            r1, r2 = d1.resolve(ref), d2.resolve(ref)
            if r1 is None or r2 is None or not json_equal(r1[0], r2[0]):
                return False
            todo.append(r1[0])
    return True


def _refs(s: Any) -> list[str]:
    out: list[str] = []
    if isinstance(s, dict):
        r = s.get("$ref")
        if isinstance(r, str):
            out.append(r)
        if "$dynamicRef" in s:
            out.append("\x00dynamic")  # never resolvable: forces a structural comparison
        for k, v in s.items():
            if k not in ("enum", "const", "default", "examples"):
                out += _refs(v)
    elif isinstance(s, list):
        for x in s:
            out += _refs(x)
    return out


_SYNTHETIC: dict[tuple[str, str], Node] = {}


def _type_node(t: str) -> Node:
    """Shared synthetic nodes keep memo keys stable across the search."""
    key = ("type", t)
    n = _SYNTHETIC.get(key)
    if n is None:
        n = _SYNTHETIC[key] = Node({"type": t}, None, None)
    return n


def _has_prop_node(p: str) -> Node:
    key = ("required", p)
    n = _SYNTHETIC.get(key)
    if n is None:
        if len(_SYNTHETIC) > 10_000:
            _SYNTHETIC.clear()
        n = _SYNTHETIC[key] = Node({"type": "object", "required": [p]}, None, None)
    return n


def _without(s: dict[str, Any], *kws: str) -> dict[str, Any]:
    """``s`` without ``kws``, and without unevaluated* (which read the removed applicators):
    the result always admits at least what ``s`` admits."""
    drop = (*kws, "unevaluatedProperties", "unevaluatedItems")
    return {k: v for k, v in s.items() if k not in drop}


def _has_ref(s: Any) -> bool:
    if isinstance(s, dict):
        if "$ref" in s or "$dynamicRef" in s:
            return True
        return any(_has_ref(v) for k, v in s.items() if k not in ("enum", "const", "default", "examples"))
    if isinstance(s, list):
        return any(_has_ref(x) for x in s)
    return False


def _only_local(bs: dict[str, Any], kw: str) -> bool:
    # unevaluated* depend on sibling applicators and dynamic refs on the dynamic scope: identical
    # keyword values alone prove nothing for them.
    return kw not in ("unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef")


def _forbids(s: Any, p: str) -> bool:
    if not isinstance(s, dict):
        return False
    props = s.get("properties")
    if isinstance(props, dict) and props.get(p) is False:
        return True
    if s.get("additionalProperties") is False and not s.get("patternProperties"):
        return not (isinstance(props, dict) and p in props)
    return False


_REGEX_CACHE: dict[tuple[str, str], bool | None] = {}


def _regex_match(pattern: str, name: str) -> bool | None:
    """Does ``pattern`` match ``name``? Decided by the real validator (ECMA-262 semantics)."""
    key = (pattern, name)
    got = _REGEX_CACHE.get(key, 0)
    if got != 0:
        return got  # type: ignore[return-value]
    import jsonschema_rs

    res: bool | None
    if (
        (_UNICODE_SENSITIVE.search(pattern) and not name.isascii())
        or _DIALECT_SPECIFIC.search(pattern)
        or (_SPACE_CLASS.search(pattern) and _has_chars(name, _SPACE_DIFF))
    ):
        res = None
    else:
        try:
            res = bool(jsonschema_rs.is_valid({"pattern": pattern}, name))
        except (ValueError, jsonschema_rs.ValidationError):
            res = None
    if len(_REGEX_CACHE) > 50_000:
        _REGEX_CACHE.clear()
    _REGEX_CACHE[key] = res
    return res
