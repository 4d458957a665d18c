"""Reader policy: a tolerant reader ignores properties it does not know; strict reads the schema as written.

Every witness must hold against the reading the reader does (the target schema read tolerantly).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from contractkit.compat import CompatInputError, compare, compare_in_registry
from contractkit.compat._reader import tolerant
from contractkit.errors import IndexError_
from contractkit.registry import load_registry
from tests.compat._util import ids

ITEM_V1 = {
    "type": "object",
    "properties": {"sku": {"type": "string"}, "qty": {"type": "integer"}, "status": {"enum": ["open", "paid"]}},
    "required": ["sku", "qty"],
    "additionalProperties": False,
}


def _with(**props: Any) -> dict[str, Any]:
    out = json.loads(json.dumps(ITEM_V1))
    for k, v in props.items():
        if v is None:
            del out["properties"][k]
        else:
            out["properties"][k] = v
    return out


def _witnesses_hold_tolerantly(old: Any, new: Any, report: Any) -> None:
    for f in report.findings:
        if f.witness is None:
            continue
        src, dst = (old, new) if f.direction == "backward" else (new, old)
        assert jsonschema_rs.validator_for(src).is_valid(f.witness.instance), f
        assert not jsonschema_rs.validator_for(tolerant(dst)).is_valid(f.witness.instance), f


def test_an_added_optional_response_property_is_compatible_for_a_tolerant_reader() -> None:
    new = _with(gift_wrap={"type": "boolean"})
    strict = compare(ITEM_V1, new, "forward")
    assert ids(strict) == {"property-added"} and not strict.compatible
    assert compare(ITEM_V1, new, "forward", reader="tolerant").findings == ()


def test_a_declared_property_whose_type_changes_still_breaks_a_tolerant_reader() -> None:
    new = _with(qty={"type": "number"}, gift_wrap={"type": "boolean"})
    report = compare(ITEM_V1, new, "forward", reader="tolerant")
    assert ids(report) == {"type-widened"} and not report.compatible
    _witnesses_hold_tolerantly(ITEM_V1, new, report)


def test_a_removed_optional_request_property_is_compatible_for_a_tolerant_reader() -> None:
    # backward: the reader is the new schema; it ignores the property it no longer knows
    new = _with(status=None)
    assert ids(compare(ITEM_V1, new, "backward")) == {"property-removed"}
    assert compare(ITEM_V1, new, "backward", reader="tolerant").findings == ()


def test_a_value_added_to_an_enum_is_a_warning_for_a_tolerant_reader() -> None:
    new = _with(status={"enum": ["open", "paid", "refunded"]})
    strict = compare(ITEM_V1, new, "forward")
    assert [(f.rule_id, f.severity) for f in strict.findings] == [("enum-value-added", "error")]
    tolerant_report = compare(ITEM_V1, new, "forward", reader="tolerant")
    assert [(f.rule_id, f.severity) for f in tolerant_report.findings] == [("enum-value-added", "warning")]
    assert tolerant_report.compatible
    _witnesses_hold_tolerantly(ITEM_V1, new, tolerant_report)


def test_maps_and_nested_objects_keep_their_constraints_for_a_tolerant_reader() -> None:
    old = {"type": "object", "properties": {"prices": {"type": "object", "additionalProperties": {"type": "integer"}}}}
    new = {"type": "object", "properties": {"prices": {"type": "object", "additionalProperties": {"type": "number"}}}}
    report = compare(old, new, "forward", reader="tolerant")
    assert not report.compatible and report.findings[0].witness is not None
    _witnesses_hold_tolerantly(old, new, report)


def test_a_property_named_like_a_keyword_is_not_mistaken_for_one() -> None:
    schema = {"type": "object", "properties": {"additionalProperties": False}, "additionalProperties": False}
    assert tolerant(schema) == {"type": "object", "properties": {"additionalProperties": False}}


def test_an_unknown_reader_is_refused() -> None:
    with pytest.raises(CompatInputError, match="unknown reader 'lenient'"):
        compare(ITEM_V1, ITEM_V1, "forward", reader="lenient")  # type: ignore[arg-type]


def _registry(tmp: Path, policy: str, readers: str) -> Path:
    (tmp / "v1").mkdir(parents=True)
    (tmp / "v1" / "item.json").write_text(json.dumps(ITEM_V1))
    (tmp / "v1" / "item_add.json").write_text(json.dumps(ITEM_V1))
    (tmp / "index.toml").write_text(
        f'[policy]\n{policy}\n\n[roles]\nitem = "response"\nitem_add = "request"\n\n{readers}\n\n'
        '[[versions]]\nname = "v1"\nstatus = "stable"\nreleased = 2025-01-01\n\n'
        '[versions.schemas]\nitem = "v1/item.json"\nitem_add = "v1/item_add.json"\n'
    )
    return tmp


def test_the_index_sets_readers_by_role_with_per_schema_overrides(tmp_path: Path) -> None:
    root = _registry(tmp_path, 'readers = { response = "tolerant" }', "")
    index = load_registry(root).index
    assert (index.reader_for("item"), index.reader_for("item_add"), index.reader_for("other")) == (
        "tolerant", "strict", "strict",
    )  # fmt: skip
    (tmp_path / "index.toml").write_text(
        (tmp_path / "index.toml").read_text().replace("[[versions]]", '[readers]\nitem = "strict"\n\n[[versions]]', 1)
    )
    assert load_registry(root).index.reader_for("item") == "strict"


def test_compare_in_registry_takes_mode_and_reader_from_the_index(tmp_path: Path) -> None:
    base = load_registry(_registry(tmp_path / "a", 'readers = { response = "tolerant" }', ""))
    head_root = _registry(tmp_path / "b", 'readers = { response = "tolerant" }', "")
    (head_root / "v1" / "item.json").write_text(json.dumps(_with(gift_wrap={"type": "boolean"})))
    head = load_registry(head_root)
    report = compare_in_registry(base, head, "item", "v1", "v1")
    assert report.mode == "forward" and report.findings == ()
    (head_root / "index.toml").write_text((head_root / "index.toml").read_text().replace("tolerant", "strict"))
    strict = compare_in_registry(base, load_registry(head_root), "item", "v1", "v1")
    assert ids(strict) == {"property-added"}


@pytest.mark.parametrize(
    ("policy", "readers", "pointer"),
    [
        ('readers = { response = "lenient" }', "", "/policy/readers/response"),
        ('readers = { reply = "strict" }', "", "/policy/readers/reply"),
        ('readers = "tolerant"', "", "/policy/readers"),
        ("", '[readers]\nitem = "loose"', "/readers/item"),
        ("", '[readers]\nghost = "strict"', "/readers/ghost"),
    ],
)
def test_a_bad_reader_policy_names_its_pointer(tmp_path: Path, policy: str, readers: str, pointer: str) -> None:
    with pytest.raises(IndexError_) as info:
        load_registry(_registry(tmp_path, policy, readers))
    assert f"index.toml#{pointer}:" in str(info.value)
