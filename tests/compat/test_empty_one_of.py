"""A ``oneOf`` with two branches that accept everything admits nothing (every instance matches both):
web-manifest's draft-04 ``orientation``, a ``oneOf`` of ``const`` branches that draft-04 reads as
annotations only. The property can then never be present: forward (new ⊆ old) holds."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from contractkit.compat import compare

OLD: dict[str, Any] = {"type": "object", "properties": {"o": {"enum": ["any", "natural"]}}}


def _new(branches: list[Any]) -> dict[str, Any]:
    return {"type": "object", "properties": {"o": {"oneOf": branches}}}


def test_a_one_of_of_annotations_only_rejects_everything() -> None:
    new = _new([{"description": "any"}, {"description": "natural"}, {"x-ignored:const": "x"}])
    assert not jsonschema_rs.is_valid(new, {"o": "any"})
    assert compare(OLD, new, "forward").compatible
    rep = compare(OLD, new, "backward")
    assert not rep.compatible and any(f.witness is not None for f in rep.findings)


@pytest.mark.parametrize(
    "branches",
    [
        [{"description": "any"}, {"type": "string"}],  # one trivial branch: non-strings match exactly one
        [True, {"const": "any"}],
        [{"description": "any"}, {"not": {}}],  # the second admits nothing: everything matches once
    ],
)
def test_near_misses_are_not_empty(branches: list[Any]) -> None:
    new = _new(branches)
    rep = compare(OLD, new, "forward")
    assert not rep.compatible
    wits = [f.witness for f in rep.findings if f.witness is not None]
    assert wits and jsonschema_rs.is_valid(new, wits[0].instance) and not jsonschema_rs.is_valid(OLD, wits[0].instance)
