"""Witnesses for a subschema widened into what a sibling ``oneOf`` branch already accepts.

A value added to an enum deep inside one branch (CircleCI's machine images, inside the machine executor)
is harmless on its own, but an instance of a sibling branch (a docker executor) that also holds the new
value now matches two branches: the old schema accepts it, the new one rejects it. The witness is what
the widened branch newly admits, merged into a sample of the sibling where the ``oneOf`` is.
"""

from __future__ import annotations

import copy
from typing import Any

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold

CIRCLECI: dict[str, Any] = {
    "type": "object",
    "properties": {
        "version": {"enum": [2, 2.1]},
        "executors": {"type": "object", "additionalProperties": {"$ref": "#/definitions/executorChoice"}},
    },
    "definitions": {
        "executorChoice": {"oneOf": [{"$ref": "#/definitions/dockerExecutor"},
                                     {"$ref": "#/definitions/machineExecutor"}]},
        "dockerExecutor": {"type": "object", "required": ["docker"],
                           "properties": {"docker": {"type": "array", "items": {"type": "object"}}}},
        "machineExecutor": {"type": "object", "required": ["machine"], "properties": {"machine": {
            "type": "object", "required": ["image"],
            "properties": {"image": {"$ref": "#/definitions/linuxMachineImage"}}}}},
        "linuxMachineImage": {"enum": ["ubuntu-2204:current", "android:2024.07.1"]},
    },
}  # fmt: skip


def _image_added(schema: dict[str, Any]) -> dict[str, Any]:
    new = copy.deepcopy(schema)
    new["definitions"]["linuxMachineImage"]["enum"].append("android:2024.11.1")
    return new


def test_an_enum_value_added_inside_one_branch_is_witnessed_through_a_sibling() -> None:
    old, new = CIRCLECI, _image_added(CIRCLECI)
    report = compare(old, new, "backward")
    assert not report.compatible
    assert_witnesses_hold(old, new, report)
    witnesses = [f.witness.instance for f in report.findings if f.witness is not None]
    assert witnesses, report.findings
    assert witnesses == [f.witness.instance for f in compare(old, new, "backward").findings if f.witness]


def test_no_witness_when_the_sibling_cannot_hold_the_widened_member() -> None:
    # A closed docker executor cannot also hold `machine`: the enum value added overlaps nothing, and the
    # change is not witnessed (no instance breaks).
    old = copy.deepcopy(CIRCLECI)
    old["definitions"]["dockerExecutor"]["additionalProperties"] = False
    new = _image_added(old)
    report = compare(old, new, "backward")
    assert all(f.witness is None for f in report.findings)
    assert_witnesses_hold(old, new, report)


# Several levels above the ``oneOf``: at each level the search keeps a few placements, and those the
# source accepts (the widened member merged into a sibling branch's sample) must be among them, not only
# placements that the widened document alone accepts (the widened branch by itself).
NESTED: dict[str, Any] = {
    "type": "object", "required": ["version"],
    "properties": {
        "version": {"enum": [2, 2.1]},
        "orbs": {"type": "object", "additionalProperties": {"oneOf": [
            {"type": "string"},
            {"type": "object", "properties": {"executors": {"$ref": "#/definitions/executors"}}}]}},
        "executors": {"$ref": "#/definitions/executors"},
    },
    "definitions": {
        "executors": {"type": "object", "additionalProperties": {"$ref": "#/definitions/executorChoice"}},
        "executorChoice": {"type": "object", "oneOf": [{"$ref": "#/definitions/dockerExecutor"},
                                                       {"$ref": "#/definitions/macosExecutor"}]},
        "dockerExecutor": {"required": ["docker"], "properties": {
            "docker": {"type": "array", "items": {"type": "object", "required": ["image"],
                                                  "properties": {"image": {"type": "string"}}}},
            "resource_class": {"enum": ["small", "medium", "large"]}}},
        "macosExecutor": {"type": "object", "required": ["macos"], "properties": {"macos": {
            "type": "object", "required": ["xcode"], "additionalProperties": False,
            "properties": {"xcode": {"$ref": "#/definitions/xcodeVersion"}}}}},
        "xcodeVersion": {"type": "string", "enum": ["16.0.0", "15.4.0"]},
    },
}  # fmt: skip


def test_the_overlap_is_carried_up_through_levels_above_the_one_of() -> None:
    new = copy.deepcopy(NESTED)
    new["definitions"]["xcodeVersion"]["enum"].insert(0, "16.2.0")
    report = compare(NESTED, new, "backward")
    assert not report.compatible
    assert_witnesses_hold(NESTED, new, report)
    witnesses = [f.witness.instance for f in report.findings if f.witness is not None]
    assert witnesses, report.findings
    assert all(f.rule_id != "undecided" for f in report.findings)


def test_no_overlap_witness_when_the_sibling_is_closed_several_levels_down() -> None:
    old = copy.deepcopy(NESTED)
    old["definitions"]["dockerExecutor"]["additionalProperties"] = False
    new = copy.deepcopy(old)
    new["definitions"]["xcodeVersion"]["enum"].insert(0, "16.2.0")
    report = compare(old, new, "backward")
    assert all(f.witness is None for f in report.findings)
    assert_witnesses_hold(old, new, report)
