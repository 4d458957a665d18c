"""Changes a ``$ref`` reads although the structural alignment sees them as annotations or inert data:
each pair below once came out compatible (missed breaks). Both validators are asked about every witness."""

from __future__ import annotations

from typing import Any

import jsonschema
import jsonschema_rs
import pytest

from contractkit.compat import compare
from contractkit.compat._model import Direction


def _lib(t: str, how: str) -> dict[str, Any]:
    lib: dict[str, Any] = {"$id": "https://example.com/lib", "examples": [{"type": t}]}
    if how == "absolute":
        return {"$defs": {"lib": lib}, "$ref": "https://example.com/lib#/examples/0"}
    if how == "fragment-only":  # "#/examples/0" written inside the nested resource: read against its $id
        lib["$defs"] = {"x": {"$ref": "#/examples/0"}}
        return {"$defs": {"lib": lib}, "$ref": "https://example.com/lib#/$defs/x"}
    if how == "relative":  # "lib#/..." resolved against the root's $id
        lib["$defs"] = {"x": {"$ref": "lib#/examples/0"}}
        return {"$id": "https://example.com/root", "$defs": {"lib": lib}, "$ref": "lib#/$defs/x"}
    assert how == "unknown-keyword"
    return {
        "$defs": {"lib": {"$id": "https://example.com/lib", "x-defs": {"a": {"type": t}}}},
        "$ref": "https://example.com/lib#/x-defs/a",
    }


def _index(t: str, token: str) -> dict[str, Any]:
    return {"allOf": [{"default": {"type": t}}], "$ref": f"#/allOf/{token}/default"}


CASES: list[tuple[str, Any, Any]] = [
    # 1. a fragment whose array index is not written canonically: both validators read "00" and "+0" as 0
    ("index 00", _index("string", "00"), _index("integer", "00")),
    ("index +0", _index("string", "+0"), _index("integer", "+0")),
    # 2. a fragment read against a nested $id
    *((f"nested $id, {how}", _lib("string", how), _lib("integer", how)) for how in
      ("absolute", "fragment-only", "relative", "unknown-keyword")),
]  # fmt: skip


def _valid(schema: Any, instance: Any) -> bool:
    rs = jsonschema_rs.validator_for(schema).is_valid(instance)
    py = jsonschema.Draft202012Validator(schema).is_valid(instance)
    assert rs == py, (schema, instance)
    return bool(rs)


@pytest.mark.parametrize(("name", "old", "new"), CASES, ids=[c[0] for c in CASES])
def test_the_break_exists(name: str, old: Any, new: Any) -> None:
    assert _valid(old, "a") and not _valid(new, "a")
    assert _valid(new, 1) and not _valid(old, 1)


@pytest.mark.parametrize("direction", ["backward", "forward"])
@pytest.mark.parametrize(("name", "old", "new"), CASES, ids=[c[0] for c in CASES])
def test_a_read_change_is_a_proven_break(name: str, old: Any, new: Any, direction: Direction) -> None:
    report = compare(old, new, direction)
    assert not report.compatible
    errors = [f for f in report.findings if f.severity == "error"]
    assert [f.rule_id for f in errors] == ["keyword-changed"]
    w = errors[0].witness
    assert w is not None
    src, dst = (old, new) if direction == "backward" else (new, old)
    assert _valid(src, w.instance) and not _valid(dst, w.instance)


# 3. a "$ref" inside data (examples, default) that another "$ref" applies as a schema: applied with it
DATA_REFS: list[tuple[str, Any, Any]] = [
    ("examples applied, its ref reads a map",
     {"$ref": "#/examples/0", "examples": [{"$ref": "#/properties"}], "properties": {"not": {"minimum": 5}}},
     {"$ref": "#/examples/0", "examples": [{"$ref": "#/properties"}], "properties": {"not": {}}}),
    ("default applied, then examples, transitively",
     {"$ref": "#/default/a", "default": {"a": {"$ref": "#/examples/0"}}, "examples": [{"$ref": "#/properties"}],
      "properties": {"not": {"minimum": 5}}},
     {"$ref": "#/default/a", "default": {"a": {"$ref": "#/examples/0"}}, "examples": [{"$ref": "#/properties"}],
      "properties": {"not": {}}}),
    ("a data value applied from above, inside the same value",
     {"$ref": "#/examples/0", "examples": [{"allOf": [{"$ref": "#/properties"}]}],
      "properties": {"not": {"minimum": 5}}},
     {"$ref": "#/examples/0", "examples": [{"allOf": [{"$ref": "#/properties"}]}], "properties": {"not": {}}}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "old", "new"), DATA_REFS, ids=[c[0] for c in DATA_REFS])
