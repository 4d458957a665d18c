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
    ("/carts/{cart_id}", "delete"): {"204", "401", "404", "412", "429", "503"},
    ("/carts/{cart_id}/items", "post"): {"201", "400", "401", "404", "409", "413", "415", "422", "429", "503"},
    ("/carts/{cart_id}/items/{item_id}", "get"): {"200", "401", "404", "409", "429", "503"},
    ("/carts/{cart_id}/items/{item_id}", "patch"): {
        "200",
        "400",
        "401",
        "404",
        "409",
        "412",
        "413",
        "415",
        "422",
        "429",
        "503",
    },
    ("/carts/{cart_id}/items/{item_id}", "delete"): {"204", "401", "404", "412", "429", "503"},
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


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_conditional_requests_are_declared(api: Api, version: str) -> None:
    """ETag on every cart and item answer (and on the 412), If-Match on PATCH and DELETE (RFC 9110)."""
    tagged, conditional, precondition = set(), set(), set()
    for path, item in _doc(api, version)["paths"].items():
        for method, op in item.items():
            key = (path.removeprefix(f"/{version}"), method)
            for status, response in op["responses"].items():
                etag = response.get("headers", {}).get("ETag")
                if status in ("200", "201") and etag is not None:
                    assert etag["required"] is True
                    tagged.add(key)
                if status == "412":
                    assert etag is not None and etag["required"] is True
                    precondition.add(key)
            if any(p["name"] == "If-Match" and p["in"] == "header" for p in op.get("parameters", [])):
                conditional.add(key)
    cart, items, item = "/carts/{cart_id}", "/carts/{cart_id}/items", "/carts/{cart_id}/items/{item_id}"
    assert tagged == {("/carts", "post"), (cart, "get"), (items, "post"), (item, "get"), (item, "patch")}
    assert conditional == precondition == {(cart, "delete"), (item, "patch"), (item, "delete")}


def test_links_lead_a_client_from_a_new_cart_to_its_items(api: Api) -> None:
    """A stateful client learns from the document that an item's price is in its cart's currency."""
    v2 = _doc(api, "v2")
    links = v2["paths"]["/v2/carts"]["post"]["responses"]["201"]["links"]
    assert links["AddItem"] == {
        "operationId": "v2_add_item",
        "parameters": {"cart_id": "$response.body#/id"},
        "requestBody": {"unit_price": {"currency": "$response.body#/currency"}},
        "description": "Add an item to the new cart. Its price must be in the cart's currency.",
    }
    read = v2["paths"]["/v2/carts/{cart_id}"]["get"]["responses"]["200"]["links"]["AddItem"]
    assert read["requestBody"] == {"unit_price": {"currency": "$response.body#/currency"}}
    item_links = v2["paths"]["/v2/carts/{cart_id}/items"]["post"]["responses"]["201"]["links"]
    assert {name: link["operationId"] for name, link in item_links.items()} == {
        "AddAnotherItem": "v2_add_item",
        "GetItem": "v2_get_item",
        "UpdateItem": "v2_update_item",
        "DeleteItem": "v2_delete_item",
    }
    assert item_links["AddAnotherItem"]["requestBody"] == {
        "unit_price": {"currency": "$response.body#/unit_price/currency"}
    }
    every = [
        link
        for item in v2["paths"].values()
        for op in item.values()
        for r in op["responses"].values()
        for link in r.get("links", {}).values()
    ]
    operation_ids = {op["operationId"] for item in v2["paths"].values() for op in item.values()}
    assert len(every) == 8 and {link["operationId"] for link in every} <= operation_ids
    # v1 prices name no currency (the cart's is implied): its links carry only the ids
    v1 = _doc(api, "v1")["paths"]["/v1/carts"]["post"]["responses"]["201"]["links"]["AddItem"]
    assert "requestBody" not in v1 and v1["parameters"] == {"cart_id": "$response.body#/id"}


def test_the_in_flight_409_declares_retry_after(api: Api) -> None:
    for path, item in _doc(api, "v2")["paths"].items():
        for method, op in item.items():
            conflict = op["responses"].get("409")
            if conflict is not None:
                assert ("Retry-After" in conflict["headers"]) is (method == "post"), (path, method)


SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_document_snapshot(api: Api, version: str) -> None:
    """The whole document, pinned: a change to it is a reviewed diff (UPDATE_SNAPSHOTS=1 rewrites it)."""
    text = json.dumps(_doc(api, version), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path = SNAPSHOTS / f"openapi_{version}.json"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path.name} changed; rerun with UPDATE_SNAPSHOTS=1 to accept"
