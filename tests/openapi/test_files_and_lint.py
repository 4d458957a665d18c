"""contractkit._files (strict JSON and YAML) and contractkit.lint (document kinds, unknown keywords)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from contractkit._files import load_file, parse_text
from contractkit.errors import InputError, SchemaFileError
from contractkit.lint import kind_of, require_schema, suggest, unknown_keywords


def test_yaml_is_read_as_json_data() -> None:
    text = "200:\n  d: 2027-03-31\n  n: 1.5\n  on: yes\n<<: {m: 1}\n"
    assert parse_text(text, "a.yaml", "yaml") == {"200": {"d": "2027-03-31", "n": 1.5, "on": True}, "m": 1}


@pytest.mark.parametrize(
    ("fmt", "text", "message"),
    [
        ("yaml", "a: 1\na: 2\n", "malformed YAML at line 2 column 1: duplicate key 'a'"),
        ("yaml", "a: .nan\n", "malformed YAML at line 1 column 4: .nan is not JSON (no NaN or Infinity)"),
        ("yaml", "a: !!python/object:os.system 1\n", "is not a JSON value (unsupported YAML tag)"),
        ("yaml", "a: [1, 2\n", "malformed YAML at line 2 column 1"),
        ("yaml", "a: 1\n---\nb: 2\n", "more than one document"),
        ("yaml", "? [a, b]\n: 1\n", "a mapping key must be a plain value"),
        ("json", '{"a": 1, "a": 2}', "malformed JSON: duplicate key 'a'"),
        ("json", '{"a": NaN}', "NaN is not JSON"),
        ("json", '{"a": ', "malformed JSON at line 1 column 7"),
    ],
)
def test_strictness_errors_name_the_file_and_place(fmt: str, text: str, message: str) -> None:
    with pytest.raises(SchemaFileError) as err:
        parse_text(text, f"f.{fmt}", fmt)
    assert err.value.file == f"f.{fmt}" and message in err.value.reason


def test_format_follows_the_suffix_else_the_content(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("type: string\n")
    (tmp_path / "b").write_text('{"type": "string"}')
    (tmp_path / "c").write_text("type: string\n")
    assert load_file(tmp_path / "a.yml") == load_file(tmp_path / "b") == load_file(tmp_path / "c") == {"type": "string"}
    with pytest.raises(SchemaFileError, match="file not found"):
        load_file(tmp_path / "nope.json")


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ({"openapi": "3.1.0"}, "openapi"),
        ({"swagger": "2.0"}, "swagger"),
        ({}, "schema"),
        (True, "schema"),
        ({"type": "string"}, "schema"),
        ({"$ref": "#/x"}, "schema"),
        ({"nullable": True}, "schema"),
        ({"name": "John", "age": 30}, "unknown"),
        ([1, 2], "unknown"),
        (None, "unknown"),
    ],
)
def test_kind_of(value: Any, kind: str) -> None:
    assert kind_of(value) == kind


def test_require_schema_explains_what_it_got() -> None:
    with pytest.raises(InputError) as err:
        require_schema([1], "x.json")
    assert str(err.value) == "x.json#: neither a JSON Schema nor an OpenAPI document: it is a JSON array"


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("requried", "required"),
        ("maximun", "maximum"),
        ("MaxLength", "maxLength"),
        ("additionalproperty", "additionalProperties"),
        ("patern", "pattern"),
        ("zzz", None),
    ],
)
def test_did_you_mean(typo: str, meant: str | None) -> None:
    assert suggest(typo) == meant


def test_unknown_keywords_are_found_in_subschemas_only() -> None:
    schema = {
        "type": "object",
        "properties": {"requried": {"maximun": 1}},  # a property *named* requried is fine
        "enum": [{"maximun": 1}],  # data, not a schema
        "items": [{"minLenght": 1}],  # draft-04 array form
        "dependencies": {"a": {"patern": "x"}, "b": ["c"]},
        "x-vendor": {"whatever": 1},
        "$comment": "fine",
        "definitions": {"d": {"titel": "t"}},
    }
    found = {(w.pointer, w.keyword, w.suggestion) for w in unknown_keywords(schema)}
    assert found == {
        ("/properties/requried", "maximun", "maximum"),
        ("/items/0", "minLenght", "minLength"),
        ("/dependencies/a", "patern", "pattern"),
        ("/definitions/d", "titel", "title"),
    }


def test_nullable_is_known_in_openapi_30_only() -> None:
    assert unknown_keywords({"type": "string", "nullable": True}, "openapi-3.0") == ()
    (w,) = unknown_keywords({"type": "string", "nullable": True}, "openapi-3.1")
    assert w.keyword == "nullable" and w.hint is not None


def test_the_repository_schemas_have_no_unknown_keywords(repo_root: Path) -> None:
    from contractkit.lint import lint_registry
    from contractkit.registry import load_registry

    assert lint_registry(load_registry(repo_root / "schemas")) == ()
