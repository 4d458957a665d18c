"""Carts survive an app restart on SQLite (WAL, synchronous=FULL), and on PostgreSQL where reachable."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from service.sql import make_engine, migrate
from tests.service.support import ACME, Api, add_item, fresh_postgres, new_cart, problem_of


def _exercise_restart(make_api: Callable[..., Api], url: str) -> None:
    first = make_api(database_url=url)
    cart = new_cart(first, "v2", metadata={"channel": "web"})
    item = add_item(first, cart["id"], quantity=3, gift_wrap=True).json()
    v1_cart = new_cart(first, "v1")
    replayed = first.post(
        "/v2/carts", json={"customer_id": "i", "currency": "EUR"}, headers={**ACME, "Idempotency-Key": "k"}
    )
    before = first.get(f"/v2/carts/{cart['id']}", headers=ACME).json()
    first.close()

    second = make_api(database_url=url)
    after = second.get(f"/v2/carts/{cart['id']}", headers=ACME)
    assert after.status_code == 200 and after.json() == before
    assert after.json()["items"][0]["id"] == item["id"] and after.json()["metadata"] == {"channel": "web"}
    assert second.get(f"/v1/carts/{v1_cart['id']}", headers=ACME).json()["currency"] == "USD"
    again = second.post(
        "/v2/carts", json={"customer_id": "i", "currency": "EUR"}, headers={**ACME, "Idempotency-Key": "k"}
    )
    assert again.json() == replayed.json() and again.headers["idempotent-replayed"] == "true"
    assert second.delete(f"/v2/carts/{cart['id']}", headers=ACME).status_code == 204


def test_sqlite_survives_restart(make_api: Callable[..., Api], tmp_path: Path) -> None:
    _exercise_restart(make_api, f"sqlite:///{tmp_path / 'restart.db'}")


def test_sqlite_runs_wal_and_synchronous_full(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_migrations_are_versioned_and_idempotent(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'mig.db'}")
    try:
        migrate(engine)
        migrate(engine)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0003"
            tables = set(sa.inspect(conn).get_table_names())
        assert {"carts", "cart_items", "idempotency_keys", "alembic_version"} <= tables
        migrate(engine, "base", downgrade=True)
        with engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) == {"alembic_version"}
    finally:
        engine.dispose()


def test_readyz_checks_the_database(make_api: Callable[..., Api], tmp_path: Path) -> None:
    api = make_api(database_url=f"sqlite:///{tmp_path / 'ready.db'}")
    assert api.get("/readyz").json() == {"status": "ready"}
    api.app.state.store.engine.dispose()
    (tmp_path / "ready.db").unlink()
    (tmp_path / "ready.db").mkdir()  # the database file is now a directory: unreachable
    response = api.get("/readyz")
    assert response.status_code == 503 and response.headers["content-type"] == "application/problem+json"
    # and the API says so too: 503 with Retry-After, never a 500
    for version in ("v1", "v2"):
        unavailable = problem_of(api.get(f"/{version}/carts/x", headers=ACME), 503, version)
        assert unavailable["type"].endswith("/unavailable")
    body = {"customer_id": "c", "currency": "EUR"}
    response = api.post("/v2/carts", json=body, headers={**ACME, "Idempotency-Key": "down"})
    assert problem_of(response, 503)["status"] == 503 and response.headers["retry-after"] == "1"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with fresh_postgres("cart_test") as url:
        yield url


@pytest.mark.postgres
def test_postgres_survives_restart(make_api: Callable[..., Api], postgres_url: str) -> None:
    _exercise_restart(make_api, postgres_url)


@pytest.mark.postgres
def test_postgres_idempotency_and_isolation(make_api: Callable[..., Api], postgres_url: str) -> None:
    api = make_api(database_url=postgres_url)
    headers = {**ACME, "Idempotency-Key": "pg"}
    body = {"customer_id": "c", "currency": "EUR"}
    first = api.post("/v2/carts", json=body, headers=headers)
    assert api.post("/v2/carts", json=body, headers=headers).json() == first.json()
    assert api.post("/v2/carts", json={**body, "note": "n"}, headers=headers).status_code == 422
    assert (
        api.get(f"/v2/carts/{first.json()['id']}", headers={"Authorization": "Bearer key-globex-7f3a"}).status_code
        == 404
    )


def test_migrate_command(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.service.support import ROOT

    db = tmp_path / "cmd.db"
    env = {**os.environ, "CART_DATABASE_URL": f"sqlite:///{db}"}
    done = subprocess.run([sys.executable, "-m", "service.migrate"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "migrated to head" and str(db) not in done.stdout
    engine = make_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0003"
    finally:
        engine.dispose()
