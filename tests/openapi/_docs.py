"""Small OpenAPI 3.1 documents for the rule tests, built from parts."""

from __future__ import annotations

from typing import Any

TODAY_ISO = "2026-06-01"


def doc(paths: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths, **top}


def op(**fields: Any) -> dict[str, Any]:
    return {"responses": {"200": {"description": "ok"}}, **fields}


def param(name: str, where: str = "query", required: bool = False, schema: Any = None, **more: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "schema": schema or {"type": "string"}, **more}


def body(schema: Any = None, required: bool = True, media: tuple[str, ...] = ("application/json",)) -> dict[str, Any]:
    return {"required": required, "content": {m: {"schema": schema or {"type": "object"}} for m in media}}


def response(content: Any = None, headers: Any = None, description: str = "r") -> dict[str, Any]:
    out: dict[str, Any] = {"description": description}
    if content is not None:
        out["content"] = content
    if headers is not None:
        out["headers"] = headers
    return out


def json_content(schema: Any, *more: str) -> dict[str, Any]:
    return {m: {"schema": schema} for m in ("application/json", *more)}


BEARER = {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}
