"""Refs read with 2020-12 scoping ($id base URIs, $anchor, $dynamicAnchor, $dynamicRef): sources the prover
now proves empty (old ⊆ new holds whatever new is), each beside a near-miss whose scoping makes it
satisfiable, which must stay breaking. The proven ones are the containment suite's
``unsatisfiable/{anchor,dynamicRef,ref}.json`` pairs (``allOf: [S, {not: S renamed}]``).
"""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import jsonschema_rs
import pytest

from contractkit.compat import compare
from contractkit.compat._doc import Doc
from tests.compat._util import assert_witnesses_hold

_ROOT = "https://test.json-schema.org/typical-dynamic-resolution/root"
_ROOT1 = "https://test1.json-schema.org/typical-dynamic-resolution/root"
_BOOKEND = {"$comment": "This is only needed to satisfy the bookending requirement"}

# anchor.json#2: integer ∧ ¬integer, both reached through an $anchor inside a nested $id
ANCHOR_IN_NESTED_ID: Any = {"allOf": [
    {"$ref": "http://localhost:1234/bar#foo",
     "$defs": {"A": {"$id": "http://localhost:1234/bar", "$anchor": "foo", "type": "integer"}}},
    {"$defs": {"A": {"$id": "http://localhost:1234/bar1", "$anchor": "foo1", "type": "integer"}},
     "not": {"$ref": "http://localhost:1234/bar1#foo1"}},
]}  # fmt: skip

# anchor.json#3: a relative $id ("nested.json") resolved against the enclosing one
RELATIVE_ID: Any = {"allOf": [
    {"$id": "http://localhost:1234/root", "$ref": "http://localhost:1234/nested.json#foo",
     "$defs": {"A": {"$id": "nested.json", "$defs": {"B": {"$anchor": "foo", "type": "integer"}}}}},
    {"$id": "http://localhost:1234/root1",
     "$defs": {"A": {"$id": "nested1.json", "$defs": {"B": {"$anchor": "foo1", "type": "integer"}}}},
     "not": {"$ref": "http://localhost:1234/nested1.json#foo1"}},
]}  # fmt: skip

# dynamicRef.json#4: the dynamic ref in "list" lands on the root's $dynamicAnchor (strings) on every way in
TYPICAL_DYNAMIC: Any = {"allOf": [
    {"$id": _ROOT, "$ref": "list",
     "$defs": {"foo": {"$dynamicAnchor": "items", "type": "string"},
               "list": {"$id": "list", "type": "array", "items": {"$dynamicRef": "#items"},
                        "$defs": {"items": {**_BOOKEND, "$dynamicAnchor": "items"}}}}},
    {"$id": _ROOT1,
     "$defs": {"foo": {"$dynamicAnchor": "items1", "type": "string"},
               "list": {"$id": "list1", "type": "array", "items": {"$dynamicRef": "#items1"},
                        "$defs": {"items": {**_BOOKEND, "$dynamicAnchor": "items1"}}}},
     "not": {"$ref": "list1"}},
]}  # fmt: skip

# dynamicRef.json#12: the dynamic scope through "then" (second_scope, null), not "if" (first_scope)
LEAVING_SCOPE: Any = {"allOf": [
    {"$id": "https://test.json-schema.org/dynamic-ref-leaving-dynamic-scope/main",
     "if": {"$id": "first_scope", "$defs": {"thingy": {"$dynamicAnchor": "thingy", "type": "number"}}},
     "then": {"$id": "second_scope", "$ref": "start",
              "$defs": {"thingy": {"$dynamicAnchor": "thingy", "type": "null"}}},
     "$defs": {"start": {"$id": "start", "$dynamicRef": "inner_scope#thingy"},
               "thingy": {"$id": "inner_scope", "$dynamicAnchor": "thingy", "type": "string"}}},
    {"$id": "https://test1.json-schema.org/dynamic-ref-leaving-dynamic-scope/main",
     "$defs": {"start": {"$id": "start1", "$dynamicRef": "inner_scope1#thingy1"},
               "thingy": {"$id": "inner_scope1", "$dynamicAnchor": "thingy1", "type": "string"}},
     "not": {"if": {"$id": "first_scope1",
                    "$defs": {"thingy": {"$dynamicAnchor": "thingy1", "type": "number"}}},
             "then": {"$id": "second_scope1", "$ref": "start1",
                      "$defs": {"thingy": {"$dynamicAnchor": "thingy1", "type": "null"}}}}},
]}  # fmt: skip

# ref.json#13: a percent-encoded JSON pointer ("foo%22bar" is the name foo"bar)
PERCENT_ENCODED: Any = {"allOf": [
    {"properties": {'foo"bar': {"$ref": "#/allOf/0/$defs/foo%22bar"}}, "$defs": {'foo"bar': {"type": "number"}}},
    {"$defs": {'foo"bar': {"type": "number"}},
     "not": {"properties": {'foo"bar': {"$ref": "#/allOf/1/$defs/foo%22bar"}}}},
]}  # fmt: skip

