"""Witnesses for a change inside one branch of an ``anyOf`` whose sibling branches accept almost anything.

``allOf: [..., {anyOf: [files, exclude, references]}]``, each branch an object with one optional member
(tsconfig's root): ``minLength`` added to a reference's ``path`` shows only in an instance that every
other branch rejects, since any instance without ``files`` passes the ``files`` branch. The placed
instance is varied with a member each sibling branch rejects (a wrong-typed ``files``, ``exclude``), as
long as the source still accepts it there.
"""

from __future__ import annotations

import copy
from typing import Any

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold

ROOT: dict[str, Any] = {
    "type": "object",
    "allOf": [{"$ref": "#/definitions/opts"},
              {"anyOf": [{"$ref": "#/definitions/files"}, {"$ref": "#/definitions/exclude"},
                         {"$ref": "#/definitions/refs"}]}],
    "definitions": {
        "opts": {"properties": {"compilerOptions": {"type": "object"}}},
        "files": {"properties": {"files": {"type": ["array", "null"], "items": {"type": "string"}}}},
        "exclude": {"properties": {"exclude": {"type": ["array", "null"], "items": {"type": "string"}}}},
        "refs": {"properties": {"references": {"type": "array", "items": {
            "type": "object", "properties": {"path": {"type": "string"}}}}}},
    },
}  # fmt: skip


def _min_length(schema: dict[str, Any]) -> dict[str, Any]:
    new = copy.deepcopy(schema)
    new["definitions"]["refs"]["properties"]["references"]["items"]["properties"]["path"]["minLength"] = 1
    return new


def test_a_branch_narrowed_is_witnessed_with_every_sibling_rejecting() -> None:
    old, new = ROOT, _min_length(ROOT)
    report = compare(old, new, "backward")
    assert not report.compatible
    assert_witnesses_hold(old, new, report)
    witnesses = [f.witness.instance for f in report.findings if f.witness is not None]
    assert witnesses and all(f.rule_id != "undecided" for f in report.findings)
    assert all("files" in w and "exclude" in w for w in witnesses)
    assert compare(old, new, "forward").compatible


def test_no_witness_when_a_sibling_accepts_every_instance() -> None:
    # `files` may hold anything: every instance passes that branch, the narrowing shows nowhere
    old = copy.deepcopy(ROOT)
    old["definitions"]["files"] = {"properties": {"files": True}}
    new = _min_length(old)
    report = compare(old, new, "backward")
    assert all(f.witness is None for f in report.findings)
    assert_witnesses_hold(old, new, report)


def test_no_witness_when_the_rest_of_the_schema_forbids_failing_the_sibling() -> None:
    # the other allOf member forces a valid `files`: the files branch always passes
    old = copy.deepcopy(ROOT)
    old["definitions"]["opts"] = {"required": ["files"], "properties": {
        "files": {"type": "array", "items": {"type": "string"}}}}  # fmt: skip
    new = _min_length(old)
    report = compare(old, new, "backward")
    assert all(f.witness is None for f in report.findings)
    assert_witnesses_hold(old, new, report)
