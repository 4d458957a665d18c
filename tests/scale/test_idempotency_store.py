"""Idempotency claims that recover: a Retry-After for the 409 in flight, a claim whose owner died taken over
at once where that can be known (a process of this machine that is gone), after its lease elsewhere, and a
claim taken over after its lease can no longer be written to by its first owner (the fencing token)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from service.sql import SqlStore, make_engine, migrate
from service.store import IDEM_CLAIM, CartRecord, ClaimLost, MemoryStore, Store, StoredResponse, in_flight_retry_after
from tests.service.support import ROOT

T0 = 1_800_000_000.0
TTL = 86_400.0
LEASE = 10.0
NOW = "2026-11-30T12:00:00.000000Z"


def test_retry_after_grows_with_the_claims_age_within_its_lease() -> None:
    assert in_flight_retry_after(T0 + 0.005, T0, T0 + LEASE) == 1.0  # a fresh claim: its request is quick
    assert in_flight_retry_after(T0 + 4.0, T0, T0 + LEASE) == 4.0  # held for 4 s: wait as long again
    assert in_flight_retry_after(T0 + 8.0, T0, T0 + LEASE) == 2.0  # never past the end of the lease
    assert in_flight_retry_after(T0 + 9.9, T0, T0 + LEASE) == 1.0  # at least a second


def test_in_flight_says_when_to_retry(store: Store) -> None:
    assert store.idem_begin("acme", "k", "fp", T0, TTL, LEASE).state == "new"
    busy = store.idem_begin("acme", "k", "fp", T0 + 3.0, TTL, LEASE)
    assert busy.state == "in_flight" and busy.retry_after == 3.0
    assert store.idem_begin("acme", "k", "fp", T0 + LEASE, TTL, LEASE).state == "new"  # the lease is over


def test_a_taken_over_claim_cannot_complete_or_release(store: Store) -> None:
    first = store.idem_begin("acme", "k", "fp", T0, TTL, LEASE)
    second = store.idem_begin("acme", "k", "fp", T0 + LEASE + 1, TTL, LEASE)
    assert first.state == second.state == "new" and first.token != second.token
    assert first.token is not None and second.token is not None
    store.idem_release("acme", "k", first.token)  # the late first owner: no effect on the new claim
    store.idem_complete("acme", "k", StoredResponse(201, b"first"), first.token)
    assert store.idem_begin("acme", "k", "fp", T0 + LEASE + 2, TTL, LEASE).state == "in_flight"
    store.idem_complete("acme", "k", StoredResponse(201, b"second"), second.token)
    replay = store.idem_begin("acme", "k", "fp", T0 + LEASE + 3, TTL, LEASE)
    assert replay.state == "replay" and replay.response is not None and replay.response.body == b"second"


@pytest.fixture(params=["sqlite", "postgres"])
def sql_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'idem.db'}"
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        yield url
        return
    from tests.service.support import fresh_postgres

    with fresh_postgres("cart_idem") as url:
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        yield url


def test_a_write_under_a_claim_taken_over_is_rolled_back(sql_url: str) -> None:
    store = SqlStore(make_engine(sql_url))
    try:
        first = store.idem_begin("acme", "k", "fp", T0, TTL, LEASE)
        second = store.idem_begin("acme", "k", "fp", T0 + LEASE + 1, TTL, LEASE)
        assert first.token and second.token and first.state == second.state == "new"
        cart = CartRecord(id="c1", tenant="acme", customer_id="c", currency="EUR", created_at=NOW, updated_at=NOW)
        token = IDEM_CLAIM.set(("acme", "k", first.token))
        try:
            with pytest.raises(ClaimLost):
                store.create_cart(cart)
        finally:
            IDEM_CLAIM.reset(token)
        assert store.get_cart("acme", "c1") is None  # the late first owner wrote nothing
        assert isinstance(ClaimLost(), store.unavailable)  # answered 503: the retry gets the second's outcome
        token = IDEM_CLAIM.set(("acme", "k", second.token))
        try:
            store.create_cart(cart)
        finally:
            IDEM_CLAIM.reset(token)
        assert store.get_cart("acme", "c1") is not None
    finally:
        store.close()


_CLAIM_AND_DIE = """
import os, sys
from service.sql import SqlStore, make_engine
store = SqlStore(make_engine(sys.argv[1]))
print(store.idem_begin("acme", sys.argv[2], "fp", float(sys.argv[3]), 86400.0, 10.0).state, flush=True)
os._exit(0)  # no release: the process is gone with its claim open
"""


def test_a_claim_of_a_dead_process_on_this_machine_is_taken_over_at_once(sql_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CLAIM_AND_DIE, sql_url, "orphan", str(T0)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "new", done.stderr
    store = SqlStore(make_engine(sql_url))
    try:
        with store.engine.connect() as conn:
            owner = conn.execute(sa.text("SELECT owner FROM idempotency_keys WHERE key = 'orphan'")).scalar_one()
        assert owner.split("|")[2] != str(os.getpid())
        # well within the 10 s lease, the claim is known dead: its process no longer runs
        assert store.idem_begin("acme", "orphan", "fp", T0 + 0.5, TTL, LEASE).state == "new"
        # a claim of a live process (this one's other store) waits for its lease
        other = SqlStore(make_engine(sql_url))
        try:
            assert other.idem_begin("acme", "live", "fp", T0, TTL, LEASE).state == "new"
            assert store.idem_begin("acme", "live", "fp", T0 + 0.5, TTL, LEASE).state == "in_flight"
        finally:
            other.close()
    finally:
        store.close()


def test_memory_store_keeps_the_same_contract() -> None:
    store = MemoryStore()
    first = store.idem_begin("acme", "k", "fp", T0, TTL, LEASE)
    assert first.state == "new" and first.token
    assert store.idem_begin("acme", "k", "other", T0 + 1, TTL, LEASE).state == "in_flight"
    store.idem_complete("acme", "k", StoredResponse(201, b"x"), first.token)
    assert store.idem_begin("acme", "k", "other", T0 + 2, TTL, LEASE).state == "mismatch"
