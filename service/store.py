"""Storage: the records the business logic works on, the Store protocol, and the in-memory store.

Two implementations: `MemoryStore` (a dict per table under one lock; benchmarks and demos) and
`service.sql.SqlStore` (SQLAlchemy: SQLite by default, PostgreSQL through the same URL).
Every method is scoped by tenant: a cart of another tenant is simply not found.
"""

from __future__ import annotations

import threading
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol

__all__ = [
    "IDEM_CLAIM",
    "CartFull",
    "CartRecord",
    "IdemBegin",
    "ItemChanges",
    "ItemRecord",
    "MemoryStore",
    "Store",
    "StoredResponse",
]


class CartFull(Exception):
    """Raised by `Store.add_item` when the cart already holds `max_lines` lines; nothing was written."""


@dataclass(frozen=True, slots=True)
class ItemRecord:
    id: str
    sku: str
    quantity: int
    unit_amount_minor: int
    gift_wrap: bool = False
    note: str | None = None


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
    """

    state: Literal["new", "replay", "mismatch", "in_flight", "committed"]
    response: StoredResponse | None = None
    resource: dict[str, str] | None = None


# The idempotency claim (tenant, key) of the request being handled, if any. A store that can, records what a
# write created in the claim, in the write's own transaction (see SqlStore); contextvars follow the handler
# into the worker thread.
IDEM_CLAIM: ContextVar[tuple[str, str] | None] = ContextVar("cart_idem_claim", default=None)


class Store(Protocol):
    # Exceptions meaning "the database is unavailable right now" (locked, unreachable): answered 503.
    unavailable: tuple[type[BaseException], ...]
    # True when text cannot hold U+0000 (PostgreSQL): such strings are refused with a 422 before writing.
    refuses_nul: bool

    def ping(self) -> None: ...
    def create_cart(self, cart: CartRecord) -> None: ...
    def get_cart(self, tenant: str, cart_id: str) -> CartRecord | None: ...
    def delete_cart(self, tenant: str, cart_id: str) -> bool: ...
    def add_item(self, tenant: str, cart_id: str, item: ItemRecord, now: str, max_lines: int) -> bool: ...
    def update_item(
        self, tenant: str, cart_id: str, item_id: str, changes: ItemChanges, now: str
    ) -> ItemRecord | None: ...
    def delete_item(self, tenant: str, cart_id: str, item_id: str, now: str) -> bool: ...
    def idem_begin(
        self, tenant: str, key: str, fingerprint: str, now: float, ttl: float, lease: float
    ) -> IdemBegin: ...
    def idem_complete(self, tenant: str, key: str, response: StoredResponse) -> None: ...
    def idem_release(self, tenant: str, key: str) -> None: ...
    def close(self) -> None: ...


@dataclass(slots=True)
class _Idem:
    fingerprint: str
    created: float
    response: StoredResponse | None = None


class MemoryStore:
    """Process-local, lost on restart. One lock; every operation is O(items in the cart)."""

    unavailable: tuple[type[BaseException], ...] = ()
    refuses_nul = False

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._carts: dict[tuple[str, str], CartRecord] = {}
        self._idem: dict[tuple[str, str], _Idem] = {}

    def ping(self) -> None:
        return None

    def close(self) -> None:
        return None

    def create_cart(self, cart: CartRecord) -> None:
        with self._lock:
            self._carts[(cart.tenant, cart.id)] = cart

    def get_cart(self, tenant: str, cart_id: str) -> CartRecord | None:
        return self._carts.get((tenant, cart_id))

    def delete_cart(self, tenant: str, cart_id: str) -> bool:
        with self._lock:
            return self._carts.pop((tenant, cart_id), None) is not None

    def _modify(self, tenant: str, cart_id: str, fn: Any) -> bool:
        with self._lock:
            cart = self._carts.get((tenant, cart_id))
            if cart is None:
                return False
            items = fn(cart.items)
            if items is None:
                return False
            self._carts[(tenant, cart_id)] = replace(cart, items=items[0], updated_at=items[1])
            return True

    def add_item(self, tenant: str, cart_id: str, item: ItemRecord, now: str, max_lines: int) -> bool:
        def add(items: tuple[ItemRecord, ...]) -> Any:
            if len(items) >= max_lines:  # checked under the lock, with the write
                raise CartFull
            return (*items, item), now

        return self._modify(tenant, cart_id, add)

    def update_item(self, tenant: str, cart_id: str, item_id: str, changes: ItemChanges, now: str) -> ItemRecord | None:
        updated: list[ItemRecord] = []

        def change(items: tuple[ItemRecord, ...]) -> Any:
            for i in items:
                if i.id == item_id:
                    new = changes.apply(i)
                    updated.append(new)
                    return tuple(new if x.id == item_id else x for x in items), now
            return None

        return updated[0] if self._modify(tenant, cart_id, change) else None

    def delete_item(self, tenant: str, cart_id: str, item_id: str, now: str) -> bool:
        def change(items: tuple[ItemRecord, ...]) -> Any:
            kept = tuple(i for i in items if i.id != item_id)
            return None if len(kept) == len(items) else (kept, now)

        return self._modify(tenant, cart_id, change)

    def idem_begin(self, tenant: str, key: str, fingerprint: str, now: float, ttl: float, lease: float) -> IdemBegin:
        with self._lock:
            entry = self._idem.get((tenant, key))
            if entry is not None and (
                now - entry.created >= ttl or (entry.response is None and now - entry.created >= lease)
            ):
                entry = None  # expired, or an in-flight claim whose owner died
            if entry is None:
                self._idem[(tenant, key)] = _Idem(fingerprint, now)
                return IdemBegin("new")
            if entry.response is None:
                return IdemBegin("in_flight")
            if entry.fingerprint != fingerprint:
                return IdemBegin("mismatch")
            return IdemBegin("replay", entry.response)

    def idem_complete(self, tenant: str, key: str, response: StoredResponse) -> None:
        with self._lock:
            entry = self._idem.get((tenant, key))
            if entry is not None:
                entry.response = response

    def idem_release(self, tenant: str, key: str) -> None:
        with self._lock:
            self._idem.pop((tenant, key), None)
