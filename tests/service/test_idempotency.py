"""Idempotency-Key on POST: replay, mismatch (422), in flight (409), per tenant, 24 h expiry."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest

from tests.service.support import ACME, GLOBEX, Api, Clock, new_cart, problem_of

BODY = {"customer_id": "cus_idem", "currency": "EUR"}


def _count(api: Api, version: str, cart_id: str) -> int:
    return len(api.get(f"/{version}/carts/{cart_id}", headers=ACME).json()["items"])


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_same_key_same_body_replays_without_a_second_write(api: Api, version: str) -> None:
    cart = new_cart(api, version)
    price = 1.5 if version == "v1" else {"amount_minor": 150, "currency": "EUR"}
    item = {"sku": "MUG01", "quantity": 1, "unit_price": price}
    headers = {**ACME, "Idempotency-Key": "add-1"}
    first = api.post(f"/{version}/carts/{cart['id']}/items", json=item, headers=headers)
    second = api.post(f"/{version}/carts/{cart['id']}/items", json=item, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.content == second.content
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    if version == "v1":
        assert second.headers["deprecation"] == first.headers["deprecation"]
    assert _count(api, version, cart["id"]) == 1


def test_key_order_and_whitespace_do_not_matter(api: Api) -> None:
    headers = {**ACME, "Idempotency-Key": "k", "content-type": "application/json"}
    first = api.post("/v2/carts", content=b'{"customer_id":"c","currency":"EUR"}', headers=headers)
    second = api.post("/v2/carts", content=b'{ "currency": "EUR",\n "customer_id": "c" }', headers=headers)
    assert first.json()["id"] == second.json()["id"]


def test_same_key_different_body_is_422(api: Api) -> None:
    headers = {**ACME, "Idempotency-Key": "create-1"}
    assert api.post("/v2/carts", json=BODY, headers=headers).status_code == 201
    problem = problem_of(api.post("/v2/carts", json={**BODY, "note": "x"}, headers=headers), 422)
    assert problem["type"].endswith("/idempotency-key-reused")


def test_same_key_other_path_is_422(api: Api) -> None:
    headers = {**ACME, "Idempotency-Key": "create-2"}
    assert api.post("/v2/carts", json=BODY, headers=headers).status_code == 201
    problem_of(api.post("/v1/carts", json=BODY, headers=headers), 422, "v1")


def test_in_flight_duplicate_is_409(api: Api, clock: Clock) -> None:
    # Claim the key the way a first request does, and answer a duplicate while that claim is open.
    store = api.app.state.store
    assert store.idem_begin("acme", "busy", "fingerprint", clock().timestamp(), 86400, 60).state == "new"
    problem = problem_of(api.post("/v2/carts", json=BODY, headers={**ACME, "Idempotency-Key": "busy"}), 409)
    assert problem["type"].endswith("/idempotency-in-flight")
    # a claim whose owner died is taken over after the lease
    clock.now += dt.timedelta(seconds=61)
    assert api.post("/v2/carts", json=BODY, headers={**ACME, "Idempotency-Key": "busy"}).status_code == 201


def test_concurrent_duplicates_write_once(make_api: Callable[..., Api]) -> None:
    api = make_api()
    cart = new_cart(api)
    item = {"sku": "MUG01", "quantity": 1, "unit_price": {"amount_minor": 150, "currency": "EUR"}}
    headers = {**ACME, "Idempotency-Key": "race"}
    statuses: list[int] = []

    def post() -> None:
        statuses.append(api.post(f"/v2/carts/{cart['id']}/items", json=item, headers=headers).status_code)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(statuses) <= {201, 409} and 201 in statuses
    assert _count(api, "v2", cart["id"]) == 1


def test_keys_are_scoped_per_tenant(api: Api) -> None:
    a = api.post("/v2/carts", json=BODY, headers={**ACME, "Idempotency-Key": "shared"})
    b = api.post("/v2/carts", json=BODY, headers={**GLOBEX, "Idempotency-Key": "shared"})
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]
    assert "idempotent-replayed" not in b.headers


def test_failed_requests_are_not_stored(api: Api) -> None:
    headers = {**ACME, "Idempotency-Key": "retry-after-fix"}
    missing = "00000000-0000-4000-8000-000000000000"
    item = {"sku": "MUG01", "quantity": 1, "unit_price": {"amount_minor": 1, "currency": "EUR"}}
    problem_of(api.post(f"/v2/carts/{missing}/items", json=item, headers=headers), 404)
    problem_of(api.post("/v2/carts", json={"customer_id": ""}, headers=headers), 422)
    assert api.post("/v2/carts", json=BODY, headers=headers).status_code == 201


def test_keys_expire_after_24_hours(api: Api, clock: Clock) -> None:
    headers = {**ACME, "Idempotency-Key": "daily"}
    first = api.post("/v2/carts", json=BODY, headers=headers).json()
    clock.now += dt.timedelta(hours=23, minutes=59)
    assert api.post("/v2/carts", json=BODY, headers=headers).json()["id"] == first["id"]
    clock.now += dt.timedelta(minutes=1)
    assert api.post("/v2/carts", json=BODY, headers=headers).json()["id"] != first["id"]


def test_without_a_key_posts_are_not_deduplicated(api: Api) -> None:
    assert (
        api.post("/v2/carts", json=BODY, headers=ACME).json()["id"]
        != api.post("/v2/carts", json=BODY, headers=ACME).json()["id"]
    )
