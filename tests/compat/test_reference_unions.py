"""OpenAPI 3.0's ``oneOf: [Reference, X]`` unions: telling the branches apart by the ``$ref`` member.

Reference requires ``$ref`` as a string (declared through ``patternProperties: {"^\\$ref$": ...}``); the
objects beside it are closed but for ``^x-`` extensions (``additionalProperties: false``: no ``$ref``
member at all) or map every other member to an object (Callback: ``additionalProperties`` a path item).
Either way no instance matches both, so a change that widens X widens the ``oneOf`` (``_oneof``). Near
misses: an X that admits a ``$ref`` string (a pattern matching ``$ref``, a map to anything) is never
proven disjoint, and a widening that makes X accept what Reference accepts is a witnessed break.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contractkit.compat import compare
from contractkit.compat._doc import Doc
from contractkit.compat._prove import Node, Prover
from contractkit.compat._prove.disjoint import disjoint
from contractkit.compat._prove.objects import forbids
from tests.compat._util import assert_witnesses_hold

REFERENCE = {"type": "object", "required": ["$ref"], "patternProperties": {"^\\$ref$": {"type": "string"}}}
SPEC: dict[str, Any] = {
    "$defs": {
        "Reference": REFERENCE,
        "PathItem": {
            "type": "object",
            "properties": {"summary": {"type": "string"}},
            "patternProperties": {"^x-": {}},
            "additionalProperties": False,
        },
        "Callback": {
            "type": "object",
            "additionalProperties": {"$ref": "#/$defs/PathItem"},
            "patternProperties": {"^x-": {}},
        },
        "Example": {
            "type": "object",
            "properties": {"value": {}},
            "patternProperties": {"^x-": {}},
            "additionalProperties": False,
        },
    },
    "type": "object",
    "properties": {
        "callbacks": {
            "type": "object",
            "additionalProperties": {"oneOf": [{"$ref": "#/$defs/Reference"}, {"$ref": "#/$defs/Callback"}]},
        },
        "examples": {
            "type": "object",
            "additionalProperties": {"oneOf": [{"$ref": "#/$defs/Example"}, {"$ref": "#/$defs/Reference"}]},
        },
    },
}


def _disjoint(a: Any, x: Any) -> bool:
    doc = Doc({"$defs": {"a": a, "x": x}}, format_assertion=False)
    return disjoint(Prover(False), [Node(a, "/$defs/a", doc)], Node(x, "/$defs/x", doc))


def test_a_closed_object_forbids_a_member_no_pattern_matches() -> None:
    closed = SPEC["$defs"]["Example"]
    assert forbids(closed, "$ref")
    assert not forbids(closed, "x-ref")  # ^x- matches it
    assert not forbids({**closed, "patternProperties": {"ref": {}}}, "$ref")  # an unanchored pattern matches
    assert not forbids({**closed, "properties": {"$ref": {"type": "string"}}}, "$ref")
    assert _disjoint(closed, REFERENCE)


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        ({"type": "object", "additionalProperties": {"type": "object"}}, True),
        ({"type": "object", "additionalProperties": {}}, False),  # a $ref string is a member like any other
        ({"type": "object", "additionalProperties": {"type": ["object", "string"]}}, False),
        ({"type": "object", "patternProperties": {"^\\$": {"type": "integer"}}}, True),
        ({"additionalProperties": {"type": "object"}}, True),  # not object-only: A (Reference) is
    ],
    ids=["map to objects", "map to anything", "map to objects or strings", "pattern to integers", "untyped map"],
)
def test_a_member_one_side_requires_and_both_constrain_disjointly(x: Any, expected: bool) -> None:
    assert _disjoint(REFERENCE, x) is expected


def test_a_path_item_widened_under_the_reference_union_is_compatible() -> None:
    new = copy.deepcopy(SPEC)
    new["$defs"]["PathItem"]["properties"]["description"] = {"type": "string"}
    new["$defs"]["Example"]["properties"]["summary"] = {"type": "string"}
    assert compare(SPEC, new, "backward").compatible
    forward = compare(SPEC, new, "forward")
    assert not forward.compatible
    assert_witnesses_hold(SPEC, new, forward)


def test_a_widening_that_makes_the_branches_overlap_is_a_break() -> None:
    new = copy.deepcopy(SPEC)
    new["$defs"]["PathItem"]["type"] = ["object", "string"]  # {"$ref": "x"} is now a callback too
    backward = compare(SPEC, new, "backward")
    assert not backward.compatible
    assert_witnesses_hold(SPEC, new, backward)


PARAMS: dict[str, Any] = {
    "$defs": {
        "body": {
            "type": "object",
            "required": ["name", "in"],
            "properties": {"name": {"type": "string"}, "in": {"const": "body"}},
            "additionalProperties": False,
        },
        "query": {
            "type": "object",
            "required": ["name", "in"],
            "properties": {"name": {"type": "string"}, "in": {"const": "query"}},
            "additionalProperties": False,
        },
        "parameter": {"oneOf": [{"$ref": "#/$defs/body"}, {"$ref": "#/$defs/query"}]},
        "jsonReference": {
            "type": "object",
            "required": ["$ref"],
            "properties": {"$ref": {"type": "string"}},
            "additionalProperties": False,
        },
    },
    "type": "array",
    "items": {"oneOf": [{"$ref": "#/$defs/parameter"}, {"$ref": "#/$defs/jsonReference"}]},
}


def _with_extensions(schema: Any) -> Any:
    new = copy.deepcopy(schema)
    new["$defs"]["body"]["patternProperties"] = {"^x-": {}}
    return new


def test_a_parameter_widened_beside_a_closed_json_reference_is_compatible() -> None:
    # Swagger 2.0's parametersList: every parameter requires "name", the closed jsonReference forbids it
    new = _with_extensions(PARAMS)
    assert compare(PARAMS, new, "backward").compatible
    forward = compare(PARAMS, new, "forward")
    assert not forward.compatible
    assert_witnesses_hold(PARAMS, new, forward)


def test_a_widening_that_admits_the_reference_member_beside_an_open_json_reference_is_a_break() -> None:
    # {"$ref": "a", "name": "n", "in": "body"} was a reference only; now it is a body too
    old = copy.deepcopy(PARAMS)
    del old["$defs"]["jsonReference"]["additionalProperties"]
    new = _with_extensions(old)
    assert compare(old, new, "backward").compatible  # x- members alone never make a reference a body
    new["$defs"]["body"]["patternProperties"] = {"^\\$|^x-": {}}
    backward = compare(old, new, "backward")
    assert not backward.compatible
    assert_witnesses_hold(old, new, backward)


def test_a_nested_parameter_union_is_disjoint_from_the_reference_it_cannot_name() -> None:
    # Swagger 2.0: parameter = oneOf [body, nonBody = oneOf [...]], each requiring "name"; the
    # jsonReference (reached through a $ref) forbids it
    spec = copy.deepcopy(PARAMS)
    spec["$defs"]["body"]["properties"]["$ref"] = {}  # a member a body may hold: only "name" tells them apart
    spec["$defs"]["query"] = {
        "type": "object",
        "required": ["name", "in"],
        "oneOf": [{"$ref": "#/$defs/q1"}, {"$ref": "#/$defs/q2"}],
    }
    spec["$defs"]["q1"] = {"properties": {"name": {}, "in": {"const": "query"}}, "additionalProperties": False}
    spec["$defs"]["q2"] = {"properties": {"name": {}, "in": {"const": "header"}}, "additionalProperties": False}
    doc = Doc(spec, format_assertion=False)
    a = Node({"$ref": "#/$defs/parameter"}, "/items/oneOf/0", doc)
    assert disjoint(Prover(False), [a], Node({"$ref": "#/$defs/jsonReference"}, "/items/oneOf/1", doc))
    # the near miss: an open reference, which {"$ref": "a", "name": "n", "in": "body"} matches too
    del spec["$defs"]["jsonReference"]["additionalProperties"]
    doc = Doc(spec, format_assertion=False)
    a = Node({"$ref": "#/$defs/parameter"}, "/items/oneOf/0", doc)
    assert not disjoint(Prover(False), [a], Node({"$ref": "#/$defs/jsonReference"}, "/items/oneOf/1", doc))
