"""Samples naming the members of an in-place ``$ref``'s ``patternProperties``.

OpenAPI 3.1's objects are ``{properties, $ref: specification-extensions, unevaluatedProperties: false}``
with the extensions ``{patternProperties: {"^x-": true}}``: the one member such an object may hold
beside its declared ones is an ``x-`` name. A responses object holding only ``x-a`` met
``minProperties: 1`` before 3.1's ``if``/``then`` required ``default`` when no status code is there; the
sampler now builds that object, and the break is witnessed. The near miss (the same rule where the
``x-`` member was never allowed) stays compatible.
"""

from __future__ import annotations

import copy
from typing import Any

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold

OLD: dict[str, Any] = {
    "$defs": {
        "ext": {"patternProperties": {"^x-": True}},
        "responses": {
            "type": "object",
            "properties": {"default": {"type": "string"}},
            "patternProperties": {"^[1-5][0-9]{2}$": {"type": "string"}},
            "minProperties": 1,
            "$ref": "#/$defs/ext",
            "unevaluatedProperties": False,
        },
    },
    "type": "object",
    "properties": {"responses": {"$ref": "#/$defs/responses"}},
}


def _with_default_rule(schema: Any) -> Any:
    new = copy.deepcopy(schema)
    new["$defs"]["responses"]["if"] = {"patternProperties": {"^[1-5][0-9]{2}$": False}}
    new["$defs"]["responses"]["then"] = {"required": ["default"]}
    return new


def test_an_object_holding_only_an_extension_member_witnesses_the_new_rule() -> None:
    new = _with_default_rule(OLD)
    backward = compare(OLD, new, "backward")
    assert not backward.compatible
    assert any(f.witness is not None for f in backward.findings)
    assert_witnesses_hold(OLD, new, backward)


def test_without_extensions_the_rule_changes_nothing() -> None:
    old = copy.deepcopy(OLD)
    old["$defs"]["ext"] = {"patternProperties": {"^x-": False}}
    new = _with_default_rule(old)
    report = compare(old, new, "backward")
    assert all(f.witness is None for f in report.findings)
    assert_witnesses_hold(old, new, report)
