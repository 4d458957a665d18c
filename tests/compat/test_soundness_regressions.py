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
    # found by reviewing the renamed-definition alignment (_rename) and the stepwise steps over definitions
    (
        "a rename under a $ref to the $defs map itself (member names read as keywords)",
        {"properties": {"p": {"$ref": "#/$defs/not"}}, "$ref": "#/$defs", "$defs": {"not": {"type": "integer"}}},
        {"properties": {"p": {"$ref": "#/$defs/n"}}, "$ref": "#/$defs", "$defs": {"n": {"type": "integer"}}},
        "forward",
    ),
    (
        "a rename through a %2F-encoded ref (decoded, then split) beside an ambiguous dynamic anchor",
        {"properties": {"p": {"$ref": "#/$defs/a%2F$defs%2Fb"}, "q": {"$dynamicRef": "#meta"}},
         "$defs": {"a/$defs/b": {"type": "string"}, "a": {"$defs": {"b": {"type": "integer"}}},
                   "m1": {"$dynamicAnchor": "meta"}, "m2": {"$dynamicAnchor": "meta"}}},
        {"properties": {"p": {"$ref": "#/$defs/c"}, "q": {"$dynamicRef": "#meta"}},
         "$defs": {"c": {"type": "string"}, "a": {"$defs": {"b": {"type": "integer"}}},
                   "m1": {"$dynamicAnchor": "meta"}, "m2": {"$dynamicAnchor": "meta"}}},
        "full",
    ),
    (
        "a definition added under a $ref to the $defs map",
        {"$ref": "#/$defs", "$defs": {"x": {"type": "string"}}},
        {"$ref": "#/$defs", "$defs": {"x": {"type": "string"}, "not": {"type": "integer"}}},
        "backward",
    ),
    # the second review: maps that are no definitions, refs the table did not see, non-canonical indexes
    ("a property named $defs is no definitions map (its member renamed to a keyword)",
     {"properties": {"$defs": {"a": {"type": "integer"}}, "p": {"$ref": "#/properties/$defs/a"}}},
     {"properties": {"$defs": {"not": {"type": "integer"}}, "p": {"$ref": "#/properties/$defs/not"}}}, "backward"),
    ("a definition named $defs renamed inside, the map itself referenced",
     {"$defs": {"$defs": {"a": {"type": "integer"}}},
      "properties": {"p": {"$ref": "#/$defs/$defs/a"}, "q": {"$ref": "#/$defs/$defs"}}},
     {"$defs": {"$defs": {"not": {"type": "integer"}}},
      "properties": {"p": {"$ref": "#/$defs/$defs/not"}, "q": {"$ref": "#/$defs/$defs"}}}, "backward"),
    ("a definition added, the map referenced under a property named const",
     {"$defs": {"x": {}}, "properties": {"const": {"$ref": "#/$defs"}}},
     {"$defs": {"x": {}, "not": {"type": "integer"}}, "properties": {"const": {"$ref": "#/$defs"}}}, "backward"),
    ("a member dropped from a properties map referenced under a property named enum",
     {"allOf": [{"properties": {"properties": {"x": True}, "additionalProperties": False}}],
      "properties": {"enum": {"$ref": "#/allOf/0/properties"}}},
     {"allOf": [{"properties": {"additionalProperties": False}}],
      "properties": {"enum": {"$ref": "#/allOf/0/properties"}}}, "backward"),
    ("a definition removed, the map referenced through the index +0",
     {"allOf": [{"$defs": {"x": {}, "not": {"type": "integer"}}}], "properties": {"q": {"$ref": "#/allOf/+0/$defs"}}},
     {"allOf": [{"$defs": {"x": {}}}], "properties": {"q": {"$ref": "#/allOf/+0/$defs"}}}, "forward"),
    ("a member dropped from a properties map referenced through the index 00",
     {"allOf": [{"properties": {"properties": {"x": True}, "additionalProperties": False}}],
      "properties": {"q": {"$ref": "#/allOf/00/properties"}}},
     {"allOf": [{"properties": {"additionalProperties": False}}],
      "properties": {"q": {"$ref": "#/allOf/00/properties"}}}, "backward"),
    # the third review: a property named const is a schema; a ref to a map reads its members as keywords
    ("a nested $id under a property named const",
     {"properties": {"const": {"$id": "http://r/n", "$ref": "#/$defs/a", "$defs": {"a": {"type": "string"}}}},
      "$defs": {"a": {"type": "string"}}},
     {"properties": {"const": {"$id": "http://r/n", "$ref": "#/$defs/a", "$defs": {"a": {"type": "integer"}}}},
      "$defs": {"a": {"type": "string"}}}, "backward"),
    ("a ref to the $defs map, its member named properties changed",
     {"$ref": "#/$defs", "$defs": {"properties": {"x": {"type": "string"}}}},
     {"$ref": "#/$defs", "$defs": {"properties": {"x": {"type": "integer"}}}}, "full"),
    ("a ref to a properties map, its member named properties changed",
     {"properties": {"p": {"$ref": "#/$defs/a/properties"}},
      "$defs": {"a": {"properties": {"properties": {"y": True}}}}},
     {"properties": {"p": {"$ref": "#/$defs/a/properties"}},
      "$defs": {"a": {"properties": {"properties": {"y": False}}}}},
     "backward"),
    ("a ref to the $defs map written percent-encoded, its member named properties changed",
     {"properties": {"zz": {"$ref": "#/%24defs"}}, "$defs": {"properties": {"x": {"type": "string"}}}},
     {"properties": {"zz": {"$ref": "#/%24defs"}}, "$defs": {"properties": {"x": {"type": "integer"}}}}, "backward"),
]  # fmt: skip

