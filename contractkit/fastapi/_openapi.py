"""Each version's OpenAPI document: FastAPI's operations, the registry's own schemas, what the gate sends.

FastAPI derives the paths, parameters and statuses from the version's routes (whose bodies are that
version's generated models). The body schemas it derives from those models are lossy (pydantic renders
some constraints as `ge`/`le`, a key pattern as `patternProperties` without `propertyNames`), so the
document publishes the registry's own bundled JSON Schemas instead — the source the models are generated
from — under `components/schemas/<version>.<name>` (shared definitions keep their registry keys, e.g.
`common.money`). Each route says which schemas it reads and returns (`x-contract-schemas`, removed here).

Then what the gate adds: every error is `application/problem+json` (the version's `problem` schema when
the registry has one), and a deprecated version's answers carry `Deprecation`, `Sunset` and `Link`
(required). An app adds its own (auth schemes, headers its hooks send) with `openapi_hooks`.

Also here: the docs page (Swagger UI, served from the `fastapi-offline` package's assets when it is
installed, else from a CDN) and the version list at `/`.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

from contractkit.fastapi._lifecycle import Lifecycle

__all__ = ["ASSETS", "docs_html", "finish_openapi", "operations", "registry_components", "swagger_assets"]

# Swagger UI's files, served under /<version>/docs/ when fastapi-offline ships them.
ASSETS: Mapping[str, str] = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon.png": "image/png",
}
_CDN = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"

# RFC 9457 members, for a registry without a `problem` schema.
PROBLEM_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string", "format": "uri-reference"},
    },
    "required": ["type", "title", "status"],
}


def swagger_assets() -> Any:
    """The folder of fastapi-offline's Swagger UI files, or None when the package is not installed."""
    try:
        folder = resources.files("fastapi_offline") / "static"
    except ModuleNotFoundError:
        return None
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


def docs_html(title: str, openapi_url: str, assets_url: str | None) -> str:
    """Swagger UI for one version's document; its scripts come from `assets_url` (None: the CDN)."""
    js = f"{assets_url}/swagger-ui-bundle.js" if assets_url else f"{_CDN}/swagger-ui-bundle.js"
    css = f"{assets_url}/swagger-ui.css" if assets_url else f"{_CDN}/swagger-ui.css"
    icon = f'<link rel="icon" type="image/png" href="{html.escape(assets_url)}/favicon.png">' if assets_url else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="{html.escape(css)}">
{icon}
</head>
<body>
<div id="swagger-ui"></div>
<script src="{html.escape(js)}"></script>
<script>
SwaggerUIBundle({{url: {_js_string(openapi_url)}, dom_id: "#swagger-ui", deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]}});
</script>
</body>
</html>
"""


def _js_string(text: str) -> str:
    import json

    return json.dumps(text).replace("</", "<\\/")


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


def operations(document: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every operation of an OpenAPI document: (path, method, operation object)."""
    for path, item in document.get("paths", {}).items():
        for method, op in item.items():
            yield path, method, op


def finish_openapi(
    raw: dict[str, Any], lifecycle: Lifecycle, bundles: Mapping[str, Any], problem_schema: str | None
) -> dict[str, Any]:
    """FastAPI's document for one version, with the registry's schemas and what the gate sends."""
    doc = copy.deepcopy(raw)
    version = lifecycle.version
    extra = _lifecycle_headers(lifecycle)
    problem = _ref(version, problem_schema) if problem_schema and problem_schema in bundles else dict(PROBLEM_SCHEMA)
    for _, _, op in operations(doc):
        hint = op.pop("x-contract-schemas", {})
        if hint.get("request"):
            # The endpoints leave the body to the gate, so FastAPI derives no requestBody: the registry's it is.
            body = {"content": {"application/json": {"schema": _ref(version, hint["request"])}}, "required": True}
            op["requestBody"] = body
        auto = op.get("responses", {}).get("422", {}).get("content", {}).get("application/json", {})
        if auto.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
            # FastAPI's automatic 422 for path parameters: plain strings never fail validation here.
            del op["responses"]["422"]
        for status, response in op.get("responses", {}).items():
            content = response.get("content")
            if status.isdigit() and int(status) >= 400:
                response["content"] = {"application/problem+json": {"schema": copy.deepcopy(problem)}}
            elif content and hint.get("response"):
                response["content"] = {"application/json": {"schema": _ref(version, hint["response"])}}
            if status == "204":
                response.pop("content", None)
            if extra:
                response.setdefault("headers", {}).update(copy.deepcopy(extra))
    components = doc.setdefault("components", {})
    components["schemas"] = registry_components(version, bundles)
    return doc
