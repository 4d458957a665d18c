"""Where a subschema sits: whether every place it is applied from the root is *monotone*.

A position is monotone when widening the subschema there can only widen the root schema: under
``properties``, ``items``, ``allOf``, ``anyOf``, ``then``, ... but not under ``not``, ``oneOf``, ``if``
or ``contains`` (``maxContains`` counts matches). A subschema inside a definition is applied through
every ``$ref`` to it (or to an enclosing subschema), so each of those refs must sit at a monotone
position too. Then ``S ⊆ S'`` at that pointer proves ``root ⊆ root with S replaced by S'``: the proof
of a change stays local to the subschema it changes, however large and tangled the rest of the document.

Documents where a subschema's meaning depends on more than its place are left out (``None``): refs that
neither are plain JSON pointers nor resolve alike in every reading (``_scope``: nested ``$id``, anchors, a
``$dynamicRef`` with a target that depends on the way in). Documents with scoped refs that all resolve,
each ``$dynamicRef`` to one subschema wherever it is reached from, are read through their resolution
table (``Doc.resolution``): a subschema is applied by every ``$ref``/``$dynamicRef`` that resolves to it.

``unevaluated*`` read the annotations of the subschemas applied in place beside them, so widening one
of those may *narrow* the whole (``{allOf: [{properties: {a: true}}], unevaluatedProperties: false}``:
the member widened to ``true`` no longer marks ``a`` evaluated). Why a local proof still holds when no
``unevaluated*`` reads the changed subschema's annotations (``_reads_annotations``): take ``P ⊆ P'`` at
``ptr``, every application of ``ptr`` at monotone positions. By induction on the evaluation of an
instance, every other subschema that succeeds with ``P`` succeeds with ``P'``, and its annotation set
(evaluated names, evaluated items) only grows: ``properties``, ``patternProperties``,
``additionalProperties``, ``items``, ``prefixItems`` annotate which members they were applied to, which
does not depend on their subschemas once they succeed; ``allOf``/``anyOf``/``oneOf``/``then``/
``else``/``dependentSchemas``/``$ref`` collect the annotations of their members that succeed (a superset,
and for ``oneOf`` the same branch, ``_oneof``); an ``unevaluated*`` that succeeds has evaluated every
member, so its schema's set is all of them either way; and ``unevaluated*`` itself, reading a larger set,
checks fewer members. The one set that may shrink is ``P``'s own (``P'`` annotates what it likes), read
only by an ``unevaluated*`` of a subschema that applies ``P`` *in place* to the same instance location:
an enclosing subschema up to the nearest ``properties``/``items``/... step, followed across the
``$ref``s that apply it. When none of those holds ``unevaluated*``, the induction goes through.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from contractkit._json import escape, unescape
from contractkit.compat._doc import Doc, schema_objects, subschema_at
from contractkit.compat._oneof import OneOfWidening

# keyword -> how many pointer tokens one step under it takes (the keyword, then a name or index)
_MONOTONE = {
    "properties": 2, "patternProperties": 2, "dependentSchemas": 2, "prefixItems": 2, "allOf": 2, "anyOf": 2,
    "items": 1, "additionalProperties": 1, "propertyNames": 1, "then": 1, "else": 1,
}  # fmt: skip
# Keywords whose subschemas are applied, but not monotonically.
_NON_MONOTONE = frozenset({"not", "oneOf", "if", "contains", "unevaluatedProperties", "unevaluatedItems",
                           "contentSchema", "dependencies", "additionalItems"})  # fmt: skip


OneOfCheck = Callable[[str, int, str], bool]


def monotone_at(doc: Doc, ptr: str, one_of: OneOfCheck | None = None) -> bool:
    """Whether every application of the subschema at ``ptr`` (from the root, directly or through refs)
    passes only through monotone positions; False when that cannot be told. With ``one_of``, a path may
    also pass through branch ``i`` of the ``oneOf`` of the subschema at ``holder`` when
    ``one_of(holder, i, top)`` holds (``top``: where the path last entered, through a ``$ref`` or at the
    root; see ``_oneof.OneOfWidening``: the widened branch admits nothing new that a sibling accepts)."""
    if not local_refs(doc):
        return False
    # the proof through a oneOf (``_oneof``) reads refs as plain pointers: not with scoped refs
    return _monotone(doc, ptr, set(), one_of if plain_refs(doc) else None, 1)


def included_at(src: Doc, other: Doc, ptr: str, format_assertion: bool) -> bool | None:
    """``src ⊆ other`` proven locally, for two documents that differ only inside the subschema at ``ptr``:
    that subschema of ``src`` (or one enclosing it) is included in the one of ``other``, and it sits at
    monotone positions only. True when proven; False when not, the whole documents included; None when
    not, without trying the whole documents."""
    from contractkit.compat._prove import YES, Node, Prover

    # The change may be harmless only together with its context (an enum value added in one anyOf branch
    # that another branch already accepts): the enclosing subschemas are tried too, a few levels up.
    # None when the whole document was not tried (the caller may still try it), False when it was.
    whole_tried = False
    for at in _enclosing(ptr)[:_LEVELS]:
        a, b = subschema_at(src.root, at), subschema_at(other.root, at)
        if a is None or b is None or not monotone_at(src, at, OneOfWidening(src, other, ptr, format_assertion)):
            continue
        if _entered_from_outside(src, at) or _entered_from_outside(other, at):
            continue  # a $ref elsewhere applies a part of it on its own: its proof would not cover that use
        if not _same_outside(src, other, at):
            continue  # a ref outside the subschema resolves elsewhere after the change (an $id, an anchor)
        whole_tried = at == ""
        if Prover(format_assertion).subset(Node(a, at, src), Node(b, at, other)).kind == YES:
            return True
    return False if whole_tried else None


_LEVELS = 4
_WIDTHS = {**_MONOTONE, "$defs": 2, "definitions": 2, "not": 1, "oneOf": 2, "if": 1, "contains": 1}


def _enclosing(ptr: str) -> list[str]:
    """``ptr`` and the subschemas enclosing it, innermost first (as far as the path reads as schemas)."""
    toks = ptr.split("/")[1:] if ptr else []
    places, i = [""], 0
    while i < len(toks):
        width = _WIDTHS.get(unescape(toks[i]))
        if width is None or i + width > len(toks):
            return [ptr]  # a path this does not read: only the place itself
        i += width
        places.append("/" + "/".join(toks[:i]))
    return places[::-1]


def _entered_from_outside(doc: Doc, at: str) -> bool:
    """Whether a ``$ref`` outside the subschema at ``at`` points strictly inside it (``#/$defs/A/properties/x``
    used under a ``not`` elsewhere): proving ``A ⊆ A'`` says nothing about that use of ``x``."""
    inside = at + "/"
    if not doc.sound_refs:
        table = doc.resolution() or {}
        return any(
            t.startswith(inside) and place != at and not place.startswith(inside) for (place, _, _), t in table.items()
        )
    for ref in doc.ref_strings():
        if ref.startswith("#" + inside):
            for site in doc.ref_sites(ref):
                if site != at and not site.startswith(inside):
                    return True
    return False


