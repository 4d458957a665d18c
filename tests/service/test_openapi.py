"""One OpenAPI document per version, from that version's generated models, declaring what is really sent."""

from __future__ import annotations

from typing import Any

import pytest

from tests.service.support import Api

OPERATIONS = {
    ("/carts", "post"): {"201", "400", "401", "404", "409", "413", "415", "422"},
    ("/carts/{cart_id}", "get"): {"200", "401", "404", "409"},
    ("/carts/{cart_id}", "delete"): {"204", "401", "404"},
    ("/carts/{cart_id}/items", "post"): {"201", "400", "401", "404", "409", "413", "415", "422"},
    ("/carts/{cart_id}/items/{item_id}", "get"): {"200", "401", "404", "409"},
    ("/carts/{cart_id}/items/{item_id}", "patch"): {"200", "400", "401", "404", "409", "413", "415", "422"},
    ("/carts/{cart_id}/items/{item_id}", "delete"): {"204", "401", "404"},
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
def test_errors_are_problem_json_and_successes_use_the_version_models(api: Api, version: str) -> None:
    doc = _doc(api, version)
    problem_ref = f"#/components/schemas/Problem{version.upper()}"
    for item in doc["paths"].values():
        for op in item.values():
            for status, response in op["responses"].items():
                if int(status) >= 400:
                    assert response["content"] == {"application/problem+json": {"schema": {"$ref": problem_ref}}}
                elif status == "204":
                    assert "content" not in response
                else:
                    assert set(response["content"]) == {"application/json"}
                assert "X-Request-ID" in response["headers"]
    schemas = doc["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    unit_price = schemas["CartItemAdd"]["properties"]["unit_price"]
    if version == "v1":
        assert unit_price["type"] == "number"
    else:
        assert unit_price == {"$ref": "#/components/schemas/Money"}
    assert doc["components"]["securitySchemes"] == {"bearer": {"type": "http", "scheme": "bearer"}}
    assert doc["security"] == [{"bearer": []}]


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
