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

This module holds the search itself (memo, coinduction, conjunction expansion, finite sources,
the split of A into cases and type families) and B's applicators; each type family's keywords are
discharged in the module of the same name (``numeric``, ``strings``, ``arrays``, ``objects``),
disjointness in ``disjoint`` and the regex-dialect guards in ``dialects``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from contractkit._json import DATA_KEYWORDS, escape, has_keyword, is_number, json_equal, json_type
from contractkit.compat._doc import ASSERTIONS, MAX_PAIRS, Doc, accepts_everything
from contractkit.compat._prove.arrays import array_kw
from contractkit.compat._prove.dialects import SPACE_DIFF, collect_fragile, has_chars, walk_strings
from contractkit.compat._prove.disjoint import disjoint
from contractkit.compat._prove.nodes import (
    NO,
    R_YES,
    TYPES,
    UNKNOWN,
    YES,
    Node,
    Res,
    one_of_others,
    plain_unevaluated,
    type_kw,
    type_node,
    without,
)
from contractkit.compat._prove.numeric import all_integers, bounds, numeric_kw
from contractkit.compat._prove.objects import object_kw
from contractkit.compat._prove.strings import string_kw

_MAX_DEPTH = 48
_MAX_FINITE = 1000
_NO_ASSUMPTION = 1 << 30
_MAX_STEPS = 4000  # proof search budget per comparison; beyond it the answer is UNKNOWN


