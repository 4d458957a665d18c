"""Witnesses people can use: shrunk to what shows the break, still confirmed by the validator, located,
and printed whole (shortened only where a format must, at value boundaries, with `…(n more)`)."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema_rs
import pytest

from contractkit.compat import compare
from contractkit.reporting.witness import compact, value_at

CLOSED_ITEM = {
    "type": "object",
    "properties": {
        "sku": {"type": "string", "minLength": 3},
        "qty": {"type": "integer", "minimum": 1, "maximum": 99},
        "note": {"type": "string"},
    },
    "required": ["sku", "qty"],
    "additionalProperties": False,
}


def order(item: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"id": {"type": "string", "format": "uuid"}, "items": {"type": "array", "items": item}, **extra},
        "required": ["id", "items"],
        "additionalProperties": False,
    }


def with_(schema: dict[str, Any], path: list[str], **changes: Any) -> dict[str, Any]:
    out = json.loads(json.dumps(schema))
    node = out
    for key in path:
        node = node[key]
    node.update(changes)
    return out


def only(report: Any, rule_id: str) -> Any:
    [f] = [f for f in report.findings if f.rule_id == rule_id]
    assert f.witness is not None
    return f.witness


def holds(old: Any, new: Any, witness: Any) -> bool:
    src, dst = (old, new) if witness.valid_under == "old" else (new, old)
    v = lambda s: jsonschema_rs.validator_for(s, validate_formats=True)  # noqa: E731
    return bool(v(src).is_valid(witness.instance)) and not v(dst).is_valid(witness.instance)


def test_boundary_value_and_required_siblings_only() -> None:
    old = order(CLOSED_ITEM)
    new = order(with_(CLOSED_ITEM, ["properties", "qty"], maximum=50))
    w = only(compare(old, new), "maximum-decreased")
    assert holds(old, new, w)
    # the break (51, the first value past the new maximum) in the one item it needs, with only the
    # required siblings (an id that is a uuid, a 3-character sku); the optional `note` is gone
    assert w.instance["items"] == [{"sku": "aaa", "qty": 51}] or w.instance["items"][0]["qty"] == 51
    assert set(w.instance) == {"id", "items"} and set(w.instance["items"][0]) == {"sku", "qty"}
    assert len(w.instance["items"][0]["sku"]) == 3
    assert w.at == "/items/0/qty"


def test_shrinking_keeps_the_reason_of_the_break() -> None:
    """Two breaks in one schema: each witness still shows its own (shrinking never drifts to the other)."""
    old = order(CLOSED_ITEM)
    item = with_(CLOSED_ITEM, ["properties", "qty"], maximum=50)
    item = with_(item, [], required=["sku", "qty", "note"])
    new = order(item)
    report = compare(old, new)
    bound, required = only(report, "maximum-decreased"), only(report, "property-became-required")
    assert holds(old, new, bound) and holds(old, new, required)
    assert bound.at == "/items/0/qty" and bound.instance["items"][0]["qty"] == 51
    assert required.at == "/items/0/note" and "note" not in required.instance["items"][0]


def test_new_field_is_located_at_the_field() -> None:
    item = with_(CLOSED_ITEM, ["properties", "sku"], minLength=0)  # (the engine's witness search, issue M1)
    old = order(item)
    new = order(with_(item, ["properties"], gift={"type": "boolean"}))
    w = only(compare(old, new, "forward"), "property-added")
    assert holds(old, new, w) and w.valid_under == "new" and w.at == "/items/0/gift"


def test_root_level_required_property() -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "required": ["a"]}
    new = {**old, "required": ["a", "b"]}
    w = only(compare(old, new), "property-became-required")
    assert w.instance == {"a": ""} and w.at == "/b"


WIDE = {
    "id": "123e4567-e89b-12d3-a456-426614174000",
    "customer_id": "",
    "items": [{"sku": "TSHIRT", "quantity": 999, "unit_price": {"amount_minor": 0, "currency": "EUR"}}],
    "total": {"amount_minor": 0, "currency": "EUR"},
}


def test_compact_is_whole_json_when_it_fits() -> None:
    assert json.loads(compact(WIDE)) == WIDE
    assert json.loads(compact(WIDE, "/items/0/quantity", 10_000)) == WIDE


@pytest.mark.parametrize("limit", [40, 80, 120, 160])
def test_compact_shortens_at_value_boundaries_around_the_break(limit: int) -> None:
    text = compact(WIDE, "/items/0/quantity", limit)
    assert '"quantity": 999' in text and "…(" in text and "more)" in text
    # every string and number that is shown is shown whole: no cut tokens
    for token in ('"123e4567-e89b-12d3-a456-426614174000"', '"TSHIRT"', '"EUR"'):
        head = token[:6]
        if head in text:
            assert token in text, (limit, text)
    # the markers are the only non-JSON parts: without them, it parses, and it is part of the witness
    cleaned = re.sub(r", (?=[}\]])", "", re.sub(r"…\(\d+ more\)(, )?", "", text))
    shown = json.loads(cleaned)
    assert shown["items"][0]["quantity"] == 999 and set(shown) <= set(WIDE)


def test_value_at() -> None:
    assert value_at(WIDE, "/items/0/unit_price/currency") == (True, "EUR")
    assert value_at(WIDE, "/items/3") == (False, None)
    assert value_at(WIDE, None) == (True, WIDE)


def test_diff_prints_witnesses_whole(cli: Any, tmp_path: Any) -> None:
    """The text output of `diff` carries each witness as one complete line of JSON, and where it breaks."""
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    long_old = {"type": "object", "properties": {f"field_{i}": {"type": "string"} for i in range(40)}}
    long_old["required"] = [f"field_{i}" for i in range(40)]
    long_new = {**long_old, "properties": {**long_old["properties"], "field_39": {"type": "string", "maxLength": 3}}}
    old.write_text(json.dumps(long_old))
    new.write_text(json.dumps(long_new))
    result = cli("diff", str(old), str(new))
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if x.lstrip().startswith("witness"))
    assert "the break is at /field_39" in line
    witness = json.loads(line.split(": ", 1)[1])
    assert len(witness) == 40 and len(witness["field_39"]) == 4
