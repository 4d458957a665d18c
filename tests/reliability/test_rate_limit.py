"""Per-tenant token buckets in the version gate: 429 problem+json with Retry-After, other tenants unaffected."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from anyio.from_thread import start_blocking_portal

from service.app import create_app
from service.auth import ConfigError
from service.ratelimit import RateLimiter
from service.settings import Settings
from tests.service.support import ACME, API_KEYS, GLOBEX, Api, Clock, problem_of


@pytest.fixture
def make_api() -> Iterator[Callable[..., Api]]:
    apis: list[Api] = []
    with start_blocking_portal() as portal:

        def make(**overrides: Any) -> Api:
            api = Api(create_app(Settings(api_keys=API_KEYS, **overrides), clock=Clock()), portal)
            apis.append(api)
            return api

        yield make
        for api in apis:
            api.close()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limited(make_api: Callable[..., Api], rate: float, burst: float) -> tuple[Api, FakeClock]:
    api = make_api(database_url="memory:", rate_limit=rate, rate_burst=burst)
    clock = FakeClock()
    limiter = api.app.state.runtime.limiter
    assert isinstance(limiter, RateLimiter)
    limiter.clock = clock
    return api, clock


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_over_the_limit_is_429_with_retry_after(make_api: Callable[..., Api], version: str) -> None:
    api, _ = limited(make_api, rate=0.5, burst=3)
    for _ in range(3):
        assert api.get(f"/{version}/carts/nope", headers=ACME).status_code == 404
    response = api.get(f"/{version}/carts/nope", headers={**ACME, "X-Request-ID": "rl-1"})
    body = problem_of(response, 429, version)
    assert body["type"].endswith("/rate-limited")
    assert response.headers["retry-after"] == "2"  # one token at 0.5/s
    assert response.headers["x-request-id"] == "rl-1"
    if version == "v1":  # the version's lifecycle headers, like every other answer
        assert "deprecation" in response.headers and "sunset" in response.headers
    # a POST is limited before its body is read
    assert problem_of(api.post(f"/{version}/carts", content=b"{", headers=ACME), 429, version)


def test_retry_after_is_whole_seconds_at_least_one(make_api: Callable[..., Api]) -> None:
    api, _ = limited(make_api, rate=50, burst=1)
    assert api.get("/v2/carts/x", headers=ACME).status_code == 404
    response = api.get("/v2/carts/x", headers=ACME)
    assert response.status_code == 429 and response.headers["retry-after"] == "1"


def test_other_tenants_are_not_affected(make_api: Callable[..., Api]) -> None:
    api, _ = limited(make_api, rate=1, burst=2)
    for _ in range(2):
        api.get("/v2/carts/x", headers=ACME)
    assert api.get("/v2/carts/x", headers=ACME).status_code == 429
    for _ in range(2):
        assert api.get("/v2/carts/x", headers=GLOBEX).status_code == 404
    assert api.get("/v2/carts/x", headers=GLOBEX).status_code == 429


def test_unauthenticated_requests_take_no_tokens(make_api: Callable[..., Api]) -> None:
    api, _ = limited(make_api, rate=1, burst=1)
    for _ in range(5):
        assert api.get("/v2/carts/x", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert api.get("/v2/carts/x", headers=ACME).status_code == 404


def test_tokens_refill(make_api: Callable[..., Api]) -> None:
    api, clock = limited(make_api, rate=2, burst=2)
    for _ in range(2):
        assert api.get("/v2/carts/x", headers=ACME).status_code == 404
    assert api.get("/v2/carts/x", headers=ACME).status_code == 429
    clock.now += 0.5  # one token
    assert api.get("/v2/carts/x", headers=ACME).status_code == 404
    assert api.get("/v2/carts/x", headers=ACME).status_code == 429
    clock.now += 60  # never more than the burst
    assert [api.get("/v2/carts/x", headers=ACME).status_code for _ in range(3)] == [404, 404, 429]


def test_the_real_clock_refills(make_api: Callable[..., Api]) -> None:
    import time

    api = make_api(database_url="memory:", rate_limit=20, rate_burst=1)
    assert api.get("/v2/carts/x", headers=ACME).status_code == 404
    assert api.get("/v2/carts/x", headers=ACME).status_code == 429
    time.sleep(0.06)
    assert api.get("/v2/carts/x", headers=ACME).status_code == 404


def test_zero_disables(make_api: Callable[..., Api]) -> None:
    api = make_api(database_url="memory:", rate_limit=0)
    assert api.app.state.runtime.limiter is None
    assert all(api.get("/v2/carts/x", headers=ACME).status_code == 404 for _ in range(50))


def test_settings_from_env() -> None:
    default = Settings.from_env({})
    assert default.rate_limit == 100 and default.burst == 200
    custom = Settings.from_env({"CART_RATE_LIMIT": "2.5", "CART_RATE_BURST": "7"})
    assert custom.rate_limit == 2.5 and custom.burst == 7
    assert Settings.from_env({"CART_RATE_LIMIT": "0"}).rate_limit == 0


@pytest.mark.parametrize("fields", [{"rate_limit": -1}, {"rate_limit": float("nan")}, {"rate_burst": 0.5}])
def test_bad_settings_are_config_errors(fields: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        create_app(Settings(database_url="memory:", **fields))
