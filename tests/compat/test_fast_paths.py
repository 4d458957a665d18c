"""Shortcuts taken for speed give what the long way gives (issue 12)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from contractkit.compat import _shrink
from contractkit.compat._doc import Doc

_ONE_VALUE_CASES = [
    ({"const": {"a": "xxxxxxxx", "b": [1, 2, 3], "n": 1234}}, {"properties": {"n": {"maximum": 10}}}),
    ({"enum": [{"a": "xxxxxxxx", "n": 1234}]}, {"properties": {"n": {"maximum": 10}}}),
    ({"const": [1.0, "abc", {"k": 99}]}, {"items": {"type": "string"}}),
    ({"const": "a long string value", "type": "string"}, {"maxLength": 3}),
]


@pytest.mark.parametrize(("old", "new"), _ONE_VALUE_CASES, ids=range(len(_ONE_VALUE_CASES)))
def test_one_value_source_shrinks_as_the_long_way(old: Any, new: Any) -> None:
    """The same source wrapped in an ``allOf`` (not one value at its root: the shrinker tries every candidate)
    gives the same witness and location."""
    src, dst = Doc(old, format_assertion=True), Doc(new, format_assertion=True)
    wrapped = Doc({"allOf": [old]}, format_assertion=True)
    instance = old["const"] if "const" in old else old["enum"][0]
    fast = _shrink.shrink_witness(src, dst, instance, "", None)
    slow = _shrink.shrink_witness(wrapped, dst, instance, "", None)
    assert json.dumps(fast) == json.dumps(slow)
    assert fast[0] is instance


def test_a_many_value_enum_still_shrinks() -> None:
    src = Doc({"enum": ["a long string value", ""]}, format_assertion=True)
    dst = Doc({"minLength": 100}, format_assertion=True)
    assert _shrink.shrink_witness(src, dst, "a long string value", "", None)[0] == ""
