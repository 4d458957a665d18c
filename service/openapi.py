"""The cart's additions to each version's OpenAPI document (an `openapi_hooks` entry of the VersionedAPI).

contractkit.fastapi publishes the registry's schemas, problem+json errors and the lifecycle headers; what
only the cart's own hooks and middleware send is declared here: `X-Request-ID` on every response
(service.ops), `Location` on 201s, `WWW-Authenticate` on 401 and the bearer scheme (service.auth),
`Retry-After` on 429 and 503 (service.ratelimit, the store) and on the 409 of a request whose
Idempotency-Key is in flight, `Idempotency-Key` on POSTs and `Idempotent-Replayed` on their 201s
(service.idempotency), `ETag` on every cart and item answer and `If-Match` on PATCH and DELETE with its 412
(service.endpoints).

It also tells a client how the operations connect (OpenAPI `links`): the new cart's `id` is the `cart_id`
of its operations, the new item's `id` the `item_id` of its, and an item's price must be in its cart's
currency, so the link to add-item carries the cart's `currency` into `unit_price.currency` (in a version
where the price names its currency). A stateful client (Schemathesis) follows them.
"""

from __future__ import annotations

from typing import Any

from contractkit.fastapi import Lifecycle, operations

__all__ = ["finish_cart_openapi"]

_REQUEST_ID = {
    "description": "The request's id: the client's X-Request-ID when well-formed, else a generated one.",
    "schema": {"type": "string"},
}


_ETAG = {
    "description": "The resource's current entity tag (strong): send it in If-Match to change it only as read.",
    "required": True,
    "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
}
_IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": (
        "Change or delete only if the resource's current ETag is one of these (RFC 9110 13.1.1: a "
        'comma-separated list of ETags such as "3", or * for any); otherwise (a stale, weak or malformed '
        "value) nothing is written and the answer is 412 with the current ETag."
    ),
    "schema": {"type": "string"},
}
# The operations answering a cart or an item (their 200/201 carry its ETag), by handler name.
_TAGGED = frozenset({"create_cart", "get_cart", "add_item", "get_item", "update_item"})


def _price_names_currency(doc: dict[str, Any], version: str) -> bool:
    """True when this version's add-item body states the price's currency (`unit_price` is an object)."""
    schema = doc.get("components", {}).get("schemas", {}).get(f"{version}.cart_item_add", {})
    price = schema.get("properties", {}).get("unit_price", {})
    return price.get("type") != "number"


def _add_item(version: str, cart_id: str, currency: str, names_currency: bool, what: str) -> dict[str, Any]:
    link: dict[str, Any] = {
        "operationId": f"{version}_add_item",
        "parameters": {"cart_id": cart_id},
        "description": f"Add an item to {what}.",
    }
    if names_currency:
        link["requestBody"] = {"unit_price": {"currency": currency}}
        link["description"] += " Its price must be in the cart's currency."
    return link


def _links(doc: dict[str, Any], version: str) -> dict[str, dict[str, dict[str, Any]]]:
    """The links of each operation's success answer, by handler name: what the answer's values are for."""
    names_currency = _price_names_currency(doc, version)
    new_cart = {"cart_id": "$response.body#/id"}
    cart = {"cart_id": "$request.path.cart_id"}
    item = {"cart_id": "$request.path.cart_id", "item_id": "$response.body#/id"}
    return {
        "create_cart": {
            "AddItem": _add_item(
                version, new_cart["cart_id"], "$response.body#/currency", names_currency, "the new cart"
            ),
            "GetCart": {"operationId": f"{version}_get_cart", "parameters": new_cart},
            "DeleteCart": {"operationId": f"{version}_delete_cart", "parameters": new_cart},
        },
        "get_cart": {
            "AddItem": _add_item(version, cart["cart_id"], "$response.body#/currency", names_currency, "this cart"),
        },
        "add_item": {
            "AddAnotherItem": _add_item(
                version, cart["cart_id"], "$response.body#/unit_price/currency", names_currency, "the same cart"
            ),
            "GetItem": {"operationId": f"{version}_get_item", "parameters": item},
            "UpdateItem": {"operationId": f"{version}_update_item", "parameters": item},
            "DeleteItem": {"operationId": f"{version}_delete_item", "parameters": item},
        },
    }


def finish_cart_openapi(doc: dict[str, Any], lifecycle: Lifecycle) -> None:
    prefix = f"{lifecycle.version}_"
    links = _links(doc, lifecycle.version)
    for _, method, op in operations(doc):
        operation_id = str(op.get("operationId", ""))
        name = operation_id[len(prefix) :] if operation_id.startswith(prefix) else ""
        for status, response in op.get("responses", {}).items():
            headers = response.setdefault("headers", {})
            headers["X-Request-ID"] = _REQUEST_ID
            if status == "201":
                headers["Location"] = {"description": "The new resource.", "schema": {"type": "string"}}
            if status == "401":
                headers["WWW-Authenticate"] = {"required": True, "schema": {"type": "string"}}
            if status in ("429", "503"):
                headers["Retry-After"] = {"required": True, "schema": {"type": "string", "pattern": "^[0-9]+$"}}
            if status in ("200", "201") and name in _TAGGED:
                headers["ETag"] = _ETAG
            if status == "412":
                headers["ETag"] = {**_ETAG, "description": "The resource's current entity tag."}
            if status in ("200", "201") and name in links:
                response["links"] = links[name]
            if status == "409" and method == "post":
                headers["Retry-After"] = {
                    "description": "When the Idempotency-Key is in flight: seconds to wait before retrying.",
                    "required": False,
                    "schema": {"type": "string", "pattern": "^[0-9]+$"},
                }
        if method in ("patch", "delete"):
            op.setdefault("parameters", []).append(_IF_MATCH)
        if name == "add_item" and _price_names_currency(doc, lifecycle.version):
            body = op.get("requestBody")
            if isinstance(body, dict):
                body["description"] = "The item; its `unit_price.currency` must be the cart's currency (else 409)."
        if method == "post":
            op.setdefault("parameters", []).append(
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "description": "Retry safely: the same key and body within 24 h replays the first response.",
                    "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,255}$"},
                }
            )
            for status, response in op["responses"].items():
                if status == "201":
                    response["headers"]["Idempotent-Replayed"] = {
                        "description": "Present (true) when this is a replayed response.",
                        "schema": {"type": "string", "enum": ["true"]},
                    }
    doc.setdefault("components", {})["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    doc["security"] = [{"bearer": []}]
