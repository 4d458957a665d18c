"""The cart's additions to each version's OpenAPI document (an `openapi_hooks` entry of the VersionedAPI).

contractkit.fastapi publishes the registry's schemas, problem+json errors and the lifecycle headers; what
only the cart's own hooks and middleware send is declared here: `X-Request-ID` on every response
(service.ops), `Location` on 201s, `WWW-Authenticate` on 401 and the bearer scheme (service.auth),
`Retry-After` on 429 and 503 (service.ratelimit, the store), `Idempotency-Key` on POSTs and
`Idempotent-Replayed` on their 201s (service.idempotency).
"""

from __future__ import annotations

from typing import Any

from contractkit.fastapi import Lifecycle, operations

__all__ = ["finish_cart_openapi"]

_REQUEST_ID = {
    "description": "The request's id: the client's X-Request-ID when well-formed, else a generated one.",
    "schema": {"type": "string"},
}


def finish_cart_openapi(doc: dict[str, Any], lifecycle: Lifecycle) -> None:
    for _, method, op in operations(doc):
        for status, response in op.get("responses", {}).items():
            headers = response.setdefault("headers", {})
            headers["X-Request-ID"] = _REQUEST_ID
            if status == "201":
                headers["Location"] = {"description": "The new resource.", "schema": {"type": "string"}}
            if status == "401":
                headers["WWW-Authenticate"] = {"required": True, "schema": {"type": "string"}}
            if status in ("429", "503"):
                headers["Retry-After"] = {"required": True, "schema": {"type": "string", "pattern": "^[0-9]+$"}}
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