class Prover:
    """Decides A ⊆ B for subschemas of two documents; memoises per pointer pair.

    The family modules receive the prover as their first argument and use its package-level
    methods (``sub``, ``descend``, ``types``, ``expand``, ``unsat``, ``without``, ``finite``).
    """

    def __init__(self, format_assertion: bool) -> None:
        self.format_assertion = format_assertion
        self._memo: dict[tuple[Any, ...], Res] = {}
        self._active: dict[tuple[Any, ...], tuple[int, int]] = {}
        self._lowest_assumption = _NO_ASSUMPTION
        self._descent = 0
        self._depth = 0
        self._steps = 0
        # Memo keys use id(); keeping every keyed node alive stops ids from being reused.
        self._alive: list[Any] = []
        self._without_cache: dict[tuple[int, tuple[str, ...]], tuple[Any, dict[str, Any]]] = {}

    def subset(self, a: Node, b: Node) -> Res:
        """The entry point: A ⊆ B?"""
        return self.sub((a,), b)

    def without(self, s: dict[str, Any], *kws: str) -> dict[str, Any]:
        """``s`` minus some keywords; the same object for the same request (stable memo keys)."""
        key = (id(s), kws)
        got = self._without_cache.get(key)
        if got is None or got[0] is not s:
            got = (s, without(s, *kws))
            self._without_cache[key] = got
        return got[1]

    def plain(self, s: dict[str, Any]) -> dict[str, Any]:
        """``s`` with unevaluated* written plainly when that means the same (``nodes.plain_unevaluated``);
        the same object for the same schema (stable memo keys)."""
        if "unevaluatedProperties" not in s and "unevaluatedItems" not in s:
            return s
        key = (id(s), ("\x00plain",))
        got = self._without_cache.get(key)
        if got is None or got[0] is not s:
            got = (s, plain_unevaluated(s) or s)
            self._without_cache[key] = got
        return got[1]

    def trivial(self, s: Any) -> bool:
        return accepts_everything(s, self.format_assertion)

    def deref(self, node: Node, kw: str = "$ref") -> Node | None:
        s = node.schema
        assert isinstance(s, dict) and node.doc is not None
        ref = s[kw]
        if not isinstance(ref, str):
            return None
        doc = node.doc
        r = doc.resolve_at(node.ptr, ref) if kw == "$ref" else doc.resolve_dynamic_at(node.ptr, ref)
        if r is None:
            return None
        return Node(r[0], r[1], node.doc, False)

    def expand(self, nodes: tuple[Node, ...]) -> tuple[list[Node], str | None] | None:
        """Flatten allOf/$ref/not-of-not; return None when the conjunction is literally empty."""
        out: list[Node] = []
        seen: set[tuple[int, bool]] = set()
        todo = list(nodes)
        problem: str | None = None
        # Places already in the conjunction, possibly refined (a case of A's oneOf/anyOf replaces its
        # subschema by the subschema without it, plus the branch): a $ref to such a place is not followed
        # again, which would bring the union back and split it anew (a cycle the search reads as
        # undecided). Leaving that conjunct out only enlarges A, so a proof still holds.
        placed = {(n.ptr, id(n.doc)) for n in nodes if not n.neg and n.ptr is not None}
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
            plain = self.plain(s)
            if plain is not s:
                n = Node(plain, n.ptr, n.doc)
                s = plain
            out.append(n)
            if "$ref" in s:
                t = self.deref(n)
                if t is None:
                    problem = "$ref"
                elif (t.ptr, id(t.doc)) not in placed or t.ptr is None:
                    todo.append(t)
            if "$dynamicRef" in s:
                # followed only where it means one subschema on every way the root reaches it;
                # otherwise dropped (a conjunct of A less only enlarges A)
                t = self.deref(n, "$dynamicRef")
                if t is not None:
                    todo.append(t)
            if "allOf" in s and isinstance(s["allOf"], list):
                for i, br in enumerate(s["allOf"]):
                    todo.append(Node(br, f"{n.ptr}/allOf/{i}", n.doc))
            if "not" in s:
                todo.append(Node(s["not"], f"{n.ptr}/not", n.doc, True))
        return out, problem

    def types(self, nodes: list[Node]) -> set[str]:
        ts = {"null", "boolean", "object", "array", "string", "integer", "number"}
        for n in nodes:
            if n.neg:
                s = n.schema
                if isinstance(s, dict) and set(s) == {"type"}:
                    ts -= type_kw(s["type"])
                continue
            s = n.schema
            if "type" in s:
                ts &= type_kw(s["type"])
            if "const" in s:
                ts &= {json_type(s["const"])} | ({"number"} if json_type(s["const"]) == "integer" else set())
            if "enum" in s and isinstance(s["enum"], list):
                es = {json_type(v) for v in s["enum"]}
                if "integer" in es:
                    es.add("number")
                ts &= es
        return ts

    def b_types(self, b: Any) -> set[str]:
        """Upper bound of the types B admits from its own type/const/enum keywords."""
        if not isinstance(b, dict):
            return set(TYPES) | {"integer"} if b is not False else set()
        n = Node(b, "", None)
        return self.types([n])

    def finite(self, nodes: list[Node], depth: int = 0) -> list[Any] | None:
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
                is_number(s.get("minimum"))
                and is_number(s.get("maximum"))
                and s["minimum"] == s["maximum"]
                and self.types(nodes) <= {"integer", "number"}  # bounds only constrain numbers
            ):
                vals = [s["minimum"]]
            elif "type" in s and type_kw(s["type"]) <= {"null", "boolean"}:
                vals = []
                if "null" in type_kw(s["type"]):
                    vals.append(None)
                if "boolean" in type_kw(s["type"]):
                    vals += [False, True]
            else:
                for kw in ("anyOf", "oneOf"):
                    brs = s.get(kw)
                    if isinstance(brs, list) and brs:
                        acc: list[Any] = []
                        for i, br in enumerate(brs):
                            sub = self.expand((Node(br, f"{n.ptr}/{kw}/{i}", n.doc),))
                            if sub is None:
                                continue
                            f = self.finite(sub[0], depth + 1)
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
    def valid_in(nodes: list[Node], v: Any) -> bool:
        for n in nodes:
            if n.ptr is None or n.doc is None:
                ok = json_type(v) in type_kw(n.schema.get("type")) if isinstance(n.schema, dict) else True
                if isinstance(n.schema, dict) and n.schema.get("type") == "number":
                    ok = json_type(v) in ("number", "integer")
            else:
                got = n.doc.is_valid(n.ptr, v)
                if got is None or (got == n.neg and not n.doc.refs_trusted):
                    # Unknown, or a rejection that may come from scoped-ref resolution: keep v in A
                    # (over-approximating A is sound).
                    continue
                ok = got
            if ok == n.neg:
                return False
        return True

    def fragile_kws(self, b: Node) -> frozenset[str]:
        doc = b.doc
        if doc is None:
            return frozenset()
        # a fact of the document alone (its root): kept with it, not recomputed by every proof about it
        got: frozenset[str] | None = doc.facts.get("fragile")
        if got is None:
            out: set[str] = set()
            if doc.may_hold(b"format", b"$ref", b"$dynamicRef", b"pattern"):  # the keywords it looks for
                collect_fragile(doc.root, False, out)
            got = doc.facts["fragile"] = frozenset(out)
        return got

    def finite_check(self, vals: list[Any], nodes: list[Node], b: Node, first: int = -1) -> Res:
        """``first``: the index of the first value the conjunction admits (``valid_in``) when known (the
        values before it it does not admit), else -1."""
        fragile = self.fragile_kws(b)
        for i in range(max(first, 0), len(vals)):
            v = vals[i]
            if i != first and not self.valid_in(nodes, v):
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
            # With every ref resolved alike by both libraries, only the refs B itself reaches matter (still
            # none under a negation: the containment suite reads two negated recursive refs otherwise
            # than both validators do).
            if (
                not b.doc.sound_refs
                and "negated-ref" in fragile
                and (not b.doc.refs_trusted or b.doc.scopes.negated_ref_reached(b.ptr))
            ):
                return Res(UNKNOWN, "$dynamicRef" if "$dynamicRef" in str(b.doc.root) else "$id", nodes[0].ptr, b.ptr)
            # A proof that a value passes B must not rest on behaviour implementations disagree on:
            # format checkers differ in strictness (we never rely on one *rejecting* a value) and
            # \d \w \s \b are ASCII in ECMA-262 but Unicode elsewhere.
            if "format" in fragile and self.format_assertion and isinstance(v, str | dict | list):
                return Res(UNKNOWN, "format", nodes[0].ptr, b.ptr)
            if fragile & {"pattern", "patternProperties"} and walk_strings(v):
                return Res(UNKNOWN, "pattern", nodes[0].ptr, b.ptr)
            if "pattern-space" in fragile and has_chars(v, SPACE_DIFF):
                return Res(UNKNOWN, "pattern", nodes[0].ptr, b.ptr)
        return R_YES

    def sub(self, a_nodes: tuple[Node, ...], b: Node) -> Res:
        bs = b.schema
        if bs is True or self.trivial(bs):
            return R_YES
        # A conjunction is included in each of its conjuncts: one of A's nodes that is B proves it.
        if any(self.identical(n, b) for n in a_nodes):
            return R_YES
        exp = self.expand(a_nodes)
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
            res = self.sub_inner(nodes, problem, b)
        finally:
            self._depth -= 1
            del self._active[key]
            used = self._lowest_assumption
            self._lowest_assumption = min(saved, used if used < frame else _NO_ASSUMPTION)
        if res.kind != YES or used >= frame:
            self._memo[key] = res
        return res

    def unsat(self, nodes: list[Node]) -> bool:
        """Cheap structural proofs that the conjunction admits nothing."""
        return self._unsat(nodes)[0]

    def _unsat(self, nodes: list[Node]) -> tuple[bool, set[str] | None, list[Any] | None, int]:
        """``unsat`` and, when it answers False having read them, what ``sub_inner`` reads next: the types of
        the conjunction, its finite values (None when not finite) and the index of the first of them it
        admits (``valid_in``; every value before that one it does not)."""
        pos = [n for n in nodes if not n.neg]
        for n in nodes:
            if n.neg and n.doc is not None:
                for p in pos:
                    if p.doc is n.doc and json_equal(p.schema, n.schema) and _same_here(n.doc, p.ptr, n.ptr, n.schema):
                        return True, None, None, 0
                if self.trivial(n.schema):
                    return True, None, None, 0
        if any(_one_of_twice_trivial(p.schema, self.trivial) for p in pos):
            return True, None, None, 0
        ta = self.types(nodes)
        if not ta:
            return True, ta, None, 0
        if all(self.family_empty(pos, t) for t in ta):
            return True, ta, None, 0
        f = self.finite(nodes)
        if f is not None:
            for i, v in enumerate(f):
                if self.valid_in(nodes, v):
                    return False, ta, f, i
            return True, ta, f, len(f)
        # P ∧ ¬X is empty when P ⊆ X.
        for n in nodes:
            if n.neg and n.ptr is not None and n.doc is not None:
                rest = tuple(p for p in nodes if not p.neg)
                if self.sub(rest, Node(n.schema, n.ptr, n.doc)).kind == YES:
                    return True, ta, None, 0
        return False, ta, None, 0

    def identical(self, n: Node, b: Node) -> bool:
        """Syntactic identity proves containment when refs inside resolve to identical targets."""
        if n.neg or not _equal(n.schema, b.schema, n.doc, b.doc):
            return False
        if not _has_ref(b.schema):
            return True
        if n.doc is None or b.doc is None:
            return False
        if n.doc is b.doc:
            return _same_here(n.doc, n.ptr, b.ptr, b.schema)
        if n.ptr == b.ptr and _equal(n.doc.root, b.doc.root, n.doc, b.doc) and n.doc.context_free():
            return True
        return _same_ref_closure(n.schema, n.doc, b.doc)

    def family_empty(self, pos: list[Node], t: str) -> bool:
        """Conflicting bounds of one type family (only keywords of that family are read)."""
        schemas = [n.schema for n in pos if isinstance(n.schema, dict)]
        if t in ("integer", "number"):
            lo, lo_ex, hi, hi_ex = bounds(schemas, t == "integer")
            return lo is not None and hi is not None and (lo > hi or (lo == hi and (lo_ex or hi_ex)))
        pairs = {"string": ("minLength", "maxLength"), "array": ("minItems", "maxItems"),
                 "object": ("minProperties", "maxProperties")}.get(t)  # fmt: skip
        if pairs is None:
            return False
        mn = max((s[pairs[0]] for s in schemas if is_number(s.get(pairs[0]))), default=0)
        mxs = [s[pairs[1]] for s in schemas if is_number(s.get(pairs[1]))]
        return bool(mxs) and mn > min(mxs)

    def sub_inner(self, nodes: list[Node], problem: str | None, b: Node) -> Res:
        bs = b.schema
        if any(self.identical(n, b) for n in nodes):
            return R_YES
        # the types and finite values unsat reads, reused (the same conjunction: the same answers)
        empty, ta_read, vals, first = self._unsat(nodes)
        if empty:
            return R_YES
        if vals is not None:
            return self.finite_check(vals, nodes, b, first)
        if problem is not None:
            return Res(UNKNOWN, problem, nodes[0].ptr if nodes else None, b.ptr)
        if bs is False:
            return Res(NO, "false", nodes[0].ptr if nodes else None, b.ptr)
        if not isinstance(bs, dict):
            return Res(UNKNOWN, "schema", None, b.ptr)
        ta = ta_read if ta_read is not None else self.types(nodes)
        # Split A by type family and discharge B per family.
        families: list[str] = []
        for t in ("null", "boolean", "object", "array", "string", "number"):
            if t in ta or (t == "number" and "integer" in ta):
                families.append(t)
        if len(families) > 1:
            for t in families:
                tn = "integer" if t == "number" and "number" not in ta else t
                r = self.sub((*nodes, type_node(tn)), b)
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
                    rest = self.rest_of(nodes, i, kw)
                    for j, br in enumerate(brs):
                        others = one_of_others(kw, brs, j, n)
                        r = self.sub((*rest, Node(br, f"{n.ptr}/{kw}/{j}", n.doc), *others), b)
                        if r.kind != YES:
                            return r
                    return R_YES
            if "if" in s and ("then" in s or "else" in s):
                rest = self.rest_of(nodes, i, "if", "then", "else")
                cond = Node(s["if"], f"{n.ptr}/if", n.doc)
                ncond = Node(s["if"], f"{n.ptr}/if", n.doc, True)
                alt1 = [cond] + ([Node(s["then"], f"{n.ptr}/then", n.doc)] if "then" in s else [])
                alt2 = [ncond] + ([Node(s["else"], f"{n.ptr}/else", n.doc)] if "else" in s else [])
                for alt in (alt1, alt2):
                    r = self.sub((*rest, *alt), b)
                    if r.kind != YES:
                        return r
                return R_YES
        return self.against_b(nodes, fam, int_only, b)

    def rest_of(self, nodes: list[Node], i: int, *kws: str) -> list[Node]:
        """The conjunction ``nodes`` (an ``expand`` result) with ``kws`` dropped from node ``i``, for a split of
        it into cases. Every positive node also loses ``allOf``, ``$ref`` and ``not``: ``expand`` already put
        their members, targets and negations in ``nodes``, so the conjunction means the same; kept, they
        would bring back the member just split (an ``anyOf`` or ``if`` inside an ``allOf`` member), and the
        search would meet the same conjunction again and give up on it as a cycle. Negated nodes are kept
        whole (dropping a conjunct under a negation would narrow A)."""
        flat = ("allOf", "$ref", "not")
        out: list[Node] = []
        for k, n in enumerate(nodes):
            s = n.schema
            if not n.neg and isinstance(s, dict):
                drop = (*kws, *flat) if k == i else flat
                if any(kw in s for kw in drop):
                    n = Node(self.without(s, *drop), n.ptr, n.doc)
            out.append(n)
        return out

    def against_b(self, nodes: list[Node], fam: str, int_only: bool, b: Node) -> Res:
        if isinstance(b.schema, dict) and self.plain(b.schema) is not b.schema:
            b = Node(self.plain(b.schema), b.ptr, b.doc, b.neg)
        bs: dict[str, Any] = b.schema
        bp = b.ptr or ""
        ap = next((n.ptr for n in nodes if n.ptr is not None), None)
        tb = self.b_types(bs)
        if fam not in tb and not (fam == "number" and "integer" in tb):
            return Res(NO, "type", ap, bp + "/type" if "type" in bs else bp)
        if fam == "number" and "number" not in tb and not int_only and not all_integers(nodes):
            return Res(NO, "type", ap, bp + "/type" if "type" in bs else bp)
        for kw in bs:
            if kw not in ASSERTIONS or kw in ("type",):
                continue
            r = self.b_keyword(kw, nodes, fam, int_only, b)
            if r.kind != YES:
                return r
        return R_YES

    def b_keyword(self, kw: str, nodes: list[Node], fam: str, int_only: bool, b: Node) -> Res:
        bs: dict[str, Any] = b.schema
        bp = b.ptr or ""
        doc = b.doc
        ap = next((n.ptr for n in nodes if n.ptr is not None), None)
        v = bs[kw]
        kp = f"{bp}/{escape(kw)}"
        pos = [n.schema for n in nodes if not n.neg]
        if kw in ("const", "enum"):
            if _values_within(pos, [v] if kw == "const" else v):
                return R_YES  # one conjunct of A lists only values B lists (past _MAX_FINITE: ruff's enums)
            return Res(NO, kw, ap, kp)  # A is not finite here, B is
        if kw in ("$ref", "$dynamicRef"):
            t = None
            if doc is not None and isinstance(v, str):
                t = doc.resolve_at(b.ptr, v) if kw == "$ref" else doc.resolve_dynamic_at(b.ptr, v)
            if t is None:
                return Res(UNKNOWN, kw, ap, kp)
            return self.sub(tuple(nodes), Node(t[0], t[1], doc))
        if kw == "allOf":
            for i, br in enumerate(v):
                r = self.sub(tuple(nodes), Node(br, f"{kp}/{i}", doc))
                if r.kind != YES:
                    return r
            return R_YES
        if kw == "anyOf":
            for i, br in enumerate(v):
                r = self.sub(tuple(nodes), Node(br, f"{kp}/{i}", doc))
                if r.kind == YES:
                    return R_YES
            # A ⊆ B1 ∪ … ∪ Bn  ⇐  A ∧ ¬B1 ∧ … (all but Bk) ⊆ Bk.
            if 1 < len(v) <= 4:
                for k in range(len(v) - 1, -1, -1):
                    negs = [Node(br, f"{kp}/{i}", doc, True) for i, br in enumerate(v) if i != k]
                    if self.sub((*nodes, *negs), Node(v[k], f"{kp}/{k}", doc)).kind == YES:
                        return R_YES
            return Res(UNKNOWN if len(v) > 1 else NO, "anyOf", ap, kp)
        if kw == "oneOf":
            for i, br in enumerate(v):
                r = self.sub(tuple(nodes), Node(br, f"{kp}/{i}", doc))
                if r.kind == YES:
                    if all(disjoint(self, nodes, Node(o, f"{kp}/{j}", doc)) for j, o in enumerate(v) if j != i):
                        return R_YES
                    return Res(UNKNOWN, "oneOf", ap, kp)
            return Res(UNKNOWN, "oneOf", ap, kp)
        if kw == "not":
            if disjoint(self, nodes, Node(v, kp, doc)):
                return R_YES
            return Res(UNKNOWN, "not", ap, kp)
        if kw == "if":
            cond = Node(v, kp, doc)
            then = Node(bs.get("then", True), f"{bp}/then", doc)
            els = Node(bs.get("else", True), f"{bp}/else", doc)
            if self.sub(tuple(nodes), cond).kind == YES:
                return self.sub(tuple(nodes), then)
            if disjoint(self, nodes, cond):
                return self.sub(tuple(nodes), els)
            r1 = self.sub((*nodes, cond), then)
            if r1.kind != YES:
                return r1
            return self.sub((*nodes, Node(v, kp, doc, True)), els)
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
            return numeric_kw(kw, v, pos, int_only, ap, kp, neg_schemas)
        if fam == "string" and kw in ("minLength", "maxLength", "pattern"):
            return string_kw(kw, v, pos, ap, kp)
        if fam == "array" and kw in ("items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains"):
            return array_kw(self, kw, nodes, b, ap, kp)
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
            return object_kw(self, kw, nodes, b, ap, kp)
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

    def descend(self, a: list[Node], b: Node) -> Res:
        self._descent += 1
        try:
            return self.sub(tuple(a), b)
        finally:
            self._descent -= 1


