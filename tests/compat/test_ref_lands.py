"""Whether a place of a schema document is read through a ``$ref``: the one rule (``ref_lands``) that
``addressed``, the stepwise proof's ``_referenced`` and the renaming's ``_reads_a_map`` share."""

from __future__ import annotations

import pytest

from contractkit.compat._addressed import ANY_TOKEN, addressed, canonical_pointer, ref_lands, schema_pointers
from contractkit.compat._doc import Doc


@pytest.mark.parametrize(
    ("targets", "ptr", "places", "into", "above", "expected"),
    [
        (["/$defs/a"], "/$defs/a", (), True, True, True),  # at the place
        (["/$defs/a/properties/x"], "/$defs/a", (), True, True, True),  # into it
        (["/$defs/ab"], "/$defs/a", (), True, True, False),  # a sibling sharing a prefix is not inside
        (["/$defs/a"], "/$defs/a", (), False, True, False),  # at the place, into not asked
        (["/$defs"], "/$defs/a", (), True, True, True),  # above, at a place that is no schema
        (["/$defs"], "/$defs/a", {"/$defs"}, True, True, False),  # above, at a schema place
        (["/$defs"], "/$defs/a", (), True, False, False),  # above not asked
        ([""], "/$defs/a", {""}, True, True, False),  # the root: a schema
        ([""], "/$defs/a", (), True, True, True),  # the root, were it no schema
        (["/$def"], "/$defs/a", (), True, True, False),  # a prefix that is no pointer prefix
        ([], "/x", (), True, True, False),
        (["/a", "/x/y"], "/x", (), True, True, True),  # any target
    ],
)
def test_ref_lands_exact(
    targets: list[str], ptr: str, places: tuple[str, ...] | set[str], into: bool, above: bool, expected: bool
) -> None:
    assert ref_lands(targets, ptr, places, into=into, above=above) is expected


def test_schema_pointers() -> None:
    doc = Doc({"$defs": {"a": {"items": {"type": "string"}}}, "examples": [{"type": "x"}]}, format_assertion=False)
    assert schema_pointers(doc) == frozenset({"", "/$defs/a", "/$defs/a/items"})


@pytest.mark.parametrize(
    ("root", "ptr", "expected"),
    [
        ({"$ref": "#/x-defs/a", "x-defs": {"a": {"type": "string"}}}, "/x-defs", True),
        ({"$ref": "#/x-defs/a", "x-defs": {"a": {"type": "string"}}}, "/x-defs/a/type", True),
        ({"$ref": "#/x-defs/a", "x-defs": {"a": {"type": "string"}}}, "/x-defs/b", False),
        ({"$ref": "#/$defs", "$defs": {"a": {"title": "t"}}}, "/$defs/a/title", True),  # a map read as a schema
        ({"$ref": "#/$defs/a", "$defs": {"a": {"title": "t"}}}, "/$defs/a/title", False),  # a schema: annotation
        ({"$ref": "#/$defs/a", "$defs": {"a": {"title": "t"}}}, "/$defs/a", True),
        ({"examples": [{"$id": "https://example.com/x"}]}, "/examples", True),  # an identifier inside
        ({"title": "x"}, "/title", False),
    ],
)
def test_addressed_exact(root: dict[str, object], ptr: str, expected: bool) -> None:
    assert addressed(Doc(root, format_assertion=False), ptr) is expected


@pytest.mark.parametrize(
    ("root", "ptr", "expected"),
    [
        ({"$ref": "#/$defs/a", "$defs": {"a": {}, "b": {}}}, "/$defs/a", True),
        ({"$ref": "#/$defs/a", "$defs": {"a": {}, "b": {}}}, "/$defs/b", False),
        ({"$ref": "#/$defs", "$defs": {"a": {}, "b": {}}}, "/$defs/b", True),  # the map applied as a schema
        ({"$ref": "#", "$defs": {"a": {}, "b": {}}}, "/$defs/b", False),
        ({"$ref": "#a", "$defs": {"a": {"$anchor": "a"}, "b": {}}}, "/$defs/b", True),  # by anchor: not read here
        ({"$ref": "#/allOf/00", "allOf": [{}], "$defs": {"b": {}}}, "/$defs/b", True),  # "00": not read here
    ],
)
def test_stepwise_referenced_exact(root: dict[str, object], ptr: str, expected: bool) -> None:
    from contractkit.compat._stepwise import _referenced

    assert _referenced(Doc(root, format_assertion=False), ptr) is expected


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        (["/$defs/a"], False),  # a schema place: the renaming moves it with its refs
        (["/$defs"], True),  # the map itself, read as a schema: member names are keywords
        (["/x"], False),
    ],
)
def test_rename_reads_a_map_exact(targets: list[str], expected: bool) -> None:
    from contractkit.compat._rename import Alignment, _reads_a_map

    old = {"$defs": {"a": {"type": "string"}}, "x": 1}
    alignment = Alignment(old, [("/$defs/a", "/$defs/b")])
    assert _reads_a_map(old, targets, alignment) is expected


