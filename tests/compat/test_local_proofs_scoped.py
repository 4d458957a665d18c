"""Local proofs (``_monotone``) in documents with ``unevaluated*`` and with scoped refs.

Reduced from the OpenAPI 3.1 meta-schemas: objects closed by ``unevaluatedProperties: false`` beside an
in-place ``$ref`` (``specification-extensions``), ``$dynamicRef: "#meta"`` to the one ``$dynamicAnchor``,
relative refs under a nested ``$id``. A change under ``properties`` of such an object is proven where it
sits; the near misses (the changed subschema applied *in place* beside an ``unevaluated*``, directly or
through ``$ref``s; a change that moves where a ref outside it resolves) are never proven locally, and the
whole comparison stays a witnessed break or undecided. Every compatible verdict is also tried against
random instances.
"""

from __future__ import annotations

import copy
import itertools
import random
from typing import Any

import jsonschema_rs

from contractkit.compat import compare
from contractkit.compat._doc import Doc
from contractkit.compat._monotone import included_at, monotone_at
from tests.compat._util import assert_witnesses_hold

CLOSED: dict[str, Any] = {
    "$defs": {
        "ext": {"patternProperties": {"^x-": True}},
        "link": {
            "type": "object",
            "properties": {"op": {"type": "string"}, "ref": {"type": "string"}},
            "$ref": "#/$defs/ext",
            "unevaluatedProperties": False,
        },
    },
    "type": "object",
    "properties": {"links": {"type": "object", "additionalProperties": {"$ref": "#/$defs/link"}}},
    "$ref": "#/$defs/ext",
    "unevaluatedProperties": False,
}

SCOPED: dict[str, Any] = {
    "$id": "https://example.com/root",
    "$defs": {
        "schema": {"$dynamicAnchor": "meta", "type": ["object", "boolean"]},
        "node": {
            "$id": "node",
            "type": "object",
            "properties": {"name": {"type": "string", "maxLength": 3}, "kids": {"$ref": "#/$defs/kids"}},
            "$defs": {"kids": {"type": "array", "items": {"$ref": "node"}}},
        },
    },
    "type": "object",
    "properties": {"root": {"$ref": "node"}, "schema": {"$dynamicRef": "#meta"}},
}


def _doc(schema: Any) -> Doc:
    return Doc(schema, format_assertion=False)


def _set(schema: Any, path: list[str], value: Any) -> Any:
    out = copy.deepcopy(schema)
    node = out
    for k in path[:-1]:
        node = node[k]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


def _refuted(src: Any, dst: Any, names: list[str], seed: int = 3, n: int = 1500) -> Any:
    """An instance valid under ``src`` and not under ``dst`` among seeded random ones, else None."""
    rng = random.Random(seed)
    v_src, v_dst = jsonschema_rs.validator_for(src), jsonschema_rs.validator_for(dst)
    leaves: list[Any] = [None, 0, 7, "", "ab", "abcdef", True, [], {}]

    def value(depth: int) -> Any:
        k = rng.randrange(3 if depth < 4 else 1)
        if k == 0:
            return rng.choice(leaves)
        if k == 1:
            return [value(depth + 1) for _ in range(rng.randrange(3))]
        return {key: value(depth + 1) for key in rng.sample(names, rng.randrange(4))}

    for x in itertools.islice((value(0) for _ in itertools.count()), n):
        if v_src.is_valid(x) and not v_dst.is_valid(x):
            return x
    return None


def test_a_property_widened_in_an_object_closed_by_unevaluated_properties_is_proven_locally() -> None:
    new = _set(CLOSED, ["$defs", "link", "properties", "op"], True)
    at = "/$defs/link/properties/op"
    assert monotone_at(_doc(CLOSED), at)
    assert included_at(_doc(CLOSED), _doc(new), at, False) is True
    assert compare(CLOSED, new, "backward").compatible
    names = ["links", "l", "op", "ref", "x-a", "b"]
    assert _refuted(CLOSED, new, names) is None
    forward = compare(CLOSED, new, "forward")
    assert not forward.compatible
    assert_witnesses_hold(CLOSED, new, forward)


