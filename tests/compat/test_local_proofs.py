"""Proofs that stay local to a change: large real-world schemas are decided where they change.

Cases from the real-world corpus, reduced: a change inside a definition reached through an ``anyOf`` of
refs that the whole-document proof gives up on, proven one change at a time (``_stepwise``) where the
change sits at monotone positions only; the same change under ``not``/``oneOf`` (or reached through a
``$ref`` from under ``not``) is never proven that way and stays a witnessed break. Unknown keywords
(``markdownDescription``, ``x-...``) are annotations. Every compatible verdict is also tried against
instances (a bounded, seeded differential check with jsonschema-rs).
"""

from __future__ import annotations

import copy
import itertools
import random
from typing import Any

import jsonschema_rs
import pytest

from contractkit.compat import compare
from contractkit.compat._doc import Doc
from contractkit.compat._monotone import included_at
from tests.compat._util import assert_witnesses_hold, ids

ITEM = {"anyOf": [{"$ref": "#/$defs/a"}, {"$ref": "#/$defs/b"}]}
TREE: dict[str, Any] = {
    "$defs": {
        "item": ITEM,
        "a": {
            "type": "object",
            "properties": {"x": {"type": "string", "maxLength": 3}, "next": {"$ref": "#/$defs/item"}},
        },
        "b": {"type": "integer"},
    },
    "type": "array",
    "items": {"$ref": "#/$defs/item"},
}


def _without_max_length() -> dict[str, Any]:
    new = copy.deepcopy(TREE)
    del new["$defs"]["a"]["properties"]["x"]["maxLength"]
    return new


def _refuted(src: Any, dst: Any, seed: int = 7, n: int = 600) -> Any:
    """An instance valid under ``src`` and not under ``dst`` among seeded random ones, else None."""
    rng = random.Random(seed)
    v_src, v_dst = jsonschema_rs.validator_for(src), jsonschema_rs.validator_for(dst)
    leaves = [None, 0, 7, "", "ab", "abcd", "abcdefg", True]

    def value(depth: int) -> Any:
        k = rng.randrange(4 if depth < 3 else 2)
        if k == 0:
            return rng.choice(leaves)
        if k == 1:
            return rng.choice([0, 1, 9])
        if k == 2:
            return [value(depth + 1) for _ in range(rng.randrange(3))]
        return {key: value(depth + 1) for key in rng.sample(["x", "next", "y"], rng.randrange(3))}

    for x in itertools.islice((value(0) for _ in itertools.count()), n):
        if v_src.is_valid(x) and not v_dst.is_valid(x):
            return x
    return None


def test_a_change_inside_a_recursive_definition_is_proven_one_step_at_a_time() -> None:
    old, new = TREE, _without_max_length()
    # the whole-document proof used to give up on the anyOf of refs (a case of it re-followed the ref
    # back into the same anyOf); it follows it now, and the local proof still holds on its own:
    here = "/$defs/a/properties/x"
    assert included_at(Doc(old, format_assertion=True), Doc(new, format_assertion=True), here, True) is True
    # the change proven where it is: maxLength dropped, at monotone positions only
    report = compare(old, new, "backward")
    assert report.compatible
    assert ids(report) == set()
    assert _refuted(old, new) is None
    # and the other way round it is a break, with a witness
    forward = compare(old, new, "forward")
    assert not forward.compatible
    assert ids(forward) == {"max-length-removed"}
    assert_witnesses_hold(old, new, forward)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({"not": {"type": "string", "maxLength": 3}}, {"not": {"type": "string", "maxLength": 5}}),
        (
            {"$defs": {"s": {"type": "string", "maxLength": 3}}, "not": {"$ref": "#/$defs/s"}},
            {"$defs": {"s": {"type": "string", "maxLength": 5}}, "not": {"$ref": "#/$defs/s"}},
        ),
        (
            {"oneOf": [{"type": "string", "maxLength": 3}, {"type": "string", "minLength": 5}]},
            {"oneOf": [{"type": "string", "maxLength": 6}, {"type": "string", "minLength": 5}]},
        ),
        (
            {"type": "array", "contains": {"const": 1}, "maxContains": 1},
            {"type": "array", "contains": {"enum": [1, 2]}, "maxContains": 1},
        ),
    ],
    ids=["under not", "through a ref from under not", "under oneOf", "under contains with maxContains"],
)
def test_a_widening_at_a_non_monotone_position_is_never_proven_locally(old: Any, new: Any) -> None:
    report = compare(old, new, "backward")
    assert not report.compatible
    assert_witnesses_hold(old, new, report)
    if "maxContains" not in old:  # [1, 2] breaks the last one; the search does not find it (undecided)
        assert any(f.witness is not None for f in report.findings)


def test_unknown_keywords_are_annotations() -> None:
    old = {"type": "object", "properties": {"a": {"type": "string", "markdownDescription": "old", "x-order": 1}}}
    new = {"type": "object", "properties": {"a": {"type": "string", "markdownDescription": "new", "x-order": 2}}}
    report = compare(old, new, "full")
    assert report.compatible
    assert ids(report) == {"annotation-changed"}


def test_definitions_added_with_their_references_are_proven_stepwise() -> None:
    old = {"$defs": {"n": {"type": "integer"}}, "type": "object", "properties": {"a": {"$ref": "#/$defs/n"}}}
    new = copy.deepcopy(old)
    new["$defs"]["pair"] = {"type": "array", "prefixItems": [{"$ref": "#/$defs/leaf"}]}
    new["$defs"]["leaf"] = {"type": "string"}
    new["properties"]["b"] = {"$ref": "#/$defs/pair"}  # an open object: "b" was anything, now a pair
    assert compare(old, new, "forward").compatible
    backward = compare(old, new, "backward")
    assert ids(backward) == {"property-added"}
    assert_witnesses_hold(old, new, backward)


def test_an_enum_value_added_where_another_branch_accepts_it_is_proven_in_context() -> None:
    # the value added to one anyOf branch is accepted by the other branch already: harmless in its context
    tree = copy.deepcopy(TREE)
    tree["$defs"]["a"]["properties"]["lib"] = {
        "anyOf": [{"enum": ["es5", "es6"]}, {"type": "string", "pattern": "^[Ee][Ss][0-9]+$"}]
    }
    new = copy.deepcopy(tree)
    new["$defs"]["a"]["properties"]["lib"]["anyOf"][0]["enum"].append("es2023")
    report = compare(tree, new, "full")
    assert report.compatible
    assert ids(report) == set()
    new["$defs"]["a"]["properties"]["lib"]["anyOf"][0]["enum"].append("ES2023.Intl")  # not accepted before
    forward = compare(tree, new, "forward")
    assert ids(forward) == {"enum-value-added"}
    assert_witnesses_hold(tree, new, forward)
