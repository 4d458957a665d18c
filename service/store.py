"""Storage: the records the business logic works on, the Store protocol, and the in-memory store.

Two implementations: `MemoryStore` (a dict per table under one lock; benchmarks and demos) and
`service.sql.SqlStore` (SQLAlchemy: SQLite by default, PostgreSQL through the same URL).
Every method is scoped by tenant: a cart of another tenant is simply not found.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Collection
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol

__all__ = [
    "IDEM_CLAIM",
    "CartFull",
    "CartRecord",
    "ClaimLost",
    "IdemBegin",
    "ItemChanges",
    "ItemRecord",
    "MemoryStore",
    "PreconditionFailed",
    "Store",
    "StoreUnavailable",
    "StoredResponse",
    "TotalTooLarge",
    "etag",
    "in_flight_retry_after",
    "parse_if_match",
]


class CartFull(Exception):
    """Raised by `Store.add_item` when the cart already holds `max_lines` lines; nothing was written."""


class TotalTooLarge(Exception):
    """Raised by `Store.add_item` / `Store.update_item` when the write would take the cart's total (the sum of
    quantity x unit price over its lines) above `max_total`; nothing was written."""


class PreconditionFailed(Exception):
    """A conditional write (`if_match=`) found the resource at another version; nothing was written.
    `current` is the version it has (its ETag is `etag(current)`): answered 412."""

    def __init__(self, current: int) -> None:
        super().__init__(f"the resource is at version {current}")
        self.current = current


class StoreUnavailable(Exception):
    """The store cannot serve right now, though the database may answer: its schema is missing or older than
    this code, or the SQLite file was replaced or deleted. Answered 503, like an unreachable database."""


class ClaimLost(Exception):
    """The request's Idempotency-Key claim was taken over by another request after its lease ended; the write
    was rolled back, so it is never done twice. Answered 503 (a retry gets the other request's outcome)."""


def etag(version: int) -> str:
    """The strong ETag of a cart or item at `version` (RFC 9110 8.8.3): `"3"`."""
    return f'"{version}"'


_ETAG = re.compile(r'\s*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)')


def parse_if_match(value: str) -> frozenset[int] | None:
    """The versions an If-Match field value accepts (RFC 9110 13.1.1): None for `*` (any current version);
    else the versions of its strong ETags. Weak ETags never match (If-Match compares strongly), and neither
    does a malformed value: it gives the empty set, which matches nothing (412)."""
    if value.strip() == "*":
        return None
    versions: set[int] = set()
    rest = value.strip()
    while rest:
        match = _ETAG.match(rest)
        if match is None:
            return frozenset()
        weak, tag = match.group(1), match.group(2)
        if not weak and tag.isdigit() and tag.isascii() and len(tag) <= 18:
            versions.add(int(tag))
        rest = rest[match.end() :].lstrip()
    return frozenset(versions)


def in_flight_retry_after(now: float, created: float, lease_until: float) -> float:
    """Seconds a client should wait before retrying a request whose key is in flight: as long as the claim has
    existed so far (at least 1 s), never past the end of its lease. A request that normally takes milliseconds
    gets 1; a claim that has been held for a while (a slow request, or a dead owner) gets longer waits."""
    left = max(0.0, lease_until - now)
    return max(1.0, min(left, max(1.0, now - created)))


@dataclass(frozen=True, slots=True)
class ItemRecord:
    id: str
    sku: str
    quantity: int
    unit_amount_minor: int
    gift_wrap: bool = False
    note: str | None = None
    version: int = 1  # bumped by every update of the item: its ETag


@dataclass(frozen=True, slots=True)
class ItemChanges:
    """The fields one update sets; None leaves a field as it is at the moment of the write."""

    quantity: int | None = None
    gift_wrap: bool | None = None

    def apply(self, item: ItemRecord) -> ItemRecord:
        return replace(
            item,
            quantity=item.quantity if self.quantity is None else self.quantity,
            gift_wrap=item.gift_wrap if self.gift_wrap is None else self.gift_wrap,
            version=item.version + 1,
        )


@dataclass(frozen=True, slots=True)
class CartRecord:
    id: str
    tenant: str
    customer_id: str
    currency: str
    created_at: str
    updated_at: str
    note: str | None = None
    metadata: dict[str, str] | None = None
    items: tuple[ItemRecord, ...] = ()
    version: int = 1  # bumped by every write to the cart or its items: its ETag


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class IdemBegin:
    """The outcome of claiming an idempotency key.

    `committed`: the first request's write is committed but its response was never stored (its process died
    in between); `resource` names what it created, so the response can be rebuilt instead of writing twice.
    `new`: `token` names this claim; the gate sets IDEM_CLAIM to (tenant, key, token) and passes the token to
    `idem_complete` / `idem_release`, so that a claim taken over by another request (after its lease) can no
    longer be written to, completed or released by its first owner. `in_flight`: `retry_after` is how many
    seconds to send in Retry-After (see `in_flight_retry_after`).
    """

    state: Literal["new", "replay", "mismatch", "in_flight", "committed"]
    response: StoredResponse | None = None
    resource: dict[str, str] | None = None
    token: str | None = None
    retry_after: float | None = None


# The idempotency claim of the request being handled, if any: (tenant, key) or (tenant, key, token). A store
# that can, records what a write created in the claim, in the write's own transaction (see SqlStore), and with
# a token only while the claim is still the request's own; contextvars follow the handler into the worker
# thread.
IDEM_CLAIM: ContextVar[tuple[str, str] | tuple[str, str, str] | None] = ContextVar("cart_idem_claim", default=None)


class Store(Protocol):
    """`if_match`: the versions a conditional write accepts (from `parse_if_match`); None writes whatever the
    version. A mismatch raises PreconditionFailed and writes nothing; a missing resource is still None/False."""

    # Exceptions meaning "the database is unavailable right now" (locked, unreachable, timed out, schema
    # missing): answered 503. Text may hold U+0000 in every store (SqlStore keeps it as bytea on PostgreSQL).
    unavailable: tuple[type[BaseException], ...]

    def ping(self) -> None: ...
    def create_cart(self, cart: CartRecord) -> None: ...
    def get_cart(self, tenant: str, cart_id: str) -> CartRecord | None: ...
    def delete_cart(self, tenant: str, cart_id: str, if_match: Collection[int] | None = None) -> bool: ...
    def add_item(
        self, tenant: str, cart_id: str, item: ItemRecord, now: str, max_lines: int, max_total: int | None = None
    ) -> bool: ...
    def update_item(
        self,
        tenant: str,
        cart_id: str,
        item_id: str,
        changes: ItemChanges,
        now: str,
        if_match: Collection[int] | None = None,
        max_total: int | None = None,
    ) -> ItemRecord | None: ...
    def delete_item(
        self, tenant: str, cart_id: str, item_id: str, now: str, if_match: Collection[int] | None = None
    ) -> bool: ...
    def idem_begin(
        self, tenant: str, key: str, fingerprint: str, now: float, ttl: float, lease: float
    ) -> IdemBegin: ...
    def idem_complete(self, tenant: str, key: str, response: StoredResponse, token: str | None = None) -> None: ...
    def idem_release(self, tenant: str, key: str, token: str | None = None) -> None: ...
    def close(self) -> None: ...


def _total(items: tuple[ItemRecord, ...]) -> int:
    return sum(i.quantity * i.unit_amount_minor for i in items)


@dataclass(slots=True)
class _Idem:
    fingerprint: str
    created: float
    lease_until: float
    token: str
    response: StoredResponse | None = None


class MemoryStore:
    """Process-local, lost on restart. One lock; every operation is O(items in the cart)."""

    unavailable: tuple[type[BaseException], ...] = ()

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._carts: dict[tuple[str, str], CartRecord] = {}
        self._idem: dict[tuple[str, str], _Idem] = {}
        self._held: set[str] = set()  # tokens of claims whose request is still running

    def ping(self) -> None:
        return None

    def close(self) -> None:
        return None

    def create_cart(self, cart: CartRecord) -> None:
        with self._lock:
            self._carts[(cart.tenant, cart.id)] = cart

    def get_cart(self, tenant: str, cart_id: str) -> CartRecord | None:
        return self._carts.get((tenant, cart_id))

    def delete_cart(self, tenant: str, cart_id: str, if_match: Collection[int] | None = None) -> bool:
        with self._lock:
            cart = self._carts.get((tenant, cart_id))
            if cart is None:
                return False
            if if_match is not None and cart.version not in if_match:
                raise PreconditionFailed(cart.version)
            del self._carts[(tenant, cart_id)]
            return True

    def _modify(self, tenant: str, cart_id: str, fn: Any) -> bool:
        with self._lock:
            cart = self._carts.get((tenant, cart_id))
            if cart is None:
                return False
            items = fn(cart.items)
            if items is None:
                return False
            self._carts[(tenant, cart_id)] = replace(
                cart, items=items[0], updated_at=items[1], version=cart.version + 1
            )
            return True

    def add_item(
        self, tenant: str, cart_id: str, item: ItemRecord, now: str, max_lines: int, max_total: int | None = None
    ) -> bool:
        def add(items: tuple[ItemRecord, ...]) -> Any:
            if len(items) >= max_lines:  # checked under the lock, with the write
                raise CartFull
            if max_total is not None and _total((*items, item)) > max_total:
                raise TotalTooLarge
            return (*items, item), now

        return self._modify(tenant, cart_id, add)

    def update_item(
        self,
        tenant: str,
        cart_id: str,
        item_id: str,
        changes: ItemChanges,
        now: str,
        if_match: Collection[int] | None = None,
        max_total: int | None = None,
    ) -> ItemRecord | None:
        updated: list[ItemRecord] = []

        def change(items: tuple[ItemRecord, ...]) -> Any:
            for i in items:
                if i.id == item_id:
                    if if_match is not None and i.version not in if_match:
                        raise PreconditionFailed(i.version)
                    new = changes.apply(i)
                    kept = tuple(new if x.id == item_id else x for x in items)
                    if max_total is not None and changes.quantity is not None and _total(kept) > max_total:
                        raise TotalTooLarge
                    updated.append(new)
                    return kept, now
            return None

        return updated[0] if self._modify(tenant, cart_id, change) else None

    def delete_item(
        self, tenant: str, cart_id: str, item_id: str, now: str, if_match: Collection[int] | None = None
    ) -> bool:
        def change(items: tuple[ItemRecord, ...]) -> Any:
            for i in items:
                if i.id == item_id and if_match is not None and i.version not in if_match:
                    raise PreconditionFailed(i.version)
            kept = tuple(i for i in items if i.id != item_id)
            return None if len(kept) == len(items) else (kept, now)

        return self._modify(tenant, cart_id, change)

    def idem_begin(self, tenant: str, key: str, fingerprint: str, now: float, ttl: float, lease: float) -> IdemBegin:
        with self._lock:
            entry = self._idem.get((tenant, key))
            if entry is not None and (
                now - entry.created >= ttl
                or (entry.response is None and (now >= entry.lease_until or entry.token not in self._held))
            ):
                entry = None  # expired, or an in-flight claim whose request ended without releasing it
            if entry is None:
                token = uuid.uuid4().hex
                self._idem[(tenant, key)] = _Idem(fingerprint, now, now + lease, token)
                self._held.add(token)
                return IdemBegin("new", token=token)
            if entry.response is None:
                return IdemBegin("in_flight", retry_after=in_flight_retry_after(now, entry.created, entry.lease_until))
            if entry.fingerprint != fingerprint:
                return IdemBegin("mismatch")
            return IdemBegin("replay", entry.response)

    def idem_complete(self, tenant: str, key: str, response: StoredResponse, token: str | None = None) -> None:
        with self._lock:
            entry = self._idem.get((tenant, key))
            if entry is not None and (token is None or entry.token == token):
                entry.response = response
                self._held.discard(entry.token)

    def idem_release(self, tenant: str, key: str, token: str | None = None) -> None:
        with self._lock:
            entry = self._idem.get((tenant, key))
            if entry is not None and (token is None or entry.token == token):
                del self._idem[(tenant, key)]
                self._held.discard(entry.token)
