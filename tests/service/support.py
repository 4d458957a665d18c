"""Helpers for the service tests: real apps, real stores, real HTTP on the ASGI interface.

`Api` is a synchronous facade over httpx.AsyncClient (an anyio blocking portal), so tests read as plain
calls. The clock is the app's injection point: `Clock.now` is set by tests that need another date.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
from anyio.from_thread import BlockingPortal

from contractkit.registry import load_registry

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = load_registry(ROOT / "schemas")
GLOBEX_KEY = "key-globex-7f3a"
API_KEYS = f"acme:key-acme-1c9e,globex:sha256:{hashlib.sha256(GLOBEX_KEY.encode()).hexdigest()}"
ACME = {"Authorization": "Bearer key-acme-1c9e"}
GLOBEX = {"Authorization": f"Bearer {GLOBEX_KEY}"}
BEFORE_SUNSET = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
AFTER_SUNSET = dt.datetime(2027, 3, 31, 0, 0, tzinfo=dt.UTC)

_validators: dict[tuple[str, str], Any] = {}


def validate(name: str, version: str, body: Any) -> None:
    """Assert that `body` is valid against the registry's bundled schema `name@version`."""
    key = (name, version)
    if key not in _validators:
        _validators[key] = jsonschema_rs.validator_for(REGISTRY.bundled(name, version), validate_formats=True)
    errors = [f"{e.instance_path}: {e.message}" for e in _validators[key].iter_errors(body)]
    assert not errors, f"{name}@{version}: {errors}"


class Clock:
    def __init__(self, now: dt.datetime = BEFORE_SUNSET) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


class Api:
    def __init__(self, app: Any, portal: BlockingPortal) -> None:
        self.app = app
        self.portal = portal
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cart.test")

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.portal.call(lambda: self.client.request(method, url, **kwargs))

    def get(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("POST", url, **kw)

    def patch(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("PATCH", url, **kw)

    def delete(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("DELETE", url, **kw)

    def close(self) -> None:
        self.portal.call(self.client.aclose)
        store = getattr(self.app.state, "store", None)  # the benchmark's hand-written apps have none
        if store is not None:
            store.close()


def problem_of(response: httpx.Response, status: int, version: str = "v2") -> dict[str, Any]:
    """Assert a problem+json answer with `status`, valid against the version's problem schema."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    validate("problem", version, body)
    assert body["status"] == status
    return body


def new_cart(api: Api, version: str = "v2", headers: dict[str, str] = ACME, **fields: Any) -> dict[str, Any]:
    body = {"customer_id": "cus_1", **({"currency": "EUR"} if version == "v2" else {}), **fields}
    response = api.post(f"/{version}/carts", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def add_item(api: Api, cart_id: str, version: str = "v2", headers: dict[str, str] = ACME, **fields: Any) -> Any:
    body: dict[str, Any] = {"sku": "MUG01", "quantity": 2}
    body["unit_price"] = 19.99 if version == "v1" else {"amount_minor": 1999, "currency": "EUR"}
    body.update(fields)
    return api.post(f"/{version}/carts/{cart_id}/items", json=body, headers=headers)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A real uvicorn (`service.app:app`) in a subprocess; its stdout and stderr go to `log_path`."""

    def __init__(self, log_path: Path, env: dict[str, str], *, log_level: str = "warning") -> None:
        import os
        import subprocess
        import sys
        import time

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("wb")
        full_env = {**os.environ, "CART_API_KEYS": API_KEYS, "CART_ACCESS_LOG": "0", **env}
        cmd = [sys.executable, "-m", "uvicorn", "service.app:app", "--port", str(self.port), "--log-level", log_level]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=self._log, stderr=subprocess.STDOUT)
        self.client = httpx.Client(base_url=self.base, timeout=30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"uvicorn exited: {log_path.read_text(errors='replace')[-2000:]}")
            try:
                if self.client.get("/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError("uvicorn did not become ready")

    def kill9(self) -> None:
        """SIGKILL: no shutdown, no checkpoint; what is on disk is all there is."""
        import os
        import signal

        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.stop()

    def healthy(self) -> bool:
        return self.proc.poll() is None and self.client.get("/healthz").status_code == 200

    def output(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.client.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except Exception:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()


PG_ADMIN_URL = "postgresql+psycopg://postgres@localhost/test"


@contextlib.contextmanager
def fresh_postgres(prefix: str) -> Iterator[str]:
    """A new database on the local PostgreSQL server, dropped afterwards; pytest.skip (saying why) when
    the server is not reachable."""
    import uuid

    import pytest
    import sqlalchemy as sa

    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(exc).__name__}")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
