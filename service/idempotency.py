"""The Idempotency-Key protocol on POST (docs/service.md, Idempotency), as an interceptor of the version gate.

It runs after the gate has authenticated the tenant and read and parsed the body, and before validation
and the handler:

- a key is claimed per tenant with a fingerprint of method, path and JSON-equal body (the store decides:
  new, replay of the stored answer, in flight (409), reused with another request (422));
- the handler runs with the claim in a context variable, so the SqlStore records what the write created
  (the cart or item id) in the write's own transaction;
- a 2xx answer is stored for replay (with its Location and ETag), anything else releases the key;
- a retry while the first request runs is 409 with `Retry-After` (how long the claim has existed so far,
  at least 1 s, never past its lease: `CART_IDEMPOTENCY_LEASE_SECONDS`);
- the claim's token fences the write: a claim taken over by a retry after its lease can no longer be
  written to, completed or released by its first request (its write is rolled back: 503);
- a claim whose write committed but whose answer was lost is answered by rebuilding the 201 from the
  resource as it is now.

It stays in the cart rather than in contractkit.fastapi: the protocol is generic, but its correctness rests
on the store (the claim committed with the business write, the lease) and on the domain (rebuilding a lost
201 from a resource), which only the app has. The library gives it the hook (`Gate.interceptors`).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from contractkit.fastapi import Call, Problem, Proceed
from service.domain import CartService, Clock
from service.store import IDEM_CLAIM, StoredResponse, etag

__all__ = ["Idempotency"]

log = logging.getLogger("service.errors")

_IDEM_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
_REPLAY_HEADERS = ("location", "etag")


def _orjson_ok(value: Any) -> bool:
    try:
        orjson.dumps(value)
    except TypeError:
        return False
    return True


class Idempotency:
    """`Gate(interceptors=[Idempotency(service, clock, ttl, lease)])`."""

    def __init__(self, service: CartService, clock: Clock, ttl: float, lease: float = 10.0) -> None:
        self.service = service
        self.clock = clock
        self.ttl = ttl
        self.lease = lease  # how long an in-flight claim blocks a retry (CART_IDEMPOTENCY_LEASE_SECONDS)

    def wants(self, call: Call) -> bool:
        """Only a POST with an Idempotency-Key: the gate skips this interceptor for everything else."""
        return call.method == "POST" and call.header("idempotency-key") is not None

    async def __call__(self, call: Call, proceed: Proceed) -> Response:
        key = call.header("idempotency-key")
        if call.method != "POST" or key is None:
            return await proceed()
        tenant: str = call.state["tenant"]
        replay, claim_token = await self._begin(call, tenant, key)
        if replay is not None:
            info = call.scope.get("cart.info")
            if info is not None:
                info["outcome"] = "replayed"
            return replay
        # The claim's token fences the write: if another request takes the claim over (after the lease),
        # this request's write is rolled back (ClaimLost, 503) and its completion or release is ignored.
        claim = (tenant, key, claim_token) if claim_token is not None else (tenant, key)
        store = self.service.store
        token = IDEM_CLAIM.set(claim)
        try:
            response = await proceed()
        except BaseException:
            await run_in_threadpool(store.idem_release, tenant, key, claim_token)
            raise
        finally:
            IDEM_CLAIM.reset(token)
        await self._finish(tenant, key, claim_token, response)
        return response

    async def _begin(self, call: Call, tenant: str, key: str) -> tuple[Response | None, str | None]:
        """Claim the key: (None, the claim's token) when this request is to be processed, else the answer to
        send instead."""
        if not _IDEM_KEY.match(key):
            raise Problem(400, "bad-idempotency-key", "Idempotency-Key must be 1-255 visible ASCII characters")
        parsed = call.document
        canonical = orjson.dumps(parsed, option=orjson.OPT_SORT_KEYS) if _orjson_ok(parsed) else repr(parsed).encode()
        fingerprint = hashlib.sha256(
            call.method.encode() + b" " + call.scope["path"].encode("utf-8", "replace") + b"\n" + canonical
        )
        begin = await run_in_threadpool(
            self.service.store.idem_begin,
            tenant,
            key,
            fingerprint.hexdigest(),
            self.clock().timestamp(),
            self.ttl,
            self.lease,
        )
        if begin.state == "mismatch":
            raise Problem(
                422, "idempotency-key-reused", "this Idempotency-Key was used with a different request body or path"
            )
        if begin.state == "in_flight":
            raise Problem(
                409,
                "idempotency-in-flight",
                "a request with this Idempotency-Key is still being processed; retry later",
                headers={"Retry-After": str(max(1, math.ceil(begin.retry_after or 1.0)))},
            )
        if begin.state == "committed":
            assert begin.resource is not None
            rebuilt = await run_in_threadpool(self._rebuild, call, tenant, begin.resource)
            await self._finish(tenant, key, None, rebuilt)
            rebuilt.headers["Idempotent-Replayed"] = "true"
            return rebuilt, None
        if begin.state == "replay":
            stored = begin.response
            assert stored is not None
            headers = {**stored.headers, "Idempotent-Replayed": "true"}
            return Response(stored.body, status_code=stored.status, headers=headers, media_type=None), None
        return None, begin.token

    def _rebuild(self, call: Call, tenant: str, resource: dict[str, str]) -> Response:
        """The 201 of a create whose write committed but whose response was lost: the resource as it is now,
        in the caller's version, with its current ETag."""
        service = self.service
        cart_id, item_id = resource["cart_id"], resource.get("item_id")
        if item_id is None:
            cart = service.get_cart(tenant, cart_id)
            headers = {"Location": call.url(f"/carts/{cart_id}"), "ETag": etag(cart.version)}
            return call.render("cart", cart.body, 201, headers)
        item = service.get_item(tenant, cart_id, item_id)
        headers = {"Location": call.url(f"/carts/{cart_id}/items/{item_id}"), "ETag": etag(item.version)}
        return call.render("cart_item", item.body, 201, headers)

    async def _finish(self, tenant: str, key: str, claim_token: str | None, response: Response) -> None:
        store = self.service.store
        try:
            if 200 <= response.status_code < 300:
                headers = {k: v for k, v in response.headers.items() if k in _REPLAY_HEADERS or k == "content-type"}
                stored = StoredResponse(response.status_code, bytes(response.body), headers)
                await run_in_threadpool(store.idem_complete, tenant, key, stored, claim_token)
            else:
                await run_in_threadpool(store.idem_release, tenant, key, claim_token)
        except store.unavailable as exc:
            # The answer itself is right (the write, if any, is committed); only its record failed. The claim
            # stays in flight until its lease ends, or until this process sees it abandoned (docs/service.md,
            # Idempotency).
            log.warning("could not record the Idempotency-Key outcome: %s", type(exc).__name__)
