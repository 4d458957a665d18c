"""SIGKILL in the middle of a write load: every acknowledged item survives, and client retries with their
Idempotency-Keys create no duplicates (real uvicorn, the same SQLite file before and after the crash).

Sixteen writers each add items to their own cart, every request with its own Idempotency-Key and a note
naming that key. The server is killed while requests are in flight. After a restart every writer retries
every request whose outcome it never learned (and a few it did learn), honouring 409 + Retry-After while
the crashed claims' leases run out. Then: each acknowledged item is there with its id, and each key's note
appears exactly once.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.service.support import Server

KEY = "durable-key"
HEADERS = {"Authorization": f"Bearer {KEY}"}
WRITERS = 16


def serve(db: Path, log: Path) -> Server:
    env = {"CART_DATABASE_URL": f"sqlite:///{db}", "CART_API_KEYS": f"durable:{KEY}", "CART_RATE_LIMIT": "0"}
    return Server(log, env)


def body(key: str) -> dict[str, Any]:
    return {"sku": "MUG01", "quantity": 1, "unit_price": {"amount_minor": 250, "currency": "EUR"}, "note": key}


async def load(base: str, carts: list[str], acked: dict[str, str], sent: dict[str, str], stop: asyncio.Event) -> None:
    async def writer(w: int) -> None:
        async with httpx.AsyncClient(base_url=base, headers=HEADERS, timeout=10) as client:
            n = 0
            while not stop.is_set() and n < 90:
                key = f"w{w}-{n}"
                sent[key] = carts[w]
                n += 1
                try:
                    r = await client.post(
                        f"/v2/carts/{carts[w]}/items", json=body(key), headers={"Idempotency-Key": key}
                    )
                except httpx.TransportError:
                    return  # the server is gone: the outcome of this request is unknown
                if r.status_code == 201:
                    acked[key] = r.json()["id"]

    await asyncio.gather(*(writer(w) for w in range(WRITERS)))


async def crash_during_load(server: Server, carts: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    acked: dict[str, str] = {}
    sent: dict[str, str] = {}
    stop = asyncio.Event()
    task = asyncio.create_task(load(server.base, carts, acked, sent, stop))
    while len(acked) < 150 and not task.done():
        await asyncio.sleep(0.01)
    server.kill9()  # mid-load: requests are in flight
    stop.set()
    await task
    return acked, sent


def retry(client: httpx.Client, cart: str, key: str, deadline: float) -> httpx.Response:
    while True:
        r = client.post(f"/v2/carts/{cart}/items", json=body(key), headers={"Idempotency-Key": key})
        if r.status_code not in (409, 503) or time.monotonic() > deadline:
            return r
        time.sleep(float(r.headers.get("Retry-After", "1")))


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_sigkill_mid_load_loses_no_acknowledged_item_and_retries_write_once(tmp_path: Path) -> None:
    db = tmp_path / "durable.db"
    first = serve(db, tmp_path / "first.log")
    with httpx.Client(base_url=first.base, headers=HEADERS, timeout=10) as client:
        carts = [
            client.post("/v2/carts", json={"customer_id": f"w{w}", "currency": "EUR"}).json()["id"]
            for w in range(WRITERS)
        ]
    acked, sent = asyncio.run(crash_during_load(first, carts))
    unknown = [k for k in sent if k not in acked]
    assert len(acked) >= 150 and unknown, "the kill must land while requests are in flight"

    second = serve(db, tmp_path / "second.log")
    try:
        with httpx.Client(base_url=second.base, headers=HEADERS, timeout=10) as client:
            deadline = time.monotonic() + 150  # a crashed claim stays in flight for its 60-second lease
            retried = unknown + list(acked)[:: max(1, len(acked) // 10)]
            for key in retried:
                r = retry(client, sent[key], key, deadline)
                assert r.status_code == 201, (key, r.status_code, r.text[:300])
                if key in acked:
                    assert r.json()["id"] == acked[key]  # a replay, not a second write
                acked[key] = r.json()["id"]
            notes: dict[str, int] = {}
            ids: set[str] = set()
            for cart in carts:
                items = client.get(f"/v2/carts/{cart}").json()["items"]
                for item in items:
                    notes[item["note"]] = notes.get(item["note"], 0) + 1
                    ids.add(item["id"])
        assert set(acked.values()) <= ids, "an acknowledged item is missing after the crash"
        duplicates = {k: c for k, c in notes.items() if c > 1}
        assert not duplicates, f"retries wrote twice: {duplicates}"
        assert set(notes) == set(acked), "every key that finally succeeded is there exactly once, and nothing else"
    finally:
        second.stop()
