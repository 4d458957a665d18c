"""`uvicorn --workers N`: every worker starts at once on a fresh database without a crash (migrations take
turns), and /metrics adds up every worker (prometheus-client multiprocess mode), so counters never go
backwards whichever worker answers the scrape. Real uvicorn processes; worker logs are read for tracebacks."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from tests.scale.support import Uvicorn
from tests.service.support import ACME, fresh_postgres

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

WORKERS = 4


def _start_fresh(tmp_path: Path, url: str, tag: str) -> None:
    """A fresh database, `uvicorn --workers 4` with migrations at start-up (the default): all four workers
    migrate at once. Every worker must come up, and no log line may show a traceback or a dead worker."""
    server = Uvicorn(tmp_path / f"start-{tag}.log", {"CART_DATABASE_URL": url}, workers=WORKERS)
    try:
        assert server.ready(), server.output()[-3000:]
        with httpx.Client(base_url=server.base, headers=ACME, timeout=30) as client:
            created = client.post("/v2/carts", json={"customer_id": "c", "currency": "EUR"})
            assert created.status_code == 201, created.text
        for _ in range(600):  # until every worker has finished its start-up (migrated, or found it done)
            if server.output().count("Application startup complete") >= WORKERS:
                break
            time.sleep(0.1)
    finally:
        server.stop()
    out = server.output()
    assert out.count("Application startup complete") == WORKERS, out[-3000:]
    assert "Traceback" not in out and "died" not in out and "Error" not in out, out[-3000:]


def test_four_workers_start_at_once_on_a_fresh_sqlite_database(tmp_path: Path) -> None:
    for n in range(2):
        _start_fresh(tmp_path, f"sqlite:///{tmp_path}/fresh{n}.db", f"sqlite{n}")


@pytest.mark.postgres
def test_four_workers_start_at_once_on_a_fresh_postgres_database(tmp_path: Path) -> None:
    for n in range(2):
        with fresh_postgres("cart_start") as url:
            _start_fresh(tmp_path, url, f"postgres{n}")
            engine = sa.create_engine(url)
            try:
                with engine.connect() as conn:
                    assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0003"
            finally:
                engine.dispose()


_SAMPLE = re.compile(r"^cart_http_requests_total\{(.*)\} (\S+)$", re.MULTILINE)


def _api_requests(metrics: str) -> float:
    """The sum of cart_http_requests_total over the API's own routes (not /metrics, /readyz)."""
    total = 0.0
    for labels, value in _SAMPLE.findall(metrics):
        if 'route="/v2/' in labels:
            total += float(value)
    return total


def test_metrics_add_up_every_worker(tmp_path: Path) -> None:
    multiproc = tmp_path / "prom"
    multiproc.mkdir()
    env = {"CART_DATABASE_URL": "memory:", "CART_RATE_LIMIT": "0", "PROMETHEUS_MULTIPROC_DIR": str(multiproc)}
    server = Uvicorn(tmp_path / "metrics.log", env, workers=2)
    try:
        assert server.ready(), server.output()[-3000:]
        seen: list[float] = []
        sent = 0
        for _ in range(20):
            # a new connection per request, so the kernel spreads them over both workers
            for _ in range(5):
                assert httpx.get(f"{server.base}/v2/carts/nope", headers=ACME, timeout=30).status_code == 404
                sent += 1
            seen.append(_api_requests(httpx.get(f"{server.base}/metrics", timeout=30).text))
        assert seen == sorted(seen), seen  # never backwards
        assert seen[-1] == sent  # and every worker's requests are counted in every scrape
        writers = {p.name.split("_")[-1] for p in multiproc.glob("counter_*.db")}
        assert len(writers) == 2, writers  # both workers served requests (else this proves little)
    finally:
        server.stop()
    assert "Traceback" not in server.output()
