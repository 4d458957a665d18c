"""Per-tenant token buckets (`CART_RATE_LIMIT`, `CART_RATE_BURST`), a guard of the version gate (after auth).

Two limiters with one shape — `acquire(tenant) -> seconds to wait (0.0: allowed)`, `retry_after(wait)`,
`detail` (the 429's text) — built by `make_limiter(settings)`:

- `RateLimiter`: in this process. Every process (each instance, each `--workers` worker) has its own
  buckets, so N processes admit up to N times the rate; its 429 says so. The gate runs on the event loop, so
  the buckets need no lock; the hot path is one dict lookup and a little arithmetic.
- `RedisRateLimiter` (`CART_REDIS_URL`): one bucket per tenant in Redis, shared by every process that uses
  the same Redis. Taking a token is one atomic server-side script (`register_script`: EVALSHA), timed by the
  Redis server's clock, so instances need no synchronised clocks. When Redis cannot be reached
  (`CART_RATE_LIMIT_ON_REDIS_ERROR`): `open` (the default) falls back to this process's own buckets, so the
  limit loosens to N times the rate but the API stays up; `closed` refuses with `LimiterUnavailable` (503).
  Either way it is logged once when Redis goes away and once when it is back, and Redis is tried again at
  most once per `retry_interval` seconds meanwhile, so a dead Redis costs no request more than its timeout.

`RedisRateLimiter.acquire` is a blocking call on the event loop: one round trip to Redis (tens of
microseconds on a local network), bounded by `timeout` (`CART_REDIS_TIMEOUT_MS`, 250 ms by default) when Redis
is slow; with Redis hanging, at most one request per `retry_interval` waits that long. A timeout shorter than
a busy machine's scheduling delays makes the limiter fall back to per-process buckets now and then (measured
here at 50 ms under a load average of 11), which loosens the limit.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from contractkit.fastapi import Call, Problem

if TYPE_CHECKING:
    from service.settings import Settings

__all__ = ["LimiterUnavailable", "RateLimiter", "RedisRateLimiter", "make_limiter"]

log = logging.getLogger("service.errors")


class LimiterUnavailable(Exception):
    """The shared limiter cannot be reached and CART_RATE_LIMIT_ON_REDIS_ERROR=closed: answer 503."""


def _retry_after(wait: float) -> str:
    return str(max(1, math.ceil(wait)))


def _check(limiter: RateLimiter | RedisRateLimiter, call: Call) -> None:
    """The version gate's guard (after authentication): 429 with Retry-After over the tenant's rate; 503 with
    Retry-After: 1 when the shared limiter is unreachable and fails closed."""
    try:
        wait = limiter.acquire(call.state["tenant"])
    except LimiterUnavailable:
        raise Problem(
            503, "unavailable", "the rate limiter is unavailable; retry later", headers={"Retry-After": "1"}
        ) from None
    if wait:
        raise Problem(429, "rate-limited", limiter.detail, headers={"Retry-After": _retry_after(wait)})


class RateLimiter:
    """`rate` tokens per second per tenant, at most `burst` banked; `clock` is monotonic seconds (injectable).
    Per process: see the module docstring."""

    __slots__ = ("_buckets", "burst", "clock", "rate")
    shared = False

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic) -> None:
        if not rate > 0 or not math.isfinite(rate):
            raise ValueError("rate must be a positive finite number")
        self.rate = float(rate)
        self.burst = max(1.0, float(burst))
        self.clock = clock
        self._buckets: dict[str, list[float]] = {}

    @property
    def detail(self) -> str:
        return (
            f"more than {self.rate:g} requests per second for this tenant on this server process"
            " (each process of the service counts on its own); retry later"
        )

    def acquire(self, tenant: str) -> float:
        """Take one token: 0.0 when allowed, else the seconds until a token will be there."""
        now = self.clock()
        bucket = self._buckets.get(tenant)
        if bucket is None:
            self._buckets[tenant] = [self.burst - 1.0, now]
            return 0.0
        tokens = bucket[0] + (now - bucket[1]) * self.rate
        if tokens > self.burst:
            tokens = self.burst
        bucket[1] = now
        if tokens >= 1.0:
            bucket[0] = tokens - 1.0
            return 0.0
        bucket[0] = tokens
        return (1.0 - tokens) / self.rate

    @staticmethod
    def retry_after(wait: float) -> str:
        """Retry-After in whole seconds, at least 1."""
        return _retry_after(wait)

    def check(self, call: Call) -> None:
        """The version gate's guard: 429 with Retry-After over the tenant's rate."""
        _check(self, call)


# KEYS[1]: the tenant's bucket (a hash: tokens, ts). ARGV: rate (tokens/s), burst. Returns the wait in seconds
# as a string (Lua numbers would be truncated to integers on the way out). Same arithmetic as RateLimiter.
_TOKEN_BUCKET = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
if now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate)
  ts = now
end
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.9f', tokens), 'ts', string.format('%.6f', ts))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return string.format('%.6f', wait)
"""


