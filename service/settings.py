"""Service configuration, read once from the environment (`CART_*`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_DATABASE_URL", "Settings"]

DEFAULT_DATABASE_URL = "sqlite:///./cart.db"
_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the app needs to start; `from_env` is the only place that reads os.environ.

    `database_url` is a SQLAlchemy URL, or `memory:` for a process-local dict store (benchmarks, demos).
    `api_keys` is the raw `CART_API_KEYS` value: `tenant:key` or `tenant:sha256:<hex>` entries, comma-separated.
    `rate_limit` is requests per second per tenant (0 switches the limit off); `rate_burst` the bucket size.
    """

    database_url: str = DEFAULT_DATABASE_URL
    api_keys: str = ""
    max_body_bytes: int = 64 * 1024
    idempotency_ttl_seconds: int = 24 * 60 * 60
    schemas_dir: Path = _ROOT / "schemas"
    migrate_on_startup: bool = True
    access_log: bool = True
    rate_limit: float = 100.0
    rate_burst: float | None = None  # None: twice rate_limit

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
            schemas_dir=Path(env.get("CART_SCHEMAS_DIR", str(_ROOT / "schemas"))),
            migrate_on_startup=env.get("CART_MIGRATE_ON_STARTUP", "1") not in ("0", "false", "no"),
            access_log=env.get("CART_ACCESS_LOG", "1") not in ("0", "false", "no"),
            rate_limit=float(env.get("CART_RATE_LIMIT", 100.0)),
            rate_burst=float(env["CART_RATE_BURST"]) if env.get("CART_RATE_BURST") else None,
        )
