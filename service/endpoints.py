"""The cart API's operations, as a route table over handlers written once against the head version.

Each handler takes the `Call` (whose `state["tenant"]` the auth guard set), the path parameters and, for
a body, the head version's model (contractkit.fastapi has validated the client's body with its own
version's model and upgraded it). It returns the head-version body; contractkit.fastapi downgrades it.

Conditional requests (RFC 9110): every cart and item answer carries its strong `ETag` (the resource's
version in the store, `service.store.etag`); PATCH and DELETE honour `If-Match` (a list of ETags, or `*`):
when the resource is at another version nothing is written and the answer is 412 with the current ETag.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from contractkit.fastapi import Call, Problem, Reply, Route
from service.domain import CartService, Versioned
from service.models.head import CartCreate, CartItemAdd, CartItemUpdate
from service.store import PreconditionFailed, etag, parse_if_match

__all__ = ["ERROR_DESCRIPTIONS", "CartEndpoints"]

# What each error status means on this API, for the OpenAPI documents.
ERROR_DESCRIPTIONS: Mapping[int, str] = {
    400: "Malformed JSON, an empty body or a malformed Idempotency-Key",
    401: "Missing or invalid API key",
    404: "No such cart or item for this tenant",
    409: "Idempotency-Key in flight, a full cart, a body the cart refuses, or a resource this version cannot show",
    410: "This version is past its sunset date",
    412: "If-Match names none of the resource's current ETag (sent in ETag): read it again, then retry",
    413: "The request body is larger than the configured limit",
    415: "The request body is not application/json",
    422: (
        "The body does not validate, an amount would exceed what a line or a cart can show, or an "
        "Idempotency-Key was reused with another body"
    ),
    429: "Too many requests for this tenant; retry after Retry-After seconds",
    503: "The database is unavailable (locked or unreachable); retry after Retry-After seconds",
}


def _tenant(call: Call) -> str:
    tenant: str = call.state["tenant"]
    return tenant


def _if_match(call: Call) -> frozenset[int] | None:
    """The versions the request's If-Match accepts (every If-Match field line, as one list); None without the
    header or with `*` (any current version)."""
    values = [v.decode("latin-1") for k, v in call.scope["headers"] if k == b"if-match"]
    if not values:
        return None
    return parse_if_match(", ".join(values))


def _precondition_failed(exc: PreconditionFailed) -> Problem:
    return Problem(
        412,
        "precondition-failed",
        "the resource has changed since the ETag you sent (If-Match); read it again, then retry",
        headers={"ETag": etag(exc.current)},
    )


def _tagged(result: Versioned, headers: dict[str, str] | None = None) -> Reply:
    return Reply(result.body, headers={**(headers or {}), "ETag": etag(result.version)})


class CartEndpoints:
    def __init__(self, service: CartService) -> None:
        self.service = service

    def create_cart(self, call: Call, body: CartCreate) -> Reply:
        cart = self.service.create_cart(_tenant(call), body)
        return _tagged(cart, {"Location": call.url(f"/carts/{cart.body['id']}")})

    def get_cart(self, call: Call, cart_id: str) -> Reply:
        return _tagged(self.service.get_cart(_tenant(call), cart_id))

    def delete_cart(self, call: Call, cart_id: str) -> None:
        try:
            self.service.delete_cart(_tenant(call), cart_id, _if_match(call))
        except PreconditionFailed as exc:
            raise _precondition_failed(exc) from None

    def add_item(self, call: Call, cart_id: str, body: CartItemAdd) -> Reply:
        item = self.service.add_item(_tenant(call), cart_id, body)
        return _tagged(item, {"Location": call.url(f"/carts/{cart_id}/items/{item.body['id']}")})

    def get_item(self, call: Call, cart_id: str, item_id: str) -> Reply:
        return _tagged(self.service.get_item(_tenant(call), cart_id, item_id))

    def update_item(self, call: Call, cart_id: str, item_id: str, body: CartItemUpdate) -> Reply:
        try:
            return _tagged(self.service.update_item(_tenant(call), cart_id, item_id, body, _if_match(call)))
        except PreconditionFailed as exc:
            raise _precondition_failed(exc) from None

    def delete_item(self, call: Call, cart_id: str, item_id: str) -> None:
        try:
            self.service.delete_item(_tenant(call), cart_id, item_id, _if_match(call))
        except PreconditionFailed as exc:
            raise _precondition_failed(exc) from None

    def routes(self) -> tuple[Route, ...]:
        cart, items, item = "/carts/{cart_id}", "/carts/{cart_id}/items", "/carts/{cart_id}/items/{item_id}"
        both = (404, 409)
        conditional = (404, 409, 412)
        table = (
            Route(
                "POST", "/carts", self.create_cart, "cart_create", "cart", 201, "Create a cart", "The new cart", both
            ),
            Route("GET", cart, self.get_cart, None, "cart", 200, "Read a cart", "OK", both),
            Route("DELETE", cart, self.delete_cart, None, None, 204, "Delete a cart", "Deleted", (404, 412)),
            Route("POST", items, self.add_item, "cart_item_add", "cart_item", 201, "Add an item", "The new item", both),
            Route("GET", item, self.get_item, None, "cart_item", 200, "Read an item", "OK", both),
            Route(
                "PATCH",
                item,
                self.update_item,
                "cart_item_update",
                "cart_item",
                200,
                "Change an item",
                None,
                conditional,
            ),
            Route("DELETE", item, self.delete_item, None, None, 204, "Remove an item", "Deleted", (404, 412)),
        )
        return tuple(replace(route, tag="carts") for route in table)  # OpenAPI tag "carts <version>"
