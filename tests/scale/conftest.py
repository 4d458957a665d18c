"""Fixtures for the several-instances tests: stores on every backend, a fresh PostgreSQL database, Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.sql import SqlStore, make_engine, migrate
from service.store import MemoryStore, Store
from tests.service.support import fresh_postgres

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with fresh_postgres("cart_scale") as url:
        yield url


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same store contract on every backend (PostgreSQL skipped, saying why, when unreachable)."""
    if request.param == "memory":
        yield MemoryStore()
        return
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
        migrate(engine)
        sql = SqlStore(engine)
        yield sql
        sql.close()
        return
    with fresh_postgres("cart_store") as url:
        engine = make_engine(url)
        migrate(engine)
        sql = SqlStore(engine)
        yield sql
        sql.close()


@pytest.fixture
def redis_url() -> str:
    """Database 15 of the local Redis, emptied first; pytest.skip (saying why) when Redis is not there."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.flushdb()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}")
    finally:
        client.close()
    return REDIS_URL
