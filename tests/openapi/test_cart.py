"""The cart's own per-version documents, as the service serves them, compared with themselves and with
the two mutations the gate must catch: a removed operation, and a required query parameter added."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
import pytest
from anyio.from_thread import start_blocking_portal

from contractkit.openapi import compare_openapi
from service.app import create_app
from service.settings import Settings

TODAY = dt.date(2026, 11, 25)  # v1 is deprecated, before its sunset
REMOVED = "/v1/carts/{cart_id}/items/{item_id}"


@pytest.fixture(scope="module")
def documents() -> Iterator[dict[str, dict[str, Any]]]:
    app = create_app(Settings(database_url="memory:", api_keys="t:k", rate_limit=0, access_log=False))
    with start_blocking_portal() as portal:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cart.test")
        try:
            docs = {v: portal.call(client.get, f"/{v}/openapi.json").json() for v in ("v1", "v2")}
        finally:
            portal.call(client.aclose)
            app.state.store.close()
    yield docs


def _compare(old: dict[str, Any], new: dict[str, Any]) -> Any:
    return compare_openapi(old, new, today=TODAY, format_assertion=True, overrides={})


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_each_version_against_itself_is_clean(documents: dict[str, dict[str, Any]], version: str) -> None:
    report = _compare(documents[version], copy.deepcopy(documents[version]))
    assert report.findings == () and report.compatible


def test_removing_delete_item_is_reported_with_a_witness_request(documents: dict[str, dict[str, Any]]) -> None:
    new = copy.deepcopy(documents["v1"])
    del new["paths"][REMOVED]["delete"]
    report = _compare(documents["v1"], new)
    assert [(f.rule_id, f.severity, f.location) for f in report.findings] == [
        ("operation-removed", "error", f"DELETE {REMOVED}")
    ]
    (f,) = report.findings
    assert f.request is not None
    witness = f.request.to_json()
    assert witness["method"] == "DELETE" and witness["valid_under"] == "old"
    assert witness["url"].startswith("/v1/carts/") and "/items/" in witness["url"] and "{" not in witness["url"]
    assert witness["headers"] == {"Authorization": "Bearer token"}  # the document's bearer scheme
    assert witness["rejected_because"] == f"new has no operation DELETE {REMOVED}"
    json.dumps(witness)  # complete, valid JSON
    assert report.compatible is False


def test_a_required_query_parameter_on_a_v2_route_is_caught(documents: dict[str, dict[str, Any]]) -> None:
    new = copy.deepcopy(documents["v2"])
    get_cart = new["paths"]["/v2/carts/{cart_id}"]["get"]
    get_cart["parameters"].append({"name": "expand", "in": "query", "required": True, "schema": {"type": "string"}})
    report = _compare(documents["v2"], new)
    assert [(f.rule_id, f.location) for f in report.findings] == [
        ("required-parameter-added", "GET /v2/carts/{cart_id}")
    ]
    (f,) = report.findings
    assert f.request is not None and "expand" not in f.request.query
    assert f.request.rejected_because == "required query parameter 'expand' is missing"


def test_a_narrowed_request_body_carries_a_body_the_registry_schema_accepts(
    documents: dict[str, dict[str, Any]], repo_root: Path
) -> None:
    new = copy.deepcopy(documents["v2"])
    create = new["components"]["schemas"]["v2.cart_create"]
    create["required"] = [*create.get("required", []), "note"]
    report = _compare(documents["v2"], new)
    assert {(f.rule_id, f.location) for f in report.findings} == {("request-body-schema-narrowed", "POST /v2/carts")}
    (f,) = report.findings
    assert f.request is not None and f.request.has_body
    from contractkit.registry import load_registry

    registry = load_registry(repo_root / "schemas")
    assert jsonschema_rs.validator_for(registry.bundled("cart_create", "v2")).is_valid(f.request.body)
    assert "note" not in f.request.body