class RedisRateLimiter:
    """The same buckets, in Redis at `url`, shared by every process using it (see the module docstring)."""

    shared = True

    def __init__(
        self,
        url: str,
        rate: float,
        burst: float,
        *,
        on_error: Literal["open", "closed"] = "open",
        prefix: str = "cart:ratelimit:",
        timeout: float = 0.25,
        retry_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self.fallback = RateLimiter(rate, burst, clock)  # validates rate and burst
        self.rate = self.fallback.rate
        self.burst = self.fallback.burst
        self.on_error = on_error
        self.prefix = prefix
        self.retry_interval = retry_interval
        self.clock = clock
        self._client: Any = redis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),  # no retries: the fallback (or 503) is the answer to a failure
            health_check_interval=0,
        )
        self._script = self._client.register_script(_TOKEN_BUCKET)
        self._errors = (redis.RedisError, OSError)
        self._down_until: float | None = None  # while set: Redis failed; next attempt after this instant
        self._state_lock = threading.Lock()
        self._where = _redacted(url)

    @property
    def detail(self) -> str:
        return f"more than {self.rate:g} requests per second for this tenant; retry later"

    def _down(self, exc: BaseException) -> None:
        with self._state_lock:
            first = self._down_until is None
            self._down_until = self.clock() + self.retry_interval
        if first:
            what = "this process's own buckets" if self.on_error == "open" else "503 for every request"
            log.warning(
                "rate limiter: Redis at %s unreachable (%s); %s until it is back",
                self._where,
                type(exc).__name__,
                what,
            )

    def acquire(self, tenant: str) -> float:
        """Take one token from the tenant's shared bucket: 0.0 when allowed, else the seconds to wait.
        Raises LimiterUnavailable when Redis is unreachable and the limiter fails closed."""
        down_until = self._down_until
        if down_until is None or self.clock() >= down_until:
            try:
                wait = float(self._script(keys=[self.prefix + tenant], args=[self.rate, self.burst]))
            except self._errors as exc:
                self._down(exc)
            else:
                if down_until is not None:
                    with self._state_lock:
                        self._down_until = None
                    log.warning("rate limiter: Redis at %s is back; the limit is shared again", self._where)
                return wait
        if self.on_error == "closed":
            raise LimiterUnavailable("the shared rate limiter (Redis) is unreachable")
        return self.fallback.acquire(tenant)

    @staticmethod
    def retry_after(wait: float) -> str:
        return _retry_after(wait)

    def check(self, call: Call) -> None:
        """The version gate's guard: 429 over the tenant's shared rate, 503 when Redis is down and the
        limiter fails closed."""
        _check(self, call)

    def close(self) -> None:
        self._client.close()


def _redacted(url: str) -> str:
    """The URL without its password, for logs."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    return f"{parts.scheme}://{host}:{parts.port or 6379}{parts.path}"


def make_limiter(settings: Settings) -> RateLimiter | RedisRateLimiter | None:
    """The limiter `settings` ask for: None when CART_RATE_LIMIT is 0; shared through Redis when
    CART_REDIS_URL is set; else per process. Raises ConfigError for a bad rate or burst."""
    from service.auth import ConfigError

    rate = settings.rate_limit
    if rate == 0:
        return None
    if not (rate > 0 and math.isfinite(rate)) or not settings.burst >= 1:
        raise ConfigError("CART_RATE_LIMIT must be >= 0 and CART_RATE_BURST >= 1")
    if settings.redis_url:
        return RedisRateLimiter(settings.redis_url, rate, settings.burst, on_error=settings.rate_limit_on_redis_error)
    return RateLimiter(rate, settings.burst)
