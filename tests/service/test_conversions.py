"""v1 is served through the declared changes (service.changes): requests upgrade, responses downgrade."""

from __future__ import annotations

from tests.service.support import ACME, Api, add_item, new_cart, problem_of, validate


def test_v1_create_defaults_to_usd(api: Api) -> None:
    cart = new_cart(api, "v1")
    assert cart["currency"] == "USD"
    v2 = api.get(f"/v2/carts/{cart['id']}", headers=ACME).json()
    validate("cart", "v2", v2)
    assert v2["currency"] == "USD" and v2["total"] == {"amount_minor": 0, "currency": "USD"}


def test_v1_note_reaches_v2(api: Api) -> None:
    cart = new_cart(api, "v1", note="gift for Zoë 🎁", currency="GBP")
    assert "note" not in cart  # v1 carts have no note in responses
    assert api.get(f"/v2/carts/{cart['id']}", headers=ACME).json()["note"] == "gift for Zoë 🎁"


def test_v1_price_upgrades_to_minor_units_of_the_cart_currency(api: Api) -> None:
    cart = new_cart(api, "v1", currency="GBP")
    item = add_item(api, cart["id"], "v1", unit_price=19.99, quantity=3).json()
    assert item == {**item, "unit_price": 19.99, "line_total": 59.97, "quantity": 3}
    v2_item = api.get(f"/v2/carts/{cart['id']}/items/{item['id']}", headers=ACME).json()
    validate("cart_item", "v2", v2_item)
    assert v2_item["unit_price"] == {"amount_minor": 1999, "currency": "GBP"}
    assert v2_item["line_total"] == {"amount_minor": 5997, "currency": "GBP"}
    assert v2_item["gift_wrap"] is False


def test_v1_integer_price_is_a_number(api: Api) -> None:
    cart = new_cart(api, "v1")
    item = add_item(api, cart["id"], "v1", unit_price=20).json()
    assert item["unit_price"] == 20.0
    v2_item = api.get(f"/v2/carts/{cart['id']}/items/{item['id']}", headers=ACME).json()
    assert v2_item["unit_price"]["amount_minor"] == 2000


def test_v1_price_with_too_many_decimals_is_409_with_pointer(api: Api) -> None:
    cart = new_cart(api, "v1")
    problem = problem_of(add_item(api, cart["id"], "v1", unit_price=19.999), 409, "v1")
    assert problem["type"].endswith("/conflicts-with-cart")
    assert problem["errors"] == [{"pointer": "/unit_price", "detail": "has more decimal places than USD allows"}]
    assert api.get(f"/v2/carts/{cart['id']}", headers=ACME).json()["items"] == []


def test_v2_cart_downgrades_to_v1(api: Api) -> None:
    cart = new_cart(api, "v2", metadata={"channel": "web"})
    add_item(api, cart["id"], "v2", quantity=4, gift_wrap=True, note="n")
    v1 = api.get(f"/v1/carts/{cart['id']}", headers=ACME).json()
    validate("cart", "v1", v1)
    assert v1["total"] == 79.96
    assert v1["items"][0]["unit_price"] == 19.99 and v1["items"][0]["line_total"] == 79.96
    assert set(v1) == {"id", "customer_id", "currency", "items", "total", "created_at"}
    assert set(v1["items"][0]) == {"id", "sku", "quantity", "unit_price", "line_total"}


def test_v1_patch_of_a_v2_item_keeps_v2_fields(api: Api) -> None:
    cart = new_cart(api)
    item = add_item(api, cart["id"], gift_wrap=True).json()
    patched = api.patch(f"/v1/carts/{cart['id']}/items/{item['id']}", json={"quantity": 7}, headers=ACME)
    assert patched.status_code == 200
    validate("cart_item", "v1", patched.json())
    v2_item = api.get(f"/v2/carts/{cart['id']}/items/{item['id']}", headers=ACME).json()
    assert v2_item["quantity"] == 7 and v2_item["gift_wrap"] is True


def test_v1_limits_still_apply_on_v1(api: Api) -> None:
    cart = new_cart(api, "v1")
    problem = problem_of(add_item(api, cart["id"], "v1", quantity=100), 422, "v1")
    assert [e["pointer"] for e in problem["errors"]] == ["/quantity"]
    problem = problem_of(api.post("/v1/carts", json={"customer_id": "c", "currency": "JPY"}, headers=ACME), 422, "v1")
    assert [e["pointer"] for e in problem["errors"]] == ["/currency"]


def test_what_v1_cannot_represent_is_409_naming_v2(api: Api) -> None:
    yen = new_cart(api, "v2", currency="JPY")
    problem = problem_of(api.get(f"/v1/carts/{yen['id']}", headers=ACME), 409, "v1")
    assert problem["successor"] == "v2" and "JPY" in problem["detail"]

    cart = new_cart(api)
    big = add_item(api, cart["id"], quantity=500).json()
    problem_of(api.get(f"/v1/carts/{cart['id']}", headers=ACME), 409, "v1")
    problem_of(api.get(f"/v1/carts/{cart['id']}/items/{big['id']}", headers=ACME), 409, "v1")

    free = new_cart(api)
    gift = add_item(api, free["id"], unit_price={"amount_minor": 0, "currency": "EUR"}).json()
    problem_of(api.get(f"/v1/carts/{free['id']}/items/{gift['id']}", headers=ACME), 409, "v1")


def test_v1_price_on_a_zero_decimal_cart(api: Api) -> None:
    yen = new_cart(api, "v2", currency="JPY")
    problem_of(add_item(api, yen["id"], "v1", unit_price=19.99), 409, "v1")
    item = add_item(api, yen["id"], "v1", unit_price=1999.0).json()
    v2_item = api.get(f"/v2/carts/{yen['id']}/items/{item['id']}", headers=ACME).json()
    assert v2_item["unit_price"] == {"amount_minor": 1999, "currency": "JPY"}


def test_zero_decimal_currency_on_v2(api: Api) -> None:
    cart = new_cart(api, "v2", currency="JPY")
    item = add_item(api, cart["id"], unit_price={"amount_minor": 1500, "currency": "JPY"}).json()
    validate("cart_item", "v2", item)
    assert item["line_total"] == {"amount_minor": 3000, "currency": "JPY"}


def test_v1_integral_float_quantity_is_an_integer_after_upgrade(api: Api) -> None:
    cart = new_cart(api, "v1")
    raw = b'{"sku": "MUG01", "quantity": 2.0, "unit_price": 1.5}'
    response = api.post(
        f"/v1/carts/{cart['id']}/items", content=raw, headers={**ACME, "content-type": "application/json"}
    )
    assert response.status_code == 201
    assert b'"quantity":2,' in response.content
    validate("cart_item", "v1", response.json())
