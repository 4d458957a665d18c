"""When widening one branch of a ``oneOf`` widens the ``oneOf``: the local proofs through ``oneOf``.

``oneOf`` is not monotone: widening branch ``i`` from ``Bi`` to ``Bi' ⊇ Bi`` may *narrow* the whole, an
instance of a sibling ``Bj`` that ``Bi'`` now accepts too matching two branches. It does not when the
instances ``Bi'`` newly admits are disjoint from every sibling: ``(Bi' − Bi) ∩ Bj = ∅`` for all ``j ≠ i``
(in particular when ``Bi' ∩ Bj = ∅``), and the siblings themselves do not change. Proof: let ``x`` match
exactly one branch ``k`` of the old ``oneOf``. If ``k = i``: ``x ∈ Bi ⊆ Bi'`` and ``x ∉ Bj = Bj'`` for
``j ≠ i``, so ``x`` matches exactly branch ``i`` of the new one. If ``k ≠ i``: ``x ∈ Bk = Bk'`` and
``x ∉ Bi``; were ``x ∈ Bi'``, it would lie in ``(Bi' − Bi) ∩ Bk = ∅``; so ``x`` matches exactly branch
``k`` of the new one. Either way ``x`` is valid under the new ``oneOf``.

``OneOfWidening`` checks those conditions for two documents that differ only inside the subschema at
``changed`` (``_monotone.included_at``): the holder of the ``oneOf`` is not inside the change, no sibling
branch contains it or reaches it through ``$ref``s (its meaning is the same in both documents), and the
disjointness is proven structurally (``_prove.disjoint``, sufficient conditions only). ``Bi ⊆ Bi'``
itself is what the caller proves, through the monotone (or again such ``oneOf``) positions below.
"""

from __future__ import annotations

from typing import Any

from contractkit._json import json_equal
from contractkit.compat._doc import Doc, subschema_at


class OneOfWidening:
    """``(holder, i, top) -> bool``: widening branch ``i`` of the ``oneOf`` at ``holder`` (from ``src`` to
    ``other``) is proven not to narrow that ``oneOf`` (see the module docstring); ``top`` is where the
    path being checked entered last (through a ``$ref``, or the root): the subschemas between it and
    ``holder`` are applied together with the ``oneOf`` on that path, and serve as context."""

    def __init__(self, src: Doc, other: Doc, changed: str, format_assertion: bool) -> None:
        self.src, self.other, self.changed, self.fa = src, other, changed, format_assertion
        self._memo: dict[tuple[str, int, str | None], bool] = {}

    def __call__(self, holder: str, i: int, top: str) -> bool:
        parent = _context_parent(holder, top)  # the context depends on the path: part of the key
        key = (holder, i, parent)
        got = self._memo.get(key)
        if got is None:
            got = self._memo[key] = self._check(holder, i, parent)
        return got

    def _check(self, holder: str, i: int, parent: str | None) -> bool:
        from contractkit.compat._prove import YES, Node, Prover
        from contractkit.compat._prove.disjoint import disjoint
        from contractkit.compat._prove.nodes import TYPES, type_node

        if holder == self.changed or holder.startswith(self.changed + "/"):
            return False  # the holder is inside the change (or is it): its oneOf may itself differ
        a, b = subschema_at(self.src.root, holder), subschema_at(self.other.root, holder)
        if not (isinstance(a, dict) and isinstance(b, dict)):
            return False
        old, new = a.get("oneOf"), b.get("oneOf")
        if not (isinstance(old, list) and isinstance(new, list) and len(old) == len(new) and i < len(old)):
            return False
        # The branches that may change: ``i``, and any that contains or reaches the change. Each of them
        # widens (Bk ⊆ Bk'): that is what the caller's walk over every path to the change establishes,
        # the paths through those branches included. The others are the same in both documents.
        changing = {i}
        for j in range(len(old)):
            at = f"{holder}/oneOf/{j}"
            if j != i and (
                _overlaps(at, self.changed)
                or _reaches(self.src, at, self.changed)
                or _reaches(self.other, at, self.changed)
            ):
                changing.add(j)
            elif j != i and not json_equal(old[j], new[j]):
                return False
        pr = Prover(self.fa)
        context = self._context(holder, parent, a)
        for m in sorted(changing):
            at_m = f"{holder}/oneOf/{m}"
            widened = [Node(new[m], at_m, self.other), *context]
            newly = [*widened, Node(old[m], at_m, self.src, True)]
            before = Node(old[m], at_m, self.src)
            for k in range(len(old)):
                if k == m:
                    continue
                sib = Node(old[k], f"{holder}/oneOf/{k}", self.src)
                if disjoint(pr, widened, sib) or disjoint(pr, newly, sib):
                    continue
                # Type by type: of one JSON type, the branch admits nothing new (Bm' ∧ t ⊆ Bm), or
                # what it admits of it is disjoint from the sibling; the union over types is all.
                for t in TYPES:
                    typed = type_node(t)
                    if pr.sub((widened[0], typed), before).kind == YES:
                        continue
                    if not (disjoint(pr, [*widened, typed], sib) or disjoint(pr, [*newly, typed], sib)):
                        return False
        return True

    def _context(self, holder: str, parent: str | None, a: dict[str, Any]) -> list[Any]:
        """What else an instance valid under the *source* at the path's parent satisfies: the holder's
        own other keywords, and when the holder is an ``allOf`` member reached on this path through its
        parent (not through a ``$ref``), the parent's other keywords and ``allOf`` members. All read in
        the source document: the instance the argument follows is valid there (see the module docstring)."""
        from contractkit.compat._prove import Node, Prover

        without = Prover(self.fa).without
        out = [Node(without(a, "oneOf"), holder, self.src)]
        if parent is not None:
            ps = subschema_at(self.src.root, parent)
            if isinstance(ps, dict) and isinstance(ps.get("allOf"), list):
                n = int(holder.rsplit("/", 1)[1])
                out.append(Node(without(ps, "allOf"), parent, self.src))
                out += [Node(x, f"{parent}/allOf/{k}", self.src) for k, x in enumerate(ps["allOf"]) if k != n]
        return out


