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


# -- dialects and the local catalogue ---------------------------------------------------------------
D4 = "http://json-schema.org/draft-04/schema#"
D7 = "http://json-schema.org/draft-07/schema#"


def _write(path: Path, doc: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))


def test_files_of_older_drafts_load_and_bundle_as_2020_12(tmp_path: Path) -> None:
    _write(
        tmp_path / "common" / "tags.json",
        {"$schema": D4, "type": "array", "items": [{"type": "string"}], "additionalItems": {"type": "integer"}},
    )
    _write(
        tmp_path / "order.json",
        {
            "$schema": D7,
            "type": "object",
            "properties": {"tags": {"$ref": "common/tags.json"}, "first": {"$ref": "common/tags.json#/items/0"}},
            "dependencies": {"first": ["tags"]},
        },
    )
    _index(tmp_path, {"order": "order.json"})
    registry = load_registry(tmp_path, dialect="2020-12", catalog=[])
    bundled = registry.bundled("order", "v1")
    assert bundled["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert bundled["properties"]["first"] == {"$ref": "#/$defs/common.tags/prefixItems/0"}
    assert bundled["$defs"]["common.tags"]["prefixItems"] == [{"type": "string"}]
    v = jsonschema_rs.Draft202012Validator(bundled)
    assert v.is_valid({"tags": ["a", 1, 2], "first": "x"})
    assert not v.is_valid({"tags": ["a", "b"]})  # additionalItems: integer
    assert not v.is_valid({"first": "x"})  # dependencies: first needs tags
    assert registry.raw("order", "v1")["dependencies"] == {"first": ["tags"]}  # raw stays as written


def test_a_file_is_checked_against_its_own_drafts_metaschema(tmp_path: Path) -> None:
    _write(tmp_path / "a.json", {"$schema": D4, "type": "object", "properties": {"x": True}})
    _index(tmp_path, {"a": "a.json"})
    with pytest.raises(SchemaInvalidError) as info:
        load_registry(tmp_path, dialect="2020-12", catalog=[])
    assert "a.json#/properties/x:" in str(info.value) and "draft-04 metaschema" in str(info.value)
    _write(tmp_path / "a.json", {"$schema": "http://json-schema.org/draft-03/schema#"})
    with pytest.raises(SchemaInvalidError, match=r"a.json#/\$schema: unknown \$schema"):
        load_registry(tmp_path, dialect="2020-12", catalog=[])


def test_the_configured_dialect_reads_files_without_schema(tmp_path: Path) -> None:
    _write(tmp_path / "a.json", {"type": "array", "items": [{"type": "string"}], "additionalItems": False})
    _index(tmp_path, {"a": "a.json"})
    as_draft7 = load_registry(tmp_path, dialect="draft-07", catalog=[]).bundled("a", "v1")
    assert as_draft7 == {"type": "array", "prefixItems": [{"type": "string"}], "items": False}
    with pytest.raises(SchemaInvalidError):  # array-form items is not 2020-12
        load_registry(tmp_path, dialect="2020-12", catalog=[])


def test_a_ref_to_the_id_of_a_file_inside_the_registry_resolves(tmp_path: Path) -> None:
    """ux-trial L2: `$ref` by `$id` URI to a schema file that lives in the registry."""
    address = "https://example.com/schemas/common/address.json"
    _write(
        tmp_path / "common" / "address.json",
        {"$id": address, "type": "object", "required": ["city"], "properties": {"city": {"type": "string"}}},
    )
    _write(tmp_path / "customer.json", {"type": "object", "properties": {"home": {"$ref": address}}})
    _index(tmp_path, {"customer": "customer.json"})
    bundled = load_registry(tmp_path, dialect="2020-12", catalog=[]).bundled("customer", "v1")
    assert bundled["properties"]["home"] == {"$ref": "#/$defs/common.address"}
    v = jsonschema_rs.Draft202012Validator(bundled)
    assert v.is_valid({"home": {"city": "Oslo"}}) and not v.is_valid({"home": {}})


def test_remote_refs_resolve_from_catalogue_folders_never_the_network(tmp_path: Path) -> None:
    vendor = tmp_path / "vendor"
    uri = "https://json.schemastore.org/base.json"
    _write(
        vendor / "base.json",
        {"$schema": D7, "$id": uri, "definitions": {"port": {"type": "integer", "maximum": 65535}}},
    )
    _write(vendor / "notes.json", ["not", "a", "schema"])  # other JSON in a catalogue folder is skipped
    reg = tmp_path / "schemas"
    _write(
        reg / "svc.json",
        {"$schema": D4, "properties": {"port": {"$ref": "http://json.schemastore.org/base.json#/definitions/port"}}},
    )
    _index(reg, {"svc": "svc.json"})
    bundled = load_registry(reg, dialect="2020-12", catalog=[vendor]).bundled("svc", "v1")
    v = jsonschema_rs.Draft202012Validator(bundled)
    assert v.is_valid({"port": 80}) and not v.is_valid({"port": 70000})
    with pytest.raises(RefError) as info:
        load_registry(reg, dialect="2020-12", catalog=[])
    message = info.value.one_line()
    assert message.startswith(f"{reg / 'svc.json'}#/properties/port/$ref: remote $ref")
    assert "not in the local catalogue" in message and "[tool.contractkit] catalog" in message


def test_refs_inside_keywords_the_draft_ignores_are_bundled_too(tmp_path: Path) -> None:
    """draft-07 has no `$defs`: the translation renames it, and refs into it and inside it still bundle."""
    _write(
        tmp_path / "common.json",
        {
            "$schema": D7,
            "$defs": {
                "note": "not a schema: draft-07 never read $defs",
                "feature": {"type": "object", "properties": {"on": {"$ref": "#/$defs/switch"}}},
                "switch": {"type": "boolean"},
            },
        },
    )
    _write(tmp_path / "root.json", {"$schema": D7, "properties": {"f": {"$ref": "common.json#/$defs/feature"}}})
    _index(tmp_path, {"root": "root.json"})
    bundled = load_registry(tmp_path, dialect="2020-12", catalog=[]).bundled("root", "v1")
    v = jsonschema_rs.Draft202012Validator(bundled)
    assert v.is_valid({"f": {"on": True}}) and not v.is_valid({"f": {"on": 1}})


def test_a_ref_to_something_not_a_schema_is_named_in_the_authors_terms(tmp_path: Path) -> None:
    _write(
        tmp_path / "a.json",
        {
            "$schema": D7,
            "definitions": {"pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]}},
            "items": [{"type": "boolean"}],
            "additionalItems": {"$ref": "#/definitions/pair/items"},
        },
    )
    _index(tmp_path, {"a": "a.json"})
    with pytest.raises(RefError) as info:
        load_registry(tmp_path, dialect="2020-12", catalog=[])
    assert str(info.value).endswith(
        "a.json#/additionalItems/$ref: $ref '#/definitions/pair/items' points at an array, not a schema"
    )


def test_yaml_schemas_load_where_json_does(tmp_path: Path) -> None:
    """A YAML schema file (`.yaml`/`.yml`) is read as JSON data, `$ref`s between YAML and JSON files resolve,
    and a malformed one is one line naming the file and position."""
    (tmp_path / "money.yml").write_text(
        "type: object\nproperties:\n  amount_minor: {type: integer, minimum: 0}\nrequired: [amount_minor]\n"
    )
    (tmp_path / "item.yaml").write_text(
        "$schema: https://json-schema.org/draft/2020-12/schema\ntype: object\n"
        "properties:\n  price: {$ref: money.yml}\n  sku: {$ref: 'sku.json'}\nrequired: [price]\n"
    )
    (tmp_path / "sku.json").write_text(json.dumps({"type": "string", "pattern": "^[A-Z]{3}$"}))
    _index(tmp_path, {"item": "item.yaml"})
    registry = load_registry(tmp_path)
    validator = jsonschema_rs.validator_for(registry.bundled("item", "v1"))
    assert validator.is_valid({"price": {"amount_minor": 5}, "sku": "TSH"})
    assert not validator.is_valid({"price": {"amount_minor": -1}})
    assert not validator.is_valid({"price": {"amount_minor": 5}, "sku": "tsh"})
    (tmp_path / "item.yaml").write_text("type: object\nproperties: [unclosed\n")
    with pytest.raises(SchemaFileError) as info:
        load_registry(tmp_path)
    assert "item.yaml" in str(info.value) and "line" in str(info.value)
