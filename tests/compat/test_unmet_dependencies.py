"""A member swapped to a ``$ref`` whose object schema (reached through its branches) has a ``dependentRequired``
the source's object lacks: the witness holds the dependent name without the names it needs.

OpenAPI 2.0's ``additionalProperties`` moved between its own schema object and the draft-04 meta-schema,
whose ``exclusiveMaximum`` needs ``maximum``.
"""

from __future__ import annotations

from typing import Any

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold

# many members before the dependent one: the source's samples of single members never reach it
OTHERS = {f"p{i}": {"type": "string"} for i in range(30)}
DEFS: dict[str, Any] = {
    "mine": {
        "type": "object",
        "properties": {**OTHERS, "lo": {"type": "boolean"}, "hi": {"type": "number"}, "sub": {"$ref": "#/$defs/mine"}},
        "additionalProperties": False,
    },
    "meta": {
        "type": "object",
        "properties": {"lo": {"type": "boolean"}, "hi": {"type": "number"}, "sub": {"$ref": "#/$defs/meta"}},
        "dependentRequired": {"lo": ["hi"]},
    },
    "member": {"anyOf": [{"type": "boolean"}, {"$ref": "#/$defs/meta"}]},
}


def _doc(member: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {"s": member}, "$defs": DEFS}


OLD = _doc({"anyOf": [{"$ref": "#/$defs/mine"}, {"type": "boolean"}]})
NEW = _doc({"$ref": "#/$defs/member"})


def test_dependent_name_without_its_needs_is_the_witness() -> None:
    r = compare(OLD, NEW, "backward")
    errors = [f for f in r.findings if f.severity == "error"]
    assert errors, r.findings
    assert_witnesses_hold(OLD, NEW, r)
    w = errors[0].witness
    assert w is not None and "lo" in w.instance["s"] and "hi" not in w.instance["s"]


def test_the_dependency_met_by_the_source_is_no_break() -> None:
    # the source's object needs hi with lo too: no instance lacks it
    defs = {**DEFS, "mine": {**DEFS["mine"], "dependentRequired": {"lo": ["hi"]}}}
    old = {**OLD, "$defs": defs}
    new = {**NEW, "$defs": defs}
    r = compare(old, new, "backward")
    assert not any(f.severity == "error" for f in r.findings), r.findings
