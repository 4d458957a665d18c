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


# The one sibling the widened branch can overlap is a branch nested in another branch's own ``oneOf``
# (a machine executor given by a self-hosted runner class, which leaves the top-level class open); the
# container's first samples all come from other branches, so a base is taken from each branch.
NESTED_BRANCH: dict[str, Any] = {
    "type": "object", "required": ["version"],
    "properties": {"version": {"enum": [2]},
                   "executors": {"type": "object", "additionalProperties": {"$ref": "#/definitions/choice"}}},
    "definitions": {
        "choice": {"type": "object", "oneOf": [{"$ref": "#/definitions/docker"}, {"$ref": "#/definitions/machine"},
                                                {"$ref": "#/definitions/macos"}]},
        "docker": {"required": ["docker"], "properties": {
            "docker": {"type": "array", "items": {"type": "object", "properties": {"image": {"type": "string"}}}},
            "rc": {"enum": ["small", "medium", "large"]}}},
        "machine": {"type": "object", "required": ["machine"], "oneOf": [
            {"properties": {"machine": {"const": True}, "rc": {"enum": ["small", "medium", "large", "xlarge"]}}},
            {"properties": {"machine": {"type": "object", "additionalProperties": False, "required": ["image"],
                                        "properties": {"image": {"enum": ["a", "b", "c"]}}},
                            "rc": {"enum": ["small", "medium", "large"]}}},
            {"properties": {"machine": {"type": "object", "additionalProperties": False, "required": ["rc"],
                                        "properties": {"rc": {"type": "string", "pattern": "^[a-z]+/[a-z]+$"}}}}}]},
        "macos": {"type": "object", "required": ["macos"], "properties": {
            "macos": {"type": "object", "additionalProperties": False, "required": ["xcode"],
                      "properties": {"xcode": {"enum": ["16.0.0", "15.4.0"]}}},
            "rc": {"$ref": "#/definitions/macRC"}}},
        "macRC": {"enum": ["m1.medium", "m1.large"]},
    },
}  # fmt: skip


def _class_added(schema: dict[str, Any]) -> dict[str, Any]:
    new = copy.deepcopy(schema)
    new["definitions"]["macRC"]["enum"].insert(0, "x86.medium")
    return new


def test_the_overlap_with_a_branch_nested_in_a_sibling_is_witnessed() -> None:
    old, new = NESTED_BRANCH, _class_added(NESTED_BRANCH)
    report = compare(old, new, "backward")
    assert not report.compatible
    assert_witnesses_hold(old, new, report)
    witnesses = [f.witness.instance for f in report.findings if f.witness is not None]
    assert witnesses and all(f.rule_id != "undecided" for f in report.findings)
    assert all("machine" in w["executors"]["zz_extra"] for w in witnesses)


def test_no_overlap_when_the_nested_branch_constrains_the_class_too() -> None:
    # the self-hosted branch now allows only `small` at the top level: nothing overlaps, and it is proven
    old = copy.deepcopy(NESTED_BRANCH)
    old["definitions"]["machine"]["oneOf"][2]["properties"]["rc"] = {"enum": ["small"]}
    new = _class_added(old)
    report = compare(old, new, "backward")
    assert report.compatible, report.findings
