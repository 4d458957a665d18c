"""Witnesses for a change inside a definition nested in another one (OpenAPI 3.1's parameter:
``dependentSchemas/schema/$defs/styles-for-path``, applied through ``allOf`` refs to that inner place).

The placement starts from the innermost definition holding the change and follows the refs to it, so the
parameter around the changed ``then`` is built (``in: path`` and a name outside the old pattern); a
nested definition nothing refers to is placed through the outer one instead, and never reported broken.
"""

from __future__ import annotations

import copy
from typing import Any

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold

STYLES = "#/$defs/param/dependentSchemas/schema/$defs/styles-for-path"
OLD: dict[str, Any] = {
    "$defs": {
        "param": {
            "type": "object",
            "properties": {"in": {"enum": ["path", "query"]}, "name": {"type": "string"}, "schema": {}},
            "required": ["in", "name"],
            "dependentSchemas": {
                "schema": {
                    "$defs": {
                        "styles-for-path": {
                            "if": {"properties": {"in": {"const": "path"}}, "required": ["in"]},
                            "then": {"properties": {"name": {"pattern": "^[a-z]+$"}}},
                        },
                    },
                    "allOf": [{"$ref": STYLES}],
                },
            },
        },
    },
    "type": "object",
    "properties": {"params": {"type": "array", "items": {"$ref": "#/$defs/param"}}},
}
AT = ["$defs", "param", "dependentSchemas", "schema", "$defs", "styles-for-path", "then", "properties", "name"]


def _without_pattern(schema: Any) -> Any:
    new = copy.deepcopy(schema)
    node = new
    for k in AT:
        node = node[k]
    del node["pattern"]
    return new


def test_a_pattern_dropped_in_a_nested_definition_is_witnessed_forward() -> None:
    new = _without_pattern(OLD)
    assert compare(OLD, new, "backward").compatible
    forward = compare(OLD, new, "forward")
    assert not forward.compatible
    assert any(f.witness is not None for f in forward.findings)
    assert_witnesses_hold(OLD, new, forward)


def test_a_nested_definition_nothing_refers_to_is_no_break() -> None:
    old = copy.deepcopy(OLD)
    del old["$defs"]["param"]["dependentSchemas"]["schema"]["allOf"]
    new = _without_pattern(old)
    for mode in ("backward", "forward"):
        report = compare(old, new, mode)
        assert all(f.witness is None for f in report.findings)
        assert_witnesses_hold(old, new, report)