@pytest.mark.parametrize(
    ("frag", "expected"),
    [
        ("", ""),
        ("/allOf/0/x", "/allOf/0/x"),
        ("/allOf/00/x", "/allOf/0/x"),
        ("/allOf/+0", "/allOf/0"),
        ("/allOf/+12", "/allOf/12"),
        ("/allOf/-0", "/allOf/0"),
        ("/allOf/-1/x", f"/allOf/{ANY_TOKEN}/x"),  # python-jsonschema: the last item
        ("/a/ 1", "/a/1"),
        ("/a/1_0", "/a/10"),
        ("/a/0x1", "/a/0x1"),
        ("/a/b", "/a/b"),
    ],
)
def test_canonical_pointer_exact(frag: str, expected: str) -> None:
    assert canonical_pointer(frag) == expected


def test_any_token_matches_every_index() -> None:
    t = canonical_pointer("/allOf/-1/default")
    assert ref_lands([t], "/allOf/3/default", ())
    assert ref_lands([t], "/allOf/3/default/type", ())
    assert not ref_lands([t], "/allOf/3/title", ())
    assert ref_lands([canonical_pointer("/allOf/-1")], "/allOf/3/x", {"/allOf/3"})  # taken for no schema


@pytest.mark.parametrize(
    ("root", "ptr", "expected"),
    [
        ({"$ref": "#/allOf/00/default", "allOf": [{"default": {}}]}, "/allOf/0/default", True),
        ({"$ref": "#/allOf/+0/default", "allOf": [{"default": {}}]}, "/allOf/0/default", True),
        ({"$ref": "#/allOf/01/default", "allOf": [{}, {"default": {}}]}, "/allOf/0/default", False),
        # a nested resource: its fragments are read against it
        ({"$defs": {"l": {"$id": "https://e.com/l", "examples": [{}]}}, "$ref": "https://e.com/l#/examples/0"},
         "/$defs/l/examples", True),
        ({"$defs": {"l": {"$id": "https://e.com/l", "examples": [{}], "$defs": {"x": {"$ref": "#/examples/0"}}}}},
         "/$defs/l/examples", True),
        ({"$id": "https://e.com/r", "$defs": {"l": {"$id": "l", "examples": [{}]}}, "$ref": "l#/examples/0"},
         "/$defs/l/examples", True),
        # another resource's URI: not this one's data
        ({"$defs": {"l": {"$id": "https://e.com/l", "examples": [{}]}, "m": {"$id": "https://e.com/m"}},
          "$ref": "https://e.com/m#/examples/0"}, "/$defs/l/examples", False),
    ],
)  # fmt: skip
def test_addressed_reads_fragments_as_validators_do(root: dict[str, object], ptr: str, expected: bool) -> None:
    assert addressed(Doc(root, format_assertion=False), ptr) is expected


def test_stepwise_referenced_reads_fragments_against_nested_resources() -> None:
    from contractkit.compat._stepwise import _referenced

    lib = {"$id": "https://e.com/lib", "allOf": [{"minimum": 5}], "$defs": {"x": {"$ref": "#/allOf/0"}}}
    root = {"$defs": {"lib": lib}, "allOf": [{}]}
    doc = Doc(root, format_assertion=False)
    assert _referenced(doc, "/$defs/lib/allOf/0")  # "#/allOf/0" written in lib is lib's
    assert not _referenced(doc, "/$defs/lib/allOf/0/minimum")  # under a schema the ref leads to
    assert _referenced(doc, "/allOf/0")  # and, conservatively, the root's


def test_reads_a_wild_target_above() -> None:
    # "-1" (python-jsonschema: the last member) leads to some member of the unknown keyword's list, which is
    # no schema place: what lies under it is read (the shortcut that skips the schema places saw no target above)
    from contractkit.compat._addressed import reads

    doc = Doc({"x-defs": [{"type": "string"}]}, format_assertion=False)
    assert reads([canonical_pointer("/x-defs/-1")], "/x-defs/0/type", doc)
    assert not reads([canonical_pointer("/y-defs/-1")], "/x-defs/0/type", doc)
