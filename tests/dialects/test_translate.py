"""The translation to 2020-12, case by case: OpenAPI 3.0, what moves where, what older drafts ignored,
regular expressions, and how compare() / the registry see it. Verdicts are checked with jsonschema-rs's
2020-12 validator on the translation and, where the source is a JSON Schema draft, with python-jsonschema
on the schema as written (an independent implementation of that draft)."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import jsonschema_rs
import pytest

from contractkit.compat import CompatInputError, compare
from contractkit.dialects import (
    DIALECTS,
    UnsupportedDialectError,
    dialect_of,
    metaschema_problem,
    parse_dialect,
    to_2020_12,
    translate,
)

D4 = "http://json-schema.org/draft-04/schema#"
D6 = "http://json-schema.org/draft-06/schema#"
D7 = "http://json-schema.org/draft-07/schema#"
D2019 = "https://json-schema.org/draft/2019-09/schema"


def ok(schema: Any, instance: Any) -> bool:
    return bool(jsonschema_rs.Draft202012Validator(schema, validate_formats=True).is_valid(instance))


def as_written(schema: Any, instance: Any) -> bool:
    """python-jsonschema, in the draft the schema declares, with format checking on."""
    cls = jsonschema.validators.validator_for(schema)
    return bool(cls(schema, format_checker=cls.FORMAT_CHECKER).is_valid(instance))


@pytest.mark.parametrize(
    ("uri", "dialect"),
    [
        ("http://json-schema.org/draft-04/schema#", "draft-04"),
        ("http://json-schema.org/draft-04/schema", "draft-04"),
        ("https://json-schema.org/draft-06/schema#", "draft-06"),
        ("http://json-schema.org/draft-07/schema#", "draft-07"),
        ("https://json-schema.org/draft/2019-09/schema", "2019-09"),
        ("https://json-schema.org/draft/2020-12/schema#", "2020-12"),
        ("https://spec.openapis.org/oas/3.1/dialect/base", "openapi-3.1"),
        ("https://spec.openapis.org/oas/3.1/dialect/2024-11-10", "openapi-3.1"),
    ],
)
def test_dialect_is_read_from_schema_uri(uri: str, dialect: str) -> None:
    assert dialect_of({"$schema": uri}) == dialect


def test_dialect_default_and_unknown_uris() -> None:
    assert dialect_of({"type": "string"}) == "2020-12"
    assert dialect_of({"type": "string"}, "draft-07") == "draft-07"
    assert dialect_of(True, "draft-06") == "draft-06"
    with pytest.raises(UnsupportedDialectError, match="draft-03"):
        dialect_of({"$schema": "http://json-schema.org/draft-03/schema#"})
    with pytest.raises(UnsupportedDialectError):
        dialect_of({"$schema": 7})
    assert [parse_dialect(n) for n in ("draft7", "Draft-04", "2019-09", "openapi3.0")] == [
        "draft-07",
        "draft-04",
        "2019-09",
        "openapi-3.0",
    ]
    with pytest.raises(UnsupportedDialectError, match="known: draft-04"):
        parse_dialect("draft-05")
    assert set(DIALECTS) == {"draft-04", "draft-06", "draft-07", "2019-09", "2020-12", "openapi-3.0", "openapi-3.1"}


def test_a_2020_12_schema_comes_back_as_the_same_object() -> None:
    schema = {"type": "object", "properties": {"a": {"pattern": "^[a-z]+$"}}}
    assert translate(schema).schema is schema
    assert translate(schema).moved == {}


def test_the_input_is_never_modified() -> None:
    schema = {
        "$schema": D4,
        "id": "http://example.com/s.json",
        "items": [{"type": "string"}],
        "additionalItems": {"$ref": "#/items/0"},
        "dependencies": {"a": ["b"], "c": {"required": ["d"]}},
        "maximum": 5,
        "exclusiveMaximum": True,
    }
    before = copy.deepcopy(schema)
    to_2020_12(schema)
    assert schema == before


# -- OpenAPI 3.0 ------------------------------------------------------------------------------------
def test_openapi_30_nullable_widens_type_only() -> None:
    s = to_2020_12({"type": "string", "nullable": True, "maxLength": 3}, "openapi-3.0")
    assert s == {"type": ["string", "null"], "maxLength": 3}
    assert ok(s, None) and ok(s, "abc") and not ok(s, "abcd")
    # nullable does not widen enum unless null is listed (OpenAPI 3.0.3)
    e = to_2020_12({"type": "string", "enum": ["a", "b"], "nullable": True}, "openapi-3.0")
    assert not ok(e, None) and ok(e, "a")
    listed = to_2020_12({"type": "string", "enum": ["a", None], "nullable": True}, "openapi-3.0")
    assert ok(listed, None)
    # without `type`, nullable has no effect
    assert to_2020_12({"nullable": True, "minLength": 2}, "openapi-3.0") == {"minLength": 2}
    # nullable: false changes nothing
    assert not ok(to_2020_12({"type": "integer", "nullable": False}, "openapi-3.0"), None)


def test_openapi_30_keywords() -> None:
    s = to_2020_12(
        {
            "type": "object",
            "properties": {
                "n": {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 10},
                "id": {"type": "string", "readOnly": True, "example": "x1", "format": "uuid"},
                "pet": {"$ref": "#/components/schemas/Pet", "nullable": True, "description": "ignored"},
            },
            "discriminator": {"propertyName": "kind"},
            "x-internal": {"owner": "team-a"},
        },
        "openapi-3.0",
    )
    assert s["properties"]["n"] == {"type": "number", "exclusiveMinimum": 0, "maximum": 10}
    assert s["properties"]["id"] == {"type": "string", "readOnly": True, "example": "x1", "format": "uuid"}
    assert s["properties"]["pet"] == {"$ref": "#/components/schemas/Pet"}  # $ref siblings are ignored
    assert s["discriminator"] == {"propertyName": "kind"} and s["x-internal"] == {"owner": "team-a"}


def test_openapi_31_is_2020_12_with_its_own_schema_uri() -> None:
    s = to_2020_12({"$schema": "https://spec.openapis.org/oas/3.1/dialect/base", "type": ["string", "null"]})
    assert s == {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": ["string", "null"]}


# -- older drafts ------------------------------------------------------------------------------------
def test_draft04_boolean_exclusive_bounds_and_id() -> None:
    schema = {
        "$schema": D4,
        "id": "http://example.com/root.json",
        "properties": {
            "a": {"type": "number", "maximum": 3, "exclusiveMaximum": True},
            "b": {"type": "number", "minimum": 1, "exclusiveMinimum": False},
            "c": {"id": "#cee", "type": "integer"},
        },
        "additionalProperties": {"$ref": "#cee"},
    }
    s = to_2020_12(schema)
    assert s["$id"] == "http://example.com/root.json" and "id" not in s
    assert s["properties"]["a"] == {"type": "number", "exclusiveMaximum": 3}
    assert s["properties"]["b"] == {"type": "number", "minimum": 1}
    assert s["properties"]["c"] == {"$anchor": "cee", "type": "integer"}
    for instance in ({"a": 3}, {"a": 2.5}, {"b": 1}, {"z": 1}, {"z": "x"}):
        assert ok(s, instance) is as_written(schema, instance), instance


def test_ref_siblings_are_ignored_before_2019_09_and_kept_after() -> None:
    for uri in (D4, D6, D7):
        legacy = {
            "$schema": uri,
            "definitions": {"i": {"type": "integer"}},
            "items": {"$ref": "#/definitions/i", "maximum": 5},
        }
        s = to_2020_12(legacy)
        assert s["items"] == {"$ref": "#/definitions/i"}
        assert ok(s, [9]) and as_written(legacy, [9])
    modern = {"$schema": D2019, "$defs": {"i": {"type": "integer"}}, "items": {"$ref": "#/$defs/i", "maximum": 5}}
    assert not ok(to_2020_12(modern), [9]) and not as_written(modern, [9])


def test_array_items_dependencies_and_moved_refs() -> None:
    schema = {
        "$schema": D7,
        "type": "array",
        "items": [{"type": "string", "minLength": 2}, {"type": "integer"}],
        "additionalItems": {"$ref": "#/items/0"},
    }
    t = translate(schema)
    assert t.schema["prefixItems"] == schema["items"]
    assert t.schema["items"] == {"$ref": "#/prefixItems/0"}  # the ref followed its target
    assert t.pointer("/items/1") == "/prefixItems/1" and t.pointer("/additionalItems") == "/items"
    assert t.source_pointer("/prefixItems/0/minLength") == "/items/0/minLength"
    assert t.source_pointer("/items") == "/additionalItems" and t.source_pointer("/type") == "/type"
    for instance in (["ab", 1, "cd"], ["ab", 1, "c"], ["ab", "x"], []):
        assert ok(t.schema, instance) is as_written(schema, instance), instance
    dep = {"$schema": D6, "dependencies": {"a": ["b"], "c": {"required": ["d"]}, "e": True}}
    s = to_2020_12(dep)
    assert s["dependentRequired"] == {"a": ["b"]} and s["dependentSchemas"] == {"c": {"required": ["d"]}, "e": True}
    for instance in ({"a": 1}, {"a": 1, "b": 2}, {"c": 1}, {"c": 1, "d": 1}, {"e": 1}):
        assert ok(s, instance) is as_written(dep, instance), instance
    # beside a single-schema `items`, additionalItems was ignored
    assert to_2020_12({"$schema": D7, "items": {}, "additionalItems": False}) == {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "items": {},
    }


def test_keywords_and_formats_the_draft_does_not_define_are_not_asserted() -> None:
    schema = {
        "$schema": D4,
        "properties": {
            "c": {"const": 1},
            "d": {"type": "string", "format": "date"},
            "t": {"type": "string", "format": "date-time"},
            "i": {"if": {"type": "string"}, "then": {"minLength": 3}},
        },
    }
    s = to_2020_12(schema)
    assert s["properties"]["c"] == {"x-ignored:const": 1}
    assert s["properties"]["d"] == {"type": "string", "x-ignored:format": "date"}
    assert s["properties"]["t"] == {"type": "string", "format": "date-time"}
    for instance in ({"c": 2}, {"d": "not a date"}, {"i": "ab"}):
        assert ok(s, instance) is as_written(schema, instance), instance
    assert not ok(s, {"t": "not a time"})  # date-time is a draft-04 format: still asserted
    d7 = {"$schema": D7, "format": "uuid"}
    assert to_2020_12(d7) == {"$schema": "https://json-schema.org/draft/2020-12/schema", "x-ignored:format": "uuid"}
    assert to_2020_12({"$schema": D2019, "format": "uuid"})["format"] == "uuid"


def test_a_ref_into_a_place_no_keyword_defines_is_translated_too() -> None:
    schema = {
        "$schema": D4,
        "x-shared": {"pos": {"type": "number", "minimum": 0, "exclusiveMinimum": True}},
        "properties": {"p": {"$ref": "#/x-shared/pos"}},
    }
    s = to_2020_12(schema)
    assert s["x-shared"]["pos"] == {"type": "number", "exclusiveMinimum": 0}
    assert not ok(s, {"p": 0}) and ok(s, {"p": 1})


# -- regular expressions ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pattern", "matches", "rejects"),
    [
        (r"^[^]$", ["x", "\n"], ["", "xy"]),
        (r"^[\w-.]+$", ["a-.b"], ["a b"]),
        (r"^a{,3}$", ["a{,3}"], ["aaa"]),
        (r"^{$", ["{"], [""]),
        (r"^\e$", ["e"], ["\x1b"]),
        (r"^[\b]$", ["\x08"], ["b"]),
        (r"^\0$", ["\x00"], ["0"]),
        (r"^\uD83D\uDE00$", ["😀"], ["x"]),
        (r"^(?<d>[0-9])\k<d>$", ["11"], ["12"]),
        (r"^[\d-z]$", ["1", "-", "z"], ["y"]),
    ],
)
def test_ecma_patterns_the_validator_refuses_are_rewritten(
    pattern: str, matches: list[str], rejects: list[str]
) -> None:
    with pytest.raises(ValueError):
        jsonschema_rs.validator_for({"pattern": pattern})
    s = to_2020_12({"$schema": D7, "type": "string", "pattern": pattern})
    assert all(ok(s, m) for m in matches) and not any(ok(s, r) for r in rejects)
    props = to_2020_12({"patternProperties": {pattern: {"type": "integer"}}, "additionalProperties": False})
    assert all(ok(props, {m: 1}) for m in matches)


def test_a_pattern_that_is_not_ecma_262_is_reported_with_its_pointer() -> None:
    t = translate({"properties": {"a": {"type": "string", "pattern": "(?>atomic)"}}})
    assert t.uncompilable == (("/properties/a/pattern", "(?>atomic)"),)
    with pytest.raises(CompatInputError) as exc:
        compare({"type": "string"}, {"properties": {"a": {"type": "string", "pattern": "(?>atomic)"}}})
    assert (exc.value.side, exc.value.pointer) == ("new", "/properties/a/pattern")
    assert "ECMA-262" in exc.value.reason


# -- through compare() -----------------------------------------------------------------------------
def test_compare_reads_each_side_in_its_own_draft() -> None:
    old = {"$schema": D4, "type": "number", "maximum": 10, "exclusiveMaximum": True}
    new = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "number", "exclusiveMaximum": 10}
    assert compare(old, new, "full").compatible  # the same constraint, written two ways
    narrower = {"$schema": D7, "type": "number", "exclusiveMaximum": 9}
    report = compare(old, narrower)
    assert not report.compatible
    witness = next(f.witness for f in report.findings if f.witness is not None)
    assert as_written(old, witness.instance) and not as_written(narrower, witness.instance)


def test_compare_refuses_a_schema_invalid_for_its_draft() -> None:
    with pytest.raises(CompatInputError) as exc:
        compare({"$schema": D4, "properties": {"a": True}}, True)  # draft-04 has no boolean schemas
    assert exc.value.side == "old" and exc.value.pointer == "/properties/a"
    assert "draft-04" in exc.value.reason
    assert metaschema_problem(True, "draft-04") == ("", "draft-04 has no boolean schemas")
    assert metaschema_problem({"$schema": D7, "minLength": -1}, "draft-07") is not None


def test_defs_in_a_draft07_schema_is_no_keyword_yet_its_refs_resolve() -> None:
    schema = {
        "$schema": D7,
        "$defs": {"description": "a note, not a schema", "port": {"type": "integer", "maximum": 10}},
        "properties": {"p": {"$ref": "#/$defs/port"}},
    }
    s = to_2020_12(schema)
    assert s["x-ignored:$defs"]["description"] == "a note, not a schema"
    assert s["properties"]["p"] == {"$ref": "#/x-ignored:$defs/port"}
    assert metaschema_problem(s, "2020-12") is None
    for instance in ({"p": 3}, {"p": 11}, {"p": "x"}):
        assert ok(s, instance) is as_written(schema, instance), instance


def test_public_surface_of_dialects_is_pinned() -> None:
    import contractkit.dialects
    import contractkit.registry

    assert contractkit.dialects.__all__ == [
        "DIALECTS",
        "DIALECT_URIS",
        "Dialect",
        "Translation",
        "UnsupportedDialectError",
        "dialect_of",
        "metaschema_problem",
        "parse_dialect",
        "to_2020_12",
        "translate",
    ]
    assert "Catalog" in contractkit.registry.__all__
