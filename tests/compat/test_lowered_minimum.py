"""A lowered ``minItems`` inside a ``oneOf`` of a map's values is witnessed by a sample cut one short
of the old minimum (commitlint's rules: ``[level, applicable, value]`` with ``minItems`` 2 → 1)."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from contractkit.compat import compare


def _doc(min_items: int, min_length: int = 1) -> dict[str, Any]:
    rule = {
        "type": "array",
        "prefixItems": [{"type": "number", "enum": [0, 1, 2]}, {"type": "string", "enum": ["always", "never"]}, {}],
        "items": False,
        "minItems": min_items,
        "maxItems": 3,
    }
    return {
        "type": "object",
        "properties": {
            "rules": {"type": "object", "additionalProperties": {"$ref": "#/definitions/rule"}},
            "id": {"$ref": "#/definitions/id"},
        },
        "definitions": {
            "rule": {"oneOf": [rule, {"type": "string"}]},
            "id": {"type": "string", "minLength": min_length},
        },
    }


def test_a_lowered_min_items_is_witnessed() -> None:
    old, new = _doc(2), _doc(1)
    assert compare(old, new, "backward").compatible
    rep = compare(old, new, "forward")
    (f,) = [f for f in rep.findings if f.witness is not None]
    assert f.rule_id == "min-items-decreased"
    assert f.witness is not None
    inst = f.witness.instance
    assert jsonschema_rs.is_valid(new, inst) and not jsonschema_rs.is_valid(old, inst)
