"""Fixture pairs with exact-set assertions on the rule ids each emits."""

from __future__ import annotations

from typing import Any

import pytest

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold, ids

OBJ: dict[str, Any] = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "qty": {"type": "integer", "minimum": 1, "maximum": 99}},
    "required": ["id"],
    "additionalProperties": False,
}


def _with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = dict(base)
    out.update(changes)
    return out


CARD = {"type": "object", "properties": {"kind": {"const": "card"}, "last4": {"type": "string"}}, "required": ["kind"]}
BANK = {"type": "object", "properties": {"kind": {"const": "bank"}}, "required": ["kind"]}
WALLET = {"type": "object", "properties": {"kind": {"const": "wallet"}}, "required": ["kind"]}

CASES: list[tuple[str, Any, Any, str, set[str]]] = [
    ("tagged union gains a variant", {"oneOf": [CARD, BANK]}, {"oneOf": [CARD, BANK, WALLET]}, "backward", set()),
    (
        "tagged union gains a variant, forward",
        {"oneOf": [CARD, BANK]},
        {"oneOf": [CARD, BANK, WALLET]},
        "forward",
        {"one-of-branch-added"},
    ),
    (
        "integer range split into anyOf",
        {"type": "integer", "minimum": 0, "maximum": 100},
        {
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": 50},
                {"type": "integer", "minimum": 51, "maximum": 100},
            ]
        },
        "full",
        set(),
    ),
    (
        "maxLength added to a date-time",
        {"type": "string", "format": "date-time"},
        {"type": "string", "format": "date-time", "maxLength": 32},
        "backward",
        {"max-length-added"},
    ),
    (
        "currency code may grow to 4 letters",
        {"type": "string", "pattern": "^[A-Z]{3}$"},
        {"type": "string", "pattern": "^[A-Z]{3,4}$"},
        "full",
        {"pattern-changed"},
    ),
    (
        "pattern widened",
        {"type": "string", "pattern": "^[a-z]+$"},
        {"type": "string", "pattern": "^[a-z0-9]+$"},
        "backward",
        set(),
    ),
    (
        "pattern widened, forward",
        {"type": "string", "pattern": "^[a-z]+$"},
        {"type": "string", "pattern": "^[a-z0-9]+$"},
        "forward",
        {"pattern-changed"},
    ),
    (
        "long enum, one value added",
        {"enum": [f"C{i:03d}" for i in range(300)]},
        {"enum": [f"C{i:03d}" for i in range(301)]},
        "full",
        {"enum-value-added"},
    ),
    ("identical", OBJ, OBJ, "full", set()),
    ("description only", OBJ, _with(OBJ, description="x"), "full", {"annotation-changed"}),
    ("qty required", OBJ, _with(OBJ, required=["id", "qty"]), "backward", {"property-became-required"}),
    ("qty required is fine forward", OBJ, _with(OBJ, required=["id", "qty"]), "forward", set()),
    ("id optional", OBJ, _with(OBJ, required=[]), "forward", {"property-became-optional"}),
    (
        "max lowered",
        OBJ,
        _with(OBJ, properties={**OBJ["properties"], "qty": {"type": "integer", "minimum": 1, "maximum": 10}}),
        "backward",
        {"maximum-decreased"},
    ),
    (
        "both bounds tightened",
        OBJ,
        _with(OBJ, properties={**OBJ["properties"], "qty": {"type": "integer", "minimum": 2, "maximum": 10}}),
        "backward",
        {"maximum-decreased", "minimum-increased"},
    ),
    (
        "new optional property in a closed object",
        OBJ,
        _with(OBJ, properties={**OBJ["properties"], "note": {"type": "string"}}),
        "full",
        {"property-added"},
    ),
    ("closed -> open", OBJ, {k: v for k, v in OBJ.items() if k != "additionalProperties"}, "backward", set()),
    (
        "closed -> open forward",
        OBJ,
        {k: v for k, v in OBJ.items() if k != "additionalProperties"},
        "forward",
        {"additional-properties-widened"},
    ),
    ("nullable added", {"type": "string"}, {"type": ["string", "null"]}, "full", {"type-widened"}),
    ("integer -> number", {"type": "integer"}, {"type": "number"}, "backward", set()),
    ("number -> integer", {"type": "number"}, {"type": "integer"}, "backward", {"type-narrowed"}),
    ("enum narrowed", {"enum": ["a", "b", "c"]}, {"enum": ["a", "b"]}, "full", {"enum-value-removed"}),
    ("format added", {"type": "string"}, {"type": "string", "format": "uuid"}, "backward", {"format-added"}),
    (
        "format as annotation",
        {"type": "string"},
        {"type": "string", "format": "uuid"},
        "backward",
        {"format-annotation-changed"},
    ),
    (
        "exclusive bound equivalent",
        {"type": "integer", "maximum": 9},
        {"type": "integer", "exclusiveMaximum": 10},
        "full",
        set(),
    ),
    (
        "anyOf broadened",
        {"anyOf": [{"type": "string"}]},
        {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        "backward",
        set(),
    ),
    ("boolean schema true -> false", True, False, "backward", {"schema-became-false"}),
    (
        "recursive ref unchanged",
        {"$defs": {"n": {"type": "object", "properties": {"next": {"$ref": "#/$defs/n"}}}}, "$ref": "#/$defs/n"},
        {"$defs": {"n": {"type": "object", "properties": {"next": {"$ref": "#/$defs/n"}}}}, "$ref": "#/$defs/n"},
        "full",
        set(),
    ),
    (
        "recursive ref narrowed deep",
        {
            "$defs": {"n": {"type": "object", "properties": {"v": {"type": "number"}, "next": {"$ref": "#/$defs/n"}}}},
            "$ref": "#/$defs/n",
        },
        {
            "$defs": {"n": {"type": "object", "properties": {"v": {"type": "integer"}, "next": {"$ref": "#/$defs/n"}}}},
            "$ref": "#/$defs/n",
        },
        "backward",
        {"type-narrowed"},
    ),
    (
        "recursive ref widened is backward compatible",
        {
            "$defs": {"n": {"type": "object", "properties": {"v": {"type": "integer"}, "next": {"$ref": "#/$defs/n"}}}},
            "$ref": "#/$defs/n",
        },
        {
            "$defs": {"n": {"type": "object", "properties": {"v": {"type": "number"}, "next": {"$ref": "#/$defs/n"}}}},
            "$ref": "#/$defs/n",
        },
        "backward",
        set(),
    ),
    (
        "pattern change undecided",
        {"type": "string", "pattern": "^\\d+$"},
        {"type": "string", "pattern": "^[0-9]+$"},
        "backward",
        {"undecided"},
    ),
    (
        "uniqueItems added",
        {"type": "array"},
        {"type": "array", "uniqueItems": True},
        "backward",
        {"unique-items-added"},
    ),
    (
        "if/then added",
        {"type": "object"},
        {"type": "object", "if": {"required": ["a"]}, "then": {"required": ["b"]}},
        "backward",
        {"conditional-changed"},
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "mode", "expected"), CASES, ids=[c[0] for c in CASES])
def test_exact_rule_set(name: str, old: Any, new: Any, mode: str, expected: set[str]) -> None:
    fa = name != "format as annotation"
    report = compare(old, new, mode, format_assertion=fa)  # type: ignore[arg-type]
    assert ids(report) == expected
    assert_witnesses_hold(old, new, report, fa)
    blocking = expected - {"annotation-changed", "format-annotation-changed", "deprecated-changed"}
    assert report.compatible == (not blocking)
