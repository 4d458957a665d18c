"""Ordinary breaks are decided with a witness (the repros of issue 12), and every change is reported.

Each case names the change the issue describes; the witness must hold under the real validator.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold, ids

S = {"type": "string"}


def _deep(leaf: Any, depth: int = 4) -> Any:
    node = leaf
    for name in reversed("abcd"[:depth]):
        node = {"type": "object", "properties": {name: node, "id": {**S, "minLength": 2}}, "required": ["id"]}
    return node


def _without(schema: Any, name: str) -> Any:
    out = copy.deepcopy(schema)
    del out["properties"][name]
    return out


CLOSED = {
    "type": "object",
    "properties": {"a": {**S, "minLength": 1}, "b": S, "x": S},
    "required": ["a"],
    "additionalProperties": False,
}
LINE = {
    "type": "object",
    "properties": {
        "sku": {**S, "pattern": "^[A-Z]{3}-[0-9]+$"},
        "email": {**S, "format": "email", "maxLength": 254},
        "qty": {"type": "integer", "minimum": 1},
        "note": {**S, "maxLength": 20},
    },
    "required": ["sku", "email", "qty"],
    "additionalProperties": False,
}
MAP = {"type": "object", "additionalProperties": {**S, "minLength": 1}}

CASES: list[tuple[str, Any, Any, str, set[str]]] = [
    ("closed object minus optional x with a minLength sibling", CLOSED, _without(CLOSED, "x"), "backward",
     {"property-removed"}),
    ("maxLength 254 -> 100 on an email", {**S, "format": "email", "maxLength": 254},
     {**S, "format": "email", "maxLength": 100}, "backward", {"max-length-decreased"}),
    ("email pattern requires a dot", {**S, "pattern": "^[^@]+@[^@]+$"}, {**S, "pattern": "^[^@]+@[^@]+\\.[a-z]+$"},
     "backward", {"pattern-changed"}),
    ("optional property removed from a closed object with required siblings", LINE, _without(LINE, "note"),
     "backward", {"property-removed"}),
    ("a map gains maxProperties", MAP, {**MAP, "maxProperties": 3}, "backward", {"max-properties-added"}),
    ("a map gains a propertyNames pattern", MAP, {**MAP, "propertyNames": {"pattern": "^[a-z]+$"}}, "backward",
     {"property-names-changed"}),
    ("maxItems raised on items with required, patterned fields (forward)",
     {"type": "array", "items": LINE, "maxItems": 2}, {"type": "array", "items": LINE, "maxItems": 5}, "forward",
     {"max-items-increased"}),
    ("a nested maxLength raised (forward)", _deep({**S, "format": "email", "maxLength": 40}, 3),
     _deep({**S, "format": "email", "maxLength": 80}, 3), "forward", {"max-length-increased"}),
    ("integer -> number four levels deep (forward)", _deep({"type": "integer"}), _deep({"type": "number"}), "forward",
     {"type-widened"}),
    ("an optional property added where additionalProperties was a schema",
     {"type": "object", "properties": {"a": S}, "additionalProperties": {"type": ["string", "null"]}},
     {"type": "object", "properties": {"a": S, "n": {"type": "integer"}},
      "additionalProperties": {"type": ["string", "null"]}}, "backward", {"property-added"}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "old", "new", "mode", "expected"), CASES, ids=[c[0] for c in CASES])
def test_ordinary_breaks_come_with_a_witness(name: str, old: Any, new: Any, mode: str, expected: set[str]) -> None:
    report = compare(old, new, mode)  # type: ignore[arg-type]
    assert ids(report) == expected, report.findings
    assert all(f.witness is not None for f in report.findings), report.findings
    assert_witnesses_hold(old, new, report)


def test_the_witness_for_a_removed_property_keeps_its_siblings_valid() -> None:
    report = compare(CLOSED, _without(CLOSED, "x"), "backward")
    assert [f.witness.instance for f in report.findings if f.witness] == [{"a": "a", "x": ""}]


def test_the_witness_for_a_tightened_pattern_is_a_plain_address() -> None:
    report = compare({**S, "pattern": "^[^@]+@[^@]+$"}, {**S, "pattern": "^[^@]+@[^@]+\\.[a-z]+$"}, "backward")
    (f,) = report.findings
    assert f.witness is not None and f.witness.instance == "a@a"


def test_a_property_added_with_two_types_is_witnessed_by_null() -> None:
    old = {"type": "object", "properties": {"target": S}, "additionalProperties": {"type": ["string", "null"]}}
    new = copy.deepcopy(old)
    new["properties"]["esnext"] = {"type": ["string", "object"]}
    report = compare(old, new, "backward")
    assert [(f.rule_id, f.witness.instance if f.witness else None) for f in report.findings] == [
        ("property-added", {"esnext": None})
    ]


def test_a_proven_break_does_not_hide_the_other_changes_of_the_schema() -> None:
    # one edit removes `coupon` (closed object) and tightens `customer_email`: both are reported
    old = {
        "type": "object",
        "properties": {"customer_email": {**S, "format": "email", "maxLength": 254}, "coupon": S},
        "additionalProperties": False,
    }
    new = {"type": "object", "properties": {"customer_email": {**S, "format": "email", "maxLength": 100}},
           "additionalProperties": False}  # fmt: skip
    report = compare(old, new, "backward")
    assert ids(report) == {"property-removed", "max-length-decreased"}
    assert all(f.witness is not None for f in report.findings)
    assert_witnesses_hold(old, new, report)


def test_an_undecided_change_is_named_next_to_a_proven_break() -> None:
    # \d reads differently across regex dialects (Unicode digits in Python): no proof rests on \d ⊆ [0-9],
    # and no witness exists for the validator (ASCII digits)
    old = {"type": "object", "properties": {"code": {**S, "pattern": "^\\d+$"}, "coupon": S},
           "additionalProperties": False}  # fmt: skip
    new = {"type": "object", "properties": {"code": {**S, "pattern": "^[0-9]+$"}}, "additionalProperties": False}
    report = compare(old, new, "backward")
    assert ids(report) == {"property-removed", "undecided"}
    (undecided,) = [f for f in report.findings if f.rule_id == "undecided"]
    assert "pattern-changed" in undecided.message and undecided.new_pointer == "/properties/code/pattern"
