"""Definitions renamed with every ref following (``_rename``), also in documents whose one resource declares
a dynamic anchor more than once.

Reduced from the OpenAPI 3.1 ``schema-base.json`` revisions: the whole ``schema.json`` bundled as one
definition renamed at every revision (a dated name) under a new root ``$id``, beside the vocabulary
metaschemas bundled without their ``$id`` s, so ``$dynamicAnchor: meta`` is declared a dozen times in one
resource. Each proof has near misses that are breaking and must never be called compatible.
"""

from __future__ import annotations

import copy
from typing import Any

from contractkit.compat import compare
from contractkit.compat._doc import Doc
from contractkit.compat._rename import align
from tests.compat._util import assert_witnesses_hold


def _doc(name: str, root_id: str, inner: Any) -> dict[str, Any]:
    """A document wrapping ``inner`` as the definition ``name``, reached from the root by ``$ref``."""
    return {
        "$id": root_id,
        "$ref": f"#/$defs/{name}",
        "$defs": {
            name: inner,
            "meta1": {"$dynamicAnchor": "meta", "type": ["object", "boolean"]},
            "meta2": {
                "$dynamicAnchor": "meta",
                "type": ["object", "boolean"],
                "properties": {"title": {"type": "string"}},
            },
        },
    }


def _inner(name: str, *, item: Any | None = None, schema: Any | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/$defs/{name}/$defs/item"}},
            "schema": schema if schema is not None else {"$dynamicRef": "#meta"},
        },
        "$ref": f"#/$defs/{name}/$defs/ext",
        "unevaluatedProperties": False,
        "$defs": {
            "ext": {"patternProperties": {"^x-": True}},
            "item": item if item is not None else {"type": "string", "maxLength": 5},
        },
    }


def _verdict(old: Any, new: Any, mode: str) -> str:
    report = compare(old, new, mode, format_assertion=False)
    assert_witnesses_hold(old, new, report, format_assertion=False)
    errors = [f for f in report.findings if f.severity == "error"]
    undecided = [f for f in report.findings if f.rule_id == "undecided"]
    return "break" if errors else "undecided" if undecided else "compatible"


def test_a_definition_renamed_with_its_refs_is_no_change() -> None:
    old = _doc("2021-01-01", "https://example.com/base/2021-01-01", _inner("2021-01-01"))
    new = _doc("2022-01-01", "https://example.com/base/2022-01-01", _inner("2022-01-01"))
    aligned = align(old, new)
    assert aligned is not None and aligned.id_changed is not None
    assert aligned.schema == new
    for mode in ("backward", "forward"):
        report = compare(old, new, mode, format_assertion=False)
        assert report.compatible, report.findings
        assert [f.rule_id for f in report.findings] == ["annotation-changed"]  # the root $id


def test_a_change_inside_the_renamed_definition_is_found_where_it_is() -> None:
    old = _doc("2021-01-01", "https://example.com/base/2021-01-01", _inner("2021-01-01"))
    new = _doc("2022-01-01", "https://example.com/base/2022-01-01", _inner("2022-01-01", item={"type": "string"}))
    # a widening: no false alarm (it is not proven either, the dynamic anchor being ambiguous)
    assert _verdict(old, new, "backward") == "undecided"
    report = compare(old, new, "forward", format_assertion=False)
    breaks = [f for f in report.findings if f.severity == "error"]
    assert breaks and all(f.witness is not None for f in breaks)
    # pointers into each document as written (the old one's definition under its own name)
    assert any((f.old_pointer or "").startswith("/$defs/2021-01-01/$defs/item") for f in breaks), breaks
    assert any((f.new_pointer or "").startswith("/$defs/2022-01-01/$defs/item") for f in breaks), breaks
    assert_witnesses_hold(old, new, report, format_assertion=False)


def test_near_miss_a_ref_that_does_not_follow_the_rename() -> None:
    # The new document renames the definition but one ref now leads to a narrower sibling: not a rename.
    old = _doc("a", "https://example.com/a", _inner("a"))
    inner = _inner("b")
    inner["$defs"]["short"] = {"type": "string", "maxLength": 2}
    inner["properties"]["items"]["items"] = {"$ref": "#/$defs/b/$defs/short"}
    new = _doc("b", "https://example.com/b", inner)
    assert _verdict(old, new, "backward") != "compatible"
    assert _verdict(old, new, "forward") in ("compatible", "undecided")  # it narrows: no break forward


