"""The cart business logic, written once against the head version's models (`service.models.head`).

It knows nothing about versions, HTTP or storage engines: it takes head request models, returns head-shaped
response dicts (exactly the head `cart` / `cart_item` schemas) with the version of the resource they show
(`Versioned`: the endpoints make it the ETag), and raises `Problem` for business errors. Adding a version
regenerates `service.models.head`; nothing here names one.

Every answer must be valid against the head's own response schemas, so what they cannot represent is
refused before anything is written: a line total (quantity x unit price) or a cart total above the money
maximum of the `cart_item` / `cart` schemas is a 422 with pointers to the request's `/quantity` and
`/unit_price` (the cart total is checked by the store, inside the write, like the line limit).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import annotated_types
from pydantic import MISSING, BaseModel

from contractkit.fastapi import Problem
from service.models.head import Cart, CartCreate, CartItem, CartItemAdd, CartItemUpdate
from service.store import CartFull, CartRecord, ItemChanges, ItemRecord, Store, TotalTooLarge

__all__ = [
    "MAX_ITEMS_PER_CART",
    "MAX_LINE_TOTAL",
    "MAX_TOTAL",
    "CartService",
    "Clock",
    "Versioned",
    "cart_body",
    "item_body",
]

Clock = Callable[[], datetime]
MAX_ITEMS_PER_CART = 100


def _money_maximum(model: type[BaseModel], field: str) -> int:
    """The `maximum` of `amount_minor` in the head schema's money field `field` of `model` (generated from
    schemas/common/money.json): the largest amount the response can show."""
    money = model.model_fields[field].annotation
    assert isinstance(money, type) and issubclass(money, BaseModel), (model, field)
    for meta in money.model_fields["amount_minor"].metadata:
        if isinstance(meta, annotated_types.Le):
            return int(meta.le)  # type: ignore[call-overload]
    raise RuntimeError(f"{model.__name__}.{field}.amount_minor has no maximum")  # pragma: no cover


MAX_LINE_TOTAL = _money_maximum(CartItem, "line_total")
MAX_TOTAL = _money_maximum(Cart, "total")


@dataclass(frozen=True, slots=True)
class Versioned:
    """A head-version body and the version of the resource it shows (its ETag: `service.store.etag`)."""

    body: dict[str, Any]
    version: int


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


def _too_large(detail: str, quantity: str) -> Problem:
    return Problem(
        422,
        "amount-too-large",
        detail,
        errors=[("/quantity", quantity), ("/unit_price", "with this quantity, gives an amount the API cannot show")],
    )


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

    def create_cart(self, tenant: str, req: CartCreate) -> Versioned:
        now = _timestamp(self.clock())
        metadata = _opt(req.metadata)
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
        return Versioned(cart_body(cart), cart.version)

    def get_cart(self, tenant: str, cart_id: str) -> Versioned:
        cart = self._cart(tenant, cart_id)
        return Versioned(cart_body(cart), cart.version)

    def delete_cart(self, tenant: str, cart_id: str, if_match: Collection[int] | None = None) -> None:
        """`if_match`: the versions the client's If-Match accepts (None: any); else PreconditionFailed."""
        if not _nul_free(cart_id) or not self.store.delete_cart(tenant, cart_id, if_match):
            raise _cart_not_found()

    def add_item(self, tenant: str, cart_id: str, req: CartItemAdd) -> Versioned:
        cart = self._cart(tenant, cart_id)
        if req.unit_price.currency.root != cart.currency:
            # Valid by the schema, refused by the cart's state: 409, with the pointer to what conflicts.
            raise Problem(
                409,
                "conflicts-with-cart",
                f"the price is not in the cart's currency {cart.currency}",
                errors=[("/unit_price/currency", f"must be the cart's currency {cart.currency}")],
            )
        line = req.quantity * req.unit_price.amount_minor
        if line > MAX_LINE_TOTAL:
            raise _too_large(
                f"the line total {line} would exceed {MAX_LINE_TOTAL} minor units, the most a line can show",
                f"times the unit price must be at most {MAX_LINE_TOTAL}",
            )
        item = ItemRecord(
            id=str(uuid.uuid4()),
            sku=req.sku.root,
            quantity=req.quantity,
            unit_amount_minor=req.unit_price.amount_minor,
            gift_wrap=req.gift_wrap,
            note=_opt(req.note),
        )
        try:
            # The line limit and the cart total are checked by the store inside the write (a check here would
            # race with other adds).
            added = self.store.add_item(
                tenant, cart_id, item, _timestamp(self.clock()), MAX_ITEMS_PER_CART, max_total=MAX_TOTAL
            )
        except CartFull:
            raise Problem(409, "cart-full", f"a cart holds at most {MAX_ITEMS_PER_CART} lines") from None
        except TotalTooLarge:
            raise _cart_total_too_large() from None
        if not added:
            raise _cart_not_found()  # deleted concurrently
        return Versioned(item_body(item, cart.currency), item.version)

    def _item(self, cart: CartRecord, item_id: str) -> ItemRecord:
        for item in cart.items:
            if item.id == item_id:
                return item
        raise _item_not_found()

    def get_item(self, tenant: str, cart_id: str, item_id: str) -> Versioned:
        cart = self._cart(tenant, cart_id)
        item = self._item(cart, item_id)
        return Versioned(item_body(item, cart.currency), item.version)

    def update_item(
        self,
        tenant: str,
        cart_id: str,
        item_id: str,
        req: CartItemUpdate,
        if_match: Collection[int] | None = None,
    ) -> Versioned:
        cart = self._cart(tenant, cart_id)
        change = req.root
        changes = ItemChanges(quantity=_opt(change.quantity), gift_wrap=_opt(change.gift_wrap))
        if not _nul_free(item_id):
            raise _item_not_found()
        if changes.quantity is not None:
            current = next((i for i in cart.items if i.id == item_id), None)
            # an item's unit price never changes, so its line total follows from the new quantity alone
            if current is not None and changes.quantity * current.unit_amount_minor > MAX_LINE_TOTAL:
                raise Problem(
                    422,
                    "amount-too-large",
                    f"the line total would exceed {MAX_LINE_TOTAL} minor units, the most a line can show",
                    errors=[("/quantity", f"times the unit price must be at most {MAX_LINE_TOTAL}")],
                )
        try:
            updated = self.store.update_item(
                tenant, cart_id, item_id, changes, _timestamp(self.clock()), if_match, max_total=MAX_TOTAL
            )
        except TotalTooLarge:
            raise _cart_total_too_large("/quantity") from None
        if updated is None:
            raise _item_not_found()
        return Versioned(item_body(updated, cart.currency), updated.version)

    def delete_item(self, tenant: str, cart_id: str, item_id: str, if_match: Collection[int] | None = None) -> None:
        if not _nul_free(cart_id, item_id) or not self.store.delete_item(
            tenant, cart_id, item_id, _timestamp(self.clock()), if_match
        ):
            self._cart(tenant, cart_id)
            raise _item_not_found()


def _cart_total_too_large(*pointers: str) -> Problem:
    detail = f"the cart total would exceed {MAX_TOTAL} minor units, the most a cart can show"
    errors = [(p, "would take the cart total over the maximum") for p in pointers or ("/quantity", "/unit_price")]
    return Problem(422, "amount-too-large", detail, errors=errors)
