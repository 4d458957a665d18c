"""``required`` proven through the other branches of a ``oneOf``: in the case of branch F, an instance is not
one of the sibling S; if every F object lacking ``p`` is an S object, every instance of that case holds ``p``.

OpenAPI 2.0 made ``type`` required in its file schema, the second branch of ``oneOf: [schema, fileSchema]``:
a file schema without ``type`` is a schema object too, so the ``oneOf`` rejected it already.
"""

from __future__ import annotations

import copy
from typing import Any

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold


def _doc(file_extra: dict[str, Any] | None = None, union: str = "oneOf") -> dict[str, Any]:
    file_props = {"type": {"enum": ["file"]}, "title": {"type": "string"}, **(file_extra or {})}
    return {
        "type": "object",
        "properties": {"s": {union: [{"$ref": "#/definitions/schema"}, {"$ref": "#/definitions/file"}]}},
        "definitions": {
            "schema": {
                "type": "object",
                "properties": {"type": {"enum": ["string", "object"]}, "title": {"type": "string"}},
                "additionalProperties": False,
            },
            "file": {"type": "object", "properties": file_props, "additionalProperties": False},
        },
    }


def _type_required(doc: dict[str, Any]) -> dict[str, Any]:
    new = copy.deepcopy(doc)
    new["definitions"]["file"]["required"] = ["type"]
    return new


def test_required_in_a_branch_whose_rest_is_a_sibling_is_compatible() -> None:
    old = _doc()
    assert compare(old, _type_required(old), "backward").findings == ()


def test_a_member_only_the_branch_declares_breaks() -> None:
    # {"s": {"fmt": "x"}}: only the file schema takes it, and it lacks type
    old = _doc({"fmt": {"type": "string"}})
    new = _type_required(old)
    r = compare(old, new, "backward")
    assert any(f.severity == "error" for f in r.findings), r.findings
    assert_witnesses_hold(old, new, r)


def test_without_the_union_the_requirement_breaks() -> None:
    old = _doc()
    old["properties"]["s"] = {"$ref": "#/definitions/file"}
    new = _type_required(old)
    r = compare(old, new, "backward")
    assert any(f.severity == "error" for f in r.findings), r.findings
    assert_witnesses_hold(old, new, r)


def test_a_sibling_that_takes_other_values_breaks() -> None:
    # the schema branch's title is a number: a file schema with a string title and no type is no schema object
    old = _doc()
    old["definitions"]["schema"]["properties"]["title"] = {"type": "number"}
    new = _type_required(old)
    r = compare(old, new, "backward")
    assert any(f.severity == "error" for f in r.findings), r.findings
    assert_witnesses_hold(old, new, r)
