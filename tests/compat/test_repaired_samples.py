"""Witnesses placed into samples the validator's errors repaired.

Dependabot's shape, reduced: an update is a closed object whose required members depend on an
``if``/``then``/``else`` (a group requires ``patterns``, no group requires ``schedule``) and on a
``oneOf`` of required members, and the known
ecosystems are enforced by a root ``else`` unless beta ecosystems are enabled. The sampler's update
samples miss a member that ``then`` requires; the members the validator reports missing are added (with a
valid sample of the declared member), so an ecosystem added to the enum gets a whole valid update around
it: a forward witness.
"""

from __future__ import annotations

import copy
from typing import Any

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold

DEPENDABOT: dict[str, Any] = {
    "type": "object",
    "required": ["updates"],
    "additionalProperties": False,
    "properties": {
        "enable-beta": {"type": "boolean"},
        "updates": {"type": "array", "items": {"$ref": "#/definitions/update"}},
    },
    "allOf": [{
        "if": {"required": ["enable-beta"], "properties": {"enable-beta": {"const": True}}},
        "then": {},
        "else": {"properties": {"updates": {"items": {"properties": {"eco": {"$ref": "#/definitions/eco"}}}}}},
    }],
    "definitions": {
        "eco": {"enum": ["npm", "pip"]},
        "update": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "eco": {"type": "string", "anyOf": [{"$ref": "#/definitions/eco"}, {"minLength": 1}]},
                "group": {"type": "string"},
                "patterns": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "schedule": {"type": "object", "required": ["interval"],
                             "properties": {"interval": {"enum": ["daily"]}}},
                "directories": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "directory": {"type": "string"},
            },
            "allOf": [
                {"if": {"required": ["group"]}, "then": {"required": ["eco"]},
                 "else": {"required": ["eco", "schedule"]}},
                {"oneOf": [{"required": ["directories"]}, {"required": ["directory"]}]},
                {"if": {"required": ["group"]}, "then": {"required": ["patterns"]}},
            ],
        },
    },
}  # fmt: skip


def test_an_ecosystem_added_is_witnessed_inside_a_repaired_update() -> None:
    old = DEPENDABOT
    new = copy.deepcopy(old)
    new["definitions"]["eco"]["enum"].append("deno")
    first = compare(old, new, "forward")
    assert not first.compatible
    assert_witnesses_hold(old, new, first)
    witnesses = [f.witness.instance for f in first.findings if f.witness is not None]
    # attributed to the change itself (not only the whole-document fallback)
    assert any(f.rule_id == "enum-value-added" and f.witness is not None for f in first.findings), first.findings
    assert witnesses == [f.witness.instance for f in compare(old, new, "forward").findings if f.witness]
    assert compare(old, new, "backward").compatible  # the enum only grew


def test_a_value_the_beta_switch_already_allowed_is_no_witness() -> None:
    # Without the root `else`, any non-empty ecosystem was accepted already: no break, no witness.
    old = copy.deepcopy(DEPENDABOT)
    del old["allOf"]
    new = copy.deepcopy(old)
    new["definitions"]["eco"]["enum"].append("deno")
    report = compare(old, new, "forward")
    assert all(f.witness is None for f in report.findings)
    assert_witnesses_hold(old, new, report)


# drone, reduced: a root oneOf of kinds, the pipeline kind an allOf of its common part (which requires
# `type`, `name`, `steps`) and a oneOf of closed pipeline types; open kinds besides it. A property added to
# the kubernetes type: the witness is a whole kubernetes pipeline, the branch's sample completed by the
# members the validator reports missing, in the root branch that keeps it.
DRONE: dict[str, Any] = {
    "type": "object",
    "required": ["kind"],
    "properties": {"kind": {"enum": ["signature", "secret", "pipeline"]}},
    "oneOf": [
        {"$ref": "#/definitions/kind_signature"},
        {"$ref": "#/definitions/kind_secret"},
        {"allOf": [{"$ref": "#/definitions/kind_pipeline"},
                   {"oneOf": [{"$ref": "#/definitions/docker"}, {"$ref": "#/definitions/kubernetes"}]}]},
    ],
    "definitions": {
        "kind_signature": {"type": "object", "required": ["hmac"],
                           "properties": {"kind": {"const": "signature"}, "hmac": {"type": "string"}}},
        "kind_secret": {"type": "object", "required": ["name"],
                        "properties": {"kind": {"const": "secret"}, "name": {"type": "string"}}},
        "kind_pipeline": {"type": "object", "required": ["type", "name", "steps"],
                          "properties": {"kind": {"const": "pipeline"}, "type": {"enum": ["docker", "kubernetes"]},
                                         "name": {"type": "string", "minLength": 1},
                                         "steps": {"type": "array"}}},
        "docker": {"type": "object", "additionalProperties": False,
                   "properties": {"type": {"const": "docker"}, "kind": {}, "name": {}, "steps": {}, "node": {}}},
        "kubernetes": {"type": "object", "additionalProperties": False,
                       "properties": {"type": {"const": "kubernetes"}, "kind": {}, "name": {}, "steps": {},
                                      "metadata": {"type": "object"}}},
    },
}  # fmt: skip


def test_a_property_added_to_a_closed_pipeline_type_is_witnessed_by_a_whole_pipeline() -> None:
    old = DRONE
    new = copy.deepcopy(old)
    new["definitions"]["kubernetes"]["properties"]["node"] = {"type": "object"}
    first = compare(old, new, "forward")
    assert not first.compatible
    assert_witnesses_hold(old, new, first)
    assert any(f.rule_id == "property-added" and f.witness is not None for f in first.findings), first.findings
    again = compare(old, new, "forward")
    assert [f.witness.instance for f in first.findings if f.witness] == [
        f.witness.instance for f in again.findings if f.witness
    ]
