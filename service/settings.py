"""Service configuration, read once from the environment (`CART_*`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = ["DEFAULT_DATABASE_URL", "DEFAULT_POOL_SIZE", "SQLITE_POOL_SIZE", "Settings"]

DEFAULT_DATABASE_URL = "sqlite:///./cart.db"
# The sync handlers and every store call run in anyio's worker threads: 40 by default. One pooled connection
# per thread means a thread never waits for a connection that another thread merely holds.
DEFAULT_POOL_SIZE = 40
# SQLite writes one at a time whatever the pool: more connections only wait in SQLite's busy handler, which
# sleeps in growing steps (measured with bench_scale: 40 connections gave a p99 of 2.8-4.4 s and 503s, 5 gave
# 0.5-0.9 s and none), while the pool's queue is first come, first served.
SQLITE_POOL_SIZE = 5
_ROOT = Path(__file__).resolve().parents[1]
_FALSE = ("0", "false", "no")


def _on_redis_error(value: str) -> Literal["open", "closed"]:
    if value == "open":
        return "open"
    if value == "closed":
        return "closed"
    from service.auth import ConfigError

    raise ConfigError("CART_RATE_LIMIT_ON_REDIS_ERROR must be open or closed")


def _optional(env: Mapping[str, str], name: str, kind: type[int] | type[float]) -> Any:
    value = env.get(name)
    return kind(value) if value else None


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the app needs to start; `from_env` is the only place that reads os.environ.

    `database_url` is a SQLAlchemy URL, or `memory:` for a process-local dict store (benchmarks, demos).
    `api_keys` is the raw `CART_API_KEYS` value: `tenant:key` or `tenant:sha256:<hex>` entries, comma-separated.
    `rate_limit` is requests per second per tenant (0 switches the limit off); `rate_burst` the bucket size.
    `redis_url` (`CART_REDIS_URL`) makes that limit one limit shared by every process that uses the same Redis;
    without it each process has its own buckets. `rate_limit_on_redis_error` says what happens while Redis
    cannot be reached: `open` (the default) falls back to this process's own buckets, `closed` answers 503;
    `redis_timeout_ms` bounds each call to Redis.

    Database limits (see docs/service.md, "Running several instances"): `db_pool_size` connections per process
    and no overflow (None: DEFAULT_POOL_SIZE, SQLITE_POOL_SIZE on SQLite), `db_pool_timeout` seconds to wait
    for one (None: 2 s, the busy timeout on SQLite), PostgreSQL's `lock_timeout` and `statement_timeout`
    (milliseconds, set on every connection) and SQLite's busy timeout. Each of them, when reached, is a 503
    with Retry-After, never a 500.
    """

    database_url: str = DEFAULT_DATABASE_URL
    api_keys: str = ""
    max_body_bytes: int = 64 * 1024
    idempotency_ttl_seconds: int = 24 * 60 * 60
    idempotency_lease_seconds: float = 10.0
    schemas_dir: Path = _ROOT / "schemas"
    migrate_on_startup: bool = True
    access_log: bool = True
    rate_limit: float = 100.0
    rate_burst: float | None = None  # None: twice rate_limit
    redis_url: str | None = None
    rate_limit_on_redis_error: Literal["open", "closed"] = "open"
    redis_timeout_ms: int = 250
    db_pool_size: int | None = None
    db_pool_timeout: float | None = None
    db_lock_timeout_ms: int = 2000
    db_statement_timeout_ms: int = 5000
    sqlite_busy_timeout_ms: int = 5000

    @property
    def burst(self) -> float:
        return self.rate_burst if self.rate_burst is not None else 2 * self.rate_limit

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            database_url=env.get("CART_DATABASE_URL", DEFAULT_DATABASE_URL),
            api_keys=env.get("CART_API_KEYS", ""),
            max_body_bytes=int(env.get("CART_MAX_BODY_BYTES", 64 * 1024)),
            idempotency_ttl_seconds=int(env.get("CART_IDEMPOTENCY_TTL_SECONDS", 24 * 60 * 60)),
            idempotency_lease_seconds=float(env.get("CART_IDEMPOTENCY_LEASE_SECONDS", 10.0)),
            schemas_dir=Path(env.get("CART_SCHEMAS_DIR", str(_ROOT / "schemas"))),
            migrate_on_startup=env.get("CART_MIGRATE_ON_STARTUP", "1") not in _FALSE,
            access_log=env.get("CART_ACCESS_LOG", "1") not in _FALSE,
            rate_limit=float(env.get("CART_RATE_LIMIT", 100.0)),
            rate_burst=float(env["CART_RATE_BURST"]) if env.get("CART_RATE_BURST") else None,
            redis_url=env.get("CART_REDIS_URL") or None,
            rate_limit_on_redis_error=_on_redis_error(env.get("CART_RATE_LIMIT_ON_REDIS_ERROR", "open")),
            redis_timeout_ms=int(env.get("CART_REDIS_TIMEOUT_MS", 250)),
            db_pool_size=int(env["CART_DB_POOL_SIZE"]) if env.get("CART_DB_POOL_SIZE") else None,
            db_pool_timeout=float(env["CART_DB_POOL_TIMEOUT_SECONDS"])
            if env.get("CART_DB_POOL_TIMEOUT_SECONDS")
            else None,
            db_lock_timeout_ms=int(env.get("CART_DB_LOCK_TIMEOUT_MS", 2000)),
            db_statement_timeout_ms=int(env.get("CART_DB_STATEMENT_TIMEOUT_MS", 5000)),
            sqlite_busy_timeout_ms=int(env.get("CART_SQLITE_BUSY_TIMEOUT_MS", 5000)),
        )
