"""Readings of one-resource documents whose ``$dynamicRef`` names an anchor declared more than once: where
to look for witnesses.

Bundling several metaschemas into one document without their ``$id`` s leaves one resource in which
``$dynamicAnchor: meta`` is declared a dozen times (each vocabulary's metaschema, and the document's own
schema definition). 2020-12 does not say which declaration ``$dynamicRef: "#meta"`` then means (a name
declared twice in one resource is an error), implementations choose differently (jsonschema-rs takes the
last in sorted order; python-jsonschema another), and the scoped reading (``_scope``) gives up on it, and
with it the witness search's way through the document.

Each *reading* is the pair of documents with every such ``$dynamicRef`` written as a plain ``$ref`` to one
declaration ``c`` of the name (the now unused ``$dynamicAnchor`` s dropped). The engine searches a
reading for a witness and reports it only when the validator confirms it on the documents as written.
Nothing is ever *proven* from the readings: a reading need not be what a validator does (a plain
``$anchor`` of the same name, say, may be the one it takes), so a direction no witness breaks stays
undecided.

Conditions (both documents): no ``$id`` below the root, no ``$recursiveRef`` / ``$recursiveAnchor``, every
``$ref`` a plain pointer (``#`` or ``#/...``), every ``$dynamicRef`` ``#name`` for a name some
``$dynamicAnchor`` declares and not beside a ``$ref``, and the same declarations (name and place, in the
same document order) in both.
At most ``MAX_CASES`` cases.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

from contractkit.compat._doc import schema_objects
from contractkit.compat._rename import _plain_target
from contractkit.compat._scope import schema_places

MAX_CASES = 16
_SAFE = "/!$&'()*+,;=:@~"


def dynamic_cases(old: Any, new: Any) -> list[tuple[Any, Any]] | None:
    """The pairs of documents, one per way of reading the ambiguous dynamic anchors, or None when the pair
    is not of that shape (no name declared twice, or a condition above fails)."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return None
    decl_old, decl_new = _declarations(old), _declarations(new)
    if decl_old is None or decl_new is None or decl_old != decl_new:
        return None
    ambiguous = sorted(name for name, places in decl_old.items() if len(places) > 1)
    if not ambiguous:
        return None
    choices: list[dict[str, str]] = [{}]
    for name in ambiguous:
        choices = [{**c, name: p} for c in choices for p in decl_old[name]]
        if len(choices) > MAX_CASES:
            return None
    unique = {name: places[0] for name, places in decl_old.items() if len(places) == 1}
    return [(_static(old, {**unique, **c}), _static(new, {**unique, **c})) for c in choices]


def _declarations(doc: dict[str, Any]) -> dict[str, list[str]] | None:
    """name -> the pointers declaring it with ``$dynamicAnchor`` (document order); None when a condition
    of the module docstring fails."""
    out: dict[str, list[str]] = {}
    dynamic: list[str] = []
    for ptr, node in schema_places(doc):
        if ptr and "$id" in node:
            return None
        if "$recursiveRef" in node or "$recursiveAnchor" in node:
            return None
        if "$ref" in node and _plain_target(node["$ref"]) is None:
            return None
        name = node.get("$dynamicAnchor")
        if name is not None:
            if not isinstance(name, str):
                return None
            out.setdefault(name, []).append(ptr)
        ref = node.get("$dynamicRef")
        if ref is not None:
            if not isinstance(ref, str) or not ref.startswith("#") or ref.startswith("#/") or "$ref" in node:
                return None
            dynamic.append(ref[1:])
    if any(name not in out for name in dynamic):
        return None
    # in document order, which must be the same in both documents (each reading then means the same
    # declaration in both)
    seen = {p for places in out.values() for p in places}
    order = [p for p, node in schema_objects(doc) if p in seen and "$dynamicAnchor" in node]
    if sorted(order) != sorted(seen):
        return None
    rank = {p: i for i, p in enumerate(order)}
    for places in out.values():
        places.sort(key=rank.__getitem__)
    return out


def _static(doc: Any, chosen: dict[str, str]) -> Any:
    """``doc`` with each ``$dynamicRef: "#name"`` a ``$ref`` to ``chosen[name]`` and no ``$dynamicAnchor``."""
    out = copy.deepcopy(doc)
    for _ptr, node in schema_places(out):
        node.pop("$dynamicAnchor", None)
        ref = node.pop("$dynamicRef", None)
        if ref is not None:
            node["$ref"] = "#" + quote(chosen[ref[1:]], safe=_SAFE)
    return out
