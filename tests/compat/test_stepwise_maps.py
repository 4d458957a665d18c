"""Stepwise proofs through whole maps of definitions and through ``allOf`` members replaced at once.

* A bundled schema's ``$defs`` removed as a whole once its one used definition is inlined (dependabot's
  ``timezone``): the walk reports its definitions removed one by one, which leaves an empty ``$defs``
  (holding no schema) the chain now drops; forward, the map is created with its first definition.
* An ``allOf`` member rewritten as ``if``/``then``/``else`` (dependabot's ``schedule``, required unless a
  group is named): replaced at once, the member is an array element the chain now sets.

As in ``test_stepwise_shapes.py``, the documents carry an ``anyOf`` the whole-document proof cannot
follow, so the verdicts come from the stepwise proof; next to each, near misses that must break.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contractkit.compat import compare
from contractkit.compat._doc import Doc
from contractkit.compat._prove import YES
from contractkit.compat._verdict import prove
from tests.compat._util import assert_witnesses_hold

# (nine oneOf branches: more than the exact reading of a source oneOf's cases takes on)
HARD = {"anyOf": [{"oneOf": [{"required": [c]} for c in "abcdefghi"]}, {"required": ["name"]}]}
ZONES = ["Africa/Abidjan", "Europe/Paris", "UTC"]

BUNDLED: dict[str, Any] = {
    "type": "object",
    "properties": {"tz": {"$ref": "#/$defs/base/definitions/timezone"}, "name": {"type": "string"}},
    "$defs": {
        "base": {
            "definitions": {
                "timezone": {"type": "string", "enum": ZONES},
                "zones": {"type": "array", "items": {"$ref": "#/$defs/base/definitions/timezone"}},
            }
        }
    },
    **HARD,
}


def _inlined(values: list[str]) -> dict[str, Any]:
    new = copy.deepcopy(BUNDLED)
    new["properties"]["tz"] = {"type": "string", "enum": values}
    del new["$defs"]
    return new


def _hard(old: Any, new: Any) -> bool:
    return prove(Doc(old, format_assertion=True), Doc(new, format_assertion=True)).kind != YES


def test_a_bundled_map_removed_with_its_definition_inlined_is_equivalent() -> None:
    new = _inlined(ZONES)
    assert _hard(BUNDLED, new) and _hard(new, BUNDLED)
    assert compare(BUNDLED, new, "full").compatible


def test_a_bundled_map_removed_and_a_zone_added_is_compatible_backward() -> None:
    new = _inlined([*ZONES, "Asia/Tokyo"])
    assert compare(BUNDLED, new, "backward").compatible
    forward = compare(BUNDLED, new, "forward")
    assert not forward.compatible
    assert_witnesses_hold(BUNDLED, new, forward)


UPDATE: dict[str, Any] = {
    "type": "object",
    "properties": {"pe": {"type": "string"}, "schedule": {"type": "object"}, "group": {"type": "string"}},
    "allOf": [{"required": ["pe", "schedule"]}, {"properties": {"pe": {"minLength": 1}}}],
    **HARD,
}


def _conditional(else_required: list[str]) -> dict[str, Any]:
    new = copy.deepcopy(UPDATE)
    new["allOf"][0] = {
        "if": {"required": ["group"]},
        "then": {"required": ["pe"]},
        "else": {"required": else_required},
    }
    return new


def test_an_all_of_member_rewritten_as_a_conditional_is_compatible_backward() -> None:
    new = _conditional(["pe", "schedule"])
    assert _hard(UPDATE, new)
    assert compare(UPDATE, new, "backward").compatible
    forward = compare(UPDATE, new, "forward")  # {"pe": "x", "group": "g", ...}: no schedule
    assert not forward.compatible


MUTANTS = [
    ("the inlined enum drops a zone", BUNDLED, _inlined(ZONES[:2])),
    ("the else branch requires more", UPDATE, _conditional(["pe", "schedule", "group2"])),
    (
        "the then branch requires more",
        UPDATE,
        {
            **_conditional(["pe", "schedule"]),
            "allOf": [
                {**_conditional(["pe", "schedule"])["allOf"][0], "then": {"required": ["pe", "x"]}},
                UPDATE["allOf"][1],
            ],
        },
    ),
]


@pytest.mark.parametrize(("name", "old", "new"), MUTANTS, ids=[m[0] for m in MUTANTS])
def test_near_misses_stay_breaking(name: str, old: Any, new: Any) -> None:
    report = compare(old, new, "backward")
    assert not report.compatible
    assert_witnesses_hold(old, new, report)
