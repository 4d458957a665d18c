"""The cart's declared changes: composed once (v2, the head, runs none), and the served ones are the
ones replay and fuzzing check (composed from configuration alone)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from contractkit._loading import load_conversions
from contractkit.config import load_config
from contractkit.fastapi import Conversions, Problem, load_changes
from service.changes import from_v1
from tests.service.support import REGISTRY, ROOT


def test_head_has_no_conversions_and_v1_has_the_declared_ones() -> None:
    conversions = Conversions.from_registry(REGISTRY, "service.changes")
    assert conversions.head == "v2"
    assert conversions.requests["v2"] == {} and conversions.responses["v2"] == {}
    assert set(conversions.requests["v1"]) == {"cart_create", "cart_item_add"}
    assert set(conversions.responses["v1"]) == {"cart", "cart_item"}
    assert len(conversions.responses["v1"]["cart"]) == 4


def test_the_convention_finds_from_v1() -> None:
    assert load_changes("service.changes", REGISTRY.versions) == {"v1": tuple(from_v1.CHANGES)}


def test_the_conversions_from_configuration_are_the_served_ones(api) -> None:  # type: ignore[no-untyped-def]
    config = load_config(ROOT)
    assert config.raw["changes"] == "service.changes"
    conv = load_conversions(REGISTRY, changes=config.raw["changes"])
    served = api.app.state.runtime.api.conversions
    assert conv == served  # the same functions, composed the same way
    ctx = SimpleNamespace(cart_currency="GBP")
    assert conv.upgrade("v1", "cart_item_add", {"sku": "MUG01", "quantity": 1, "unit_price": 0.1}, ctx) == {
        "sku": "MUG01",
        "quantity": 1,
        "unit_price": {"amount_minor": 10, "currency": "GBP"},
    }
    assert conv.upgrade("v1", "cart_create", {"customer_id": "c"}, ctx) == {"customer_id": "c", "currency": "USD"}
    item = {
        "id": "00000000-0000-4000-8000-000000000000",
        "sku": "MUG01",
        "quantity": 100,
        "unit_price": {"amount_minor": 1, "currency": "EUR"},
        "line_total": {"amount_minor": 100, "currency": "EUR"},
        "gift_wrap": False,
    }
    with pytest.raises(Problem) as refused:
        conv.downgrade("v1", "cart_item", item)
    assert refused.value.status == 409
