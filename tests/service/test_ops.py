"""Structured request logs, request ids, health, readiness and Prometheus metrics."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import orjson
import pytest

from tests.service.support import ACME, Api, new_cart


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(orjson.loads(record.getMessage()))


@pytest.fixture
def access_log() -> Iterator[_Collect]:
    handler = _Collect()
    logger = logging.getLogger("service.access")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def test_request_id_is_echoed_when_well_formed(api: Api) -> None:
    assert api.get("/healthz", headers={"X-Request-ID": "req-123.abc:9"}).headers["x-request-id"] == "req-123.abc:9"
    for bad in ("has space", "x" * 200, "ünï", ""):
        rid = api.get("/healthz", headers={"X-Request-ID": bad.encode("utf-8")}).headers["x-request-id"]
        assert rid != bad and len(rid) == 32


def test_one_json_log_line_per_request(api: Api, access_log: _Collect) -> None:
    cart = new_cart(api, "v1")
    api.get(f"/v1/carts/{cart['id']}", headers={**ACME, "X-Request-ID": "trace-1"})
    api.get("/v2/carts/x", headers={"Authorization": "Bearer not-a-key"})
    created, read, denied = access_log.lines[-3:]
    assert read == {
        "event": "request",
        "request_id": "trace-1",
        "method": "GET",
        "route": "/v1/carts/{cart_id}",
        "path": f"/v1/carts/{cart['id']}",
        "status": 200,
        "outcome": "ok",
        "tenant": "acme",
        "api_version": "v1",
        "latency_ms": read["latency_ms"],
    }
    assert isinstance(read["latency_ms"], float) and read["latency_ms"] >= 0
    assert created["status"] == 201 and created["route"] == "/v1/carts"
    assert denied["status"] == 401 and denied["tenant"] is None and denied["outcome"] == "client_error"
    assert all("key-acme" not in orjson.dumps(line).decode() for line in access_log.lines)
    assert all("not-a-key" not in orjson.dumps(line).decode() for line in access_log.lines)


def test_replays_are_logged_as_such(api: Api, access_log: _Collect) -> None:
    headers = {**ACME, "Idempotency-Key": "log"}
    for _ in range(2):
        api.post("/v2/carts", json={"customer_id": "c", "currency": "EUR"}, headers=headers)
    assert [line["outcome"] for line in access_log.lines[-2:]] == ["ok", "replayed"]


def test_health_and_readiness(api: Api) -> None:
    assert api.get("/healthz").json() == {"status": "ok"}
    assert api.get("/readyz").json() == {"status": "ready"}


def test_metrics_by_version_route_status_and_tenant(api: Api) -> None:
    cart = new_cart(api, "v1")
    api.get(f"/v1/carts/{cart['id']}", headers=ACME)
    api.get(f"/v2/carts/{cart['id']}", headers=ACME)
    api.get("/v2/carts/nope", headers=ACME)
    api.get("/v7/carts")
    text = api.get("/metrics").text
    assert 'cart_http_requests_total{api_version="v1",method="POST",route="/v1/carts",status="201"} 1.0' in text
    assert (
        'cart_http_requests_total{api_version="v1",method="GET",route="/v1/carts/{cart_id}",status="200"} 1.0' in text
    )
    assert (
        'cart_http_requests_total{api_version="v2",method="GET",route="/v2/carts/{cart_id}",status="404"} 1.0' in text
    )
    assert 'cart_http_requests_total{api_version="none",method="GET",route="unmatched",status="404"} 1.0' in text
    bucket = 'cart_http_request_duration_seconds_bucket{api_version="v1",le="0.5",method="GET",'
    assert bucket + 'route="/v1/carts/{cart_id}"} 1.0' in text
    assert 'cart_api_version_requests_total{api_version="v1",tenant="acme"} 2.0' in text
    assert 'cart_api_version_requests_total{api_version="v2",tenant="acme"} 2.0' in text


def test_documents_and_docs_pages_are_counted_with_their_version(api: Api) -> None:
    assert api.get("/v1/openapi.json").status_code == 200
    assert api.get("/v2/docs").status_code == 200
    text = api.get("/metrics").text
    assert 'cart_http_requests_total{api_version="v1",method="GET",route="/v1/openapi.json",status="200"} 1.0' in text
    assert 'cart_http_requests_total{api_version="v2",method="GET",route="/v2/docs",status="200"} 1.0' in text
    assert 'api_version="none",method="GET",route="/v1/openapi.json"' not in text


def test_every_problem_has_its_status_title(make_api) -> None:  # type: ignore[no-untyped-def]
    limited = make_api(database_url="memory:", rate_limit=0.001, rate_burst=1)
    assert limited.get("/v2/carts/x", headers=ACME).status_code == 404
    too_many = limited.get("/v2/carts/x", headers=ACME)
    assert (too_many.status_code, too_many.json()["title"]) == (429, "Too Many Requests")


def test_the_version_list(api: Api) -> None:
    listing = api.get("/").json()
    assert listing["head"] == "v2" and listing["title"] == "Cart API"
    v1, v2 = listing["versions"]
    assert (v1["name"], v1["status"], v1["sunset"], v1["successor"], v1["gone"]) == (
        "v1",
        "deprecated",
        "2027-03-31",
        "v2",
        False,
    )
    assert (v2["openapi"], v2["docs"]) == ("/v2/openapi.json", "/v2/docs")