EMPTY = {
    "anchor in a nested $id": ANCHOR_IN_NESTED_ID,
    "relative $id": RELATIVE_ID,
    "typical dynamic resolution": TYPICAL_DYNAMIC,
    "dynamic scope leaving through then": LEAVING_SCOPE,
    "percent-encoded pointer": PERCENT_ENCODED,
}


def _mutant(schema: Any, path: list[Any], value: Any) -> Any:
    out = copy.deepcopy(schema)
    node = out
    for k in path[:-1]:
        node = node[k]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


_DELETE = object()

# (name, satisfiable source, an instance both validators accept under it)
NEAR_MISSES: list[tuple[str, Any, Any]] = [
    # the negated ref now names the string subschema: integer ∧ ¬string holds 1
    ("anchor: the negated ref's $id names another subschema",
     _mutant(_mutant(ANCHOR_IN_NESTED_ID, ["allOf", 1, "$defs", "B"],
                     {"$id": "http://localhost:1234/bar1", "$anchor": "foo1", "type": "string"}),
             ["allOf", 1, "$defs", "A", "$id"], "http://localhost:1234/other"), 1),
    # the relative $id resolves against root1's *directory*: nested1.json is another resource
    ("relative $id: the anchor moved to a differently-based resource",
     _mutant(_mutant(RELATIVE_ID, ["allOf", 1, "$defs", "A", "$defs", "B", "type"], "string"),
             ["allOf", 1, "$defs", "C"],
             {"$id": "http://localhost:1234/sub/nested1.json",
              "$defs": {"B": {"$anchor": "foo1", "type": "integer"}}}), 1),
    # without the root's $dynamicAnchor the dynamic ref lands on the bookend: every array, so [1]
    ("dynamic: the outer $dynamicAnchor renamed",
     _mutant(TYPICAL_DYNAMIC, ["allOf", 0, "$defs", "foo", "$dynamicAnchor"], "other"), [1]),
    # without second_scope's $dynamicAnchor the first branch's dynamic ref lands on inner_scope (strings)
    ("dynamic: the then-scope's $dynamicAnchor removed",
     _mutant(LEAVING_SCOPE, ["allOf", 0, "then", "$defs", "thingy", "$dynamicAnchor"], _DELETE), "x"),
    ("percent-encoded pointer to a different definition",
     _mutant(PERCENT_ENCODED, ["allOf", 1, "$defs", 'foo"bar', "type"], "string"), {'foo"bar': 1}),
    # the same text {"allOf": [{"$ref": "t"}]} under two $ids names two different subschemas
    ("same text, two base URIs",
     {"allOf": [
         {"$id": "http://e/1/", "allOf": [{"allOf": [{"$ref": "t"}]}],
          "$defs": {"t": {"$id": "http://e/1/t", "type": "string"}}},
         {"$id": "http://e/2/", "not": {"allOf": [{"$ref": "t"}]},
          "$defs": {"t": {"$id": "http://e/2/t", "type": "integer"}}},
     ]}, "x"),
]  # fmt: skip


@pytest.mark.parametrize("name", list(EMPTY))
def test_scoped_source_proven_empty(name: str) -> None:
    source = EMPTY[name]
    for v in (jsonschema_rs.Draft202012Validator(source), jsonschema.Draft202012Validator(source)):
        assert not any(v.is_valid(x) for x in (None, 0, "x", [], ["x"], [1], {}, {'foo"bar': 1}))
    assert compare(source, False, "backward").compatible
    assert compare(source, {"type": "integer", "minimum": 7}, "backward").compatible


@pytest.mark.parametrize(("name", "source", "instance"), NEAR_MISSES, ids=[m[0] for m in NEAR_MISSES])
def test_scoped_near_miss_stays_breaking(name: str, source: Any, instance: Any) -> None:
    assert jsonschema_rs.Draft202012Validator(source).is_valid(instance)
    assert jsonschema.Draft202012Validator(source).is_valid(instance)
    report = compare(source, False, "backward")
    assert not report.compatible
    assert_witnesses_hold(source, False, report)


def test_dynamic_ref_with_two_targets_is_not_followed() -> None:
    """dynamicRef.json#11's shape: the same $dynamicRef lands on two subschemas depending on the way in
    (then or else); it is not followed, and a source that is not empty is never called empty."""
    main = "https://example.com/multiple-paths/main"
    source = {"$id": main,
              "$defs": {"inner": {"$id": "inner", "$dynamicAnchor": "foo",
                                  "additionalProperties": {"$dynamicRef": "#foo"}}},
              "if": {"propertyNames": {"pattern": "^[a-m]"}},
              "then": {"$id": "anyLeafNode", "$dynamicAnchor": "foo", "$ref": "main#/$defs/inner"},
              "else": {"$id": "integerNode", "$dynamicAnchor": "foo", "type": ["object", "integer"],
                       "$ref": "main#/$defs/inner"}}  # fmt: skip
    assert not compare(source, {"not": source}, "backward").compatible
    assert not compare(source, False, "backward").compatible


