"""Witnesses for changes inside a bundled schema's own definitions (``$defs/<schema>/definitions/<x>``,
the shape of SchemaStore's bundles): the change is placed through the refs to that nested definition."""

from __future__ import annotations

import copy
from typing import Any

from contractkit.compat import compare


def _doc(stages: list[str], extra_item: dict[str, Any] | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"$ref": "#/$defs/hooks/definitions/stage"}
    if extra_item is not None:
        item = {"anyOf": [item, extra_item]}
    return {
        "type": "object",
        "required": ["repos"],
        "properties": {
            "repos": {"type": "array", "items": {"type": "object", "required": ["repo"]}},
            "default_stages": {"$ref": "#/$defs/hooks/definitions/stages"},
        },
        "$defs": {
            "hooks": {
                "type": "array",
                "definitions": {
                    "stage": {"type": "string", "enum": stages},
                    "stages": {"type": "array", "items": item},
                },
            }
        },
    }


def test_an_enum_value_added_in_a_nested_definition_is_witnessed() -> None:
    old, new = _doc(["commit", "push"]), _doc(["commit", "push", "pre-push"])
    assert compare(old, new, "backward").compatible
    rep = compare(old, new, "forward")
    assert not rep.compatible
    (f,) = [f for f in rep.findings if f.witness is not None]
    assert f.rule_id == "enum-value-added"
    assert f.witness is not None and f.witness.instance == {"repos": [], "default_stages": ["pre-push"]}
    assert not [f for f in rep.findings if f.rule_id == "undecided"]


def test_near_miss_the_old_schema_already_accepts_the_value_elsewhere() -> None:
    old = _doc(["commit", "push"], extra_item={"const": "pre-push"})
    new = copy.deepcopy(old)
    new["$defs"]["hooks"]["definitions"]["stage"]["enum"].append("pre-push")
    rep = compare(old, new, "forward")
    assert not [f for f in rep.findings if f.witness is not None]


def test_a_nested_definition_is_placed_through_the_refs_to_it() -> None:
    from contractkit.compat._doc import Doc
    from contractkit.compat._witness import _chains

    doc = Doc(_doc(["commit"]), format_assertion=False)
    chains = _chains(doc, "/$defs/hooks/definitions/stage")
    # stage <- stages/items <- /properties/default_stages <- root
    assert chains and chains[0][-1][0] == ""
    assert any(("key", "default_stages") in path for _, path in chains[0])
