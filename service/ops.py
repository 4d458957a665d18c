"""Operations: one structured JSON log line per request and Prometheus metrics, as a pure ASGI middleware.

The middleware owns the request id (`X-Request-ID` when well-formed, else a fresh one; echoed back) and a
small mutable `scope["cart.info"]` dict that the gate's hooks fill in (the tenant: service.auth; a replayed
answer: service.idempotency). The API version is the one contractkit.fastapi's gate records on the scope
(`VERSION_SCOPE_KEY`), for every versioned route, documents and docs pages included.
Labels stay bounded: the route is the matched route template (or `unmatched`), the tenant is an
authenticated tenant from CART_API_KEYS (or `anonymous`). Keys and bodies are never logged.

Under several worker processes (`uvicorn --workers N`, gunicorn), each scrape reaches one worker. With
`PROMETHEUS_MULTIPROC_DIR` set (an empty directory, shared by the workers, created before they start),
prometheus-client's multiprocess mode is on: every worker writes its samples to files there and `/metrics`
reports the sum over every worker that ever ran since the directory was emptied, so counters never go
backwards, whichever worker answers the scrape and when a worker is restarted.
"""

from __future__ import annotations

import logging
import os
import random
import re
import sys
import time
from typing import Any

import orjson
from prometheus_client import CollectorRegistry, Counter, Histogram

from contractkit.fastapi import VERSION_SCOPE_KEY

__all__ = ["Metrics", "Observability", "access_logger", "multiprocess_dir"]

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is at emit time (a StreamHandler would keep a stale stream)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:
            self.handleError(record)


def access_logger() -> logging.Logger:
    logger = logging.getLogger("service.access")
    if not logger.handlers:
        logger.addHandler(_StderrHandler())
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def multiprocess_dir() -> str | None:
    """The directory of prometheus-client's multiprocess mode, if it is on (read when prometheus_client was
    first imported: the variable must be in the environment before the process starts)."""
    from prometheus_client import values

    if values.ValueClass is values.MutexValue:
        return None
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.environ.get("prometheus_multiproc_dir")  # noqa: SIM112


class Metrics:
    """The app's own registry, so several apps in one process (tests, benchmarks) never collide.

    In multiprocess mode (`multiprocess_dir()`), `registry` (what /metrics exposes) collects every worker's
    files instead; the metrics themselves still live in a private registry of this app.
    """

    def __init__(self) -> None:
        own = CollectorRegistry()
        self.registry = own
        directory = multiprocess_dir()
        if directory is not None:
            from prometheus_client.multiprocess import MultiProcessCollector

            self.registry = CollectorRegistry()
            MultiProcessCollector(self.registry, path=directory)
        self.requests = Counter(
            "cart_http_requests",
            "HTTP requests by API version, route template and status.",
            ["api_version", "route", "method", "status"],
            registry=own,
        )
        self.latency = Histogram(
            "cart_http_request_duration_seconds",
            "Request latency by API version and route template.",
            ["api_version", "route", "method"],
            buckets=_BUCKETS,
            registry=own,
        )
        self.version_use = Counter(
            "cart_api_version_requests",
            "Authenticated requests per API version and tenant (who still calls a deprecated version?).",
            ["api_version", "tenant"],
            registry=own,
        )
        # labels() takes a lock and builds a key on every call; the label sets are bounded, so cache children.
        self._children: dict[tuple[str, str, str, int], tuple[Any, Any]] = {}
        self._tenants: dict[tuple[str, str], Any] = {}

    def record(self, version: str, route: str, method: str, status: int, tenant: str | None, elapsed: float) -> None:
        key = (version, route, method, status)
        children = self._children.get(key)
        if children is None:
            children = (
                self.requests.labels(version, route, method, str(status)),
                self.latency.labels(version, route, method),
            )
            self._children[key] = children
        children[0].inc()
        children[1].observe(elapsed)
        if tenant is not None:
            counter = self._tenants.get((version, tenant))
            if counter is None:
                counter = self._tenants[(version, tenant)] = self.version_use.labels(version, tenant)
            counter.inc()


def _outcome(status: int) -> str:
    if status < 400:
        return "ok"
    if status < 500:
        return "client_error"
    return "server_error"


class Observability:
    def __init__(self, app: Any, metrics: Metrics, *, log: bool = True) -> None:
        self.app = app
        self.metrics = metrics
        self.log = access_logger() if log else None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        request_id = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                candidate = value.decode("latin-1")
                if _REQUEST_ID.match(candidate):
                    request_id = candidate
                break
        if request_id is None:
            # Not a secret, only unique: the PRNG costs far less than a getrandom() syscall per request.
            request_id = f"{random.getrandbits(128):032x}"
        rid_header = (b"x-request-id", request_id.encode())
        info: dict[str, Any] = {"tenant": None, "outcome": None}
        scope["cart.info"] = info
        status = 500

        async def send_with_id(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), rid_header]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - start
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            api_version = scope.get(VERSION_SCOPE_KEY)
            version = api_version or "none"
            method = scope["method"]
            self.metrics.record(version, template, method, status, info["tenant"], elapsed)
            if self.log is not None:
                record = {
                    "event": "request",
                    "request_id": request_id,
                    "method": method,
                    "route": template,
                    "path": scope["path"],
                    "status": status,
                    "outcome": info["outcome"] or _outcome(status),
                    "tenant": info["tenant"],
                    "api_version": api_version,
                    "latency_ms": round(elapsed * 1000, 3),
                }
                self.log.info(orjson.dumps(record).decode())
