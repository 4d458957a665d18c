"""Finish a version's OpenAPI document: problem+json errors, the headers the service really sends, auth.

FastAPI derives paths and schemas from the routes and the generated models; this adds what it cannot know:
errors are `application/problem+json`; every response carries `X-Request-ID`; a deprecated version's
responses carry `Deprecation`, `Sunset` and `Link` (required); creates carry `Location`; POSTs take an
`Idempotency-Key`; every operation needs a bearer key.
"""

from __future__ import annotations

import copy
from typing import Any

from service.lifecycle import Lifecycle

__all__ = ["finish_openapi"]

_REQUEST_ID = {
    "description": "The request's id: the client's X-Request-ID when well-formed, else a generated one.",
    "schema": {"type": "string"},
}


def _lifecycle_headers(lifecycle: Lifecycle) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if lifecycle.deprecation is not None:
        headers["Deprecation"] = {
            "description": "RFC 9745: when the version was deprecated, as @epoch-seconds.",
            "required": True,
            "schema": {"type": "string", "pattern": "^@[0-9]+$", "example": lifecycle.deprecation},
        }
    if lifecycle.sunset is not None:
        headers["Sunset"] = {
            "description": "RFC 8594: when the version stops answering (HTTP-date).",
            "required": True,
            "schema": {"type": "string", "example": lifecycle.sunset},
        }
    if lifecycle.announces:
        headers["Link"] = {
            "description": (
                'rel="deprecation" (the policy) and rel="successor-version" (the same resource in the successor).'
            ),
            "required": True,
            "schema": {"type": "string"},
        }
    return headers


def finish_openapi(raw: dict[str, Any], lifecycle: Lifecycle) -> dict[str, Any]:
    doc = copy.deepcopy(raw)
    extra = _lifecycle_headers(lifecycle)
    for item in doc.get("paths", {}).values():
        for method, op in item.items():
            auto = op.get("responses", {}).get("422", {}).get("content", {}).get("application/json", {})
            if auto.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                # FastAPI's automatic 422 for path parameters: plain strings never fail validation here.
                del op["responses"]["422"]
            for status, response in op.get("responses", {}).items():
                content = response.get("content")
                if status.isdigit() and int(status) >= 400 and content and "application/json" in content:
                    response["content"] = {"application/problem+json": content.pop("application/json")}
                if status == "204":
                    response.pop("content", None)
                headers = response.setdefault("headers", {})
                headers["X-Request-ID"] = _REQUEST_ID
                headers.update(extra)
                if status == "201":
                    headers["Location"] = {"description": "The new resource.", "schema": {"type": "string"}}
                if status == "401":
                    headers["WWW-Authenticate"] = {"required": True, "schema": {"type": "string"}}
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
    components = doc.setdefault("components", {})
    schemas = components.get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    doc["security"] = [{"bearer": []}]
    return doc
