"""`contractkit diff` and `validate` on OpenAPI documents, YAML schemas, and input that is neither."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.openapi._docs import BEARER, body, doc, json_content, op, param, response

OLD = doc(
    {
        "/v2/carts": {
            "post": op(
                security=[{"bearer": []}],
                requestBody=body({"type": "object", "properties": {"note": {"type": "string"}}}),
                responses={"201": response(json_content({"type": "object"}))},
            )
        }
    },
    components=BEARER,
)


def _write(tmp: Path, name: str, data: Any) -> Path:
    path = tmp / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def _breaking(tmp: Path) -> tuple[Path, Path]:
    new = copy.deepcopy(OLD)
    new["paths"]["/v2/carts"]["post"]["parameters"] = [param("dry_run", required=True, schema={"type": "boolean"})]
    return _write(tmp, "old.json", OLD), _write(tmp, "new.json", new)


def test_json_report_has_the_operation_rule_direction_and_a_complete_witness(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    old, new = _breaking(tmp_path)
    r = cli("diff", old, new, "--format", "json")
    assert r.exit_code == 1, r.stderr
    out = json.loads(r.stdout)
    assert out["compatible"] is False and out["kind"] == "openapi" and out["old"] == str(old)
    (f,) = out["findings"]
    assert (f["rule_id"], f["direction"], f["operation"]) == ("required-parameter-added", "backward", "POST /v2/carts")
    assert f["witness_request"] == {
        "method": "POST",
        "url": "/v2/carts",
        "headers": {"Authorization": "Bearer token", "Content-Type": "application/json"},
        "body": {"note": ""},
        "valid_under": "old",
        "rejected_because": "required query parameter 'dry_run' is missing",
    }


def test_text_and_markdown_name_the_operation(cli: Callable[..., Any], tmp_path: Path) -> None:
    old, new = _breaking(tmp_path)
    text = cli("diff", old, new)
    assert text.exit_code == 1
    assert "required-parameter-added [backward] POST /v2/carts" in text.stdout
    witness_line = next(line for line in text.stdout.splitlines() if "witness request:" in line)
    assert json.loads(witness_line.split("witness request: ", 1)[1])["method"] == "POST"
    md = cli("diff", old, new, "--format", "markdown")
    assert md.exit_code == 1 and "| error | `required-parameter-added` | backward | `POST /v2/carts` |" in md.stdout


def test_same_document_yaml_against_json_is_compatible(cli: Callable[..., Any], tmp_path: Path) -> None:
    import yaml

    old = _write(tmp_path, "old.json", OLD)
    new = _write(tmp_path, "new.yaml", yaml.safe_dump(OLD))
    r = cli("diff", old, new)
    assert r.exit_code == 0 and "compatible" in r.stdout and r.stderr == ""


def test_plain_data_is_refused_with_exit_2(cli: Callable[..., Any], tmp_path: Path) -> None:
    schema = _write(tmp_path, "a.json", {"type": "object"})
    data = _write(tmp_path, "data.json", {"name": "John", "age": 30})
    for args in (("diff", schema, data), ("diff", data, schema), ("validate", data)):
        r = cli(*args)
        assert r.exit_code == 2, args
        line = r.stderr.strip()
        assert line.startswith(f"error: {data}") and "neither a JSON Schema nor an OpenAPI document" in line
        assert len(line.splitlines()) == 1


def test_a_document_against_a_schema_is_refused(cli: Callable[..., Any], tmp_path: Path) -> None:
    r = cli("diff", _write(tmp_path, "o.json", OLD), _write(tmp_path, "s.json", {"type": "object"}))
    assert r.exit_code == 2 and "compare like with like" in r.stderr


def test_a_broken_document_is_one_line_with_file_and_pointer(cli: Callable[..., Any], tmp_path: Path) -> None:
    bad = copy.deepcopy(OLD)
    bad["paths"]["/v2/carts"]["post"]["responses"] = []
    r = cli("diff", _write(tmp_path, "old.json", OLD), _write(tmp_path, "bad.json", bad))
    assert r.exit_code == 2
    assert (
        r.stderr.strip()
        == f"error: {tmp_path / 'bad.json'}#/paths/~1v2~1carts/post/responses: responses must be an object"
    )


def test_today_decides_whether_the_sunset_has_passed(cli: Callable[..., Any], tmp_path: Path) -> None:
    old = doc({"/a": {"get": op(), "delete": op(deprecated=True, **{"x-sunset": "2027-03-31"})}})
    new = doc({"/a": {"get": op()}})
    o, n = _write(tmp_path, "o.json", old), _write(tmp_path, "n.json", new)
    before = cli("diff", o, n, "--today", "2027-03-30")
    after = cli("diff", o, n, "--today", "2027-03-31")
    assert before.exit_code == 1 and "operation-removed-before-sunset" in before.stdout
    assert after.exit_code == 0 and "operation-removed-after-sunset" in after.stdout
    assert cli("diff", o, n, "--today", "soon").exit_code == 2


def test_yaml_schemas_diff_like_json_ones(cli: Callable[..., Any], tmp_path: Path) -> None:
    old = _write(tmp_path, "old.yaml", "type: object\nproperties:\n  a: {type: integer}\n")
    new = _write(tmp_path, "new.yml", "type: object\nproperties:\n  a: {type: integer}\nrequired: [a]\n")
    r = cli("diff", old, new, "--format", "json")
    assert r.exit_code == 1
    assert [f["rule_id"] for f in json.loads(r.stdout)["findings"]] == ["property-became-required"]
    bad = _write(tmp_path, "bad.yaml", "type: object\ntype: string\n")
    r = cli("diff", old, bad)
    assert r.exit_code == 2 and f"{bad}: malformed YAML at line 2 column 1: duplicate key 'type'" in r.stderr


def test_unknown_keywords_warn_in_diff_and_validate(cli: Callable[..., Any], tmp_path: Path) -> None:
    typo = _write(tmp_path, "typo.json", {"type": "object", "requried": ["a"], "properties": {"a": {"maximun": 3}}})
    fine = _write(tmp_path, "fine.json", {"type": "object"})
    expected = [
        f"warning: {typo}#: unknown keyword 'requried' (did you mean 'required'?); validators ignore it",
        f"warning: {typo}#/properties/a: unknown keyword 'maximun' (did you mean 'maximum'?); validators ignore it",
    ]
    r = cli("diff", fine, typo, "--mode", "full")
    assert r.exit_code == 0 and r.stderr.strip().splitlines() == expected
    v = cli("validate", typo)
    assert v.exit_code == 0 and v.stdout.strip() == f"ok: {typo}: JSON Schema (2020-12)"
    assert v.stderr.strip().splitlines() == expected
    assert cli("validate", typo, "--strict").exit_code == 1


def test_validate_an_openapi_document_lints_its_schemas(cli: Callable[..., Any], tmp_path: Path) -> None:
    d = copy.deepcopy(OLD)
    d["components"]["schemas"] = {"Cart": {"type": "object", "nullable": True, "x-internal": True}}
    path = _write(tmp_path, "openapi.json", d)
    r = cli("validate", path)
    assert r.exit_code == 0 and r.stdout.strip() == f"ok: {path}: OpenAPI 3.1.0 document, 1 operations"
    assert r.stderr.strip() == (
        f"warning: {path}#/components/schemas/Cart: unknown keyword 'nullable': nullable is an OpenAPI 3.0 keyword"
        ' with no effect here; allow null with "type": [..., "null"]; validators ignore it'
    )


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_compatible_documents_exit_0_in_every_format(cli: Callable[..., Any], tmp_path: Path, fmt: str) -> None:
    old = _write(tmp_path, "old.json", OLD)
    new = copy.deepcopy(OLD)
    new["paths"]["/v2/carts"]["post"]["parameters"] = [param("dry_run", schema={"type": "boolean"})]
    r = cli("diff", old, _write(tmp_path, "new.json", new), "--format", fmt)
    assert r.exit_code == 0 and "optional-parameter-added" in r.stdout


def test_validate_a_json_schema_with_refs_to_its_neighbours(cli: Callable[..., Any], repo_root: Path) -> None:
    path = repo_root / "schemas" / "v2" / "cart.json"
    r = cli("validate", path)
    assert r.exit_code == 0 and r.stdout.strip() == f"ok: {path}: JSON Schema (2020-12)" and r.stderr == ""
    bad = cli("validate", repo_root / "schemas" / "index.toml")
    assert bad.exit_code == 2 and "index.toml" in bad.stderr


def test_reader_option_decides_an_added_response_property(cli: Callable[..., Any], tmp_path: Path) -> None:
    closed = {"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": False}
    old_doc = doc({"/items": {"get": op(responses={"200": response(json_content(closed))})}})
    new_doc = copy.deepcopy(old_doc)
    schema = new_doc["paths"]["/items"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    schema["properties"]["note"] = {"type": "string"}
    old, new = _write(tmp_path, "old.json", old_doc), _write(tmp_path, "new.json", new_doc)
    strict = cli("diff", old, new, "--format", "json")
    assert strict.exit_code == 1
    assert {f["rule_id"] for f in json.loads(strict.stdout)["findings"]} == {"response-body-schema-widened"}
    tolerant = cli("diff", old, new, "--format", "json", "--reader", "tolerant")
    assert tolerant.exit_code == 0, tolerant.stdout
    # the same for two plain schemas, checked forward (the old schema is the reader)
    old_s, new_s = _write(tmp_path, "old_s.json", closed), _write(tmp_path, "new_s.json", schema)
    assert cli("diff", old_s, new_s, "--mode", "forward").exit_code == 1
    assert cli("diff", old_s, new_s, "--mode", "forward", "--reader", "tolerant").exit_code == 0
    assert cli("diff", old_s, new_s, "--reader", "lenient").exit_code == 2