_S = {
    "$id": "http://e/s",
    "$defs": {"here": {"$dynamicAnchor": "n", "type": "string"}},
    "items": {"$dynamicRef": "o#n"},
}
_O = {"$id": "http://e/o", "$dynamicAnchor": "n", "type": "integer"}


def test_dynamic_ref_lands_in_the_resource_it_is_written_in() -> None:
    # "o#n" first names o's anchor (integers), but the resource s, entered on the only way in, defines n
    # too: the dynamic ref means s's (strings) — so both validators read it
    source = {"$id": "http://e/root", "type": "array", "allOf": [{"$ref": "s"}], "$defs": {"s": _S, "o": _O}}
    for v in (jsonschema_rs.Draft202012Validator(source), jsonschema.Draft202012Validator(source)):
        assert v.is_valid(["x"]) and not v.is_valid([1])
    assert compare(source, {"type": "array", "items": {"type": "string"}}, "backward").compatible
    near_miss = {"type": "array", "items": {"type": "integer"}}
    report = compare(source, near_miss, "backward")
    assert not report.compatible
    assert_witnesses_hold(source, near_miss, report)


def test_static_ref_to_a_dynamic_anchor_defined_twice_is_not_followed() -> None:
    # the spec reads a $ref to "o#n" statically (o's integers); both validators read it through the
    # dynamic scope (s's strings): the engine takes neither reading
    s = {**_S, "items": {"$ref": "o#n"}}
    source = {"$id": "http://e/root", "type": "array", "allOf": [{"$ref": "s"}], "$defs": {"s": s, "o": _O}}
    for items in ({"type": "string"}, {"type": "integer"}):
        assert not compare(source, {"type": "array", "items": items}, "backward").compatible


def test_root_id_removed_under_dynamic_anchors_is_not_an_annotation() -> None:
    # Removing the root's $id changes which resources a $dynamicRef searches (python-jsonschema does not
    # search a root without $id, jsonschema-rs does: they disagree on [1]); never compatible, and never
    # "compatible one change at a time" with the $id change taken for an annotation.
    old = {"$id": _ROOT, "not": {"$ref": "list"},
           "$defs": {"foo": {"$dynamicAnchor": "items", "type": "string"},
                     "list": {"$id": "list", "type": "array", "items": {"$dynamicRef": "#items"},
                              "$defs": {"items": {**_BOOKEND, "$dynamicAnchor": "items"}}}}}  # fmt: skip
    new = {k: v for k, v in old.items() if k != "$id"}
    assert jsonschema_rs.Draft202012Validator(new).is_valid([1]) != jsonschema.Draft202012Validator(new).is_valid([1])
    assert not compare(old, new, "backward").compatible


def test_root_id_changed_where_every_ref_still_leads_where_it_did() -> None:
    # the OpenAPI 3.1 schema's revisions change the root $id; its refs (a dynamic one included) lead
    # to the same subschemas under either, so the change is an annotation (the near misses, where a
    # ref leads elsewhere, are pinned above and in test_soundness_regressions)
    old = {"$id": "https://e.com/a", "$dynamicAnchor": "meta", "type": "object",
           "properties": {"x": {"$dynamicRef": "#meta"}, "y": {"$ref": "#/$defs/s"}},
           "$defs": {"s": {"$id": "s", "type": "string"}}}  # fmt: skip
    new = {**old, "$id": "https://e.com/b"}
    for mode in ("backward", "forward"):
        report = compare(old, new, mode)  # type: ignore[arg-type]
        assert report.compatible, report.findings
        assert [f.rule_id for f in report.findings] == ["annotation-changed"]


def test_a_member_named_dynamic_ref_is_no_dynamic_ref() -> None:
    # A metaschema's `properties` lists "$dynamicRef" as a member: that map is no schema, so the document is
    # context-free (every dynamic ref means one subschema); the near miss with the two-target dynamic ref
    # above, given such a member too, is still not.
    member = {"properties": {"$dynamicRef": {"type": "string"}, "$recursiveRef": {"type": "string"}}}
    doc = {"$id": "https://example.com/m", "$dynamicAnchor": "meta", **member, "items": {"$dynamicRef": "#meta"}}
    assert Doc(doc, format_assertion=False).context_free()
    main = "https://example.com/multiple-paths/main"
    two = {"$id": main,
           "$defs": {"inner": {"$id": "inner", "$dynamicAnchor": "foo",
                               "additionalProperties": {"$dynamicRef": "#foo"}}},
           "if": {"propertyNames": {"pattern": "^[a-m]"}},
           "then": {"$id": "anyLeafNode", "$dynamicAnchor": "foo", "$ref": "main#/$defs/inner"},
           "else": {"$id": "integerNode", "$dynamicAnchor": "foo", "type": ["object", "integer"],
                    "$ref": "main#/$defs/inner"}, **member}  # fmt: skip
    assert not Doc(two, format_assertion=False).context_free()
