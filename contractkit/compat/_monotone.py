"""Where a subschema sits: whether every place it is applied from the root is *monotone*.

A position is monotone when widening the subschema there can only widen the root schema: under
``properties``, ``items``, ``allOf``, ``anyOf``, ``then``, ... but not under ``not``, ``oneOf``, ``if``
or ``contains`` (``maxContains`` counts matches). A subschema inside a definition is applied through
every ``$ref`` to it (or to an enclosing subschema), so each of those refs must sit at a monotone
position too. Then ``S ⊆ S'`` at that pointer proves ``root ⊆ root with S replaced by S'``: the proof
of a change stays local to the subschema it changes, however large and tangled the rest of the document.

Documents where a subschema's meaning depends on more than its place are left out (``None``): nested
``$id`` / ``$dynamicRef`` scoping, refs that are not plain JSON pointers, and ``unevaluated*`` (which
read the annotations of sibling subschemas, so widening one of them may *narrow* the whole).
"""

from __future__ import annotations

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
    return plain_refs(doc) and _monotone(doc, ptr, set(), one_of)


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


def _eligible_now(doc: Doc) -> bool:
    if not doc.sound_refs:
        return False
    for ref in doc.ref_strings():
        # plain pointers only, written the one way ``escape`` writes them (no percent-encoding)
        if not (ref == "#" or ref.startswith("#/")) or "%" in ref:
            return False
        if ref != "#" and "#/" + "/".join(escape(unescape(t)) for t in ref[2:].split("/")) != ref:
            return False
    for _, node in schema_objects(doc.root):
        if "unevaluatedProperties" in node or "unevaluatedItems" in node or "$dynamicRef" in node:
            return False
    return True


def _monotone(doc: Doc, ptr: str, visiting: set[str], one_of: OneOfCheck | None = None) -> bool:
    if ptr in visiting:
        return True  # a cycle of refs: each of its entries is checked where it enters
    visiting.add(ptr)
    toks = [unescape(t) for t in ptr.split("/")[1:]] if ptr else []
    for i in range(len(toks) + 1):
        prefix = "".join("/" + escape(t) for t in toks[:i])
        rest = toks[i:]
        sites = list(doc.ref_sites("#" + prefix))
        if i == 0:
            sites = [*sites, ""]  # the root is applied directly
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
        for site in sites:
            if site != "" and not _monotone(doc, site, visiting, one_of):
                return False
    return True


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
