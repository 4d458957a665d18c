"""JSON equality as the engine reads it: 1 == 1.0, booleans are not numbers, huge numbers of different
types differ, NaN equals nothing, and a str or dict subclass is compared like the rest."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from contractkit._json import dumps_sorted, is_big, is_number, json_equal


class _Str(str):
    pass


class _Dict(dict):  # type: ignore[type-arg]
    pass


def _reference(x: Any, y: Any) -> bool:
    """The definition, case by case in this order (json_equal answers strings and objects first)."""
    if isinstance(x, bool) or isinstance(y, bool):
        return x is y
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(_reference(v, y[k]) for k, v in x.items())
    if isinstance(x, list):
        return isinstance(y, list) and len(x) == len(y) and all(_reference(u, v) for u, v in zip(x, y, strict=True))
    if is_number(x):
        if not is_number(y) or x != y:
            return False
        return type(x) is type(y) or not (is_big(x) or is_big(y))
    return type(x) is type(y) and bool(x == y)


ATOMS: list[Any] = [0, 1, 1.0, -0.0, True, False, None, "a", "1", "", _Str("a"), 2**60, float(2**60),
                    float("nan"), [], {}, [1], {"a": 1}, _Dict(a=1), {"a": 1.0}, {"a": True}]  # fmt: skip


@pytest.mark.parametrize("x", ATOMS, ids=repr)
def test_every_pair_of_atoms(x: Any) -> None:
    for y in ATOMS:
        assert json_equal(x, y) is _reference(x, y), (x, y)


def test_random_documents() -> None:
    rng = random.Random(5)

    def gen(depth: int = 0) -> Any:
        if depth > 2 or rng.random() < 0.5:
            return rng.choice(ATOMS)
        if rng.random() < 0.5:
            return [gen(depth + 1) for _ in range(rng.randint(0, 2))]
        return {rng.choice("ab"): gen(depth + 1) for _ in range(rng.randint(0, 2))}

    for _ in range(3000):
        x = gen()
        y = gen() if rng.random() < 0.5 else x
        assert json_equal(x, y) is _reference(x, y), (x, y)


@pytest.mark.parametrize(
    "value",
    [
        *(1, 1.0, -0.0, 1e300, 10**30, True, None, False, -1.5e-7, float("inf"), float("-inf"), float("nan")),
        *('é\u2028"', "", "\ud800\x00"),  # a str alone takes a path of its own
        *([1, "a", {"b": 2, "a": [1.5]}], {"é": 1, "a": {"z": None}}),
    ],
)
def test_dumps_sorted_is_json_dumps_sort_keys(value: Any) -> None:
    assert dumps_sorted(value) == json.dumps(value, sort_keys=True)
    assert dumps_sorted({"x": value, "a": object}, default_str=True) == json.dumps(
        {"x": value, "a": object}, sort_keys=True, default=str
    )
    with pytest.raises(TypeError):
        dumps_sorted({"a": object})