def _values_within(pos: list[Any], allowed: Any) -> bool:
    """Whether one of A's (positive) conjuncts admits only values that ``allowed`` (B's enum) lists: then
    A ⊆ that conjunct ⊆ B's enum. JSON equality (1 == 1.0, booleans apart); strings by a set."""
    if not isinstance(allowed, list):
        return False
    strings = {x for x in allowed if isinstance(x, str)}
    others = [x for x in allowed if not isinstance(x, str)]
    for s in pos:
        vals = [s["const"]] if "const" in s else s.get("enum")
        if isinstance(vals, list) and all(
            (x in strings) if isinstance(x, str) else any(json_equal(x, y) for y in others) for x in vals
        ):
            return True
    return False


def _same_here(doc: Doc | None, p1: str | None, p2: str | None, schema: Any) -> bool:
    """Whether the same subschema text at two places of one document means the same there: no refs, or
    refs read alike everywhere (plain pointers), or one place (each dynamic ref meaning one subschema),
    or two places with the same base URI and no dynamic ref (a relative ``$ref`` written under two
    different ``$id``s names two different subschemas)."""
    if doc is None or not _has_ref(schema) or doc.sound_refs:
        return True
    if p1 is None or p2 is None or not doc.context_free():
        return False
    if p1 == p2:
        return True
    base = doc.scopes.base
    return p1 in base and base.get(p1) == base.get(p2) and "$dynamicRef" not in json.dumps(schema)


