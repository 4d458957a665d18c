"""A property declared (or no longer declared) in an object whose other names fall to an
``additionalProperties`` schema changes the name's schema both ways (package.json's ``engines``: a map
of version strings gaining ``runtime``, an object): a witness each way, not only backward."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from contractkit.compat import compare

OLD: dict[str, Any] = {
    "type": "object",
    "properties": {"engines": {"type": "object", "additionalProperties": {"type": "string"}}},
}
NEW: dict[str, Any] = {
    "type": "object",
    "properties": {
        "engines": {
            "type": "object",
            "properties": {"runtime": {"type": "object", "required": ["name"]}},
            "additionalProperties": {"type": "string"},
        }
    },
}


@pytest.mark.parametrize(("old", "new"), [(OLD, NEW), (NEW, OLD)], ids=["added", "removed"])
@pytest.mark.parametrize("mode", ["backward", "forward"])
def test_a_property_moved_out_of_a_map_breaks_both_ways(old: Any, new: Any, mode: str) -> None:
    rep = compare(old, new, mode)  # type: ignore[arg-type]
    wits = [f for f in rep.findings if f.witness is not None]
    assert not rep.compatible and wits
    assert wits[0].rule_id in ("property-added", "property-removed")
    inst = wits[0].witness.instance  # type: ignore[union-attr]
    src, dst = (old, new) if mode == "backward" else (new, old)
    assert jsonschema_rs.is_valid(src, inst) and not jsonschema_rs.is_valid(dst, inst)


def test_near_miss_a_property_the_map_already_allowed_is_compatible_backward() -> None:
    new = {**NEW, "properties": {"engines": {**NEW["properties"]["engines"], "properties": {"runtime": {}}}}}
    assert compare(OLD, new, "backward").compatible  # a string runtime is still valid
    assert not compare(OLD, new, "forward").compatible