def plain_refs(doc: Doc) -> bool:
    """Whether every subschema's meaning depends on its place alone: no nested ``$id``, no refs by anchor or
    dynamic refs, every ``$ref`` a plain JSON pointer into the document, no ``unevaluated*``."""
    got = doc.facts.get("monotone-eligible")
    if got is None:
        got = doc.facts["monotone-eligible"] = _eligible_now(doc)
    return bool(got)


def local_refs(doc: Doc) -> bool:
    """Whether every subschema's meaning depends on its place alone and the refs applying it are known:
    plain pointers (``plain_refs``, ``unevaluated*`` allowed), or scoped refs that every reading resolves
    alike, each ``$dynamicRef`` to one subschema wherever it is reached from."""
    got = doc.facts.get("local-refs")
    if got is None:
        if doc.sound_refs:
            got = _plain_pointers(doc)
        else:
            got = doc.refs_trusted and doc.context_free() and doc.resolution() is not None
        doc.facts["local-refs"] = got
    return bool(got)


def _same_outside(a: Doc, b: Doc, at: str) -> bool:
    """Whether every ref written outside the subschema at ``at`` leads to the same place in both documents
    (always, for plain pointers)."""
    if a.sound_refs and b.sound_refs:
        return True  # plain pointers (``local_refs``), the same text outside the subschema
    ra, rb = a.resolution(), b.resolution()
    if ra is None or rb is None:
        return False

    def outside(table: dict[tuple[str, str, str], str]) -> dict[tuple[str, str, str], str]:
        return {k: v for k, v in table.items() if not (k[0] == at or k[0].startswith(at + "/") or at == "")}

    return outside(ra) == outside(rb)


def _sites(doc: Doc, target: str) -> list[str]:
    """The places whose ``$ref`` (or ``$dynamicRef``) applies the subschema at ``target``."""
    if doc.sound_refs:
        return doc.ref_sites("#" + target)
    index: dict[str, list[str]] | None = doc.facts.get("applied-by")
    if index is None:
        index = {}
        for (place, _, _), t in sorted((doc.resolution() or {}).items()):
            index.setdefault(t, []).append(place)
        doc.facts["applied-by"] = index
    return index.get(target, [])


