"""One test per operation rule: a change to a small realistic document, the exact set of findings it
gives (rule id and operation), and the witness it carries where a payload can show the break."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
import pytest

from contractkit.openapi import RULES, OpenAPIReport, compare_openapi
from tests.openapi._docs import BEARER, body, doc, json_content, op, param, response

TODAY = dt.date(2026, 6, 1)
ITEM = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "name": {"type": "string", "maxLength": 50}},
    "required": ["id", "name"],
    "additionalProperties": False,
}
ITEM_CREATE = {
    "type": "object",
    "properties": {"name": {"type": "string", "minLength": 1}, "quantity": {"type": "integer", "minimum": 1}},
    "required": ["name"],
}
RATE = {"X-Rate": {"required": True, "schema": {"type": "integer", "maximum": 100}}}
BASE = doc(
    {
        "/items/{id}": {
            "get": op(
                parameters=[param("id", "path", True)],
                security=[{"bearer": []}],
                responses={
                    "200": response(json_content({"$ref": "#/components/schemas/Item"}), headers=RATE),
                    "404": response(),
                },
            ),
            "delete": op(parameters=[param("id", "path", True)], responses={"204": response()}),
        },
        "/items": {
            "post": op(
                requestBody=body({"$ref": "#/components/schemas/ItemCreate"}),
                responses={"201": response(json_content({"$ref": "#/components/schemas/Item"}))},
            )
        },
    },
    components={**BEARER, "schemas": {"Item": ITEM, "ItemCreate": ITEM_CREATE}},
)
GET, DELETE, POST = "GET /items/{id}", "DELETE /items/{id}", "POST /items"


def _get(d: dict[str, Any]) -> dict[str, Any]:
    return d["paths"]["/items/{id}"]["get"]  # type: ignore[no-any-return]


def _post(d: dict[str, Any]) -> dict[str, Any]:
    return d["paths"]["/items"]["post"]  # type: ignore[no-any-return]


def _delete(d: dict[str, Any]) -> dict[str, Any]:
    return d["paths"]["/items/{id}"]["delete"]  # type: ignore[no-any-return]


@dataclass
class Case:
    old: Callable[[dict[str, Any]], None]  # turns a copy of BASE into the old document
    new: Callable[[dict[str, Any]], None]  # turns another copy of BASE into the new one
    expected: set[tuple[str, str]]  # (rule id, location)
    request: dict[str, Any] = field(default_factory=dict)  # fields the witness request must have
    response: dict[str, Any] = field(default_factory=dict)


def nothing(d: dict[str, Any]) -> None:
    return None


def deprecate(sunset: str | None) -> Callable[[dict[str, Any]], None]:
    def go(d: dict[str, Any]) -> None:
        _delete(d)["deprecated"] = True
        if sunset is not None:
            _delete(d)["x-sunset"] = sunset

    return go


def drop_delete(d: dict[str, Any]) -> None:
    del d["paths"]["/items/{id}"]["delete"]


def both(*fs: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def go(d: dict[str, Any]) -> None:
        for f in fs:
            f(d)

    return go


def set_at(getter: Callable[[dict[str, Any]], Any], key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def go(d: dict[str, Any]) -> None:
        getter(d)[key] = copy.deepcopy(value)

    return go


def add_param(getter: Callable[[dict[str, Any]], Any], p: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def go(d: dict[str, Any]) -> None:
        getter(d).setdefault("parameters", []).append(copy.deepcopy(p))

    return go


def rate(d: dict[str, Any]) -> dict[str, Any]:
    return _get(d)["responses"]["200"]["headers"]["X-Rate"]  # type: ignore[no-any-return]


KEY = {"type": "apiKey", "in": "header", "name": "X-Key"}
REQUIRED_BY_REF = "#/components/schemas/ItemCreate"

CASES: dict[str, Case] = {
    "path-removed": Case(
        nothing,
        lambda d: d["paths"].pop("/items"),
        {("path-removed", POST)},
        request={
            "method": "POST",
            "url": "/items",
            "valid_under": "old",
            "rejected_because": "new has no operation POST /items",
        },
    ),
    "operation-removed": Case(
        nothing,
        lambda d: d["paths"]["/items/{id}"].pop("get"),
        {("operation-removed", GET)},
        request={"method": "GET", "headers": {"Authorization": "Bearer token"}},
    ),
    "deprecated-operation-removed": Case(deprecate(None), drop_delete, {("deprecated-operation-removed", DELETE)}),
    "operation-removed-before-sunset": Case(
        deprecate("2026-12-31"),
        drop_delete,
        {("operation-removed-before-sunset", DELETE)},
        request={"method": "DELETE"},
    ),
    "operation-removed-after-sunset": Case(
        deprecate("2026-05-31T00:00:00Z"), drop_delete, {("operation-removed-after-sunset", DELETE)}
    ),
    "path-added": Case(
        nothing, lambda d: d["paths"].update({"/health": {"get": op()}}), {("path-added", "GET /health")}
    ),
    "operation-added": Case(
        nothing,
        lambda d: d["paths"]["/items/{id}"].update({"put": op(parameters=[param("id", "path", True)])}),
        {("operation-added", "PUT /items/{id}")},
    ),
    "operation-deprecated": Case(nothing, deprecate("2027-01-01"), {("operation-deprecated", DELETE)}),
    "operation-reactivated": Case(deprecate(None), nothing, {("operation-reactivated", DELETE)}),
    "operation-sunset-moved-earlier": Case(
        deprecate("2027-01-01"), deprecate("2026-12-01"), {("operation-sunset-moved-earlier", DELETE)}
    ),
    "sunset-invalid": Case(deprecate(None), deprecate("31/12/2026"), {("sunset-invalid", DELETE)}),
    "required-parameter-added": Case(
        nothing,
        add_param(_get, param("expand", required=True)),
        {("required-parameter-added", GET)},
        request={"rejected_because": "required query parameter 'expand' is missing", "valid_under": "old"},
    ),
    "optional-parameter-added": Case(nothing, add_param(_get, param("expand")), {("optional-parameter-added", GET)}),
    "parameter-became-required": Case(
        add_param(_get, param("X-Tenant", "header")),
        add_param(_get, param("X-Tenant", "header", True)),
        {("parameter-became-required", GET)},
        request={"rejected_because": "required header parameter 'X-Tenant' is missing"},
    ),
    "parameter-became-optional": Case(
        add_param(_get, param("X-Tenant", "header", True)),
        add_param(_get, param("X-Tenant", "header")),
        {("parameter-became-optional", GET)},
    ),
    "parameter-removed": Case(add_param(_get, param("expand")), nothing, {("parameter-removed", GET)}),
    "parameter-renamed-case": Case(
        add_param(_get, param("pageSize", required=True, schema={"type": "integer", "minimum": 1})),
        add_param(_get, param("pagesize", required=True, schema={"type": "integer", "minimum": 1})),
        {("parameter-renamed-case", GET)},
        request={"rejected_because": "required query parameter 'pagesize' is missing"},
    ),
    "header-parameter-case-changed": Case(
        add_param(_get, param("X-Tenant", "header", True)),
        add_param(_get, param("x-tenant", "header", True)),
        {("header-parameter-case-changed", GET)},
    ),
    "path-parameter-renamed": Case(
        nothing,
        lambda d: d["paths"].update(
            {
                "/items/{item_id}": {
                    m: {**o, "parameters": [param("item_id", "path", True)]}
                    for m, o in d["paths"].pop("/items/{id}").items()
                }
            }
        ),
        {("path-parameter-renamed", "GET /items/{item_id}"), ("path-parameter-renamed", "DELETE /items/{item_id}")},
    ),
    "parameter-schema-narrowed": Case(
        nothing,
        lambda d: _get(d).update({"parameters": [param("id", "path", True, {"type": "string", "maxLength": 3})]}),
        {("parameter-schema-narrowed", GET)},
        request={"valid_under": "old"},
    ),
    "request-body-added-required": Case(
        nothing,
        set_at(_delete, "requestBody", body({"type": "object"})),
        {("request-body-added-required", DELETE)},
        request={"rejected_because": "the request body is required"},
    ),
    "request-body-added-optional": Case(
        nothing, set_at(_delete, "requestBody", body(required=False)), {("request-body-added-optional", DELETE)}
    ),
    "request-body-became-required": Case(
        set_at(_post, "requestBody", body({"$ref": REQUIRED_BY_REF}, required=False)),
        nothing,
        {("request-body-became-required", POST)},
        request={"rejected_because": "the request body is required"},
    ),
    "request-body-became-optional": Case(
        nothing,
        set_at(_post, "requestBody", body({"$ref": REQUIRED_BY_REF}, required=False)),
        {("request-body-became-optional", POST)},
    ),
    "request-body-removed": Case(nothing, lambda d: _post(d).pop("requestBody"), {("request-body-removed", POST)}),
    "request-media-type-removed": Case(
        set_at(_post, "requestBody", body({"$ref": REQUIRED_BY_REF}, media=("application/json", "application/xml"))),
        nothing,
        {("request-media-type-removed", POST)},
        request={
            "headers": {"Content-Type": "application/xml"},
            "rejected_because": "media type application/xml is not accepted",
        },
    ),
    "request-media-type-added": Case(
        nothing,
        set_at(_post, "requestBody", body({"$ref": REQUIRED_BY_REF}, media=("application/json", "application/xml"))),
        {("request-media-type-added", POST)},
    ),
    "request-body-schema-narrowed": Case(
        nothing,
        lambda d: d["components"]["schemas"]["ItemCreate"]["properties"]["quantity"].update({"maximum": 10}),
        {("request-body-schema-narrowed", POST)},
        request={
            "headers": {"Content-Type": "application/json"},
            "rejected_because": "the application/json body is not valid",
        },
    ),
    "success-status-removed": Case(
        nothing, lambda d: _post(d)["responses"].pop("201"), {("success-status-removed", POST)}
    ),
    "non-success-status-removed": Case(
        nothing, lambda d: _get(d)["responses"].pop("404"), {("non-success-status-removed", GET)}
    ),
    "response-status-added": Case(
        nothing, lambda d: _get(d)["responses"].update({"410": response()}), {("response-status-added", GET)}
    ),
    "response-media-type-removed": Case(
        lambda d: _post(d)["responses"]["201"]["content"].update({"application/xml": {"schema": {"type": "string"}}}),
        nothing,
        {("response-media-type-removed", POST)},
    ),
    "response-media-type-added": Case(
        nothing,
        lambda d: _post(d)["responses"]["201"]["content"].update({"application/xml": {"schema": {"type": "string"}}}),
        {("response-media-type-added", POST)},
    ),
    "response-body-schema-widened": Case(
        nothing,
        lambda d: d["components"]["schemas"]["Item"]["properties"]["name"].pop("maxLength"),
        {("response-body-schema-widened", GET), ("response-body-schema-widened", POST)},
        response={"valid_under": "new", "headers": {"Content-Type": "application/json"}},
    ),
    "response-header-removed": Case(
        nothing,
        lambda d: _get(d)["responses"]["200"].pop("headers"),
        {("response-header-removed", GET)},
        response={"status": 200, "rejected_because": "required header X-Rate is missing"},
    ),
    "optional-response-header-removed": Case(
        lambda d: _get(d)["responses"]["200"]["headers"].update({"X-Trace": {"schema": {"type": "string"}}}),
        nothing,
        {("optional-response-header-removed", GET)},
    ),
    "response-header-became-optional": Case(
        nothing,
        lambda d: rate(d).update({"required": False}),
        {("response-header-became-optional", GET)},
        response={"rejected_because": "required header X-Rate is missing"},
    ),
    "response-header-schema-widened": Case(
        nothing,
        lambda d: rate(d)["schema"].update({"maximum": 1000}),
        {("response-header-schema-widened", GET)},
        response={"valid_under": "new"},
    ),
    "security-requirement-added": Case(
        nothing,
        set_at(_delete, "security", [{"bearer": []}]),
        {("security-requirement-added", DELETE)},
        request={"headers": {}, "rejected_because": "credentials for bearer are missing"},
    ),
    "security-requirement-changed": Case(
        lambda d: d["components"]["securitySchemes"].update({"key": KEY}),
        both(
            lambda d: d["components"]["securitySchemes"].update({"key": KEY}),
            set_at(_get, "security", [{"bearer": [], "key": []}]),
        ),
        {("security-requirement-changed", GET)},
        request={
            "headers": {"Authorization": "Bearer token"},
            "rejected_because": "credentials for bearer+key are missing",
        },
    ),
    "security-scheme-changed": Case(
        nothing,
        lambda d: d["components"]["securitySchemes"].update({"bearer": {"type": "http", "scheme": "basic"}}),
        {("security-scheme-changed", GET)},
        request={"headers": {"Authorization": "Bearer token"}},
    ),
    "security-requirement-relaxed": Case(
        nothing, set_at(_get, "security", [{"bearer": []}, {}]), {("security-requirement-relaxed", GET)}
    ),
    "server-removed": Case(
        set_at(_get, "servers", [{"url": "https://a.example"}, {"url": "https://b.example"}]),
        set_at(_get, "servers", [{"url": "https://a.example"}]),
        {("server-removed", GET)},
    ),
    "server-added": Case(
        nothing, lambda d: d.update({"servers": [{"url": "https://api.example"}]}), {("server-added", "(document)")}
    ),
}


def _pair(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
    old, new = copy.deepcopy(BASE), copy.deepcopy(BASE)
    case.old(old)
    case.new(new)
    return old, new


def _run(old: dict[str, Any], new: dict[str, Any]) -> OpenAPIReport:
    return compare_openapi(old, new, today=TODAY, format_assertion=True, overrides={})


def _subset(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    for key, value in expected.items():
        if isinstance(value, dict) and value:
            _subset(value, actual[key])
        else:
            assert actual.get(key) == value, (key, actual)


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == {r.id for r in RULES}


def test_the_base_document_is_clean_against_itself() -> None:
    assert _run(BASE, copy.deepcopy(BASE)).findings == ()


@pytest.mark.parametrize("rule_id", list(CASES))
def test_rule(rule_id: str) -> None:
    case = CASES[rule_id]
    old, new = _pair(case)
    report = _run(old, new)
    assert {(f.rule_id, f.location) for f in report.findings} == case.expected
    for f in report.findings:
        if case.request:
            assert f.request is not None, f
            _subset(case.request, f.request.to_json())
        if case.response:
            assert f.response is not None, f
            _subset(case.response, f.response.to_json())


def test_body_witness_holds_under_a_validator_of_our_own() -> None:
    old, new = _pair(CASES["request-body-schema-narrowed"])
    (f,) = _run(old, new).findings
    assert f.request is not None and f.schema is not None and f.schema.rule_id == "maximum-added"
    body_ = f.request.to_json()["body"]
    assert jsonschema_rs.validator_for(ITEM_CREATE).is_valid(body_)
    narrowed = copy.deepcopy(ITEM_CREATE)
    narrowed["properties"]["quantity"]["maximum"] = 10
    assert not jsonschema_rs.validator_for(narrowed).is_valid(body_)


def test_response_witness_carries_required_headers_and_a_body_old_clients_reject() -> None:
    old, new = _pair(CASES["response-body-schema-widened"])
    [get] = [f for f in _run(old, new).findings if f.location == GET]
    assert get.response is not None
    out = get.response.to_json()
    assert set(out["headers"]) == {"X-Rate", "Content-Type"}
    assert not jsonschema_rs.validator_for(ITEM).is_valid(out["body"])
    assert len(out["body"]["name"]) > 50


def test_parameter_witness_url_carries_the_value() -> None:
    old, new = _pair(CASES["parameter-schema-narrowed"])
    (f,) = _run(old, new).findings
    assert f.request is not None and f.schema is not None
    value = f.schema.witness.instance if f.schema.witness else None
    assert isinstance(value, str) and len(value) > 3
    assert f.request.url == f"/items/{value}" and "path parameter 'id'" in f.request.rejected_because


def test_undecided_schema_comparison_blocks_as_a_warning() -> None:
    from contractkit.compat.catalog import BY_ID

    undecided = BY_ID["undecided"]  # the engine's own example of a change it cannot decide
    old, new = copy.deepcopy(BASE), copy.deepcopy(BASE)
    old["components"]["schemas"]["ItemCreate"]["properties"]["name"] = undecided.old
    new["components"]["schemas"]["ItemCreate"]["properties"]["name"] = undecided.new
    report = _run(old, new)
    assert [(f.rule_id, f.severity, f.schema and f.schema.rule_id) for f in report.findings] == [
        ("request-body-schema-narrowed", "warning", "undecided")
    ]
    assert report.compatible is False


def test_severity_overrides_apply_by_rule_id() -> None:
    old, new = _pair(CASES["operation-removed"])
    report = compare_openapi(old, new, today=TODAY, format_assertion=True, overrides={"operation-removed": "warning"})
    assert [(f.rule_id, f.severity) for f in report.findings] == [("operation-removed", "warning")]
    assert report.compatible
