"""Which change a break is blamed on: changes masked by another break, and renamed definitions."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold, ids


def test_a_break_masked_by_another_is_still_named() -> None:
    # Every old instance already fails the new `a: string`, so no witness breaks *only* because `b`
    # became required; it is still a breaking change of its own and must be named.
    old = {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "string"}}, "required": ["a"]}
    new = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "required": ["a", "b"]}
    report = compare(old, new, "backward")
    assert ids(report) == {"type-changed", "property-became-required"}
    assert_witnesses_hold(old, new, report)
    (req,) = [f for f in report.findings if f.rule_id == "property-became-required"]
    assert req.witness is not None
    # ...and its witness breaks under that change alone: old with just `b` required rejects it.
    alone: dict[str, Any] = {**old, "required": ["a", "b"]}
    assert jsonschema_rs.validator_for(old).is_valid(req.witness.instance)
    assert not jsonschema_rs.validator_for(alone).is_valid(req.witness.instance)


def test_a_change_with_no_effect_of_its_own_is_not_blamed() -> None:
    # `minimum` is dropped where the type moves from number to object: a new instance (an object)
    # is rejected by the old type, never by the old minimum, so only the type change is named.
    old = {"type": "object", "properties": {"p": {"type": "number", "minimum": 0}}, "required": ["p"]}
    new = {"type": "object", "properties": {"p": {"type": "object"}}, "required": ["p"]}
    report = compare(old, new, "forward")
    assert ids(report) == {"type-changed"}
    assert_witnesses_hold(old, new, report)


def test_renamed_definitions_are_compared_by_content() -> None:
    old = {"$defs": {"a": {"type": "string", "maxLength": 5}}, "$ref": "#/$defs/a"}
    same = {"$defs": {"b": {"type": "string", "maxLength": 5}}, "$ref": "#/$defs/b"}
    assert compare(old, same, "full").findings == ()
    narrower = {"$defs": {"b": {"type": "string", "maxLength": 3}}, "$ref": "#/$defs/b"}
    report = compare(old, narrower, "backward")
    assert [(f.rule_id, f.old_pointer, f.new_pointer) for f in report.findings] == [
        ("max-length-decreased", "/$defs/a/maxLength", "/$defs/b/maxLength")
    ]
    assert_witnesses_hold(old, narrower, report)


def test_renamed_recursive_definitions_terminate() -> None:
    def tree(name: str, **extra: Any) -> dict[str, Any]:
        node = {"type": "object", "properties": {"next": {"$ref": f"#/$defs/{name}"}, "v": {"type": "integer"}}}
        return {"$defs": {name: {**node, **extra}}, "$ref": f"#/$defs/{name}"}

    old, new = tree("n"), tree("m", required=["v"])
    report = compare(old, new, "full")
    assert ids(report) == {"property-became-required"}
    assert_witnesses_hold(old, new, report)


def test_refs_under_nested_ids_are_paired_once_the_rename_is_proven() -> None:
    # a nested $id may change what a ref means, so the walk does not pair the targets by pointer; the
    # renaming is proven harmless first (every ref of the old document resolves, in its scoped reading, to
    # the same place renamed: _rename), and the change is then named where it is
    old = {"$defs": {"a": {"$id": "urn:a", "type": "string"}}, "$ref": "#/$defs/a"}
    new = {"$defs": {"b": {"$id": "urn:b", "type": "integer"}}, "$ref": "#/$defs/b"}
    report = compare(old, new, "backward")
    assert [(f.rule_id, f.old_pointer, f.new_pointer) for f in report.findings] == [
        ("annotation-changed", "/$defs/a/$id", "/$defs/b/$id"),
        ("type-changed", "/$defs/a/type", "/$defs/b/type"),
    ]
    assert_witnesses_hold(old, new, report)


@pytest.mark.parametrize("home", ["$defs", "definitions", "properties"])
def test_an_added_ref_is_not_blamed_through_what_it_points_to_in_the_old_schema(home: str) -> None:
    # The new $ref points at an empty schema in the new document, so it breaks nothing by itself; read
    # in the old document (where the same pointer holds an integer schema) it would seem to.
    def doc(target: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
        props: dict[str, Any] = {"p": p}
        d: dict[str, Any] = {"type": "object", "properties": props}
        if home == "properties":
            props["x"] = target
        else:
            d[home] = {"x": target}
        return d

    old = doc({"type": "integer"}, {"type": "string"})
    new = doc({}, {"type": "string", "$ref": f"#/{home}/x", "maxLength": 1})
    report = compare(old, new, "backward")
    assert ids(report) == {"max-length-added"}
    assert_witnesses_hold(old, new, report)


def test_a_bound_is_blamed_alone_when_both_forms_are_present() -> None:
    # minimum 0 -> 5 keeps accepting 11; exclusiveMinimum 10 -> 20 is what rejects it
    old = {"type": "number", "minimum": 0, "exclusiveMinimum": 10}
    new = {"type": "number", "minimum": 5, "exclusiveMinimum": 20}
    report = compare(old, new, "backward")
    assert [(f.rule_id, f.new_pointer) for f in report.findings] == [("minimum-increased", "/exclusiveMinimum")]
    assert_witnesses_hold(old, new, report)


@pytest.mark.parametrize("depth", [4, 8])
@pytest.mark.parametrize("required", [True, False])
def test_a_change_deep_in_a_chain_of_definitions_is_named(depth: int, required: bool) -> None:
    # d0 -> d1 -> ... -> d{depth-1}: the witness needs a valid parent at every level
    def schema(max_length: int) -> dict[str, Any]:
        defs: dict[str, Any] = {}
        for i in range(depth):
            last = i == depth - 1
            props: dict[str, Any] = {"name": {"type": "string", "maxLength": max_length if last else 50}}
            if not last:
                props["next"] = {"$ref": f"#/$defs/d{i + 1}"}
            req = ["name", "next"] if required and not last else ["name"]
            defs[f"d{i}"] = {"type": "object", "properties": props, "required": req}
        return {"$defs": defs, "$ref": "#/$defs/d0"}

    old, new = schema(50), schema(20)
    report = compare(old, new, "backward")
    assert [(f.rule_id, f.new_pointer) for f in report.findings] == [
        ("max-length-decreased", f"/$defs/d{depth - 1}/properties/name/maxLength")
    ]
    assert_witnesses_hold(old, new, report)
