"""The cart service's ASGI app: `create_app(settings=..., clock=...)`, and `app` for `uvicorn service.app:app`.

Startup does all the expensive work once: load the version index, find each version's generated models,
compose the conversion chains (service.versioning + service.changes), open the store and run the
migrations, and build one router and one OpenAPI document per version. Requests then only touch
precomputed objects.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
import math
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from contractkit.models import model_for
from contractkit.registry import Registry, load_registry
from service.auth import ApiKeys, ConfigError
from service.changes import VERSION_CHANGES
from service.domain import CartService, Clock
from service.lifecycle import Lifecycle
from service.openapi import finish_openapi
from service.ops import Metrics, Observability
from service.problems import Problem, problem_response, uri_path
from service.ratelimit import RateLimiter
from service.routing import REQUEST_SCHEMAS, RESPONSE_SCHEMAS, Runtime, build_routes
from service.settings import Settings
from service.store import MemoryStore, Store
from service.versioning import Chains

__all__ = ["create_app", "make_store"]

log = logging.getLogger("service.errors")
MODELS_PACKAGE = "service.models"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def make_store(settings: Settings) -> Store:
    if settings.database_url in ("memory:", "memory://"):
        return MemoryStore()
    from service.sql import SqlStore, make_engine, migrate

    engine = make_engine(settings.database_url)
    if settings.migrate_on_startup:
        migrate(engine)
    return SqlStore(engine)


def _limiter(settings: Settings) -> RateLimiter | None:
    rate = settings.rate_limit
    if rate == 0:
        return None
    if not (rate > 0 and math.isfinite(rate)) or not settings.burst >= 1:
        raise ConfigError("CART_RATE_LIMIT must be >= 0 and CART_RATE_BURST >= 1")
    return RateLimiter(rate, settings.burst)


def _lifecycles(registry: Registry) -> dict[str, Lifecycle]:
    versions = registry.versions
    policy_url = registry.index.policy.deprecation_policy_url
    out = {}
    for i, version in enumerate(versions):
        successor = version.successor or (versions[i + 1].name if i + 1 < len(versions) else None)
        out[version.name] = Lifecycle.of(version, successor, policy_url)
    return out


def create_app(
    settings: Settings | None = None,
    clock: Clock | None = None,
    store: Store | None = None,
) -> FastAPI:
    settings = settings or Settings.from_env()
    clock = clock or _utc_now
    registry = load_registry(settings.schemas_dir)
    versions = registry.versions
    chains = Chains.build(versions, VERSION_CHANGES)
    lifecycles = _lifecycles(registry)
    keys = ApiKeys.parse(settings.api_keys)
    if not keys.entries:
        log.warning("CART_API_KEYS is empty: every API request will be answered 401")
    store = store or make_store(settings)
    schema_names = (*REQUEST_SCHEMAS, *RESPONSE_SCHEMAS)
    models = {v.name: {n: model_for(registry, MODELS_PACKAGE, n, v.name) for n in schema_names} for v in versions}
    runtime = Runtime(
        service=CartService(store, clock),
        chains=chains,
        keys=keys,
        clock=clock,
        max_body_bytes=settings.max_body_bytes,
        idempotency_ttl=float(settings.idempotency_ttl_seconds),
        head_models=models[chains.head],
        limiter=_limiter(settings),
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
    app.state.runtime = runtime
    metrics = Metrics()
    app.state.metrics = metrics

    documents: dict[str, dict[str, Any]] = {}
    for version in versions:
        lifecycle = lifecycles[version.name]
        routes = build_routes(runtime, lifecycle, models[version.name], app.router)
        raw = get_openapi(
            title=f"Cart API {version.name}",
            version=version.name,
            description=_describe(version.name, lifecycle),
            routes=routes,
        )
        bundles = {name: registry.bundled(name, version.name) for name in version.schemas}
        documents[version.name] = finish_openapi(raw, lifecycle, bundles)
    for version in versions:  # after every API route: the hot routes are matched first
        _add_docs_routes(app, version.name, documents[version.name], lifecycles[version.name], clock)

    known = tuple(v.name for v in versions)

    def not_found(request: Request) -> Problem:
        first = request.url.path.strip("/").split("/", 1)[0]
        if first in lifecycles and lifecycles[first].is_gone(clock()):
            return Problem(410, "version-sunset", f"{first} is past its sunset", successor=lifecycles[first].successor)
        if first not in known and first.startswith("v"):
            return Problem(404, "unknown-version", f"unknown API version {first!r}; served: {', '.join(known)}")
        return Problem(404, "not-found", "no such resource")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return problem_response(not_found(request), uri_path(request.url.path))
        problem = Problem(exc.status_code, "http-error", str(exc.detail), headers=exc.headers)
        return problem_response(problem, uri_path(request.url.path))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        # Only reached outside the versioned routes (which render their own); kept so nothing answers 500.
        return problem_response(
            Problem(422, "validation-error", "the request does not validate"), uri_path(request.url.path)
        )

    @app.exception_handler(Exception)
    async def unhandled(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s: %r", request.method, request.url.path, exc)
        return problem_response(
            Problem(500, "internal-error", "the server could not answer"), uri_path(request.url.path)
        )

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


def _describe(name: str, lifecycle: Lifecycle) -> str:
    text = f"The cart API, version {name}. Authenticate with `Authorization: Bearer <key>`."
    if lifecycle.announces:
        text += (
            f" Deprecated: every response carries `Deprecation`, `Sunset` and `Link` headers; after the sunset"
            f" every route answers 410 Gone naming the successor {lifecycle.successor}."
        )
    return text


def _add_docs_routes(
    app: FastAPI, name: str, document: dict[str, Any], lifecycle: Lifecycle, clock: Callable[[], dt.datetime]
) -> None:
    def gone() -> Response | None:
        if lifecycle.is_gone(clock()):
            problem = Problem(410, "version-sunset", f"{name} is past its sunset", successor=lifecycle.successor)
            return problem_response(problem, f"/{name}")
        return None

    async def openapi_json(request: Request) -> Response:
        return gone() or JSONResponse(document)

    async def docs(request: Request) -> Response:
        return gone() or get_swagger_ui_html(openapi_url=f"/{name}/openapi.json", title=f"Cart API {name}")

    app.add_api_route(f"/{name}/openapi.json", openapi_json, methods=["GET"], include_in_schema=False)
    app.add_api_route(f"/{name}/docs", docs, methods=["GET"], include_in_schema=False)


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
