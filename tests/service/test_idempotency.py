"""Idempotency-Key on POST: replay, mismatch (422), in flight (409), per tenant, 24 h expiry."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest

from tests.service.support import ACME, GLOBEX, Api, Clock, new_cart, problem_of, validate

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
    response = api.post("/v2/carts", json=BODY, headers={**ACME, "Idempotency-Key": "busy"})
    problem = problem_of(response, 409)
    assert problem["type"].endswith("/idempotency-in-flight")
    assert response.headers["retry-after"] == "1"  # a claim just made: retry soon
    clock.now += dt.timedelta(seconds=30)
    response = api.post("/v2/carts", json=BODY, headers={**ACME, "Idempotency-Key": "busy"})
    assert problem_of(response, 409) and response.headers["retry-after"] == "30"  # held for 30 s: wait as long
    # a claim whose owner died is taken over after the lease
    clock.now += dt.timedelta(seconds=31)
    assert api.post("/v2/carts", json=BODY, headers={**ACME, "Idempotency-Key": "busy"}).status_code == 201


def test_claims_take_the_configured_lease(make_api: Callable[..., Api]) -> None:
    """CART_IDEMPOTENCY_LEASE_SECONDS is the lease of every claim the gate makes (read back from the row)."""
    import sqlalchemy as sa

    api = make_api(idempotency_lease_seconds=7)
    assert api.post("/v2/carts", json=BODY, headers={**ACME, "Idempotency-Key": "leased"}).status_code == 201
    with api.app.state.store.engine.connect() as conn:
        lease = conn.execute(sa.text("SELECT lease_until - created FROM idempotency_keys")).scalar_one()
    assert lease == 7


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


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_a_write_committed_before_its_response_was_stored_is_never_redone(
    make_api: Callable[..., Api], version: str
) -> None:
    """The process dies after the business write committed and before the response was recorded.

    Simulated through the store's and the service's public calls: claim the key as the gate does, write under
    the claim (IDEM_CLAIM, as the gate sets it), and never complete it.
    """
    import hashlib

    import orjson
    import sqlalchemy as sa

    from service.models.v2.cart_create import CartCreate
    from service.store import IDEM_CLAIM

    clock = Clock()
    api = make_api(clock=clock)
    body = {"customer_id": "cus_crash", "currency": "EUR"} if version == "v2" else {"customer_id": "cus_crash"}
    path = f"/{version}/carts"
    fingerprint = hashlib.sha256(b"POST " + path.encode() + b"\n" + orjson.dumps(body, option=orjson.OPT_SORT_KEYS))
    runtime = api.app.state.runtime
    store = runtime.service.store
    assert store.idem_begin("acme", "lost", fingerprint.hexdigest(), clock().timestamp(), 86400, 60).state == "new"
    token = IDEM_CLAIM.set(("acme", "lost"))
    try:
        created = runtime.service.create_cart("acme", CartCreate.model_validate({**body, "currency": "EUR"})).body
    finally:
        IDEM_CLAIM.reset(token)

    def carts() -> int:
        with store.engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM carts")).scalar_one()

    headers = {**ACME, "Idempotency-Key": "lost"}
    problem_of(api.post(path, json=body, headers=headers), 409, version)  # still within the claim's lease
    clock.now += dt.timedelta(seconds=61)
    rebuilt = api.post(path, json=body, headers=headers)
    assert rebuilt.status_code == 201 and rebuilt.headers["idempotent-replayed"] == "true"
    assert rebuilt.json()["id"] == created["id"] and rebuilt.headers["location"] == f"{path}/{created['id']}"
    validate("cart", version, rebuilt.json())
    again = api.post(path, json=body, headers=headers)
    assert again.content == rebuilt.content and carts() == 1
    problem_of(api.post(path, json={**body, "customer_id": "other"}, headers=headers), 422, version)


def test_an_item_write_committed_before_its_response_is_rebuilt(make_api: Callable[..., Api]) -> None:
    import hashlib

    import orjson

    from service.models.v2.cart_item_add import CartItemAdd
    from service.store import IDEM_CLAIM

    clock = Clock()
    api = make_api(clock=clock)
    cart = new_cart(api)
    item = {"sku": "MUG01", "quantity": 3, "unit_price": {"amount_minor": 150, "currency": "EUR"}}
    path = f"/v2/carts/{cart['id']}/items"
    fingerprint = hashlib.sha256(b"POST " + path.encode() + b"\n" + orjson.dumps(item, option=orjson.OPT_SORT_KEYS))
    runtime = api.app.state.runtime
    assert runtime.service.store.idem_begin("acme", "it", fingerprint.hexdigest(), clock().timestamp(), 86400, 60)
    token = IDEM_CLAIM.set(("acme", "it"))
    try:
        added = runtime.service.add_item("acme", cart["id"], CartItemAdd.model_validate(item)).body
    finally:
        IDEM_CLAIM.reset(token)
    clock.now += dt.timedelta(seconds=61)
    rebuilt = api.post(path, json=item, headers={**ACME, "Idempotency-Key": "it"})
    assert rebuilt.status_code == 201 and rebuilt.json() == added
    assert _count(api, "v2", cart["id"]) == 1
