"""A hot row or a slow database delays only the requests that touch it, and every bounded wait ends in a 503
problem+json with Retry-After, never a 500 (the reviewer's D1: 15 pooled connections for 40 worker threads, no
lock timeout, `sqlalchemy.exc.TimeoutError` answered 500 after 30 s).

Through the real ASGI app on PostgreSQL, built from its settings as deployed (create_app(settings): the store's
engine gets the limits under test from `make_store`). Another
session holds a cart's row lock (`SELECT ... FOR UPDATE`) for the whole test, so "answered within the
timeout" is shown without a clock: every request below is answered while the lock is still held.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import psycopg
import pytest
from anyio.from_thread import start_blocking_portal

from service.app import create_app
from service.settings import Settings
from tests.service.support import ACME, API_KEYS, Api, Clock, add_item, new_cart, problem_of

pytestmark = pytest.mark.postgres


@contextmanager
def app_on(url: str, **limits: Any) -> Iterator[Api]:
    settings = Settings(database_url=url, api_keys=API_KEYS, access_log=False, rate_limit=0, **limits)
    with start_blocking_portal() as portal:
        api = Api(create_app(settings, clock=Clock()), portal)
        try:
            yield api
        finally:
            api.close()


@contextmanager
def row_locked(url: str, cart_id: str) -> Iterator[None]:
    """Another session holds the cart's row lock until the block ends."""
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        conn.execute("SELECT id FROM carts WHERE id = %s FOR UPDATE", (cart_id,))
        yield
        conn.rollback()


def in_parallel(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    out: list[httpx.Response | None] = [None] * len(calls)

    def run(i: int) -> None:
        out[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r is not None for r in out)
    return [r for r in out if r is not None]


def _unavailable(response: httpx.Response) -> None:
    body = problem_of(response, 503)
    assert body["type"].endswith("/unavailable") and response.headers["retry-after"] == "1"


def test_a_hot_row_delays_only_its_own_requests(postgres_url: str) -> None:
    with app_on(postgres_url, db_lock_timeout_ms=1500) as api:
        hot, other = new_cart(api), new_cart(api)
        item = add_item(api, hot["id"]).json()
        with row_locked(postgres_url, hot["id"]):
            patch = {"quantity": 5}
            hot_calls = [
                lambda: api.patch(f"/v2/carts/{hot['id']}/items/{item['id']}", json=patch, headers=ACME)
                for _ in range(6)
            ]
            other_calls = [lambda: api.get(f"/v2/carts/{other['id']}", headers=ACME) for _ in range(4)]
            other_calls += [lambda: add_item(api, other["id"]) for _ in range(4)]
            responses = in_parallel(hot_calls + other_calls)
            for response in responses[:6]:  # the locked cart's writes: the lock timeout, a 503
                _unavailable(response)
            assert [r.status_code for r in responses[6:]] == [200] * 4 + [201] * 4
            # reads of the hot cart are not blocked by a row lock at all
            assert api.get(f"/v2/carts/{hot['id']}", headers=ACME).status_code == 200
            assert api.get("/readyz").status_code == 200
        # the lock released, the hot cart is writable again, and nothing half-done was left behind
        assert (
            api.patch(f"/v2/carts/{hot['id']}/items/{item['id']}", json={"quantity": 7}, headers=ACME).json()[
                "quantity"
            ]
            == 7
        )
        assert len(api.get(f"/v2/carts/{other['id']}", headers=ACME).json()["items"]) == 4


def test_an_exhausted_pool_is_503_for_other_carts_too(postgres_url: str) -> None:
    """With fewer connections than concurrent requests (a pool of 2), requests on other carts wait for a
    connection up to the pool timeout, then get 503 — not the 500 after 30 s the reviewer measured."""
    with app_on(
        postgres_url, db_pool_size=2, db_pool_timeout=0.5, db_lock_timeout_ms=20_000, db_statement_timeout_ms=60_000
    ) as api:
        hot, other = new_cart(api), new_cart(api)
        item = add_item(api, hot["id"]).json()
        with row_locked(postgres_url, hot["id"]):
            started = threading.Event()

            def hot_patch() -> httpx.Response:
                started.set()
                return api.patch(f"/v2/carts/{hot['id']}/items/{item['id']}", json={"quantity": 2}, headers=ACME)

            # two writers wait on the lock, holding both pooled connections, for up to 20 s
            holders = [threading.Thread(target=hot_patch) for _ in range(2)]
            for t in holders:
                t.start()
            started.wait()
            waiting = _wait_for_lock_waiters(postgres_url, 2)
            assert waiting == 2
            _unavailable(api.get(f"/v2/carts/{other['id']}", headers=ACME))
            _unavailable(add_item(api, other["id"]))
            assert api.get("/readyz").status_code == 503
        for t in holders:
            t.join()
        assert api.get(f"/v2/carts/{other['id']}", headers=ACME).status_code == 200


def test_statement_timeout_is_a_503(postgres_url: str) -> None:
    """A statement that runs too long (here: waiting on the lock, with no lock timeout) is cancelled by
    PostgreSQL's statement_timeout and answered 503."""
    with app_on(postgres_url, db_lock_timeout_ms=0, db_statement_timeout_ms=800) as api:
        hot = new_cart(api)
        item = add_item(api, hot["id"]).json()
        with row_locked(postgres_url, hot["id"]):
            _unavailable(api.delete(f"/v2/carts/{hot['id']}/items/{item['id']}", headers=ACME))
            _unavailable(api.delete(f"/v2/carts/{hot['id']}", headers=ACME))
        assert len(api.get(f"/v2/carts/{hot['id']}", headers=ACME).json()["items"]) == 1


def _wait_for_lock_waiters(url: str, n: int) -> int:
    """How many sessions of the database wait for a lock, once at least n do (polls up to 200 times)."""
    import time

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        count = 0
        for _ in range(200):
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()
            count = int(row[0]) if row else 0
            if count >= n:
                return count
            time.sleep(0.05)
        return count