def test_a_subschema_applied_in_place_beside_unevaluated_is_never_proven_locally() -> None:
    # ext accepts every instance either way, but as true it no longer marks the x- names evaluated
    new = _set(CLOSED, ["$defs", "ext"], True)
    assert not monotone_at(_doc(CLOSED), "/$defs/ext")
    assert included_at(_doc(CLOSED), _doc(new), "/$defs/ext", False) is not True
    report = compare(CLOSED, new, "backward")
    assert not report.compatible
    assert_witnesses_hold(CLOSED, new, report)
    # below its patternProperties step, the x- member's own location: its annotations are not read there
    wider = _set(CLOSED, ["$defs", "ext", "patternProperties", "^x-"], {"type": "string"})
    assert monotone_at(_doc(CLOSED), "/$defs/ext/patternProperties/^x-")
    assert included_at(_doc(wider), _doc(CLOSED), "/$defs/ext/patternProperties/^x-", False) is True
    assert compare(wider, CLOSED, "backward").compatible


def test_the_annotation_trap_widening_an_all_of_member_narrows_the_whole() -> None:
    # {properties: {a: true}} widened to true: "a" is no longer evaluated, unevaluatedProperties rejects it
    old = {"allOf": [{"properties": {"a": True}}], "unevaluatedProperties": False}
    new = {"allOf": [True], "unevaluatedProperties": False}
    assert not monotone_at(_doc(old), "/allOf/0")
    assert included_at(_doc(old), _doc(new), "/allOf/0", False) is not True
    report = compare(old, new, "backward")
    assert not report.compatible
    assert_witnesses_hold(old, new, report)
    # the same through a chain of refs applied in place
    old_r = {
        "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"properties": {"a": True}}},
        "allOf": [{"$ref": "#/$defs/a"}],
        "unevaluatedProperties": False,
    }
    new_r = _set(old_r, ["$defs", "b"], True)
    assert not monotone_at(_doc(old_r), "/$defs/b")
    assert included_at(_doc(old_r), _doc(new_r), "/$defs/b", False) is not True
    assert not compare(old_r, new_r, "backward").compatible
    # below a properties step the annotations are another instance location's: proven
    old_p = {"properties": {"p": {"allOf": [{"properties": {"a": True}}]}}, "unevaluatedProperties": False}
    new_p = {"properties": {"p": {"allOf": [True]}}, "unevaluatedProperties": False}
    assert monotone_at(_doc(old_p), "/properties/p/allOf/0")
    assert compare(old_p, new_p, "backward").compatible


def test_a_change_in_a_document_with_scoped_refs_is_proven_locally() -> None:
    new = _set(SCOPED, ["$defs", "node", "properties", "name", "maxLength"], None)
    at = "/$defs/node/properties/name"
    src = _doc(SCOPED)
    assert not src.sound_refs
    assert monotone_at(src, at)
    assert included_at(src, _doc(new), at, False) is True
    assert compare(SCOPED, new, "backward").compatible
    assert _refuted(SCOPED, new, ["root", "schema", "name", "kids"]) is None
    forward = compare(SCOPED, new, "forward")
    assert not forward.compatible
    assert_witnesses_hold(SCOPED, new, forward)


def test_scoped_near_misses_are_never_proven_locally() -> None:
    # reached through a $ref under not
    negated = _set(SCOPED, ["properties", "bad"], {"not": {"$ref": "node"}})
    assert not monotone_at(_doc(negated), "/$defs/node/properties/name")
    # a change that adds an $id: the relative ref "#/$defs/kids" outside it now resolves elsewhere
    moved = _set(SCOPED, ["$defs", "node", "properties", "kids", "$id"], "other")
    assert included_at(_doc(SCOPED), _doc(moved), "/$defs/node/properties/kids", False) is not True
    # the name made optional where the document names it relative to another $id: a break, witnessed
    wider = _set(SCOPED, ["$defs", "node", "properties", "name", "maxLength"], 9)
    report = compare(wider, SCOPED, "backward")
    assert not report.compatible
    assert_witnesses_hold(wider, SCOPED, report)
