"""The cart service's ASGI app: `create_app(settings=..., clock=...)`, and `app` for `uvicorn service.app:app`.

The versioning (routes per version, the version gate, lifecycle headers, conversions, OpenAPI documents)
is contractkit.fastapi's `VersionedAPI`; this module plugs in what is the cart's own: the store and the
domain, API keys and rate limits (guards), the Idempotency-Key protocol (an interceptor), the 503 for a
database that is down, logs and metrics, and the health endpoints. Startup does the expensive work once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.responses import JSONResponse, Response

from contractkit.fastapi import Call, Gate, Lifecycle, Problem, VersionedAPI
from service.auth import ApiKeys
from service.domain import CartService, Clock
from service.endpoints import ERROR_DESCRIPTIONS, CartEndpoints
from service.idempotency import Idempotency
from service.openapi import finish_cart_openapi
from service.ops import Metrics, Observability
from service.problems import TYPE_BASE, problem_response
from service.ratelimit import RateLimiter, RedisRateLimiter, make_limiter
from service.settings import Settings
from service.store import MemoryStore, Store

__all__ = ["CHANGES_PACKAGE", "MODELS_PACKAGE", "Runtime", "create_app", "make_store"]

log = logging.getLogger("service.errors")
MODELS_PACKAGE = "service.models"
CHANGES_PACKAGE = "service.changes"


@dataclass(frozen=True, slots=True)
class Runtime:
    """The cart's own pieces of a running app (`app.state.runtime`), for tests and tools."""

    service: CartService
    keys: ApiKeys
    limiter: RateLimiter | RedisRateLimiter | None
    api: VersionedAPI


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def make_store(settings: Settings) -> Store:
    if settings.database_url in ("memory:", "memory://"):
        return MemoryStore()
    from service.sql import SqlStore, make_engine, migrate

    engine = make_engine(settings.database_url, settings)
    if settings.migrate_on_startup:
        migrate(engine)
    return SqlStore(engine)


def _describe(lifecycle: Lifecycle) -> str:
    text = f"The cart API, version {lifecycle.version}. Authenticate with `Authorization: Bearer <key>`."
    if lifecycle.announces:
        text += (
            f" Deprecated: every response carries `Deprecation`, `Sunset` and `Link` headers; after the sunset"
            f" every route answers 410 Gone naming the successor {lifecycle.successor}."
        )
    return text


def create_app(
    settings: Settings | None = None,
    clock: Clock | None = None,
    store: Store | None = None,
) -> FastAPI:
    settings = settings or Settings.from_env()
    clock = clock or _utc_now
    keys = ApiKeys.parse(settings.api_keys)
    if not keys.entries:
        log.warning("CART_API_KEYS is empty: every API request will be answered 401")
    limiter = make_limiter(settings)
    store = store or make_store(settings)
    service = CartService(store, clock)

    def unavailable(exc: Exception, call: Call) -> Problem | None:
        if not isinstance(exc, store.unavailable):
            return None
        log.warning("database unavailable on %s %s: %s", call.method, call.scope["path"], type(exc).__name__)
        return Problem(503, "unavailable", "the database is unavailable; retry later", headers={"Retry-After": "1"})

    def cart_currency(call: Call) -> str:
        """The conversion context's `cart_currency`: the currency of the cart the request is about."""
        return service.cart_currency(call.state["tenant"], call.path_params.get("cart_id", ""))

    guards: list[Any] = [keys.authenticate]
    if limiter is not None:
        guards.append(limiter.check)
    api = VersionedAPI(
        settings.schemas_dir,
        models=MODELS_PACKAGE,
        changes=CHANGES_PACKAGE,
        routes=CartEndpoints(service).routes(),
        gate=Gate(
            guards=guards,
            interceptors=[
                Idempotency(service, clock, float(settings.idempotency_ttl_seconds), settings.idempotency_lease_seconds)
            ],
            on_error=unavailable,
            max_body_bytes=settings.max_body_bytes,
            statuses=(401, 429, 503),
        ),
        context={"cart_currency": cart_currency},
        title="Cart API",
        description=_describe,
        problem_type_base=TYPE_BASE,
        error_descriptions=ERROR_DESCRIPTIONS,
        openapi_hooks=[finish_cart_openapi],
        clock=clock,
    )

    app = FastAPI(
        lifespan=_lifespan,
        title="Cart API",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        description="Versioned cart service; each version has its own document at /<version>/openapi.json.",
    )
    app.state.store = store
    app.state.runtime = Runtime(service=service, keys=keys, limiter=limiter, api=api)
    metrics = Metrics()
    app.state.metrics = metrics
    api.install(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> Response:
        return JSONResponse({"status": "ok"})

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> Response:
        try:
            store.ping()
        except Exception as exc:  # the database is down: say so, never 500
            log.warning("readiness check failed: %s", type(exc).__name__)
            return problem_response(Problem(503, "not-ready", "the database is not reachable"), "/readyz")
        return JSONResponse({"status": "ready"})

    @app.get("/metrics", include_in_schema=False)
    def prometheus() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    app.add_middleware(Observability, metrics=metrics, log=settings.access_log)
    return app


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Everything built at startup (registry, models, chains, OpenAPI documents) lives as long as the process.
    # Freezing it takes it out of the garbage collector's full passes, which otherwise rescan it for every
    # few thousand requests' worth of allocations (measured: a few percent of CPU per request).
    gc.collect()
    gc.freeze()
    yield
    app.state.store.close()
    limiter = app.state.runtime.limiter
    if isinstance(limiter, RedisRateLimiter):
        limiter.close()


_app: FastAPI | None = None


def __getattr__(name: str) -> Any:
    # `service.app:app` is built on first access, not at import: importing create_app (tests, tools) must
    # not open ./cart.db or read the environment.
    global _app
    if name == "app":
        if _app is None:
            _app = create_app()
        return _app
    raise AttributeError(name)
