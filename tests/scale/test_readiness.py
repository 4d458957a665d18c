"""/readyz tells the truth (the reviewer's D7): not ready while the schema is missing or behind this code's
head revision, or when the SQLite file is no longer the one the process opened; and the API answers 503
(not 500, not a 201 into a deleted file) in those states. Through the ASGI app."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from anyio.from_thread import start_blocking_portal

from service.app import create_app
from service.settings import Settings
from service.sql import SqlStore, make_engine, migrate
from tests.service.support import ACME, API_KEYS, Api, Clock, new_cart, problem_of


@contextmanager
def api_on(url: str, *, migrated: str | None = "head") -> Iterator[Api]:
    settings = Settings(database_url=url, api_keys=API_KEYS, access_log=False, rate_limit=0, migrate_on_startup=False)
    engine = make_engine(url, settings)
    if migrated is not None:
        migrate(engine, migrated)
    with start_blocking_portal() as portal:
        api = Api(create_app(settings, clock=Clock(), store=SqlStore(engine)), portal)
        try:
            yield api
        finally:
            api.close()


def _not_ready(api: Api) -> None:
    response = api.get("/readyz")
    assert response.status_code == 503 and response.headers["content-type"] == "application/problem+json"


def _unavailable(api: Api) -> None:
    body = {"customer_id": "c", "currency": "EUR"}
    response = api.post("/v2/carts", json=body, headers={**ACME, "Idempotency-Key": "while-down"})
    assert problem_of(response, 503)["type"].endswith("/unavailable")
    assert problem_of(api.post("/v2/carts", json=body, headers=ACME), 503)
    assert problem_of(api.get("/v2/carts/00000000-0000-4000-8000-000000000000", headers=ACME), 503)


def _schema_lifecycle(url: str) -> None:
    with api_on(url, migrated=None) as api:
        _not_ready(api)  # a fresh database: no schema at all
        _unavailable(api)
        migrate(api.app.state.store.engine, "0002")
        _not_ready(api)  # a schema older than this code's head
        migrate(api.app.state.store.engine)
        assert api.get("/readyz").json() == {"status": "ready"}
        new_cart(api)


def test_sqlite_schema_missing_or_old_is_not_ready(tmp_path: Path) -> None:
    _schema_lifecycle(f"sqlite:///{tmp_path / 'fresh.db'}")


@pytest.mark.postgres
def test_postgres_schema_missing_or_old_is_not_ready(postgres_url: str) -> None:
    _schema_lifecycle(postgres_url)


@pytest.mark.parametrize("fault", ["deleted", "replaced"])
def test_a_deleted_or_replaced_sqlite_file_is_not_written_to(tmp_path: Path, fault: str) -> None:
    db = tmp_path / "data" / "cart.db"
    db.parent.mkdir()
    with api_on(f"sqlite:///{db}") as api:
        cart = new_cart(api)
        assert api.get("/readyz").status_code == 200
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        if fault == "replaced":  # e.g. restored from a backup under the running process
            engine = make_engine(f"sqlite:///{db}")
            migrate(engine)
            engine.dispose()
        _not_ready(api)
        _unavailable(api)  # no 201 into a file nobody will ever read again
        problem_of(api.delete(f"/v2/carts/{cart['id']}", headers=ACME), 503)
    assert not os.path.exists(db) or fault == "replaced"
