"""Conditional requests over HTTP (RFC 9110): every cart and item answer carries its strong ETag, PATCH and
DELETE honour If-Match, a stale ETag is 412 problem+json with the current ETag and writes nothing. Through the
real ASGI app on every store (PostgreSQL skipped, saying why, when unreachable)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from anyio.from_thread import start_blocking_portal

from service.app import create_app
from service.settings import Settings
from tests.service.support import ACME, API_KEYS, Api, Clock, add_item, fresh_postgres, new_cart, problem_of, validate


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    def make(url: str) -> Iterator[Api]:
        settings = Settings(database_url=url, api_keys=API_KEYS, access_log=False, rate_limit=0)
        with start_blocking_portal() as portal:
            app = Api(create_app(settings, clock=Clock()), portal)
            try:
                yield app
            finally:
                app.close()

    if request.param == "memory":
        yield from make("memory:")
    elif request.param == "sqlite":
        yield from make(f"sqlite:///{tmp_path / 'cart.db'}")
    else:
        with fresh_postgres("cart_etag") as url:
            yield from make(url)


def _item_path(cart: dict[str, object], item: dict[str, object], version: str = "v2") -> str:
    return f"/{version}/carts/{cart['id']}/items/{item['id']}"


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_every_cart_and_item_answer_carries_its_etag(api: Api, version: str) -> None:
    created = api.post(
        f"/{version}/carts", json={"customer_id": "c", **({"currency": "EUR"} if version == "v2" else {})}, headers=ACME
    )
    assert created.status_code == 201 and created.headers["etag"] == '"1"'
    cart = created.json()
    added = add_item(api, cart["id"], version)
    assert added.status_code == 201 and added.headers["etag"] == '"1"'  # the new item's own version
    path = _item_path(cart, added.json(), version)
    assert api.get(path, headers=ACME).headers["etag"] == '"1"'
    assert api.get(f"/{version}/carts/{cart['id']}", headers=ACME).headers["etag"] == '"2"'  # the add bumped it
    changed = api.patch(path, json={"quantity": 3}, headers=ACME)
    assert changed.status_code == 200 and changed.headers["etag"] == '"2"'
    assert api.get(f"/{version}/carts/{cart['id']}", headers=ACME).headers["etag"] == '"3"'


def test_if_match_with_a_stale_etag_is_412_and_writes_nothing(api: Api) -> None:
    cart = new_cart(api)
    item = add_item(api, cart["id"]).json()
    path = _item_path(cart, item)
    stale = api.get(path, headers=ACME).headers["etag"]
    assert api.patch(path, json={"quantity": 5}, headers={**ACME, "If-Match": stale}).status_code == 200
    refused = api.patch(path, json={"quantity": 9}, headers={**ACME, "If-Match": stale})
    body = problem_of(refused, 412)
    assert body["type"].endswith("/precondition-failed")
    current = refused.headers["etag"]
    assert current == '"2"' and current != stale
    assert api.get(path, headers=ACME).json()["quantity"] == 5  # nothing written
    problem_of(api.delete(path, headers={**ACME, "If-Match": stale}), 412)
    problem_of(api.delete(f"/v2/carts/{cart['id']}", headers={**ACME, "If-Match": '"1"'}), 412)
    # the current ETag, one of a list of them, or * match; the answer carries the new ETag
    again = api.patch(path, json={"quantity": 6}, headers={**ACME, "If-Match": f'"77", {current}'})
    assert again.status_code == 200 and again.headers["etag"] == '"3"'
    assert api.patch(path, json={"gift_wrap": True}, headers={**ACME, "If-Match": "*"}).status_code == 200
    cart_tag = api.get(f"/v2/carts/{cart['id']}", headers=ACME).headers["etag"]
    assert api.delete(path, headers={**ACME, "If-Match": '"4"'}).status_code == 204
    assert api.delete(f"/v2/carts/{cart['id']}", headers={**ACME, "If-Match": cart_tag}).status_code == 412
    latest = api.get(f"/v2/carts/{cart['id']}", headers=ACME).headers["etag"]
    assert api.delete(f"/v2/carts/{cart['id']}", headers={**ACME, "If-Match": latest}).status_code == 204


def test_weak_or_malformed_if_match_never_matches_and_missing_resources_stay_404(api: Api) -> None:
    cart = new_cart(api)
    item = add_item(api, cart["id"]).json()
    path = _item_path(cart, item)
    for value in ('W/"1"', '"abc"', "1", '"1", junk', "0"):  # weak, not ours, or malformed: no match
        problem_of(api.patch(path, json={"quantity": 3}, headers={**ACME, "If-Match": value}), 412)
        problem_of(api.delete(path, headers={**ACME, "If-Match": value}), 412)
    assert api.get(path, headers=ACME).json()["quantity"] == 2
    assert api.patch(path, json={"quantity": 3}, headers={**ACME, "If-Match": ' "7" , "1"\t'}).status_code == 200
    missing = f"/v2/carts/{cart['id']}/items/00000000-0000-4000-8000-000000000000"
    problem_of(api.patch(missing, json={"quantity": 3}, headers={**ACME, "If-Match": "*"}), 404)
    problem_of(api.delete(missing, headers={**ACME, "If-Match": '"1"'}), 404)


def test_read_modify_write_with_if_match_loses_no_update(api: Api) -> None:
    """Four clients each add 1 to the quantity five times, reading first and writing with If-Match, reading
    again on 412: the quantity ends exactly 20 higher (without If-Match, concurrent increments get lost)."""
    cart = new_cart(api)
    item = add_item(api, cart["id"], quantity=1).json()
    path = _item_path(cart, item)
    errors: list[str] = []

    def client() -> None:
        for _ in range(5):
            for _attempt in range(200):
                read = api.get(path, headers=ACME)
                quantity, tag = read.json()["quantity"], read.headers["etag"]
                written = api.patch(path, json={"quantity": quantity + 1}, headers={**ACME, "If-Match": tag})
                if written.status_code == 200:
                    break
                if written.status_code != 412:
                    errors.append(written.text)
                    return
            else:
                errors.append("no write in 200 attempts")

    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    final = api.get(path, headers=ACME)
    assert final.json()["quantity"] == 21
    validate("cart_item", "v2", final.json())
