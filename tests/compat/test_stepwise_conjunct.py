"""A stepwise step that drops an assertion no sibling reads, at a place applied monotonically only
(package.json's root ``anyOf`` over ``bundledDependencies``/``bundleDependencies`` removed): ``H ∧ K ⊆ H``.

The stepwise chain is tried on its own (on the real-world document the whole-document proof gives up);
the near misses must not pass it, and must break with a witness."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contractkit.compat import compare
from contractkit.compat._doc import Doc
from contractkit.compat._stepwise import included_stepwise
from contractkit.compat.walk import diff
from tests.compat._util import assert_witnesses_hold

HARD = {"anyOf": [{"oneOf": [{"required": [c]} for c in "abcdefghi"]}, {"required": ["name"]}]}
BOTH = {"not": {"required": ["bundled", "bundle"]}}
PACKAGE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "bundled": {"type": "array"},
        "bundle": {"type": "array"},
        "cfg": {"type": "object", "not": {"anyOf": [{"required": ["x"]}, {"required": ["y"]}]}},
        "alt": {
            "oneOf": [
                {"type": "string", "anyOf": [{"minLength": 2}, {"maxLength": 0}]},
                {"type": "string", "minLength": 1},
            ]
        },
    },
    "anyOf": [{**BOTH}, {"required": ["bundled"]}],
    "allOf": [HARD],
}


def _without(doc: dict[str, Any], *path: str) -> dict[str, Any]:
    new = copy.deepcopy(doc)
    node = new
    for p in path[:-1]:
        node = node[int(p)] if isinstance(node, list) else node[p]
    del node[path[-1]]
    return new


def _stepwise(old: Any, new: Any) -> bool:
    return included_stepwise(
        Doc(old, format_assertion=True), Doc(new, format_assertion=True), diff(old, new), "backward"
    )


def test_a_root_any_of_removed_is_compatible_backward() -> None:
    new = _without(PACKAGE, "anyOf")
    assert _stepwise(PACKAGE, new)  # the step itself, whatever the whole-document proof says
    assert compare(PACKAGE, new, "backward").compatible
    assert not compare(PACKAGE, new, "forward").compatible


MUTANTS = [
    ("an anyOf removed under not", _without(PACKAGE, "properties", "cfg", "not", "anyOf")),
    ("an anyOf removed under a oneOf branch", _without(PACKAGE, "properties", "alt", "oneOf", "0", "anyOf")),
]


@pytest.mark.parametrize(("name", "new"), MUTANTS, ids=[m[0] for m in MUTANTS])
def test_near_misses_stay_breaking(name: str, new: Any) -> None:
    assert not _stepwise(PACKAGE, new)
    report = compare(PACKAGE, new, "backward")
    assert not report.compatible
    assert_witnesses_hold(PACKAGE, new, report)


@pytest.mark.parametrize(
    ("at", "kw", "expected"),
    [
        ("", "anyOf", True),
        ("", "allOf", True),
        ("/properties/cfg/not", "anyOf", False),  # under not: dropping it narrows the root
        ("/properties/alt/oneOf/0", "anyOf", False),  # under oneOf: may make two branches match
        ("", "properties", False),  # additionalProperties would read it (none here, but not in the list)
        ("/properties/cfg", "type", True),
        ("/properties/cfg", "minimum", False),  # not there
    ],
)
def test_which_keywords_a_step_may_drop(at: str, kw: str, expected: bool) -> None:
    from contractkit.compat._stepwise import _drops_conjunct

    assert _drops_conjunct(Doc(PACKAGE, format_assertion=True), at, f"{at}/{kw}") is expected
