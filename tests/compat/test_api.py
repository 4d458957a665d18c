"""The public API: report shape, modes, overrides, transitive comparison, inputs."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import contractkit.compat as compat
from contractkit.compat import CompatInputError, Finding, compare, compare_transitive

OLD = {"type": "object", "properties": {"a": {"type": "integer"}}}
NEW = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}


def test_public_names_are_pinned() -> None:
    assert compat.__all__ == [
        "READERS", "RULES", "CompatInputError", "CompatReport", "Direction", "Finding", "Mode", "Reader", "Rule",
        "Severity", "Witness", "compare", "compare_in_registry", "compare_transitive", "mode_for_role",
    ]  # fmt: skip


def test_finding_is_frozen_and_slotted() -> None:
    f = compare(OLD, NEW).findings[0]
    assert isinstance(f, Finding)
    assert not hasattr(f, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.rule_id = "x"  # type: ignore[misc]


def test_report_fields_and_pointers() -> None:
    r = compare(OLD, NEW, "backward")
    assert r.mode == "backward" and r.compatible is False
    (f,) = r.findings
    assert f.rule_id == "property-became-required" and f.direction == "backward" and f.severity == "error"
    assert f.new_pointer == "/required" and f.witness is not None and f.witness.valid_under == "old"
    assert f.witness.instance == {} and f.witness.at == "/a"  # shrunk to what shows the break; the missing property
    assert r.to_json()["findings"][0]["witness"] == {"instance": {}, "valid_under": "old", "at": "/a"}


def test_full_checks_both_directions() -> None:
    r = compare(OLD, NEW, "full")
    assert {f.direction for f in r.findings} == {"backward"}
    r2 = compare(NEW, OLD, "full")
    assert {f.direction for f in r2.findings} == {"forward"}


def test_override_downgrades_severity() -> None:
    r = compare(OLD, NEW, overrides={"property-became-required": "warning"})
    assert r.findings[0].severity == "warning" and r.compatible


def test_undecided_blocks_even_when_overridden() -> None:
    old = {"type": "string", "pattern": "^\\d+$"}  # Unicode digits in Python's reading, not in [0-9]
    new = {"type": "string", "pattern": "^[0-9]+$"}
    r = compare(old, new, overrides={"undecided": "info"})
    assert r.findings[0].rule_id == "undecided" and not r.compatible


def test_accepts_objects_with_a_schema_attribute() -> None:
    @dataclasses.dataclass
    class Ref:
        schema: Any

    assert not compare(Ref(OLD), Ref(NEW)).compatible


def test_bad_input_raises_one_error_type() -> None:
    with pytest.raises(CompatInputError):
        compare([], OLD)
    with pytest.raises(CompatInputError):
        compare(OLD, NEW, "sideways")  # type: ignore[arg-type]


def test_transitive_compares_every_earlier_version() -> None:
    v1 = {"type": "integer", "maximum": 100}
    v2 = {"type": "integer", "maximum": 200}
    v3 = {"type": "integer", "maximum": 150}
    r = compare_transitive([("v1", v1), ("v2", v2), ("v3", v3)], "backward-transitive")
    assert not r.compatible
    assert {f.version for f in r.findings} == {"v2->v3"}
    assert compare(v1, v3).compatible  # non-transitive v1 -> v3 alone is fine
    r_fwd = compare_transitive([("v1", v1), ("v2", v2), ("v3", v3)], "forward-transitive")
    assert {f.version for f in r_fwd.findings} == {"v1->v2", "v1->v3"}


def test_unknown_drafts_are_refused() -> None:
    with pytest.raises(CompatInputError) as exc:
        compare({"$schema": "http://json-schema.org/draft-03/schema#", "type": "integer"}, True)
    assert exc.value.side == "old" and exc.value.pointer == "/$schema"


def test_uncompilable_schema_is_refused() -> None:
    with pytest.raises(CompatInputError) as exc:
        compare(True, {"$ref": "#/$defs/missing"})
    assert exc.value.side == "new"
