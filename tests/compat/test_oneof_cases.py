"""A source ``oneOf`` split into its cases read exactly (branch j and no other), so a target ``oneOf``
that gains a branch the source's instances never reach is proven (GitHub's workflow and action steps:
``oneOf: [{required: [uses]}, {required: [run]}]`` gaining ``{required: [wait]}`` on a closed object)."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from contractkit.compat import compare

PROPS = {"uses": {"type": "string"}, "run": {"type": "string"}}
STEP: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": PROPS,
    "oneOf": [{"required": ["uses"]}, {"required": ["run"]}],
}


def _with_branches(old: dict[str, Any], *extra: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {**old, "properties": {**old["properties"], **props}, "oneOf": [*old["oneOf"], *extra]}


def test_a_branch_the_closed_source_never_reaches_is_compatible() -> None:
    new = _with_branches(STEP, {"required": ["wait"]}, {"required": ["cancel"]}, wait={}, cancel={})
    assert compare(STEP, new, "backward").compatible
    rep = compare(STEP, new, "forward")  # new steps may be {"wait": ...}
    assert not rep.compatible and any(f.witness is not None for f in rep.findings)


@pytest.mark.parametrize(
    ("old", "extra"),
    [
        ({**STEP, "additionalProperties": True}, {"required": ["wait"]}),  # {"uses": "", "wait": 0}
        (STEP, {"required": ["uses"]}),  # a duplicate branch: nothing matches exactly one
        (STEP, {"properties": {"uses": {"minLength": 2}}}),  # {"run": ""} now matches two
        (STEP, {"not": {"required": ["uses"]}}),  # {"run": ""} now matches two
    ],
)
def test_near_misses_are_witnessed(old: dict[str, Any], extra: dict[str, Any]) -> None:
    new = _with_branches(old, extra)
    rep = compare(old, new, "backward")
    assert not rep.compatible
    wits = [f.witness for f in rep.findings if f.witness is not None]
    assert wits
    inst = wits[0].instance
    assert jsonschema_rs.is_valid(old, inst) and not jsonschema_rs.is_valid(new, inst)


SO: dict[str, Any] = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}


def test_a_ref_to_a_one_of_and_the_same_one_of_inline_are_equivalent() -> None:
    # a case of the ref's oneOf used to follow the ref again, back into the same oneOf: a cycle
    new = {"type": "object", "properties": {"x": {"$ref": "#/definitions/s"}}, "definitions": {"s": SO}}
    old = {"type": "object", "properties": {"x": {"description": "d", **SO}}}
    assert compare(old, new, "full").compatible


def test_near_miss_the_inline_one_of_differs() -> None:
    new = {"type": "object", "properties": {"x": {"$ref": "#/definitions/s"}}, "definitions": {"s": SO}}
    old = {"type": "object", "properties": {"x": {"oneOf": [{"type": "string"}, {"type": "array"}]}}}
    assert compare(old, new, "forward").compatible
    rep = compare(old, new, "backward")  # [1] is valid under old only
    wits = [f.witness for f in rep.findings if f.witness is not None]
    assert not rep.compatible and wits
    assert jsonschema_rs.is_valid(old, wits[0].instance) and not jsonschema_rs.is_valid(new, wits[0].instance)
