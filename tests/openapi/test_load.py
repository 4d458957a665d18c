"""Loading documents: JSON or YAML, `$ref`s to components and to other files, versions, and bad input."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from contractkit.errors import InputError, RefError
from contractkit.openapi import compare_openapi, load_openapi
from tests.openapi._docs import body, doc, json_content, op, param, response

TODAY = dt.date(2026, 6, 1)
YAML = """\
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /pets/{id}:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      x-sunset: 2027-03-31
      deprecated: true
      responses:
        200:
          $ref: '#/components/responses/Pet'
components:
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
  responses:
    Pet:
      description: a pet
      content:
        application/json:
          schema: {$ref: 'pet.yaml#/Pet'}
"""
PET = "Pet:\n  type: object\n  properties:\n    name: {type: string, maxLength: 10}\n  required: [name]\n"


def _write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text)
    return path


def test_yaml_document_with_refs_to_components_and_another_file(tmp_path: Path) -> None:
    _write(tmp_path, "pet.yaml", PET)
    d = load_openapi(_write(tmp_path, "openapi.yaml", YAML))
    assert d.version == "3.1.0" and d.dialect == "openapi-3.1"
    (operation,) = d.operations.values()
    assert operation.label == "GET /pets/{id}" and operation.deprecated and operation.sunset == "2027-03-31"
    assert [p.name for p in operation.parameters] == ["id"]
    assert list(operation.responses) == ["200"]  # `200:` in YAML is the key "200"


def test_a_change_in_another_file_is_seen_through_the_ref(tmp_path: Path) -> None:
    old_dir, new_dir = tmp_path / "old", tmp_path / "new"
    old_dir.mkdir(), new_dir.mkdir()
    _write(old_dir, "pet.yaml", PET)
    _write(new_dir, "pet.yaml", PET.replace("maxLength: 10", "maxLength: 20"))
    report = compare_openapi(
        _write(old_dir, "openapi.yaml", YAML), _write(new_dir, "openapi.yaml", YAML), today=TODAY, overrides={}
    )
    assert [(f.rule_id, f.schema.rule_id if f.schema else None) for f in report.findings] == [
        ("response-body-schema-widened", "max-length-increased")
    ]
    (f,) = report.findings
    assert f.response is not None and len(f.response.body["name"]) > 10
    assert f.old_pointer == f.new_pointer == "/components/responses/Pet/content/application~1json/schema"


def test_path_templates_pair_whatever_the_parameter_names() -> None:
    old = doc({"/a/{x}": {"get": op(parameters=[param("x", "path", True, {"type": "integer"})])}})
    new = doc({"/a/{y}": {"get": op(parameters=[param("y", "path", True, {"type": "integer", "maximum": 5})])}})
    report = compare_openapi(old, new, today=TODAY, overrides={})
    assert {f.rule_id for f in report.findings} == {"path-parameter-renamed", "parameter-schema-narrowed"}
    [narrowed] = [f for f in report.findings if f.rule_id == "parameter-schema-narrowed"]
    assert narrowed.request is not None and narrowed.request.url.startswith("/a/")


@pytest.mark.parametrize(
    ("mutate", "pointer", "reason"),
    [
        (lambda d: d.update(paths=[]), "/paths", "paths must be an object"),
        (lambda d: d["paths"]["/a"].update(get=5), "/paths/~1a/get", "an operation must be an object"),
        (
            lambda d: d["paths"]["/a"]["get"].update(parameters=[{"in": "query"}]),
            "/paths/~1a/get/parameters/0",
            "a parameter needs a name",
        ),
        (
            lambda d: d["paths"]["/a"]["get"].update(parameters=[{"$ref": "#/components/parameters/nope"}]),
            "/paths/~1a/get/parameters/0/$ref",
            "dangling $ref",
        ),
        (lambda d: d.update(openapi="2.0"), "/openapi", "OpenAPI 2.0 is not supported"),
        (
            lambda d: d["paths"]["/a"]["get"].update(security=[{"nope": []}]),
            "/paths/~1a/get/security/0/nope",
            "no security scheme named 'nope'",
        ),
        (
            lambda d: (
                d["paths"]["/a"]["get"].update(
                    parameters=[{"$ref": "#/components/parameters/p"}],
                )
                or d.update(components={"parameters": {"p": {"$ref": "#/components/parameters/p"}}})
            ),
            "/components/parameters/p/$ref",
            "$ref cycle",
        ),
    ],
    ids=[
        "paths-not-object",
        "operation-not-object",
        "parameter-without-name",
        "dangling-ref",
        "version",
        "scheme",
        "cycle",
    ],
)
def test_malformed_documents_are_input_errors_with_a_pointer(mutate: Any, pointer: str, reason: str) -> None:
    d = doc({"/a": {"get": op()}})
    mutate(d)
    with pytest.raises(InputError) as err:
        load_openapi(d, label="spec.json")
    assert err.value.file == "spec.json" and err.value.pointer == pointer and reason in err.value.reason


def test_a_dangling_schema_ref_names_the_document(tmp_path: Path) -> None:
    d = doc({"/a": {"post": op(requestBody=body({"$ref": "#/components/schemas/Missing"}))}})
    other = copy.deepcopy(d)
    other["paths"]["/a"]["post"]["requestBody"]["content"]["application/json"]["schema"]["description"] = "x"
    with pytest.raises(RefError) as err:
        compare_openapi(d, other, today=TODAY, overrides={})
    assert "dangling $ref" in str(err.value)


def test_swagger_2_and_plain_data_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"Swagger 2\.0"):
        load_openapi(_write(tmp_path, "s.json", json.dumps({"swagger": "2.0", "paths": {}})))
    with pytest.raises(InputError, match="no 'openapi' field"):
        load_openapi(_write(tmp_path, "d.json", json.dumps({"name": "John"})))


# -- OpenAPI 3.0: schema objects go through contractkit.dialects.to_2020_12(schema, "openapi-3.0") ----------

V30 = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/a": {
            "get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "integer", "nullable": True}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": json_content({"type": "number", "minimum": 0, "exclusiveMinimum": True}),
                    }
                },
            }
        }
    },
}


def test_a_30_document_without_schema_changes_loads_and_compares() -> None:
    d = load_openapi(V30)
    assert d.dialect == "openapi-3.0" and list(d.operations) == [("/a", "get")]
    plain = doc({"/a": {"get": op(responses={"200": response()})}})
    plain["openapi"] = "3.0.3"
    assert compare_openapi(plain, copy.deepcopy(plain), today=TODAY, overrides={}).findings == ()


def test_30_nullable_dropped_from_a_query_parameter_is_narrowing() -> None:
    new = copy.deepcopy(V30)
    del new["paths"]["/a"]["get"]["parameters"][0]["schema"]["nullable"]
    report = compare_openapi(V30, new, today=TODAY, overrides={})
    assert [(f.rule_id, f.schema.rule_id if f.schema else None) for f in report.findings] == [
        ("parameter-schema-narrowed", "type-narrowed")
    ]
    (f,) = report.findings
    assert f.request is not None and f.request.query == {"q": None}


def test_30_boolean_exclusive_minimum_dropped_from_a_response_is_widening() -> None:
    new = copy.deepcopy(V30)
    schema = new["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    del schema["exclusiveMinimum"]
    report = compare_openapi(V30, new, today=TODAY, overrides={})
    assert [f.rule_id for f in report.findings] == ["response-body-schema-widened"]
    (f,) = report.findings
    assert f.response is not None and f.response.body == 0
