"""Witnesses under names that no ``patternProperties`` pattern covers.

An object closed by ``additionalProperties`` beside a ``.+`` pattern still rejects one name: the empty
one (no character for ``.`` to match). A map rewritten from ``patternProperties: {".+": R}`` +
``additionalProperties: false`` to ``additionalProperties: R`` newly accepts ``{"": ...}`` (dependabot's
registries), and an open object narrowed to that closed form rejects it. The witness search places a
member under ``additionalProperties`` with a name neither document's patterns cover, and mutates objects
with names outside the target's patterns (from the patterns' automata).
"""

from __future__ import annotations

from typing import Any

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold

REGISTRY: dict[str, Any] = {"type": "object", "properties": {"url": {"type": "string"}}}


def _map(pattern: str | None) -> dict[str, Any]:
    registries: dict[str, Any] = {"type": "object", "additionalProperties": REGISTRY}
    if pattern is not None:
        registries = {"type": "object", "additionalProperties": False, "patternProperties": {pattern: REGISTRY}}
    return {"type": "object", "required": ["version"],
            "properties": {"version": {"const": 2}, "registries": registries}}  # fmt: skip


def _witnesses(old: Any, new: Any, d: str) -> list[Any]:
    report = compare(old, new, d)  # type: ignore[arg-type]
    assert_witnesses_hold(old, new, report)
    return [f.witness.instance for f in report.findings if f.witness is not None]


def test_a_pattern_map_opened_to_additional_properties_is_witnessed_by_the_empty_name() -> None:
    old, new = _map(".+"), _map(None)
    assert compare(old, new, "backward").compatible
    found = _witnesses(old, new, "forward")
    assert found
    assert all("" in w["registries"] or "\n" in w["registries"] for w in found)


def test_no_witness_when_the_pattern_covers_every_name() -> None:
    # ``^.*$`` matches the empty name too: the two forms are the same map
    old, new = _map("^.*$"), _map(None)
    assert not _witnesses(old, new, "forward")
    assert not _witnesses(old, new, "backward")


def test_an_open_object_closed_to_a_pattern_is_witnessed_by_a_name_outside_it() -> None:
    old = {"type": "object", "properties": {"m": {"type": "object"}}}
    new = {"type": "object", "properties": {"m": {"type": "object", "additionalProperties": False,
                                                  "patternProperties": {".+": {}}}}}  # fmt: skip
    found = _witnesses(old, new, "backward")
    assert found
    assert not compare(old, new, "backward").compatible
    assert compare(old, new, "forward").compatible


def test_no_witness_when_the_closed_object_covers_every_name() -> None:
    old = {"type": "object", "properties": {"m": {"type": "object"}}}
    new = {"type": "object", "properties": {"m": {"type": "object", "additionalProperties": False,
                                                  "patternProperties": {"": {}}}}}  # fmt: skip
    assert not _witnesses(old, new, "backward")
