"""Generated models and their schemas agree on JSON semantics, per version: examples and edge values."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from contractkit.models import model_for, validate_with_model
from contractkit.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = load_registry(ROOT / "schemas")

UUID = "0b6c8f3e-6a4e-4a47-9d0e-3f1a2b3c4d5e"
NOW = "2026-11-25T10:00:00Z"

# Edge values by property name: each is tried in place of the property in every valid example.
EDGES: dict[str, list[Any]] = {
    "quantity": [True, False, 2.0, 2.5, "2", 0, 1, 99, 100, 999, 1000, -1, None, 10**30],
    "unit_price": [
        True,
        0,
        0.01,
        1e6,
        1e6 + 0.01,
        "1.5",
        None,
        {"amount_minor": 1, "currency": "EUR"},
        {"amount_minor": 1.0, "currency": "EUR"},
        {"amount_minor": True, "currency": "EUR"},
        {"amount_minor": 1, "currency": "eur"},
        {"amount_minor": -1, "currency": "EUR"},
        {"amount_minor": 1, "currency": "EUR", "extra": 1},
    ],
    "sku": ["AB", "ABC", "abc", "TSHIRT-RED", "TSHIRT-", "A" * 12, "A" * 13, 123, None, "ÄBC"],
    "customer_id": ["", "x", "x" * 64, "x" * 65, 5, None, "Zoë 🎁"],
    "currency": ["USD", "EUR", "JPY", "usd", "EURO", 1, None],
    "note": ["", "x" * 200, "x" * 201, "x" * 500, "x" * 501, None, 3],
    "gift_wrap": [True, False, 0, 1, "true", None],
    "metadata": [{}, {"channel": "web"}, {"Channel": "web"}, {"a": 1}, {f"k{i}": "v" for i in range(21)}, None, []],
    "id": [UUID, UUID.upper(), UUID.replace("-", ""), "{" + UUID + "}", "not-a-uuid", 5],
    "created_at": [NOW, "2026-11-25T10:00:00+01:00", "2026-11-25 10:00:00Z", "2026-11-25T10:00:00", 1700000000],
    "items": [[], [1], None],
    "total": [0, 0.5, -1, True, {"amount_minor": 0, "currency": "EUR"}],
    "line_total": [0, -0.5, {"amount_minor": 5, "currency": "USD"}],
    "item_count": [0, 1.0, -1, True],
    "extra_field": ["surprise"],
}

# Valid response payloads (responses carry no `examples` in their schemas).
RESPONSES: dict[tuple[str, str], list[Any]] = {
    ("cart_item", "v1"): [{"id": UUID, "sku": "MUG01", "quantity": 2, "unit_price": 1.5, "line_total": 3.0}],
    ("cart_item", "v2"): [
        {
            "id": UUID,
            "sku": "MUG01",
            "quantity": 2,
            "unit_price": {"amount_minor": 150, "currency": "EUR"},
            "line_total": {"amount_minor": 300, "currency": "EUR"},
            "gift_wrap": False,
        }
    ],
    ("cart", "v1"): [{"id": UUID, "customer_id": "c", "currency": "EUR", "items": [], "total": 0, "created_at": NOW}],
    ("cart", "v2"): [
        {
            "id": UUID,
            "customer_id": "c",
            "currency": "EUR",
            "items": [],
            "item_count": 0,
            "total": {"amount_minor": 0, "currency": "EUR"},
            "created_at": NOW,
            "updated_at": NOW,
        }
    ],
    ("problem", "v1"): [{"type": "about:blank", "title": "Not Found", "status": 404}],
    ("problem", "v2"): [
        {
            "type": "about:blank",
            "title": "Gone",
            "status": 410,
            "successor": "v3",
            "errors": [{"pointer": "/quantity", "detail": "too big"}],
        }
    ],
}


def _cases() -> list[tuple[str, str]]:
    return [(name, v.name) for v in REGISTRY.versions for name in sorted(v.schemas)]


def _valid_payloads(name: str, version: str) -> list[Any]:
    raw = REGISTRY.raw(name, version)
    return list(raw.get("examples", [])) + RESPONSES.get((name, version), [])


def _variants(payloads: list[Any]) -> list[Any]:
    out = list(payloads)
    for payload, (prop, values) in itertools.product(payloads, EDGES.items()):
        if not isinstance(payload, dict):
            continue
        for value in values:
            changed = copy.deepcopy(payload)
            changed[prop] = value
            out.append(changed)
        if prop in payload:
            removed = copy.deepcopy(payload)
            del removed[prop]
            out.append(removed)
    out += [None, [], "cart", 1, True, {}]
    return out


@pytest.mark.parametrize(("name", "version"), _cases(), ids=lambda x: str(x))
def test_model_and_schema_agree(name: str, version: str) -> None:
    payloads = _valid_payloads(name, version)
    assert payloads, f"no valid payload for {name}@{version}"
    validator = jsonschema_rs.validator_for(REGISTRY.bundled(name, version), validate_formats=True)
    model = model_for(REGISTRY, "service.models", name, version)
    disagreements = []
    for instance in _variants(payloads):
        by_schema = validator.is_valid(instance)
        # the service validates parsed JSON: round-trip through JSON as a real request would
        by_model = validate_with_model(model, json.loads(json.dumps(instance))) is None
        if by_schema != by_model:
            disagreements.append((instance, by_schema, by_model))
    assert not disagreements, "\n".join(f"schema={s} model={m}: {json.dumps(i)[:160]}" for i, s, m in disagreements)
    for payload in payloads:
        assert validator.is_valid(payload), payload
