"""A real uvicorn, killed with SIGKILL: every write answered 2xx is still there after a restart (SQLite)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.service.support import ACME, API_KEYS, ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Uvicorn:
    def __init__(self, db: Path) -> None:
        self.port = _free_port()
        env = {**os.environ, "CART_DATABASE_URL": f"sqlite:///{db}", "CART_API_KEYS": API_KEYS, "CART_ACCESS_LOG": "0"}
        cmd = [sys.executable, "-m", "uvicorn", "service.app:app", "--port", str(self.port), "--log-level", "warning"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "uvicorn exited"
            try:
                if self.client.get("/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("uvicorn did not become ready")

    def kill9(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.client.close()


@pytest.fixture
def servers() -> Iterator[list[Uvicorn]]:
    started: list[Uvicorn] = []
    yield started
    for server in started:
        if server.proc.poll() is None:
            server.kill9()


@pytest.mark.slow
def test_acknowledged_writes_survive_kill_9(tmp_path: Path, servers: list[Uvicorn]) -> None:
    db = tmp_path / "crash.db"
    first = Uvicorn(db)
    servers.append(first)
    acknowledged: dict[str, int] = {}
    for n in range(20):
        cart = first.client.post("/v2/carts", json={"customer_id": f"c{n}", "currency": "EUR"}, headers=ACME)
        assert cart.status_code == 201
        cart_id = cart.json()["id"]
        item = {"sku": "MUG01", "quantity": 1 + n % 5, "unit_price": 1.25}
        v1 = first.client.post(f"/v1/carts/{cart_id}/items", json=item, headers=ACME)
        assert v1.status_code == 201
        added = first.client.post(
            f"/v2/carts/{cart_id}/items",
            json={"sku": "MUG01", "quantity": 1 + n % 5, "unit_price": {"amount_minor": 125, "currency": "EUR"}},
            headers=ACME,
        )
        assert added.status_code == 201
        acknowledged[cart_id] = 2
    first.kill9()  # no shutdown, no checkpoint: the WAL on disk is all there is

    second = Uvicorn(db)
    servers.append(second)
    for cart_id, items in acknowledged.items():
        got = second.client.get(f"/v2/carts/{cart_id}", headers=ACME)
        assert got.status_code == 200
        assert len(got.json()["items"]) == items
