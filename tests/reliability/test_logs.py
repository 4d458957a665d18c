"""Keys are never logged: a real uvicorn with access logging on, its stdout and stderr captured, after
requests with valid, invalid and junk credentials, and after 401, 429 and 503 answers.

A 500 is not reachable from outside (test_hostile_http checks that no input gets there), so the error path
exercised is the 503 (the database locked past its busy timeout), which also logs.
"""

from __future__ import annotations

import base64
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.service.support import ACME, GLOBEX, GLOBEX_KEY, ROOT, Server

ACME_KEY = ACME["Authorization"].removeprefix("Bearer ")
INVALID_KEY = "invalid-key-5be1d0c7"
JUNK_API_KEY = "x-api-key-junk-77aa41"
BASIC = base64.b64encode(b"acme:basic-secret-3f9c").decode()
SECRETS = [
    ACME_KEY,
    GLOBEX_KEY,
    INVALID_KEY,
    JUNK_API_KEY,
    BASIC,
    "basic-secret-3f9c",
    ACME["Authorization"],
    f"Bearer {INVALID_KEY}",
]


def assert_no_secrets(output: str) -> None:
    for secret in SECRETS:
        assert secret not in output, f"key material {secret[:6]}… appears in the server output"


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_no_key_material_in_the_output(tmp_path: Path) -> None:
    db = tmp_path / "cart.db"
    env = {
        "CART_DATABASE_URL": f"sqlite:///{db}",
        "CART_ACCESS_LOG": "1",
        "CART_RATE_LIMIT": "0.01",  # a few requests per tenant, then 429
        "CART_RATE_BURST": "4",
    }
    server = Server(tmp_path / "uvicorn.log", env, log_level="debug")
    try:
        client = server.client
        # valid keys: a create, a read, a 404
        cart = client.post("/v2/carts", json={"customer_id": "c", "currency": "EUR"}, headers=ACME)
        assert cart.status_code == 201
        assert (
            client.get(f"/v1/carts/{cart.json()['id']}", headers={**ACME, "X-Api-Key": JUNK_API_KEY}).status_code == 200
        )
        assert client.get("/v2/carts/nope", headers=GLOBEX).status_code == 404
        # invalid and junk credentials: 401
        for headers in (
            {"Authorization": f"Bearer {INVALID_KEY}"},
            {"Authorization": f"Basic {BASIC}"},
            {"Authorization": INVALID_KEY},
            {"X-Api-Key": JUNK_API_KEY},
            {"Authorization": f"Bearer {INVALID_KEY}", "X-Api-Key": ACME_KEY},
        ):
            assert client.get("/v2/carts/nope", headers=headers).status_code == 401
        # the 503 path: the database locked past its busy timeout (5 s) while a write waits
        locker = sqlite3.connect(db, timeout=1)
        try:
            locker.execute("BEGIN IMMEDIATE")
            response = client.post("/v2/carts", json={"customer_id": "c", "currency": "EUR"}, headers=ACME)
            assert response.status_code == 503
        finally:
            locker.rollback()
            locker.close()
        # over the rate: 429
        statuses = [client.get("/v2/carts/nope", headers=ACME).status_code for _ in range(3)]
        assert 429 in statuses, statuses
    finally:
        server.stop()  # flushes and closes: the whole output, shutdown messages included
    output = server.output()
    for status in (201, 200, 404, 401, 503, 429):
        assert f'"status":{status}' in output, f"no access log line with status {status}: {output[-2000:]}"
    assert "database unavailable" in output  # the 503 was logged too
    assert_no_secrets(output)


def test_a_bad_key_list_is_reported_without_its_keys(tmp_path: Path) -> None:
    secret = "config-secret-0c41e2"
    env = {"CART_API_KEYS": f"acme:key-1,bad tenant!:{secret}", "CART_DATABASE_URL": "memory:"}
    cmd = [sys.executable, "-m", "uvicorn", "service.app:app", "--port", "0", "--log-level", "debug"]
    result = subprocess.run(
        cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=60, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "CART_API_KEYS entry 2" in output
    assert secret not in output and "key-1" not in output
