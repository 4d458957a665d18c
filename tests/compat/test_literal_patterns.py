"""A ``patternProperties`` pattern that matches finitely many names (``^(get|put)$``) is read as those names.

OpenAPI's path item moved its operations from one such pattern to plain ``properties``: the two forms accept
the same instances, so both directions are proven compatible; a near-identical rewrite that drops or retypes
a name is not.
"""

from __future__ import annotations

from typing import Any

import pytest

from contractkit.compat import compare
from contractkit.compat._regex import literal_names
from tests.compat._util import assert_witnesses_hold

BASE: dict[str, Any] = {"type": "object", "additionalProperties": False}
OLD = {
    **BASE,
    "properties": {"a": {"type": "string"}},
    "patternProperties": {"^(get|put)$": {"type": "integer"}, "^x-": {}},
}


def _new(props: dict[str, Any]) -> dict[str, Any]:
    return {**BASE, "properties": {"a": {"type": "string"}, **props}, "patternProperties": {"^x-": {}}}


@pytest.mark.parametrize(
    ("pattern", "names"),
    [
        ("^(get|put|post)$", ["get", "put", "post"]),
        ("^(?:a|b)$", ["a", "b"]),
        ("^a$|^b$", ["a", "b"]),
        ("^\\$ref$", ["$ref"]),
        ("^x-", None),
        ("^(a|b)c$", None),
        ("^(a|b)+$", None),
        ("^a\\$", None),
        ("^(a)|(b)$", None),
        ("^a\\d$", None),
        ("^[ab]$", None),
    ],
)
def test_literal_names(pattern: str, names: list[str] | None) -> None:
    assert literal_names(pattern) == names


@pytest.mark.parametrize("direction", ["backward", "forward"])
def test_pattern_as_properties_is_equivalent(direction: str) -> None:
    new = _new({"get": {"type": "integer"}, "put": {"type": "integer"}})
    assert compare(OLD, new, direction).findings == ()  # type: ignore[arg-type]
    assert compare(new, OLD, direction).findings == ()  # type: ignore[arg-type]


def test_pattern_name_dropped_is_breaking() -> None:
    new = _new({"get": {"type": "integer"}})
    r = compare(OLD, new, "backward")
    assert any(f.severity == "error" for f in r.findings)
    assert_witnesses_hold(OLD, new, r)
    assert compare(OLD, new, "forward").findings == ()


def test_pattern_name_retyped_is_breaking() -> None:
    new = _new({"get": {"type": "integer"}, "put": {"type": "string"}})
    for d in ("backward", "forward"):
        r = compare(OLD, new, d)  # type: ignore[arg-type]
        assert any(f.severity == "error" for f in r.findings), d
        assert_witnesses_hold(OLD, new, r)


def test_name_added_beside_the_pattern_is_breaking_forward() -> None:
    new = _new({"get": {"type": "integer"}, "put": {"type": "integer"}, "post": {}})
    r = compare(OLD, new, "forward")
    assert any(f.severity == "error" for f in r.findings)
    assert_witnesses_hold(OLD, new, r)


def test_undeclared_name_of_the_pattern_is_checked() -> None:
    # "put" is not declared by the new schema: its additionalProperties governs it, and lets strings through
    old = {"type": "object", "patternProperties": {"^(get|put)$": {"type": "integer"}}}
    new = {"type": "object", "properties": {"get": {"type": "integer"}}, "additionalProperties": {"type": "string"}}
    r = compare(old, new, "forward")
    assert any(f.severity == "error" for f in r.findings)
    assert_witnesses_hold(old, new, r)
    exact = {**new, "properties": {"get": {"type": "integer"}, "put": {"type": "integer"}}}
    assert compare(old, exact, "forward").findings == ()