def _same_ref_closure(schema: Any, d1: Doc, d2: Doc) -> bool:
    """Same text and every ref reachable from it resolves to the same text in both documents."""
    same = same_refs(d1, d2)
    return all(ref in same for ref in _refs(schema))


class _PairFacts:
    """What the prover learnt about two documents, kept on the first (``Doc.pair_cache``)."""

    __slots__ = ("equal", "same")

    def __init__(self) -> None:
        self.same: frozenset[str] | None = None
        # (id, id) -> (x, y, x equals y): the objects are held so that their ids stay theirs
        self.equal: dict[tuple[int, int], tuple[Any, Any, bool]] = {}


def _facts(d1: Doc, d2: Doc) -> _PairFacts:
    cache = d1.pair_cache
    got = cache.get(d2.uri)
    if got is not None:
        return got  # type: ignore[no-any-return]
    if len(cache) >= MAX_PAIRS:
        cache.clear()  # bounded: what is dropped is recomputed
    facts = cache[d2.uri] = _PairFacts()
    return facts


def _equal(x: Any, y: Any, d1: Doc | None, d2: Doc | None) -> bool:
    """JSON equality of two subschemas, remembered per pair of documents (large real-world schemas
    compare the same big subtrees many times)."""
    if x is y:
        return True
    if d1 is None or d2 is None or not isinstance(x, dict) or not isinstance(y, dict):
        return json_equal(x, y)
    if x.keys() != y.keys():
        return False
    memo = _facts(d1, d2).equal
    got = memo.get((id(x), id(y)))
    if got is not None and got[0] is x and got[1] is y:
        return got[2]
    eq = json_equal(x, y)
    memo[(id(x), id(y))] = (x, y, eq)
    return eq


