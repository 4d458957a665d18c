"""Disjointness: sufficient conditions for A ∩ X = ∅ (used by ``not``, ``oneOf`` and ``if``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from contractkit._json import escape
from contractkit.compat._prove.nodes import YES, Node
from contractkit.compat._prove.objects import a_prop, forbids

if TYPE_CHECKING:
    from contractkit.compat._prove.core import Prover


_MAX_DEPTH = 2  # nested splits of X's conjunctions and A's unions
_MAX_SPLIT = 8  # branches of a union of A split into cases
_MEMBER_DEPTH = 4  # nested member-by-member comparisons (``_member_disjoint``)


def disjoint(pr: Prover, nodes: list[Node], x: Node, depth: int = 0) -> bool:
    """Sufficient conditions for A ∩ X = ∅ (A the conjunction of ``nodes``)."""
    if _disjoint_here(pr, nodes, x, depth):
        return True
    if depth >= _MAX_DEPTH:
        return False
    # X is the conjunction of its parts ($ref targets, allOf members): A disjoint from one part suffices.
    xs = x.schema
    if isinstance(xs, dict) and ("$ref" in xs or "allOf" in xs):
        exp = pr.expand((x,))
        if exp is None:
            return True  # X admits nothing
        for part in exp[0]:
            if not part.neg and part.ptr != x.ptr and disjoint(pr, nodes, part, depth + 1):
                return True
    # A is a union (anyOf/oneOf of one of its conjuncts): disjoint when each case of it is.
    own = pr.expand(tuple(nodes))
    if own is None:
        return True
    flat = own[0]
    for k, n in enumerate(flat):
        if n.neg or not isinstance(n.schema, dict):
            continue
        for kw in ("anyOf", "oneOf"):
            brs = n.schema.get(kw)
            if isinstance(brs, list) and 0 < len(brs) <= _MAX_SPLIT:
                rest = [*flat[:k], Node(pr.without(n.schema, kw), n.ptr, n.doc), *flat[k + 1 :]]
                return all(
                    disjoint(pr, [*rest, Node(br, f"{n.ptr}/{kw}/{j}", n.doc)], x, depth + 1)
                    for j, br in enumerate(brs)
                )
    return False


def _disjoint_here(pr: Prover, nodes: list[Node], x: Node, depth: int = 0) -> bool:
    if x.schema is False:
        return True
    own = pr.expand(tuple(nodes))
    if own is None:
        return True
    nodes = own[0]
    if pr.unsat(nodes):
        return True
    exp = pr.expand((*nodes, x))
    if exp is None:
        return True
    if pr.unsat(exp[0]):
        return True
    # A includes a negated node N: X ⊆ N.schema proves disjointness.
    for n in nodes:
        if n.neg and n.doc is not None and n.ptr is not None and pr.sub((x,), Node(n.schema, n.ptr, n.doc)).kind == YES:
            return True
    xs = x.schema
    if isinstance(xs, dict):
        for kw in ("anyOf", "oneOf"):
            brs = xs.get(kw)
            if isinstance(brs, list) and brs:
                rest = Node(pr.without(xs, kw), x.ptr, x.doc)
                if disjoint(pr, nodes, rest) or all(
                    disjoint(pr, nodes, Node(br, f"{x.ptr}/{kw}/{i}", x.doc)) for i, br in enumerate(brs)
                ):
                    return True
        # Disjoint by numeric range, required vs forbidden properties, and the like:
        # A ⊆ not X holds when X's one assertion conflicts with A outright.
        # Object-only A and a property both sides constrain with disjoint schemas (the
        # discriminator of a tagged union): present in every A instance (A requires it) or
        # required by X, so no instance satisfies both.
        if pr.types(nodes) <= {"object"} and isinstance(xs.get("properties"), dict):
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
                a_p = a_prop(pr, pos, p)
                if a_p is not None and a_p and disjoint(pr, a_p, Node(sch, f"{x.ptr}/properties/{escape(p)}", x.doc)):
                    return True
        # `required` only rejects objects: it separates X from A only when A is object-only.
        if isinstance(xs.get("required"), list) and pr.types(nodes) <= {"object"}:
            for p in xs["required"]:
                for n in nodes:
                    if not n.neg and forbids(n.schema, p):
                        return True
        # The other way round: every (object) instance of A holds a name that X itself rejects (a closed
        # object that does not declare it, or ``properties: {p: false}``).
        if pr.types(nodes) <= {"object"}:
            for n in nodes:
                req = n.schema.get("required") if not n.neg else None
                if isinstance(req, list) and any(isinstance(p, str) and forbids(xs, p) for p in req):
                    return True
        if depth < _MEMBER_DEPTH and pr.types(nodes) <= {"object"} and _member_disjoint(pr, nodes, x, depth):
            return True
    return False


def _member_disjoint(pr: Prover, nodes: list[Node], x: Node, depth: int) -> bool:
    """A object-only, and a member that A or X requires (so every object of both holds it) whose value
    the two constrain disjointly, wherever each side declares it (``properties``, ``patternProperties``
    or ``additionalProperties``: ``a_prop``). OpenAPI 3.0's ``oneOf: [Reference, Callback]``: Reference
    requires ``$ref`` as a string (a ``patternProperties`` member), Callback's ``additionalProperties``
    makes every member a path item, an object."""
    exp = pr.expand((x,))
    if exp is None:
        return True  # X admits nothing
    xpos = [n for n in exp[0] if not n.neg and isinstance(n.schema, dict)]
    pos = [n for n in nodes if not n.neg]
    names: list[str] = []
    for n in [*xpos, *pos]:
        req = n.schema.get("required") if isinstance(n.schema, dict) else None
        if isinstance(req, list):
            names += [r for r in req if isinstance(r, str) and r not in names]
    for p in names[:16]:
        a_p = a_prop(pr, pos, p)
        x_p = a_prop(pr, xpos, p)
        if a_p and x_p and any(disjoint(pr, a_p, xk, depth + 1) for xk in x_p):
            return True
    return False
