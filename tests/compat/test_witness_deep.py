"""A forward witness for an enum value that only a conditional restricts, deep in required members.

dependabot's ``package-ecosystem`` accepts any non-empty string, except that a top-level ``if``/``else``
restricts it to the known ecosystems unless beta ecosystems are enabled. The value added there breaks
forward only through that ``else``, and the instance must be a whole valid configuration: an update
item with its other required members, nested deeper than the sampler builds a whole document (built
from a valid sample of ``updates/items``, a ``$ref``), the value placed in it, the document's own
required ``version`` around it.
"""

from __future__ import annotations

import copy
from typing import Any

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold

DEPENDABOT: dict[str, Any] = {
    "type": "object",
    "required": ["version", "updates"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 2},
        "enable-beta-ecosystems": {"type": "boolean"},
        "updates": {"type": "array", "items": {"$ref": "#/definitions/update"}},
    },
    "allOf": [{
        "if": {"properties": {"enable-beta-ecosystems": {"const": True}}, "required": ["enable-beta-ecosystems"]},
        "then": {},
        "else": {"properties": {"updates": {"type": "array", "items": {"type": "object", "properties": {
            "package-ecosystem": {"$ref": "#/definitions/values"}}}}}},
    }],
    "definitions": {
        "values": {"enum": ["npm", "pip"]},
        "update": {
            "type": "object",
            "additionalProperties": False,
            "required": ["package-ecosystem", "directory", "schedule"],
            "properties": {
                "package-ecosystem": {"type": "string", "anyOf": [{"$ref": "#/definitions/values"}, {"minLength": 1}]},
                "directory": {"type": "string"},
                "schedule": {"type": "object", "required": ["interval", "window"], "additionalProperties": False,
                             "properties": {"interval": {"enum": ["daily", "weekly"]}, "window": {
                                 "type": "object", "required": ["from"], "properties": {"from": {
                                     "type": "object", "required": ["hour"], "properties": {"hour": {
                                         "type": "object", "required": ["h"],
                                         "properties": {"h": {"type": "integer"}}}}}}}}},
            },
        },
    },
}  # fmt: skip


def test_an_ecosystem_added_is_a_witnessed_forward_break() -> None:
    new = copy.deepcopy(DEPENDABOT)
    new["definitions"]["values"]["enum"].append("sbt")
    forward = compare(DEPENDABOT, new, "forward")
    assert not forward.compatible
    assert_witnesses_hold(DEPENDABOT, new, forward)
    witnessed = [f for f in forward.findings if f.witness is not None]
    assert witnessed, forward.findings
    assert witnessed[0].witness is not None
    assert witnessed[0].witness.instance["updates"][0]["package-ecosystem"] == "sbt"
    assert compare(DEPENDABOT, new, "backward").compatible
