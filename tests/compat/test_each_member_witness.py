"""A ``oneOf`` branch added beside a large object schema, told apart from it by its last member alone: the
witness is a one-member object holding a value only the new branch accepts.

OpenAPI 2.0's response ``schema`` became ``oneOf: [schema, fileSchema]``; the file schema differs from the
schema object in ``type: file`` only, and the samples of either object stop well before that member.
"""

from __future__ import annotations

from typing import Any

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold

COMMON = {f"p{i}": {"type": "string"} for i in range(30)}


def _doc(member: Any, file_type: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"s": member},
        "definitions": {
            "schema": {
                "type": "object",
                "properties": {**COMMON, "type": {"enum": ["string", "object"]}},
                "additionalProperties": False,
            },
            "file": {"type": "object", "properties": {**COMMON, "type": file_type}, "additionalProperties": False},
        },
    }


OLD = _doc({"$ref": "#/definitions/schema"}, {"enum": ["file"]})
NEW = _doc({"oneOf": [{"$ref": "#/definitions/schema"}, {"$ref": "#/definitions/file"}]}, {"enum": ["file"]})


def test_the_new_branch_s_own_value_is_the_witness() -> None:
    r = compare(OLD, NEW, "forward")
    errors = [f for f in r.findings if f.severity == "error"]
    assert errors, r.findings
    assert_witnesses_hold(OLD, NEW, r)
    w = errors[0].witness
    assert w is not None and w.instance["s"].get("type") == "file"


def test_no_break_when_the_new_branch_adds_nothing() -> None:
    # the file schema's type is one the schema object accepts too: the oneOf only rejects more
    old = _doc({"$ref": "#/definitions/schema"}, {"enum": ["string"]})
    new = _doc({"oneOf": [{"$ref": "#/definitions/schema"}, {"$ref": "#/definitions/file"}]}, {"enum": ["string"]})
    r = compare(old, new, "forward")
    assert not any(f.severity == "error" for f in r.findings), r.findings
