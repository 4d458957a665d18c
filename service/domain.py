"""The cart business logic, written once against the head version's models (`service.models.head`).

It knows nothing about versions, HTTP or storage engines: it takes head request models, returns head-shaped
response dicts (exactly the head `cart` / `cart_item` schemas) and raises `Problem` for business errors.
Adding a version regenerates `service.models.head`; nothing here names one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import MISSING

from contractkit.fastapi import Problem
from service.models.head import CartCreate, CartItemAdd, CartItemUpdate
from service.store import CartFull, CartRecord, ItemChanges, ItemRecord, Store

__all__ = ["CartService", "Clock", "cart_body", "item_body"]

Clock = Callable[[], datetime]
MAX_ITEMS_PER_CART = 100


def _timestamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def item_body(item: ItemRecord, currency: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": item.id,
        "sku": item.sku,
        "quantity": item.quantity,
        "unit_price": {"amount_minor": item.unit_amount_minor, "currency": currency},
        "line_total": {"amount_minor": item.unit_amount_minor * item.quantity, "currency": currency},
        "gift_wrap": item.gift_wrap,
    }
    if item.note is not None:
        body["note"] = item.note
    return body


def cart_body(cart: CartRecord) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": cart.id,
        "customer_id": cart.customer_id,
        "currency": cart.currency,
    }
    if cart.note is not None:
        body["note"] = cart.note
    if cart.metadata is not None:
        body["metadata"] = cart.metadata
    body["items"] = [item_body(i, cart.currency) for i in cart.items]
    body["item_count"] = sum(i.quantity for i in cart.items)
    body["total"] = {
        "amount_minor": sum(i.unit_amount_minor * i.quantity for i in cart.items),
        "currency": cart.currency,
    }
    body["created_at"] = cart.created_at
    body["updated_at"] = cart.updated_at
    return body


def _cart_not_found() -> Problem:
    return Problem(404, "not-found", "cart not found")


def _item_not_found() -> Problem:
    return Problem(404, "not-found", "item not found")


def _opt(value: Any) -> Any:
    return None if value is MISSING else value


def _nul_free(*ids: str) -> bool:
    """Ids are generated UUIDs, so one with a NUL names nothing (and PostgreSQL text cannot even hold it)."""
    return all("\x00" not in i for i in ids)


def _refuse_nul(fields: list[tuple[str, str | None]]) -> None:
    bad = [(pointer, "must not contain U+0000") for pointer, value in fields if value is not None and "\x00" in value]
    if bad:
        raise Problem(422, "validation-error", "the database cannot store U+0000 in text", errors=bad)


class CartService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def _cart(self, tenant: str, cart_id: str) -> CartRecord:
        cart = self.store.get_cart(tenant, cart_id) if _nul_free(cart_id) else None
        if cart is None:
            raise _cart_not_found()
        return cart

    def cart_currency(self, tenant: str, cart_id: str) -> str:
        return self._cart(tenant, cart_id).currency

    def create_cart(self, tenant: str, req: CartCreate) -> dict[str, Any]:
        now = _timestamp(self.clock())
        metadata = _opt(req.metadata)
        if self.store.refuses_nul:
            texts = [("/customer_id", req.customer_id), ("/note", _opt(req.note))]
            texts += [(f"/metadata/{k}", v) for k, v in (metadata or {}).items()]
            _refuse_nul(texts)
        cart = CartRecord(
            id=str(uuid.uuid4()),
            tenant=tenant,
            customer_id=req.customer_id,
            currency=req.currency.root,
            created_at=now,
            updated_at=now,
            note=_opt(req.note),
            metadata=dict(metadata) if metadata is not None else None,
        )
        self.store.create_cart(cart)
        return cart_body(cart)

    def get_cart(self, tenant: str, cart_id: str) -> dict[str, Any]:
        return cart_body(self._cart(tenant, cart_id))

    def delete_cart(self, tenant: str, cart_id: str) -> None:
        if not _nul_free(cart_id) or not self.store.delete_cart(tenant, cart_id):
            raise _cart_not_found()

    def add_item(self, tenant: str, cart_id: str, req: CartItemAdd) -> dict[str, Any]:
        cart = self._cart(tenant, cart_id)
        if req.unit_price.currency.root != cart.currency:
            # Valid by the schema, refused by the cart's state: 409, with the pointer to what conflicts.
            raise Problem(
                409,
                "conflicts-with-cart",
                f"the price is not in the cart's currency {cart.currency}",
                errors=[("/unit_price/currency", f"must be the cart's currency {cart.currency}")],
            )
        if self.store.refuses_nul:
            _refuse_nul([("/note", _opt(req.note))])
        item = ItemRecord(
            id=str(uuid.uuid4()),
            sku=req.sku.root,
            quantity=req.quantity,
            unit_amount_minor=req.unit_price.amount_minor,
            gift_wrap=req.gift_wrap,
            note=_opt(req.note),
        )
        try:
            # The limit is checked by the store inside the write (a check here would race with other adds).
            added = self.store.add_item(tenant, cart_id, item, _timestamp(self.clock()), MAX_ITEMS_PER_CART)
        except CartFull:
            raise Problem(409, "cart-full", f"a cart holds at most {MAX_ITEMS_PER_CART} lines") from None
        if not added:
            raise _cart_not_found()  # deleted concurrently
        return item_body(item, cart.currency)

    def _item(self, cart: CartRecord, item_id: str) -> ItemRecord:
        for item in cart.items:
            if item.id == item_id:
                return item
        raise _item_not_found()

    def get_item(self, tenant: str, cart_id: str, item_id: str) -> dict[str, Any]:
        cart = self._cart(tenant, cart_id)
        return item_body(self._item(cart, item_id), cart.currency)

    def update_item(self, tenant: str, cart_id: str, item_id: str, req: CartItemUpdate) -> dict[str, Any]:
        cart = self._cart(tenant, cart_id)
        change = req.root
        changes = ItemChanges(quantity=_opt(change.quantity), gift_wrap=_opt(change.gift_wrap))
        if not _nul_free(item_id):
            raise _item_not_found()
        updated = self.store.update_item(tenant, cart_id, item_id, changes, _timestamp(self.clock()))
        if updated is None:
            raise _item_not_found()
        return item_body(updated, cart.currency)

    def delete_item(self, tenant: str, cart_id: str, item_id: str) -> None:
        if not _nul_free(cart_id, item_id) or not self.store.delete_item(
            tenant, cart_id, item_id, _timestamp(self.clock())
        ):
            self._cart(tenant, cart_id)
            raise _item_not_found()
