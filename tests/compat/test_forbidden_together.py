"""A removed ``anyOf`` that forbade two names together (package.json's ``bundledDependencies`` and
``bundleDependencies``) is witnessed forward by an object holding both."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from contractkit.compat import compare
from contractkit.compat._doc import Doc
from contractkit.compat._sampler import Sampler
from contractkit.compat._witness import _forbidden_together

PROPS = {"bundled": {"type": "array"}, "bundle": {"type": ["array", "boolean"]}, "name": {"type": "string"}}
OLD: dict[str, Any] = {
    "type": "object",
    "properties": PROPS,
    "anyOf": [
        {"not": {"required": ["bundled", "bundle"]}},
        {"required": ["bundled"], "not": {"required": ["bundle"]}},
    ],
}
NEW: dict[str, Any] = {"type": "object", "properties": PROPS}


def test_the_names_forbidden_together_are_tried_together() -> None:
    sampler = Sampler(Doc(NEW, format_assertion=True))
    cands = list(_forbidden_together([{"name": "x"}], OLD, NEW, sampler))
    assert {"name": "x", "bundled": [], "bundle": []} in cands


def test_a_removed_any_of_forbidding_two_names_is_witnessed_forward() -> None:
    assert compare(OLD, NEW, "backward").compatible
    rep = compare(OLD, NEW, "forward")
    wits = [f.witness for f in rep.findings if f.witness is not None]
    assert not rep.compatible and wits
    inst = wits[0].instance
    assert jsonschema_rs.is_valid(NEW, inst) and not jsonschema_rs.is_valid(OLD, inst)
