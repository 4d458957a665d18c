"""Per-tenant token buckets (`CART_RATE_LIMIT`, `CART_RATE_BURST`), a guard of the version gate (after auth).

In-process: each instance of the service has its own buckets, so with N instances behind a load balancer a
tenant gets up to N times the configured rate (a shared limit would need a shared store such as Redis).
The gate runs on the event loop, so the buckets need no lock; the hot path is one dict lookup and a little
arithmetic. Buckets exist only for authenticated tenants, so the dict stays as small as the key list.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from contractkit.fastapi import Call, Problem

__all__ = ["RateLimiter"]


class RateLimiter:
    """`rate` tokens per second per tenant, at most `burst` banked; `clock` is monotonic seconds (injectable)."""

    __slots__ = ("_buckets", "burst", "clock", "rate")

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic) -> None:
        if not rate > 0 or not math.isfinite(rate):
            raise ValueError("rate must be a positive finite number")
        self.rate = float(rate)
        self.burst = max(1.0, float(burst))
        self.clock = clock
        self._buckets: dict[str, list[float]] = {}

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
        return str(max(1, math.ceil(wait)))

    def check(self, call: Call) -> None:
        """The version gate's guard (after authentication): 429 with Retry-After over the tenant's rate."""
        wait = self.acquire(call.state["tenant"])
        if wait:
            raise Problem(
                429,
                "rate-limited",
                f"more than {self.rate:g} requests per second for this tenant; retry later",
                headers={"Retry-After": self.retry_after(wait)},
            )
