"""Pairs that once fooled the prover (found by differential fuzzing against the validator).

Each must be reported as breaking, with a witness the validator confirms.
"""

from __future__ import annotations

from typing import Any

import pytest

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold

BREAKING: list[tuple[str, Any, Any, str]] = [
    (
        "overlapping patternProperties in a closed object",
        {"type": "object", "patternProperties": {"^x": {"type": "string"}, "x$": {"type": "integer"}},
         "additionalProperties": False},
        {"type": "object", "patternProperties": {"^x": {"type": "string"}}, "additionalProperties": False},
        "forward",
    ),
    ("min == max bounds only constrain numbers", {"minimum": 4, "maximum": 4},
     {"type": "number", "minimum": 4, "maximum": 4}, "backward"),
    (
        "required does not reject non-objects (oneOf disjointness)",
        {"type": "string", "oneOf": [{"minLength": 2}, {"maxLength": 4}]},
        {"oneOf": [{"properties": {"bar": {"type": "integer"}}, "required": ["bar"]},
                   {"properties": {"foo": {"type": "string"}}, "required": ["foo"]}]},
        "backward",
    ),
    (
        "required does not reject non-objects (not)",
        {"not": {"anyOf": [{"type": "integer"}, {"minimum": 2}]}},
        {"not": {"anyOf": [{"properties": {"bar": {"type": "integer"}}, "required": ["bar"]},
                           {"properties": {"foo": {"type": "string"}}, "required": ["foo"]}]}},
        "backward",
    ),
    (
        "splitting anyOf out of a schema with unevaluatedProperties",
        {"allOf": [{"type": "object", "properties": {"foo": {"type": "string"}},
                    "anyOf": [{"required": ["bar"]}, {"properties": {"baz": {"const": "baz"}}, "required": ["baz"]}],
                    "unevaluatedProperties": False},
                   {"not": {"type": "object", "properties": {"foo": {"type": "string"}},
                            "unevaluatedProperties": False}}]},
        False,
        "backward",
    ),
    (
        "identical $dynamicRef text, different dynamic targets",
        {"$id": "https://example.com/root", "type": "array", "items": {"$dynamicRef": "#items"},
         "$defs": {"foo": {"$dynamicAnchor": "items"}}},
        {"$id": "https://example.com/root", "type": "array", "items": {"$dynamicRef": "#items"},
         "$defs": {"foo": {"$dynamicAnchor": "items", "type": "string"}}},
        "backward",
    ),
    (
        "ref-renamed definitions under not",
        {"not": {"$ref": "#/$defs/x"}, "$defs": {"x": {"type": "string"}}},
        {"not": {"$ref": "#/$defs/x"}, "$defs": {"x": {"type": ["string", "integer"]}}},
        "backward",
    ),
    ("const 0 is not const false", {"const": 0}, {"const": False}, "backward"),
    # Definitions kept under a keyword 2020-12 does not know (OpenAPI-style `components`, `x-defs`) are still
    # applied through the $refs that reach them: a change there is not an annotation.
    ("a $ref into an unknown keyword", {"$ref": "#/x-defs/a", "x-defs": {"a": {"type": "string"}}},
     {"$ref": "#/x-defs/a", "x-defs": {"a": {"type": "string", "maxLength": 3}}}, "backward"),
    (
        "components reached from a property",
        {"type": "object", "properties": {"p": {"$ref": "#/components/schemas/A"}},
         "components": {"schemas": {"A": {"type": "string"}}}},
        {"type": "object", "properties": {"p": {"$ref": "#/components/schemas/A"}},
         "components": {"schemas": {"A": {"type": "integer"}}}},
        "backward",
    ),
    ("a $ref into an array under an unknown keyword", {"anyOf": [{"$ref": "#/x/0"}], "x": [{"type": "string"}]},
     {"anyOf": [{"$ref": "#/x/0"}], "x": [{"type": "integer"}]}, "forward"),
    # A local proof at a definition covers its uses through refs to it, not a ref elsewhere that applies a
    # part of it on its own (here under `not`, where widening the part narrows the whole).
    (
        "a part of a definition used on its own under not (widened)",
        {"$defs": {"A": {"properties": {"x": {"type": "string"}}}},
         "properties": {"a": {"$ref": "#/$defs/A"}, "b": {"not": {"$ref": "#/$defs/A/properties/x"}}}},
        {"$defs": {"A": {"properties": {"x": {"type": ["string", "integer"]}}}},
         "properties": {"a": {"$ref": "#/$defs/A"}, "b": {"not": {"$ref": "#/$defs/A/properties/x"}}}},
        "backward",
    ),
    (
        "a part of a definition used on its own under not (a bound dropped)",
        {"$defs": {"A": {"properties": {"x": {"type": "string", "maxLength": 3}}}},
         "properties": {"a": {"$ref": "#/$defs/A"}, "b": {"not": {"$ref": "#/$defs/A/properties/x"}}}},
        {"$defs": {"A": {"properties": {"x": {"type": "string"}}}},
         "properties": {"a": {"$ref": "#/$defs/A"}, "b": {"not": {"$ref": "#/$defs/A/properties/x"}}}},
        "backward",
    ),
    (
        "the same relative $ref text under two different $ids",
        {"allOf": [{"$id": "http://e/1/", "allOf": [{"allOf": [{"$ref": "t"}]}],
                    "$defs": {"t": {"$id": "http://e/1/t", "type": "string"}}},
                   {"$id": "http://e/2/", "not": {"allOf": [{"$ref": "t"}]},
                    "$defs": {"t": {"$id": "http://e/2/t", "type": "integer"}}}]},
        {"type": "integer"},
        "backward",
    ),
    (
        "a nested $id changed: its relative $ref now names another subschema",
        {"$ref": "#/$defs/a",
         "$defs": {"a": {"$id": "http://e/a/", "properties": {"x": {"$ref": "t"}},
                         "$defs": {"t": {"$id": "http://e/a/t", "type": "string"}}},
                   "t2": {"$id": "http://e/b/t", "type": "integer"}}},
        {"$ref": "#/$defs/a",
         "$defs": {"a": {"$id": "http://e/b/", "properties": {"x": {"$ref": "t"}},
                         "$defs": {"t": {"$id": "http://e/a/t", "type": "string"}}},
                   "t2": {"$id": "http://e/b/t", "type": "integer"}}},
        "backward",
    ),
    (
        "a property named with a percent sign is validated at its own pointer, percent-encoded",
        {"properties": {"a%25b": {"enum": ["x"]}, "a%b": {"type": "string"}}},
        {"properties": {"a%25b": {"type": "integer"}, "a%b": {"type": "string"}}},
        "backward",
    ),
    (
        "a member dropped from an allOf member under unevaluatedProperties (stepwise removal)",
        {"type": "object", "allOf": [{"properties": {"a": {"type": "string"}}}], "unevaluatedProperties": False},
        {"type": "object", "allOf": [{"properties": {}}], "unevaluatedProperties": False},
        "backward",
    ),
    (
        "a member dropped from an anyOf member under unevaluatedProperties",
        {"type": "object", "anyOf": [{"properties": {"a": {"type": "string"}}}], "unevaluatedProperties": False},
        {"type": "object", "anyOf": [{"properties": {}}], "unevaluatedProperties": False},
        "backward",
    ),
    (
        "a member dropped from a definition a scoped $ref applies beside unevaluatedProperties",
        {"$id": "http://e.com/r", "$defs": {"A": {"$id": "a", "properties": {"a": {"type": "string"}}}},
         "type": "object", "properties": {"m": {"$ref": "a", "unevaluatedProperties": False}}},
        {"$id": "http://e.com/r", "$defs": {"A": {"$id": "a", "properties": {}}},
         "type": "object", "properties": {"m": {"$ref": "a", "unevaluatedProperties": False}}},
        "backward",
    ),
    (
        "the root's own $ref applies the changed definition: the root's unevaluatedProperties reads it",
        {"$defs": {"A": {"properties": {"a": {"type": "string"}}}}, "type": "object", "$ref": "#/$defs/A",
         "unevaluatedProperties": False},
        {"$defs": {"A": {"minProperties": 0}}, "type": "object", "$ref": "#/$defs/A", "unevaluatedProperties": False},
        "backward",
    ),
    (
        "the root's own $ref applies the changed definition (forward, a member renamed)",
        {"$defs": {"A": {"properties": {"b": True}}}, "type": "object", "$ref": "#/$defs/A",
         "unevaluatedProperties": False},
        {"$defs": {"A": {"properties": {"a": {"type": "string"}}}}, "type": "object", "$ref": "#/$defs/A",
         "unevaluatedProperties": False},
        "forward",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "old", "new", "mode"), BREAKING, ids=[c[0] for c in BREAKING])
def test_reported_breaking_with_a_witness(name: str, old: Any, new: Any, mode: str) -> None:
    report = compare(old, new, mode)  # type: ignore[arg-type]
    assert not report.compatible
    assert any(f.severity == "error" for f in report.findings), report.findings
    assert_witnesses_hold(old, new, report)


def test_recursive_schemas_terminate() -> None:
    value = {"$defs": {"V": {"anyOf": [{"$ref": "#/$defs/V"}, {"type": "string"}]}}, "$ref": "#/$defs/V"}
    narrowed = {"$defs": {"V": {"anyOf": [{"$ref": "#/$defs/V", "maximum": 3}, {"type": "string"}]}},
                "$ref": "#/$defs/V"}  # fmt: skip
    for mode in ("backward", "forward"):
        compare(value, narrowed, mode)  # must not recurse forever
