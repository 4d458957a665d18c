"""Finish a version's OpenAPI document: the registry's schemas, problem+json errors, real headers, auth.

FastAPI derives the paths, parameters and statuses from the routes (whose bodies are the version's generated
models). The body schemas it derives from those models are lossy (pydantic renders some constraints as
`ge`/`le`, and a key pattern as `patternProperties` without `propertyNames`), so the document publishes the
registry's own bundled JSON Schemas instead — the source the models are generated from — under
`components/schemas/<version>.<name>` (shared definitions keep their registry keys, e.g. `common.money`).
Each route says which schemas it reads and returns (`x-contract-schemas`, removed here).

Then what FastAPI cannot know: errors are `application/problem+json`; every response carries
`X-Request-ID`; 429 and 503 carry `Retry-After`; a deprecated version's responses carry `Deprecation`,
`Sunset` and `Link` (required);
creates carry `Location`; POSTs take an `Idempotency-Key`; every operation needs a bearer key.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from service.lifecycle import Lifecycle

__all__ = ["finish_openapi", "registry_components"]

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


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _rewrite_refs(v) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            out["$ref"] = "#/components/schemas/" + ref[len("#/$defs/") :]
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node


def registry_components(version: str, bundles: Mapping[str, Any]) -> dict[str, Any]:
    """`bundles` maps each schema name of the version to registry.bundled(name, version)."""
    components: dict[str, Any] = {}
    tops: dict[str, Any] = {}
    for name, bundle in bundles.items():
        body = copy.deepcopy(bundle)
        body.pop("$schema", None)
        for key, definition in body.pop("$defs", {}).items():
            components.setdefault(key, _rewrite_refs(definition))
        tops[f"{version}.{name}"] = _rewrite_refs(body)
    components.update(tops)
    return dict(sorted(components.items()))


def _ref(version: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{version}.{name}"}


def finish_openapi(raw: dict[str, Any], lifecycle: Lifecycle, bundles: Mapping[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(raw)
    version = lifecycle.version
    extra = _lifecycle_headers(lifecycle)
    for item in doc.get("paths", {}).values():
        for method, op in item.items():
            hint = op.pop("x-contract-schemas", {})
            if hint.get("request") and "requestBody" in op:
                op["requestBody"]["content"] = {"application/json": {"schema": _ref(version, hint["request"])}}
            auto = op.get("responses", {}).get("422", {}).get("content", {}).get("application/json", {})
            if auto.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                # FastAPI's automatic 422 for path parameters: plain strings never fail validation here.
                del op["responses"]["422"]
            for status, response in op.get("responses", {}).items():
                content = response.get("content")
                if status.isdigit() and int(status) >= 400:
                    response["content"] = {"application/problem+json": {"schema": _ref(version, "problem")}}
                elif content and hint.get("response"):
                    response["content"] = {"application/json": {"schema": _ref(version, hint["response"])}}
                if status == "204":
                    response.pop("content", None)
                headers = response.setdefault("headers", {})
                headers["X-Request-ID"] = _REQUEST_ID
                headers.update(extra)
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
    components = doc.setdefault("components", {})
    components["schemas"] = registry_components(version, bundles)
    components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    doc["security"] = [{"bearer": []}]
    return doc
