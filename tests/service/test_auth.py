"""Bearer keys per tenant; no default tenant; another tenant's cart is indistinguishable from a missing one."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from service.auth import ApiKeys, ConfigError
from tests.service.support import ACME, GLOBEX, Api, add_item, new_cart, problem_of

MISSING_CART = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Basic a2V5LWFjbWUtMWM5ZQ=="},
        {"Authorization": "Bearer"},
        {"Authorization": "key-acme-1c9e"},
        {"Authorization": "Bearer sha256:" + "0" * 64},
    ],
)
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_missing_or_bad_key_is_401(api: Api, headers: dict[str, str], version: str) -> None:
    response = api.post(f"/{version}/carts", json={"customer_id": "c", "currency": "EUR"}, headers=headers)
    problem = problem_of(response, 401, version)
    assert response.headers["www-authenticate"] == 'Bearer realm="cart"'
    assert "key-acme" not in response.text and "wrong" not in response.text
    assert problem["detail"] == "send a valid API key as Authorization: Bearer <key>"


def test_no_configured_keys_means_no_access(make_api: Callable[..., Api]) -> None:
    api = make_api(api_keys="")
    problem_of(api.post("/v2/carts", json={"customer_id": "c", "currency": "EUR"}, headers=ACME), 401)


def test_hashed_key_authenticates(api: Api) -> None:
    assert new_cart(api, headers=GLOBEX)["customer_id"] == "cus_1"


def test_key_parsing() -> None:
    keys = ApiKeys.parse(" a:k1 , b:sha256:" + "ab" * 32 + ",")
    assert [t for t, _ in keys.entries] == ["a", "b"]
    assert keys.tenant_for("Bearer k1") == "a" and keys.tenant_for("bearer k1") == "a"
    assert keys.tenant_for("Bearer k2") is None
    for bad in ("nocolon", "a:", ":k", "a:sha256:xyz", "bad tenant:k"):
        with pytest.raises(ConfigError):
            ApiKeys.parse(bad)


def test_config_error_never_echoes_the_key() -> None:
    with pytest.raises(ConfigError) as info:
        ApiKeys.parse("ok:fine,bad tenant:supersecret")
    assert "supersecret" not in str(info.value)


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_tenant_isolation_on_every_route(api: Api, version: str) -> None:
    cart = new_cart(api, "v2", headers=ACME, currency="USD")
    item = add_item(api, cart["id"], "v2", headers=ACME, unit_price={"amount_minor": 100, "currency": "USD"}).json()
    base, other = f"/{version}/carts/{cart['id']}", f"/{version}/carts/{MISSING_CART}"
    item_url = f"{base}/items/{item['id']}"
    body = {"sku": "MUG01", "quantity": 1, "unit_price": 1.0}
    if version == "v2":
        body["unit_price"] = {"amount_minor": 100, "currency": "USD"}
    calls = [
        ("GET", base, None, other),
        ("DELETE", base, None, other),
        ("POST", f"{base}/items", body, f"{other}/items"),
        ("GET", item_url, None, f"{other}/items/{item['id']}"),
        ("PATCH", item_url, {"quantity": 2}, f"{other}/items/{item['id']}"),
        ("DELETE", item_url, None, f"{other}/items/{item['id']}"),
    ]
    for method, url, payload, missing_url in calls:
        foreign = api.request(method, url, json=payload, headers=GLOBEX)
        missing = api.request(method, missing_url, json=payload, headers=GLOBEX)
        a, b = problem_of(foreign, 404, version), problem_of(missing, 404, version)
        assert {k: v for k, v in a.items() if k != "instance"} == {k: v for k, v in b.items() if k != "instance"}
    # and nothing changed for the owner
    owned = api.get(f"/v2/carts/{cart['id']}", headers=ACME).json()
    assert [(i["id"], i["quantity"]) for i in owned["items"]] == [(item["id"], item["quantity"])]
