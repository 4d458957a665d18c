"""The registry loads the real schemas, and every kind of broken input is one clear line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import pytest

from contractkit import RefError, SchemaFileError, SchemaInvalidError, load_registry
from contractkit.errors import IndexError_
from contractkit.registry import subschemas


def test_loads_every_version_and_schema(repo_root: Path) -> None:
    registry = load_registry(repo_root / "schemas")
    assert [v.name for v in registry.versions] == ["v1", "v2"]
    v1, v2 = registry.versions
    assert (v1.status, v1.successor, v2.status) == ("deprecated", "v2", "stable")
    assert v1.sunset is not None and v1.deprecated is not None and v1.sunset > v1.deprecated
    assert set(v1.schemas) == set(v2.schemas) >= {"cart_create", "cart_item_add", "cart_item", "cart", "problem"}
    assert registry.role("cart_create") == "request" and registry.role("cart") == "response"


def test_request_schemas_carry_examples_valid_under_their_schema(repo_root: Path) -> None:
    registry = load_registry(repo_root / "schemas")
    for version in registry.versions:
        for name in version.schemas:
            if registry.role(name) != "request":
                continue
            raw = registry.raw(name, version.name)
            assert raw.get("examples"), f"{name}@{version.name} has no examples"
            validator = jsonschema_rs.validator_for(registry.bundled(name, version.name), validate_formats=True)
            for example in raw["examples"]:
                assert validator.is_valid(example), (name, version.name, example)


def test_bundle_is_self_contained_and_keeps_recursion(repo_root: Path) -> None:
    registry = load_registry(repo_root / "schemas")
    bundled = registry.bundled("cart", "v2")
    refs = [node["$ref"] for _, node in subschemas(bundled) if isinstance(node, dict) and "$ref" in node]
    assert refs and all(r.startswith("#/$defs/") for r in refs)
    assert "v2.cart_item" in bundled["$defs"] and "common.money" in bundled["$defs"]


def test_cross_file_and_recursive_refs(tmp_path: Path) -> None:
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "node.json").write_text(
        json.dumps({"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#"}}}})
    )
    (tmp_path / "tree.json").write_text(json.dumps({"properties": {"root": {"$ref": "common/node.json"}}}))
    (tmp_path / "index.toml").write_text(
        '[[versions]]\nname = "v1"\nstatus = "stable"\nreleased = 2026-01-01\n[versions.schemas]\ntree = "tree.json"\n'
    )
    registry = load_registry(tmp_path)
    bundled = registry.bundled("tree", "v1")
    validator = jsonschema_rs.validator_for(bundled)
    assert validator.is_valid({"root": {"children": [{"children": []}]}})
    assert not validator.is_valid({"root": {"children": [{"children": 3}]}})


def _index(tmp: Path, schemas: dict[str, str]) -> None:
    lines = ["[[versions]]", 'name = "v1"', 'status = "stable"', "released = 2026-01-01", "[versions.schemas]"]
    lines += [f'{k} = "{v}"' for k, v in schemas.items()]
    (tmp / "index.toml").write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("files", "error", "needle"),
    [
        ({"a.json": '{"type": "object",'}, SchemaFileError, "a.json: malformed JSON at line 1"),
        (
            {"a.json": '{"type": "object", "properties": {"x": {"$ref": "b.json"}}}'},
            RefError,
            "a.json#/properties/x/$ref: dangling $ref 'b.json'",
        ),
        (
            {"a.json": '{"$defs": {}, "items": {"$ref": "#/$defs/missing"}}'},
            RefError,
            "a.json#/items/$ref: dangling $ref '#/$defs/missing'",
        ),
        (
            {"a.json": '{"properties": {"n": {"minLength": -1}}}'},
            SchemaInvalidError,
            "a.json#/properties/n/minLength: -1 is less than the minimum of 0",
        ),
        (
            {"a.json": '{"$defs": {"x": {"$ref": "#/$defs/y"}, "y": {"$ref": "#/$defs/x"}}, "$ref": "#/$defs/x"}'},
            RefError,
            "$ref cycle",
        ),
        ({"a.json": '{"type": "number", "maximum": NaN}'}, SchemaFileError, "a.json: malformed JSON"),
    ],
)
def test_broken_input_names_file_and_pointer(tmp_path: Path, files: dict[str, str], error: type, needle: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    _index(tmp_path, {"a": "a.json"})
    with pytest.raises(error) as info:
        load_registry(tmp_path)
    assert needle in str(info.value)


def test_index_entry_pointing_at_missing_file(tmp_path: Path) -> None:
    _index(tmp_path, {"a": "nope.json"})
    with pytest.raises(IndexError_) as info:
        load_registry(tmp_path)
    assert str(info.value).endswith("index.toml#/versions/0/schemas/a: schema file 'nope.json' does not exist")