def test_near_miss_an_absolute_ref_that_reads_the_root_id() -> None:
    # A ref naming the root's $id: changing the id (with the name) would change where it leads; the pair is
    # not aligned, and a narrowing inside stays a break.
    old = _doc("a", "https://example.com/a", _inner("a"))
    old["$defs"]["a"]["properties"]["items"]["items"] = {"$ref": "https://example.com/a#/$defs/a/$defs/item"}
    new = _doc("b", "https://example.com/b", _inner("b", item={"type": "string", "maxLength": 2}))
    new["$defs"]["b"]["properties"]["items"]["items"] = {"$ref": "https://example.com/b#/$defs/b/$defs/item"}
    assert align(old, new) is None or align(old, new).id_changed is None  # type: ignore[union-attr]
    assert _verdict(old, new, "backward") != "compatible"


def test_rename_keeps_the_order_of_ambiguous_anchors() -> None:
    # A renamed member that would sort elsewhere among its siblings could change which of two declarations
    # of one dynamic anchor an implementation meets first: not aligned in a document read without scopes.
    old = _doc("a", "https://example.com/a", _inner("a"))
    new = _doc("zz", "https://example.com/a", _inner("zz"))  # "a" < "meta1" < "zz"
    assert Doc(old, format_assertion=False).resolution() is None
    assert align(old, new) is None


def test_an_ambiguous_dynamic_anchor_is_not_proven_by_readings() -> None:
    # Which of two declarations of one name a validator takes is not specified (such a document is invalid by
    # the spec, and python-jsonschema and jsonschema-rs choose differently): a widening under the definition
    # that holds the $dynamicRef is not proven compatible by enumerating the declarations.
    old = _doc("a", "https://example.com/a", _inner("a"))
    new = copy.deepcopy(old)
    new["$defs"]["a"]["$defs"]["item"] = {"type": "string"}  # maxLength dropped: widens
    assert _verdict(old, new, "backward") in ("compatible", "undecided")
    assert _verdict(old, new, "forward") == "break"


def test_near_miss_a_change_compatible_in_one_reading_only() -> None:
    # Narrowing "schema" to objects only: under meta1 (objects and booleans) it drops booleans, under a
    # reading where the anchor already meant objects only it would not. Here both readings allow booleans,
    # so it breaks; the mutant below makes the verdict depend on the reading.
    old = _doc("a", "https://example.com/a", _inner("a"))
    new = copy.deepcopy(old)
    new["$defs"]["a"]["properties"]["schema"] = {"$dynamicRef": "#meta", "properties": {"title": {"type": "string"}}}
    # meta2 reading: no change; meta1 reading: {"title": 1} is newly rejected
    assert _verdict(old, new, "backward") != "compatible"
    assert _verdict(old, new, "forward") == "undecided"  # compatible in every reading, yet not proven by them


def test_near_miss_declarations_that_differ_between_the_documents() -> None:
    old = _doc("a", "https://example.com/a", _inner("a"))
    new = copy.deepcopy(old)
    new["$defs"]["meta3"] = {"$dynamicAnchor": "meta", "type": "object"}  # one more reading in new only
    new["$defs"]["a"]["$defs"]["item"] = {"type": "string"}
    assert _verdict(old, new, "backward") != "compatible"


def test_a_ref_inlined_under_unevaluated_properties() -> None:
    # A definition replaced by copies of its content where it was referenced, and removed: the same
    # instances, in a document closing its objects with unevaluatedProperties.
    old = {
        "type": "object",
        "$ref": "#/$defs/ext",
        "properties": {"url": {"$ref": "#/$defs/uri"}, "home": {"$ref": "#/$defs/uri"}},
        "unevaluatedProperties": False,
        "$defs": {"ext": {"patternProperties": {"^x-": True}}, "uri": {"type": "string", "format": "uri"}},
    }
    new = copy.deepcopy(old)
    new["properties"] = {"url": {"type": "string", "format": "uri"}, "home": {"type": "string", "format": "uri"}}
    del new["$defs"]["uri"]
    assert _verdict(old, new, "backward") == "compatible"
    assert _verdict(old, new, "forward") == "compatible"
    narrower = copy.deepcopy(new)
    narrower["properties"]["home"]["maxLength"] = 3
    assert _verdict(old, narrower, "backward") == "break"
    assert _verdict(old, narrower, "forward") == "compatible"


def test_near_miss_declarations_met_in_another_order() -> None:
    # The same declarations, met in another order: python-jsonschema takes the first of a name, so the
    # reading may change between the documents (here from meta1 to meta2, which rejects {"title": 1}).
    old = _doc("a", "https://example.com/a", _inner("a"))
    new = copy.deepcopy(old)
    defs = new["$defs"]
    new["$defs"] = {"a": defs["a"], "meta2": defs["meta2"], "meta1": defs["meta1"]}
    new["$defs"]["a"]["$defs"]["item"] = {"type": "string"}
    assert _verdict(old, new, "backward") != "compatible"