def test_a_ref_inside_applied_data_is_applied(name: str, old: Any, new: Any) -> None:
    assert _valid(old, 0) and not _valid(new, 0)  # the break: "not" is read as a keyword through the refs
    report = compare(old, new, "backward")
    assert not report.compatible
    errors = [f for f in report.findings if f.severity == "error"]
    assert [f.rule_id for f in errors] == ["instance-rejected"]
    w = errors[0].witness
    assert w is not None and _valid(old, w.instance) and not _valid(new, w.instance)
    assert compare(old, new, "forward").compatible  # the new schema accepts nothing


@pytest.mark.parametrize(
    ("root", "ref", "sites"),
    [
        ({"$ref": "#/examples/0", "examples": [{"$ref": "#/properties"}]}, "#/properties", ["/examples/0"]),
        ({"examples": [{"$ref": "#/properties"}]}, "#/properties", []),  # data no ref reaches: inert
        ({"$ref": "#", "examples": [{"$ref": "#/properties"}]}, "#/properties", []),  # the root holds it as data
        ({"$ref": "#/examples", "examples": [{"$ref": "#/p"}]}, "#/p", ["/examples/0"]),  # an array applied (an error)
        ({"$ref": "#/examples/00", "examples": [{"$ref": "#/p"}]}, "#/p", ["/examples/0"]),
        ({"$ref": "#/default", "default": {"const": {"$ref": "#/p"}}}, "#/p", ["/default/const"]),  # conservative
        ({"properties": {"default": {"$ref": "#/p"}}}, "#/p", ["/properties/default"]),  # a schema, no data
    ],
)
def test_ref_sites_inside_data(root: Any, ref: str, sites: list[str]) -> None:
    from contractkit.compat._doc import Doc

    assert Doc(root, format_assertion=False).ref_sites(ref) == sites


# 4. (a fifth review) a member name that int() reads ("00", "1_0") is an object key where the value is an
# object: the fragment is read both as written and as an array index, never only as the index
def _key(t: str, key: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{key.replace(' ', '%20')}/examples/0", "$defs": {key: {"examples": [{"type": t}]}}}


KEYS = ["00", "+0", "01", "1_0", " 1"]


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("direction", ["backward", "forward"])
def test_a_member_named_like_an_index_is_read_as_named(key: str, direction: Direction) -> None:
    old, new = _key("string", key), _key("integer", key)
    assert _valid(old, "a") and not _valid(new, "a")
    report = compare(old, new, direction)
    assert [f.rule_id for f in report.findings if f.severity == "error"] == ["keyword-changed"]
    w = next(f.witness for f in report.findings if f.severity == "error")
    src, dst = (old, new) if direction == "backward" else (new, old)
    assert w is not None and _valid(src, w.instance) and not _valid(dst, w.instance)


def _b(min_length: int, applied: dict[str, Any]) -> dict[str, Any]:
    return {**applied, "$defs": {**applied.get("$defs", {}), "b": {"type": "string", "minLength": min_length}}}


# 5. (the same review) a "$dynamicRef" inside data that a "$ref" applies: the document's refs are no plain
# pointers any more, and the narrowed definition it reaches is a break ("ab" is valid under old only)
APPLIED_DYNAMIC: list[tuple[str, dict[str, Any]]] = [
    ("default holds a $dynamicRef", {"$ref": "#/default", "default": {"not": {"$dynamicRef": "#/$defs/b"}}}),
    ("examples hold a $dynamicRef", {"$ref": "#/examples/0", "examples": [{"not": {"$dynamicRef": "#/$defs/b"}}]}),
    ("a $dynamicRef in data leads on to a $ref in data",
     {"$ref": "#/default", "default": {"$dynamicRef": "#/examples/0"}, "examples": [{"not": {"$ref": "#/$defs/b"}}]}),
    ("a member named like an index, then a $ref in its default",
     {"$ref": "#/$defs/1_0/default", "$defs": {"1_0": {"default": {"not": {"$ref": "#/$defs/b"}}}}}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "applied"), APPLIED_DYNAMIC, ids=[c[0] for c in APPLIED_DYNAMIC])
def test_a_narrowing_read_through_applied_data_is_a_break(name: str, applied: dict[str, Any]) -> None:
    old, new = _b(3, applied), _b(2, applied)
    assert _valid(old, "ab") and not _valid(new, "ab")
    report = compare(old, new, "backward")
    assert not report.compatible
    for f in report.findings:
        if f.severity == "error" and f.witness is not None:
            assert _valid(old, f.witness.instance) and not _valid(new, f.witness.instance)