# A pointer token the validators may read as an array index although it is no canonical one ("00", "+0").
NONCANONICAL_INDEX = re.compile(r"/(?:[+-]\d|0\d)")


def _plain_pointers(doc: Doc) -> bool:
    for ref in doc.ref_strings():
        # plain pointers only, written the one way ``escape`` writes them (no percent-encoding, no "00")
        if not (ref == "#" or ref.startswith("#/")) or "%" in ref or NONCANONICAL_INDEX.search(ref):
            return False
        if ref != "#" and "#/" + "/".join(escape(unescape(t)) for t in ref[2:].split("/")) != ref:
            return False
    return True


def _eligible_now(doc: Doc) -> bool:
    if not doc.sound_refs or not _plain_pointers(doc):
        return False
    for _, node in schema_objects(doc.root):
        if "unevaluatedProperties" in node or "unevaluatedItems" in node or "$dynamicRef" in node:
            return False
    return True


def _monotone(doc: Doc, ptr: str, visiting: set[tuple[str, int]], one_of: OneOfCheck | None, level: int) -> bool:
    """``level``: whether the annotations of the subschema at ``ptr`` must not be read by an
    ``unevaluated*`` (0: they need not; 1: of the subschemas applying it in place; 2: its own too, for a
    subschema that applies the changed one in place through a ``$ref``)."""
    if (ptr, level) in visiting:
        return True  # a cycle of refs: each of its entries is checked where it enters
    visiting.add((ptr, level))
    if level == 2 and _reads_annotations(subschema_at(doc.root, ptr)):
        return False
    toks = [unescape(t) for t in ptr.split("/")[1:]] if ptr else []
    for i in range(len(toks) + 1):
        prefix = "".join("/" + escape(t) for t in toks[:i])
        rest = toks[i:]
        sites: list[str | None] = list(_sites(doc, prefix))
        if i == 0:
            sites.append(None)  # the root is applied directly (a "" site is the root's own $ref applying it)
        if not sites:
            continue
        kind, passages = _segment(rest)
        if kind == "unapplied":
            continue
        if kind == "non-monotone":
            return False
        for k in passages:  # through a oneOf: allowed only when that branch's widening is harmless there
            holder = prefix + "".join("/" + escape(t) for t in rest[:k])
            if one_of is None or not one_of(holder, int(rest[k + 1]), prefix):
                return False
        same_level = True
        if level:
            in_place, same_level = _in_place(prefix, rest)
            if any(_reads_annotations(subschema_at(doc.root, p)) for p in in_place):
                return False
        for site in sites:
            if site is not None and not _monotone(doc, site, visiting, one_of, 2 if level and same_level else 0):
                return False
    return True


_DESCENT = frozenset({"properties", "patternProperties", "prefixItems", "items", "additionalProperties",
                      "propertyNames"})  # fmt: skip


def _in_place(prefix: str, rest: list[str]) -> tuple[list[str], bool]:
    """The subschemas on the (monotone) path from ``prefix`` down to ``prefix`` + ``rest`` that apply the
    last one in place, to the same instance location (those after the last ``properties``/``items``/...
    step; the last one itself left out), and whether that stretch reaches up to ``prefix``."""
    places, here, i, reaches = [prefix], prefix, 0, True
    while i < len(rest):
        t = rest[i]
        width = 2 if t == "oneOf" else _MONOTONE[t]
        here += "".join("/" + escape(x) for x in rest[i : i + width])
        if t in _DESCENT:
            places, reaches = [], False
        places.append(here)
        i += width
    return places[:-1], reaches


def _reads_annotations(node: object) -> bool:
    return isinstance(node, dict) and ("unevaluatedProperties" in node or "unevaluatedItems" in node)


def _segment(toks: list[str]) -> tuple[str, list[int]]:
    """How the subschema at ``toks`` below an applied subschema is applied from it: ``monotone``,
    ``non-monotone``, or ``unapplied`` (under ``$defs`` or a keyword that is not an applicator); with the
    indices of the ``oneOf`` tokens it passes (monotone only if each of those branches is harmless)."""
    i, passages = 0, []
    while i < len(toks):
        t = toks[i]
        if t == "oneOf" and i + 1 < len(toks) and toks[i + 1].isdigit():
            passages.append(i)
            i += 2
            continue
        if t in _NON_MONOTONE:
            return "non-monotone", []
        width = _MONOTONE.get(t)
        if width is None:
            return "unapplied", []
        i += width
    return ("monotone", passages) if i == len(toks) else ("unapplied", [])
