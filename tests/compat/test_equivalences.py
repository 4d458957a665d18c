"""Equivalent rewrites are compatible both ways (``full``), and each proof is tried against instances.

Each pair is written two ways that accept exactly the same instances; the engine must prove both
inclusions. A bounded, seeded differential check then tries to refute each proof with instances drawn
from both schemas' vocabulary (validated by jsonschema-rs).
"""

from __future__ import annotations

import itertools
import random
from typing import Any

import jsonschema_rs
import pytest

from contractkit.compat import compare

OBJ = {"type": "object"}
EQUIVALENT: list[tuple[str, Any, Any]] = [
    ("pattern, repeated atom vs counted", {"type": "string", "pattern": "^[A-Z][A-Z][A-Z]$"},
     {"type": "string", "pattern": "^[A-Z]{3}$"}),
    ("multipleOf across allOf", {"type": "integer", "allOf": [{"multipleOf": 2}, {"multipleOf": 3}]},
     {"type": "integer", "multipleOf": 6}),
    ("multipleOf across allOf, decimals", {"type": "number", "allOf": [{"multipleOf": 0.5}, {"multipleOf": 0.75}]},
     {"type": "number", "multipleOf": 1.5}),
    ("dependentRequired as if/then", {**OBJ, "dependentRequired": {"card": ["cvv"]}},
     {**OBJ, "if": {"required": ["card"]}, "then": {"required": ["cvv"]}}),
    ("additionalProperties vs unevaluatedProperties",
     {**OBJ, "properties": {"a": {"type": "integer"}}, "additionalProperties": False},
     {**OBJ, "properties": {"a": {"type": "integer"}}, "unevaluatedProperties": False}),
    ("items false vs maxItems 0", {"type": "array", "items": False}, {"type": "array", "maxItems": 0}),
    ("closed map: patternProperties vs propertyNames",
     {**OBJ, "patternProperties": {"^[a-z]+$": {"type": "integer"}}, "additionalProperties": False},
     {**OBJ, "propertyNames": {"pattern": "^[a-z]+$"}, "additionalProperties": {"type": "integer"}}),
    ("closed object: additionalProperties vs propertyNames enum",
     {**OBJ, "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}, "additionalProperties": False},
     {**OBJ, "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}, "propertyNames": {"enum": ["a", "b"]}}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "a", "b"), EQUIVALENT, ids=[e[0] for e in EQUIVALENT])
def test_equivalent_rewrites_are_compatible_both_ways(name: str, a: Any, b: Any) -> None:
    for old, new in ((a, b), (b, a)):
        report = compare(old, new, "full")
        assert report.compatible and report.findings == (), (name, report.findings)


def _instances(rng: random.Random, a: Any, b: Any) -> list[Any]:
    text = str(a) + str(b)
    keys = ["a", "b", "card", "cvv", "x", "ab", "A", "", "a1"]
    strings = ["", "A", "AB", "ABC", "ABCD", "abc", "AbC", "a", "ZZZ"]
    numbers: list[Any] = [0, 1, 2, 3, 4, 6, 9, 12, 0.5, 0.75, 1.5, 2.25, 3.0, -6, 7.5]
    scalars: list[Any] = [None, True, *strings, *numbers]
    out: list[Any] = list(scalars)
    for n in range(4):
        out += [list(c) for c in itertools.islice(itertools.product(scalars[:6], repeat=n), 30)]
    for _ in range(400):
        obj = {rng.choice(keys): rng.choice(scalars) for _ in range(rng.randint(0, 4))}
        out.append(obj)
    assert text  # the vocabulary above covers the schemas' names and values
    return out


@pytest.mark.parametrize(("name", "a", "b"), EQUIVALENT, ids=[e[0] for e in EQUIVALENT])
def test_no_instance_tells_equivalent_rewrites_apart(name: str, a: Any, b: Any) -> None:
    va, vb = jsonschema_rs.validator_for(a), jsonschema_rs.validator_for(b)
    for x in _instances(random.Random(12), a, b):
        assert va.is_valid(x) == vb.is_valid(x), (name, x)
