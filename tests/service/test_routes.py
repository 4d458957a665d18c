"""Every route on every version, with responses validated against that version's registry schema."""

from __future__ import annotations

import pytest

from tests.service.support import ACME, Api, add_item, new_cart, problem_of, validate


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_every_route_round_trip(api: Api, version: str) -> None:
    created = api.post(f"/{version}/carts", json={"customer_id": "cus_1", "currency": "EUR"}, headers=ACME)
    assert created.status_code == 201
    cart = created.json()
    validate("cart", version, cart)
    assert created.headers["location"] == f"/{version}/carts/{cart['id']}"
    assert cart["items"] == [] and cart["currency"] == "EUR"

    got = api.get(f"/{version}/carts/{cart['id']}", headers=ACME)
    assert got.status_code == 200
    validate("cart", version, got.json())

    added = add_item(api, cart["id"], version)
    assert added.status_code == 201
    item = added.json()
    validate("cart_item", version, item)
    assert added.headers["location"] == f"/{version}/carts/{cart['id']}/items/{item['id']}"

    got_item = api.get(f"/{version}/carts/{cart['id']}/items/{item['id']}", headers=ACME)
    assert got_item.status_code == 200 and got_item.json() == item
    validate("cart_item", version, got_item.json())

    patched = api.patch(f"/{version}/carts/{cart['id']}/items/{item['id']}", json={"quantity": 5}, headers=ACME)
    assert patched.status_code == 200
    validate("cart_item", version, patched.json())
    assert patched.json()["quantity"] == 5

    full = api.get(f"/{version}/carts/{cart['id']}", headers=ACME).json()
    validate("cart", version, full)
    assert [i["id"] for i in full["items"]] == [item["id"]]

    assert api.delete(f"/{version}/carts/{cart['id']}/items/{item['id']}", headers=ACME).status_code == 204
    problem_of(api.get(f"/{version}/carts/{cart['id']}/items/{item['id']}", headers=ACME), 404, version)
    assert api.get(f"/{version}/carts/{cart['id']}", headers=ACME).json()["items"] == []

    assert api.delete(f"/{version}/carts/{cart['id']}", headers=ACME).status_code == 204
    problem_of(api.get(f"/{version}/carts/{cart['id']}", headers=ACME), 404, version)
    problem_of(api.delete(f"/{version}/carts/{cart['id']}", headers=ACME), 404, version)


def test_v2_totals_and_new_fields(api: Api) -> None:
    cart = new_cart(api, "v2", metadata={"channel": "web"}, note="hi")
    assert cart["metadata"] == {"channel": "web"} and cart["note"] == "hi"
    add_item(api, cart["id"], "v2", quantity=3, gift_wrap=True, note="für Oma")
    add_item(api, cart["id"], "v2", sku="TSHIRT-RED", quantity=1, unit_price={"amount_minor": 500, "currency": "EUR"})
    body = api.get(f"/v2/carts/{cart['id']}", headers=ACME).json()
    validate("cart", "v2", body)
    assert body["item_count"] == 4
    assert body["total"] == {"amount_minor": 3 * 1999 + 500, "currency": "EUR"}
    assert body["items"][0]["gift_wrap"] is True and body["items"][0]["note"] == "für Oma"
    assert body["items"][1]["gift_wrap"] is False and "note" not in body["items"][1]


def test_v2_patch_gift_wrap_only(api: Api) -> None:
    cart = new_cart(api)
    item = add_item(api, cart["id"]).json()
    patched = api.patch(f"/v2/carts/{cart['id']}/items/{item['id']}", json={"gift_wrap": True}, headers=ACME)
    assert patched.status_code == 200
    assert patched.json()["gift_wrap"] is True and patched.json()["quantity"] == 2
    problem = problem_of(api.patch(f"/v2/carts/{cart['id']}/items/{item['id']}", json={}, headers=ACME), 422)
    assert {e["pointer"] for e in problem["errors"]} == {"/quantity", "/gift_wrap"}


def test_v2_item_currency_must_match_cart_409(api: Api) -> None:
    cart = new_cart(api)
    response = add_item(api, cart["id"], unit_price={"amount_minor": 100, "currency": "USD"})
    problem = problem_of(response, 409)
    assert problem["errors"] == [{"pointer": "/unit_price/currency", "detail": "must be the cart's currency EUR"}]


def test_unknown_item_and_cart(api: Api) -> None:
    cart = new_cart(api)
    missing = "00000000-0000-4000-8000-000000000000"
    for version in ("v1", "v2"):
        problem_of(api.get(f"/{version}/carts/{missing}", headers=ACME), 404, version)
        problem_of(api.get(f"/{version}/carts/not-a-uuid", headers=ACME), 404, version)
        problem_of(api.get(f"/{version}/carts/{cart['id']}/items/{missing}", headers=ACME), 404, version)
        problem_of(api.delete(f"/{version}/carts/{cart['id']}/items/{missing}", headers=ACME), 404, version)
        patch = api.patch(f"/{version}/carts/{cart['id']}/items/{missing}", json={"quantity": 1}, headers=ACME)
        problem_of(patch, 404, version)
        problem_of(add_item(api, missing, version), 404, version)