def _context_parent(holder: str, top: str) -> str | None:
    """The subschema whose ``allOf`` holds ``holder``, when it lies at or below ``top`` (so that on the
    path through ``top`` the holder is applied only as that member)."""
    head, _, idx = holder.rpartition("/")
    parent, _, kw = head.rpartition("/")
    if kw != "allOf" or not idx.isdigit():
        return None
    if parent == top or parent.startswith(top + "/") or top == "":
        return parent
    return None


def _overlaps(p: str, q: str) -> bool:
    """Whether the subschemas at pointers ``p`` and ``q`` are one inside the other (or the same)."""
    return p == q or p.startswith(q + "/") or q.startswith(p + "/")


def _reaches(doc: Doc, start: str, target: str) -> bool:
    """Whether the subschema at ``start`` reaches the one at ``target`` (or a part of it, or a subschema
    enclosing it) through ``$ref``s, transitively. Conservative: every ``$ref`` string under a reached
    subschema counts, and any ref that is not a plain pointer reaches everything."""
    return any(t is None or _overlaps(t, target) for t in _closure(doc, start))


def _closure(doc: Doc, start: str) -> frozenset[str | None]:
    cache: dict[str, frozenset[str | None]] = doc.facts.setdefault("ref-closure", {})
    got = cache.get(start)
    if got is not None:
        return got
    by_site: list[tuple[str, str]] = doc.facts.get("ref-by-site") or []
    if not by_site:
        by_site = doc.facts["ref-by-site"] = sorted((s, r) for r in doc.ref_strings() for s in doc.ref_sites(r))
    seen: set[str] = {start}
    targets: set[str | None] = set()
    stack = [start]
    while stack:
        p = stack.pop()
        for site, ref in by_site:
            if not (site == p or site.startswith(p + "/")):
                continue
            t = _pointer(ref)
            targets.add(t)
            if t is not None and t not in seen:
                seen.add(t)
                stack.append(t)
    got = cache[start] = frozenset(targets)
    return got


def _pointer(ref: str) -> str | None:
    if ref == "#":
        return ""
    if ref.startswith("#/") and "%" not in ref:
        return ref[1:]
    return None
