"""Stepwise proofs of two real-world shapes the keyword-by-keyword chain could not follow.

* A property schema removed from an open object (package.json's ``nodemonConfig``, dependabot's registry
  ``patternProperties``): the same as replacing it by ``true``, a local widening, then dropping a ``true``
  member, which changes nothing when no ``additionalProperties`` of that object would take the name over.
* A ``$ref`` replaced by the enum it named (GitHub issue forms' ``render``): keyword by keyword the chain
  passes through a narrower schema (the ref and the enum together); the subschema replaced at once is
  proven instead.

The documents carry a construct the whole-document proof cannot follow (``dependencies`` naming a
``$ref``; it used to be an ``anyOf`` holding a ``oneOf``, now proven), far from the change, so these
verdicts come from the stepwise proof; next to each, near-miss mutants that must stay breaking.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contractkit.compat import compare
from contractkit.compat._doc import Doc
from contractkit.compat._prove import YES
from contractkit.compat._verdict import prove
from tests.compat._util import assert_witnesses_hold

HARD = {"dependencies": {"a": {"$ref": "#/definitions/hard"}}, "definitions": {"hard": {"required": ["b"]}}}

PACKAGE: dict[str, Any] = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "nodemonConfig": {"$ref": "#/$defs/nodemon"}},
    "patternProperties": {"^x-": {"type": "string"}},
    "$defs": {"nodemon": {"type": "object", "properties": {"watch": {"type": "array"}}}},
    **HARD,
}

FORMS: dict[str, Any] = {
    "type": "object",
    "properties": {"render": {"description": "a mode", "$ref": "#/definitions/render"}},
    **HARD,
    "definitions": {"render": {"type": "string", "enum": ["c", "go", "python"]}, **HARD["definitions"]},
}


def _without(doc: dict[str, Any], *path: str) -> dict[str, Any]:
    new = copy.deepcopy(doc)
    node = new
    for p in path[:-1]:
        node = node[p]
    del node[path[-1]]
    return new


def _inlined(values: list[str]) -> dict[str, Any]:
    new = copy.deepcopy(FORMS)
    new["properties"]["render"] = {"description": "a mode", "type": "string", "enum": values}
    return new


def _hard_for_the_whole_proof(old: Any, new: Any) -> bool:
    return prove(Doc(old, format_assertion=True), Doc(new, format_assertion=True)).kind != YES


def test_a_property_removed_from_an_open_object_is_compatible_backward() -> None:
    new = _without(PACKAGE, "properties", "nodemonConfig")
    assert _hard_for_the_whole_proof(PACKAGE, new)
    assert compare(PACKAGE, new, "backward").compatible
    forward = compare(PACKAGE, new, "forward")  # {"nodemonConfig": 1} is new, and old rejects it
    assert not forward.compatible
    assert_witnesses_hold(PACKAGE, new, forward)


def test_a_pattern_property_removed_from_an_open_object_is_compatible_backward() -> None:
    new = _without(PACKAGE, "patternProperties", "^x-")
    assert compare(PACKAGE, new, "backward").compatible


def _closed() -> tuple[Any, Any]:
    old = copy.deepcopy(PACKAGE)
    old["additionalProperties"] = {"type": "integer"}  # the removed name falls to it
    return old, _without(old, "properties", "nodemonConfig")


def _under_not() -> tuple[Any, Any]:
    # a break need not defeat the whole proof: the two-branch oneOf keeps the witness search's job small
    old = copy.deepcopy(
        {**PACKAGE, "anyOf": [{"oneOf": [{"required": ["a"]}, {"required": ["b"]}]}, {"required": ["name"]}]}
    )
    old["properties"]["other"] = {"not": {"type": "object", "properties": {"bad": {"type": "string"}}}}
    new = _without(old, "properties", "other", "not", "properties", "bad")  # not{…} widened: narrows
    return old, new


MUTANTS = [
    ("additionalProperties takes the removed name over", *_closed()),
    ("the removed property sits under not", *_under_not()),
    ("the inlined enum drops a value", FORMS, _inlined(["c", "go"])),
    ("the inlined enum swaps values for a number", FORMS, {**FORMS, "properties": {"render": {"enum": ["c", 1]}}}),
]


def test_a_ref_replaced_by_the_enum_it_named_is_proven_at_once() -> None:
    new = _inlined(["c", "go", "python", "rust"])
    assert _hard_for_the_whole_proof(FORMS, new)
    assert compare(FORMS, new, "backward").compatible
    same = _inlined(["c", "go", "python"])
    assert compare(FORMS, same, "full").compatible  # an equivalent rewrite, both ways


@pytest.mark.parametrize(("name", "old", "new"), MUTANTS, ids=[m[0] for m in MUTANTS])
def test_near_misses_stay_breaking(name: str, old: Any, new: Any) -> None:
    report = compare(old, new, "backward")
    assert not report.compatible
    assert_witnesses_hold(old, new, report)
    assert any(f.witness is not None for f in report.findings), report.findings