def same_refs(d1: Doc, d2: Doc) -> frozenset[str]:
    """The local refs of two documents that mean the same in both: each resolves to the same text in
    both, and so does every ref reachable from its target (the greatest such set, computed once per
    pair of documents)."""
    facts = _facts(d1, d2)
    if facts.same is not None:
        return facts.same
    targets: dict[str, list[str]] = {}
    for ref in {*d1.ref_strings(), *d2.ref_strings()}:
        r1, r2 = d1.resolve(ref), d2.resolve(ref)
        if r1 is not None and r2 is not None and json_equal(r1[0], r2[0]):
            targets[ref] = _refs(r1[0])
    same = set(targets)
    changed = True
    while changed:  # drop a ref whose target reaches a ref that differs, until nothing changes
        changed = False
        for ref in list(same):
            if any(r not in same for r in targets[ref]):
                same.discard(ref)
                changed = True
    facts.same = frozenset(same)
    return facts.same


def _refs(s: Any) -> list[str]:
    out: list[str] = []
    if isinstance(s, dict):
        r = s.get("$ref")
        if isinstance(r, str):
            out.append(r)
        if "$dynamicRef" in s:
            out.append("\x00dynamic")  # never resolvable: forces a structural comparison
        for k, v in s.items():
            if k not in DATA_KEYWORDS:
                out += _refs(v)
    elif isinstance(s, list):
        for x in s:
            out += _refs(x)
    return out


_REFS = frozenset({"$ref", "$dynamicRef"})


def _has_ref(s: Any) -> bool:
    return has_keyword(s, _REFS)


def _only_local(bs: dict[str, Any], kw: str) -> bool:
    # unevaluated* depend on sibling applicators and dynamic refs on the dynamic scope: identical
    # keyword values alone prove nothing for them.
    return kw not in ("unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef")


def _one_of_twice_trivial(s: Any, trivial: Callable[[Any], bool]) -> bool:
    """A ``oneOf`` with two branches that accept every instance admits nothing: every instance matches
    both of them, never exactly one (web-manifest's ``orientation``: a draft-04 ``oneOf`` of ``const``
    branches, ``const`` being no keyword of draft-04, so each branch is an annotation only)."""
    brs = s.get("oneOf") if isinstance(s, dict) else None
    return isinstance(brs, list) and sum(1 for br in brs if trivial(br)) >= 2
