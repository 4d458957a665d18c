"""One OpenAPI document per version, from that version's generated models, declaring what is really sent."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.service.support import REGISTRY, Api

OPERATIONS = {
    ("/carts", "post"): {"201", "400", "401", "404", "409", "413", "415", "422", "429", "503"},
    ("/carts/{cart_id}", "get"): {"200", "401", "404", "409", "429", "503"},
    ("/carts/{cart_id}", "delete"): {"204", "401", "404", "429", "503"},
    ("/carts/{cart_id}/items", "post"): {"201", "400", "401", "404", "409", "413", "415", "422", "429", "503"},
    ("/carts/{cart_id}/items/{item_id}", "get"): {"200", "401", "404", "409", "429", "503"},
    ("/carts/{cart_id}/items/{item_id}", "patch"): {
        "200",
        "400",
        "401",
        "404",
        "409",
        "413",
        "415",
        "422",
        "429",
        "503",
    },
    ("/carts/{cart_id}/items/{item_id}", "delete"): {"204", "401", "404", "429", "503"},
}


def _doc(api: Api, version: str) -> dict[str, Any]:
    response = api.get(f"/{version}/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_operations_and_statuses(api: Api, version: str) -> None:
    doc = _doc(api, version)
    assert doc["openapi"].startswith("3.1") and doc["info"]["version"] == version
    found = {
        (path.removeprefix(f"/{version}"), method): set(op["responses"])
        for path, item in doc["paths"].items()
        for method, op in item.items()
    }
    gone = {"410"} if version == "v1" else set()
    assert found == {key: statuses | gone for key, statuses in OPERATIONS.items()}


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_bodies_are_the_registry_schemas_and_errors_are_problem_json(api: Api, version: str) -> None:
    doc = _doc(api, version)
    expected = {
        ("/carts", "post"): ("cart_create", "cart"),
        ("/carts/{cart_id}", "get"): (None, "cart"),
        ("/carts/{cart_id}/items", "post"): ("cart_item_add", "cart_item"),
        ("/carts/{cart_id}/items/{item_id}", "get"): (None, "cart_item"),
        ("/carts/{cart_id}/items/{item_id}", "patch"): ("cart_item_update", "cart_item"),
    }
    for path, item in doc["paths"].items():
        for method, op in item.items():
            request, response_name = expected.get((path.removeprefix(f"/{version}"), method), (None, None))
            if request is not None:
                ref = {"$ref": f"#/components/schemas/{version}.{request}"}
                assert op["requestBody"]["content"] == {"application/json": {"schema": ref}}
            else:
                assert "requestBody" not in op
            for status, response in op["responses"].items():
                if int(status) >= 400:
                    ref = {"$ref": f"#/components/schemas/{version}.problem"}
                    assert response["content"] == {"application/problem+json": {"schema": ref}}
                elif status == "204":
                    assert "content" not in response
                else:
                    ref = {"$ref": f"#/components/schemas/{version}.{response_name}"}
                    assert response["content"] == {"application/json": {"schema": ref}}
                assert "X-Request-ID" in response["headers"]
    assert "x-contract-schemas" not in str(doc)
    assert doc["components"]["securitySchemes"] == {"bearer": {"type": "http", "scheme": "bearer"}}
    assert doc["security"] == [{"bearer": []}]


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_components_are_exactly_the_bundled_registry_schemas(api: Api, version: str) -> None:
    schemas = _doc(api, version)["components"]["schemas"]
    for name in REGISTRY.version(version).schemas:
        bundle = REGISTRY.bundled(name, version)
        defs = bundle.pop("$defs", {})
        bundle.pop("$schema")
        text = json.dumps(bundle).replace('"#/$defs/', '"#/components/schemas/')
        assert schemas[f"{version}.{name}"] == json.loads(text), name
        for key, definition in defs.items():
            assert schemas[key] == json.loads(json.dumps(definition).replace('"#/$defs/', '"#/components/schemas/'))
    quantity = schemas[f"{version}.cart_item_add"]["properties"]["quantity"]
    assert quantity == {"type": "integer", "minimum": 1, "maximum": 99 if version == "v1" else 999}


def test_v1_declares_lifecycle_headers_as_required_and_v2_does_not(api: Api) -> None:
    for version, expected in (("v1", True), ("v2", False)):
        for item in _doc(api, version)["paths"].values():
            for op in item.values():
                for response in op["responses"].values():
                    headers = response["headers"]
                    for name in ("Deprecation", "Sunset", "Link"):
                        assert (name in headers) is expected
                        if expected:
                            assert headers[name]["required"] is True


def test_posts_declare_idempotency_key(api: Api) -> None:
    for item in _doc(api, "v2")["paths"].values():
        for method, op in item.items():
            names = {p["name"] for p in op.get("parameters", [])}
            assert ("Idempotency-Key" in names) is (method == "post")


SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_document_snapshot(api: Api, version: str) -> None:
    """The whole document, pinned: a change to it is a reviewed diff (UPDATE_SNAPSHOTS=1 rewrites it)."""
    text = json.dumps(_doc(api, version), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path = SNAPSHOTS / f"openapi_{version}.json"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path.name} changed; rerun with UPDATE_SNAPSHOTS=1 to accept"
