"""The cart API's operations, as a route table over handlers written once against the head version.

Each handler takes the `Call` (whose `state["tenant"]` the auth guard set), the path parameters and, for
a body, the head version's model (contractkit.fastapi has validated the client's body with its own
version's model and upgraded it). It returns the head-version body; contractkit.fastapi downgrades it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from contractkit.fastapi import Call, Reply, Route
from service.domain import CartService
from service.models.head import CartCreate, CartItemAdd, CartItemUpdate

__all__ = ["ERROR_DESCRIPTIONS", "CartEndpoints"]

# What each error status means on this API, for the OpenAPI documents.
ERROR_DESCRIPTIONS: Mapping[int, str] = {
    400: "Malformed JSON, an empty body or a malformed Idempotency-Key",
    401: "Missing or invalid API key",
    404: "No such cart or item for this tenant",
    409: "Idempotency-Key in flight, a full cart, a body the cart refuses, or a resource this version cannot show",
    410: "This version is past its sunset date",
    413: "The request body is larger than the configured limit",
    415: "The request body is not application/json",
    422: "The body does not validate, or an Idempotency-Key was reused with another body",
    429: "Too many requests for this tenant; retry after Retry-After seconds",
    503: "The database is unavailable (locked or unreachable); retry after Retry-After seconds",
}


def _tenant(call: Call) -> str:
    tenant: str = call.state["tenant"]
    return tenant


class CartEndpoints:
    def __init__(self, service: CartService) -> None:
        self.service = service

    def create_cart(self, call: Call, body: CartCreate) -> Reply:
        cart = self.service.create_cart(_tenant(call), body)
        return Reply(cart, headers={"Location": call.url(f"/carts/{cart['id']}")})

    def get_cart(self, call: Call, cart_id: str) -> dict[str, Any]:
        return self.service.get_cart(_tenant(call), cart_id)

    def delete_cart(self, call: Call, cart_id: str) -> None:
        self.service.delete_cart(_tenant(call), cart_id)

    def add_item(self, call: Call, cart_id: str, body: CartItemAdd) -> Reply:
        item = self.service.add_item(_tenant(call), cart_id, body)
        return Reply(item, headers={"Location": call.url(f"/carts/{cart_id}/items/{item['id']}")})

    def get_item(self, call: Call, cart_id: str, item_id: str) -> dict[str, Any]:
        return self.service.get_item(_tenant(call), cart_id, item_id)

    def update_item(self, call: Call, cart_id: str, item_id: str, body: CartItemUpdate) -> dict[str, Any]:
        return self.service.update_item(_tenant(call), cart_id, item_id, body)

    def delete_item(self, call: Call, cart_id: str, item_id: str) -> None:
        self.service.delete_item(_tenant(call), cart_id, item_id)

    def routes(self) -> tuple[Route, ...]:
        cart, items, item = "/carts/{cart_id}", "/carts/{cart_id}/items", "/carts/{cart_id}/items/{item_id}"
        both = (404, 409)
        table = (
            Route(
                "POST", "/carts", self.create_cart, "cart_create", "cart", 201, "Create a cart", "The new cart", both
            ),
            Route("GET", cart, self.get_cart, None, "cart", 200, "Read a cart", "OK", both),
            Route("DELETE", cart, self.delete_cart, None, None, 204, "Delete a cart", "Deleted", (404,)),
            Route("POST", items, self.add_item, "cart_item_add", "cart_item", 201, "Add an item", "The new item", both),
            Route("GET", item, self.get_item, None, "cart_item", 200, "Read an item", "OK", both),
            Route("PATCH", item, self.update_item, "cart_item_update", "cart_item", 200, "Change an item", None, both),
            Route("DELETE", item, self.delete_item, None, None, 204, "Remove an item", "Deleted", (404,)),
        )
        return tuple(replace(route, tag="carts") for route in table)  # OpenAPI tag "carts <version>"
