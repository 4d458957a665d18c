"""Regression tests for what the fuzzer found: a response outside the service's own contract.

`POST /v2/carts/{id}/items` with `quantity` 89 and `unit_price.amount_minor` 7,883,992,247 answered 201 with
`line_total.amount_minor` 701,675,309,983, above the money schema's maximum of 100,000,000,000. Found by
`tests/fuzz/test_fuzz_live.py::test_real_service_passes` in one of three runs of the same commit (that run
cannot flip any more; see that module). The service must refuse up front, with 422 and a pointer, what it
could not represent in its response; every 2xx body must validate against its schema.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from anyio.from_thread import start_blocking_portal

from service.app import create_app
from service.settings import Settings
from tests.service.support import ACME, API_KEYS, Api, Clock, problem_of, validate

MONEY_MAX = 100_000_000_000


@pytest.fixture
def api() -> Iterator[Api]:
    with start_blocking_portal() as portal:
        app = create_app(Settings(database_url="memory:", api_keys=API_KEYS, access_log=False, rate_limit=0), Clock())
        api = Api(app, portal)
        yield api
        api.close()


def _cart(api: Api) -> str:
    response = api.post("/v2/carts", json={"customer_id": "cus_1", "currency": "EUR"}, headers=ACME)
    assert response.status_code == 201
    return str(response.json()["id"])


def _add(api: Api, cart: str, quantity: int, amount: int) -> httpx.Response:
    body = {"sku": "MUG01", "quantity": quantity, "unit_price": {"amount_minor": amount, "currency": "EUR"}}
    return api.post(f"/v2/carts/{cart}/items", json=body, headers=ACME)


def _refused_with_pointer(response: httpx.Response) -> None:
    body = problem_of(response, 422)
    pointers = {e["pointer"] for e in body.get("errors", [])}
    assert pointers & {"/quantity", "/unit_price/amount_minor", "/unit_price"}, body


def test_a_line_total_over_the_maximum_is_refused(api: Api) -> None:
    cart = _cart(api)
    response = _add(api, cart, 89, 7_883_992_247)  # the fuzzer's case: 701,675,309,983 > 10^11
    _refused_with_pointer(response)
    after = api.get(f"/v2/carts/{cart}", headers=ACME)
    validate("cart", "v2", after.json())
    assert after.json()["items"] == []


def test_an_update_that_takes_a_line_over_the_maximum_is_refused(api: Api) -> None:
    cart = _cart(api)
    item = _add(api, cart, 1, MONEY_MAX // 2)
    assert item.status_code == 201
    item_id = item.json()["id"]
    response = api.patch(f"/v2/carts/{cart}/items/{item_id}", json={"quantity": 3}, headers=ACME)
    _refused_with_pointer(response)
    validate("cart", "v2", api.get(f"/v2/carts/{cart}", headers=ACME).json())


def test_a_cart_total_over_the_maximum_is_refused(api: Api) -> None:
    cart = _cart(api)
    first = _add(api, cart, 1, 60_000_000_000)
    assert first.status_code == 201
    second = _add(api, cart, 1, 60_000_000_000)  # each line is within the maximum, the cart total is not
    _refused_with_pointer(second)
    validate("cart", "v2", api.get(f"/v2/carts/{cart}", headers=ACME).json())


def test_totals_at_the_maximum_are_accepted(api: Api) -> None:
    """The boundary itself is representable: a line and a cart total of exactly 10^11 are fine."""
    cart = _cart(api)
    response = _add(api, cart, 4, MONEY_MAX // 4)
    assert response.status_code == 201
    validate("cart_item", "v2", response.json())
    body = api.get(f"/v2/carts/{cart}", headers=ACME).json()
    validate("cart", "v2", body)
    assert body["total"]["amount_minor"] == MONEY_MAX
