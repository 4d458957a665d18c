"""The conversion chains are composed once from the declared changes, and refuse incomplete declarations."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from contractkit.registry import Version
from service.changes import VERSION_CHANGES
from service.versioning import Chains, ConversionContext, VersionChange
from tests.service.support import REGISTRY


def _v(name: str, successor: str | None = None) -> Version:
    return Version(name=name, status="stable", released=dt.date(2026, 1, 1), successor=successor)


def test_head_has_no_conversions_and_v1_has_the_declared_ones() -> None:
    chains = Chains.build(REGISTRY.versions, VERSION_CHANGES)
    assert chains.head == "v2"
    assert chains.requests["v2"] == {} and chains.responses["v2"] == {}
    assert set(chains.requests["v1"]) == {"cart_create", "cart_item_add"}
    assert set(chains.responses["v1"]) == {"cart", "cart_item"}
    assert len(chains.responses["v1"]["cart"]) == 4


def test_an_undeclared_step_is_a_startup_error() -> None:
    with pytest.raises(ValueError, match="no version changes declared from v1"):
        Chains.build((_v("v1", "v2"), _v("v2")), {})
    with pytest.raises(ValueError, match="unknown versions"):
        Chains.build((_v("v1", "v2"), _v("v2")), {"v1": (), "v9": ()})


def test_changes_compose_across_several_steps_in_order() -> None:
    trail: list[str] = []

    def up(tag: str):
        def fn(body: dict, ctx: ConversionContext) -> dict:
            trail.append(tag)
            return {**body, "seen": [*body.get("seen", []), tag]}

        return fn

    def down(tag: str):
        def fn(body: dict) -> dict:
            trail.append(tag)
            return body

        return fn

    changes = {
        "v1": (VersionChange("a", upgrade={"x": up("1->2")}, downgrade={"y": down("2->1")}),),
        "v2": (VersionChange("b", upgrade={"x": up("2->3")}, downgrade={"y": down("3->2")}),),
    }
    chains = Chains.build((_v("v1", "v2"), _v("v2", "v3"), _v("v3")), changes)
    ctx = ConversionContext(lambda: "EUR")
    assert chains.upgrade("v1", "x", {}, ctx) == {"seen": ["1->2", "2->3"]}
    assert chains.upgrade("v2", "x", {}, ctx) == {"seen": ["2->3"]}
    trail.clear()
    chains.downgrade("v1", "y", {})
    assert trail == ["3->2", "2->1"]


def test_conversion_context_loads_lazily_once() -> None:
    calls: list[int] = []
    ctx = ConversionContext(lambda: calls.append(1) or "GBP")
    assert calls == []
    assert ctx.cart_currency == "GBP" and ctx.cart_currency == "GBP"
    assert calls == [1]


def test_the_published_conversions_are_the_served_ones() -> None:
    from service.contract import conversions
    from service.problems import Problem

    conv = conversions()
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