# Breaking pairs the engine cannot witness yet: they must never be called compatible.
NOT_COMPATIBLE: list[tuple[str, Any, Any, str]] = [
    (
        "a plain $anchor named as an ambiguous dynamic anchor (no reading of the declarations proves it)",
        {"properties": {"a": {"$dynamicRef": "#meta"}},
         "$defs": {"pl": {"$anchor": "meta", "type": "array", "contains": {"const": 1}, "maxContains": 1},
                   "m1": {"$dynamicAnchor": "meta", "type": "object"},
                   "m2": {"$dynamicAnchor": "meta", "type": "object"}}},
        {"properties": {"a": {"$dynamicRef": "#meta"}},
         "$defs": {"pl": {"$anchor": "meta", "type": "array", "contains": {"enum": [1, 2]}, "maxContains": 1},
                   "m1": {"$dynamicAnchor": "meta", "type": "object"},
                   "m2": {"$dynamicAnchor": "meta", "type": "object"}}},
        "backward",
    ),
    (
        "a definition added beside unevaluatedProperties under a $ref to the $defs map",
        {"$ref": "#/$defs", "unevaluatedProperties": False, "properties": {"p": True},
         "$defs": {"x": {"type": "string"}}},
        {"$ref": "#/$defs", "unevaluatedProperties": False, "properties": {"p": True},
         "$defs": {"x": {"type": "string"}, "properties": {"q": True}}},
        "forward",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "old", "new", "mode"), NOT_COMPATIBLE, ids=[c[0] for c in NOT_COMPATIBLE])
def test_never_called_compatible(name: str, old: Any, new: Any, mode: str) -> None:
    report = compare(old, new, mode)  # type: ignore[arg-type]
    assert not report.compatible, report.findings
    assert_witnesses_hold(old, new, report)


def test_a_witness_of_a_renamed_document_holds_on_the_document_as_written() -> None:
    # The rename would read the $defs map's member "not" as a keyword no more: refused, and the pair (the
    # same instances backward) is compared as written, with no error whose witness the old one accepts not.
    old = {"$ref": "#/$defs", "properties": {"p": {"$ref": "#/$defs/not"}}, "$defs": {"not": {"type": "integer"}}}
    new = {"$ref": "#/$defs", "properties": {"p": {"$ref": "#/$defs/n"}}, "$defs": {"n": {"type": "integer"}},
           "anyOf": [{"type": "integer", "minimum": 5}, {"not": {"type": "integer"}}]}  # fmt: skip
    report = compare(old, new, "backward")
    assert_witnesses_hold(old, new, report)
    assert report.compatible, report.findings


def test_a_dynamic_ref_written_as_a_pointer_is_no_rename_to_follow() -> None:
    # _rename rewrites $ref only: a $dynamicRef pointing into the renamed definition refuses the renaming
    # (it compared a dangling document and blamed the old schema before).
    old = {"properties": {"p": {"$ref": "#/$defs/a"}, "q": {"$dynamicRef": "#/$defs/a"}},
           "$defs": {"a": {"type": "integer"}}}  # fmt: skip
    new = {"properties": {"p": {"$ref": "#/$defs/b"}, "q": {"$dynamicRef": "#/$defs/b"}},
           "$defs": {"b": {"type": "integer"}}}  # fmt: skip
    for mode in ("backward", "forward"):
        assert compare(old, new, mode).compatible  # type: ignore[arg-type]


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
