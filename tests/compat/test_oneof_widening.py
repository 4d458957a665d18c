"""Local proofs through ``oneOf``: a branch widened so that it admits nothing new that a sibling accepts.

Shapes from the real-world corpus, reduced (drone's pipelines, GitHub Actions' ``runs``, AppVeyor's
``image``, Azure Functions' ``host.json`` serviceBus settings); each next to near-miss mutants where the
widened branch does overlap a sibling (or the proof would need context that a ``$ref`` bypasses, or the
change is also applied under ``not``), which must stay breaking, with a witness the validator confirms.
Every compatible verdict is also tried against a fixed list of instances.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

import jsonschema_rs
import pytest

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold

LEAVES: list[Any] = [None, 0, 1, 2, "a", "b", "c", "d", "k", "x", "node12", "node20", "composite", "docker",
                     "kubernetes", "pipeline", "signature", "zz", True]  # fmt: skip
KEYS = ["kind", "type", "name", "hmac", "node", "using", "v", "t", "p", "q", "b", "x"]


def _instances() -> list[Any]:
    out: list[Any] = [*LEAVES, [], ["a"], ["c"], ["x"], ["a", "c"]]
    for k1, k2 in itertools.combinations(KEYS, 2):
        for v1, v2 in itertools.product(["a", "c", "x", 1, "docker", "kubernetes", "pipeline"], repeat=2):
            out.append({k1: v1, k2: v2})
    for k in KEYS:
        for v in LEAVES:
            out.append({k: v})
    out += [
        {"kind": "pipeline", "type": "kubernetes", "name": "n", "steps": [], "node": {}},
        {"kind": "pipeline", "type": "docker", "name": "n", "steps": []},
        {"kind": "pipeline", "name": "n", "steps": [], "node": {}},
        {"kind": "signature", "hmac": "h"},
        {"b": {"v": 1}},
        {"runs": {"using": "composite"}},
        {"runs": {"using": "node20"}},
        {"image": "c"},
        {"image": ["c"]},
        {"x": "c"},
        {"b": {"p": 1, "q": "a"}},
        {"b": {"p": 1, "x": 1}},
        {"patches": [{"path": "a", "patch": "b"}]},
        {"patches": [{"path": "a", "options": "b"}]},
        {"a": {"t": "k", "v": 1}},
        {"a": {"t": "d", "v": 1}},
    ]
    return out


def _refuted(src: Any, dst: Any) -> Any:
    v_src, v_dst = jsonschema_rs.validator_for(src), jsonschema_rs.validator_for(dst)
    return next((x for x in _instances() if v_src.is_valid(x) and not v_dst.is_valid(x)), None)


# drone: a root oneOf of kinds, the pipeline kind an allOf of its common part (which requires `type`)
# and a oneOf of closed pipeline types told apart by `type`; a property added to one pipeline type.
DRONE: dict[str, Any] = {
    "type": "object",
    "required": ["kind"],
    "properties": {"kind": {"enum": ["signature", "pipeline"]}},
    "oneOf": [
        {"$ref": "#/definitions/kind_signature"},
        {"allOf": [{"$ref": "#/definitions/kind_pipeline"},
                   {"oneOf": [{"$ref": "#/definitions/docker"}, {"$ref": "#/definitions/kubernetes"}]}]},
    ],
    "definitions": {
        "kind_signature": {"type": "object", "required": ["hmac"],
                           "properties": {"kind": {"const": "signature"}, "hmac": {"type": "string"}}},
        "kind_pipeline": {"type": "object", "required": ["type", "name", "steps"],
                          "properties": {"kind": {"const": "pipeline"}, "type": {"enum": ["docker", "kubernetes"]}}},
        "docker": {"type": "object", "additionalProperties": False,
                   "properties": {"type": {"const": "docker"}, "kind": {}, "name": {}, "steps": {}}},
        "kubernetes": {"type": "object", "additionalProperties": False,
                       "properties": {"type": {"const": "kubernetes"}, "kind": {}, "name": {}, "steps": {}}},
    },
}  # fmt: skip

# GitHub Actions: `runs` is one of a javascript action (`using` one of the node versions) or a composite one.
ACTION: dict[str, Any] = {
    "type": "object",
    "properties": {"runs": {"oneOf": [{"$ref": "#/definitions/js"}, {"$ref": "#/definitions/composite"}]}},
    "definitions": {
        "js": {"type": "object", "required": ["using"], "properties": {"using": {"enum": ["node12", "node16"]}}},
        "composite": {"type": "object", "required": ["using"], "properties": {"using": {"const": "composite"}}},
    },
}

# AppVeyor: an image is a name or a list of names; both branches reach the enum that grows.
IMAGE: dict[str, Any] = {
    "type": "object",
    "properties": {"image": {"$ref": "#/definitions/image"}},
    "definitions": {
        "image": {"oneOf": [{"type": "array", "items": {"$ref": "#/definitions/name"}},
                            {"$ref": "#/definitions/name"}]},
        "name": {"enum": ["a", "b"]},
    },
}  # fmt: skip

# host.json: two closed objects sharing a property; a property added to one of them.
HOST: dict[str, Any] = {
    "type": "object",
    "properties": {
        "b": {
            "oneOf": [
                {"type": "object", "additionalProperties": False,
                 "properties": {"p": {"type": "integer"}, "q": {"type": "string"}}},
                {"type": "object", "additionalProperties": False, "properties": {"p": {"type": "integer"}}},
            ]
        }
    },
}  # fmt: skip


# kustomization: patches are one of two closed objects told apart by what they require, with no `type`
# (a string matches both branches: the proof goes type by type).
PATCHES: dict[str, Any] = {
    "type": "object",
    "properties": {"patches": {"type": "array", "items": {"oneOf": [
        {"required": ["path"], "additionalProperties": False, "properties": {"path": {"type": "string"}}},
        {"required": ["patch"], "additionalProperties": False,
         "properties": {"patch": {"type": "string"}, "path": {"type": "string"}}},
    ]}}},
}  # fmt: skip


def _patches_with(name: str) -> Any:
    new = copy.deepcopy(PATCHES)
    new["properties"]["patches"]["items"]["oneOf"][0]["properties"][name] = {"type": "string"}
    return new


def _drone_node_added() -> Any:
    new = copy.deepcopy(DRONE)
    new["definitions"]["kubernetes"]["properties"]["node"] = {"type": "object"}
    return new


def _action_node20() -> Any:
    new = copy.deepcopy(ACTION)
    new["definitions"]["js"]["properties"]["using"]["enum"].append("node20")
    return new


def _image_added() -> Any:
    new = copy.deepcopy(IMAGE)
    new["definitions"]["name"]["enum"].append("c")
    return new


def _host_added() -> Any:
    new = copy.deepcopy(HOST)
    new["properties"]["b"]["oneOf"][1]["properties"]["x"] = {"type": "integer"}
    return new


COMPATIBLE = [
    ("drone: a property added to one closed pipeline type", DRONE, _drone_node_added()),
    ("github-action: an enum value added to the discriminating property", ACTION, _action_node20()),
    ("appveyor: an enum reached from both branches", IMAGE, _image_added()),
    ("host: a property added to one of two closed objects", HOST, _host_added()),
    ("kustomization: a property added to one of two untyped closed objects", PATCHES, _patches_with("options")),
]


@pytest.mark.parametrize(("name", "old", "new"), COMPATIBLE, ids=[c[0] for c in COMPATIBLE])
def test_a_branch_widened_apart_from_its_siblings_is_proven_backward(name: str, old: Any, new: Any) -> None:
    report = compare(old, new, "backward")
    assert report.compatible, report.findings
    assert _refuted(old, new) is None


def _drone_without_context() -> tuple[Any, Any]:
    # `type` not required by the common part, and docker already accepts `node`: {kind, name, steps, node}
    # matched docker alone; with `node` added to kubernetes it matches both pipeline types (rejected).
    old = copy.deepcopy(DRONE)
    old["definitions"]["kind_pipeline"]["required"] = ["name", "steps"]
    old["definitions"]["docker"]["properties"]["node"] = {"type": "object"}
    new = copy.deepcopy(old)
    new["definitions"]["kubernetes"]["properties"]["node"] = {"type": "object"}
    return old, new


def _action_overlap() -> tuple[Any, Any]:
    new = copy.deepcopy(ACTION)
    new["definitions"]["js"]["properties"]["using"]["enum"].append("composite")  # the sibling's value
    return ACTION, new


def _image_overlap() -> tuple[Any, Any]:
    old = copy.deepcopy(IMAGE)
    old["definitions"]["image"]["oneOf"].append({"const": "c"})
    new = copy.deepcopy(old)
    new["definitions"]["name"]["enum"].append("c")
    return old, new


def _image_under_not() -> tuple[Any, Any]:
    old = copy.deepcopy(IMAGE)
    old["properties"]["x"] = {"not": {"$ref": "#/definitions/name"}}
    new = copy.deepcopy(old)
    new["definitions"]["name"]["enum"].append("c")
    return old, new


def _host_overlap() -> tuple[Any, Any]:
    new = copy.deepcopy(HOST)
    new["properties"]["b"]["oneOf"][1]["properties"]["q"] = {"type": "string"}  # what the sibling accepts
    return HOST, new


CONTEXT = {
    "type": "object",
    "properties": {
        "a": {"allOf": [{"required": ["t"]}, {"oneOf": [
            {"type": "object", "properties": {"t": {"const": "d"}, "v": {"enum": [1]}}},
            {"type": "object", "properties": {"t": {"const": "k"}, "v": {"enum": [2]}}},
        ]}]},
    },
}  # fmt: skip


def _context_pair(bypass: bool) -> tuple[Any, Any]:
    old = copy.deepcopy(CONTEXT)
    if bypass:  # the oneOf applied from elsewhere without the allOf sibling that requires `t`
        old["properties"]["b"] = {"$ref": "#/properties/a/allOf/1"}
    new = copy.deepcopy(old)
    new["properties"]["a"]["allOf"][1]["oneOf"][1]["properties"]["v"]["enum"].append(1)
    return old, new


def test_an_allof_sibling_is_context_for_the_oneof_it_sits_with() -> None:
    old, new = _context_pair(bypass=False)
    assert compare(old, new, "backward").compatible
    assert _refuted(old, new) is None


# The witness search does not find this one (the instance must leave out the discriminator that a sample
# of the widened branch holds): it is undecided, never compatible.
UNWITNESSED = {
    "drone without the discriminator required",
}
MUTANTS = [
    ("drone without the discriminator required", *_drone_without_context()),
    ("github-action: the added value is the sibling's", *_action_overlap()),
    ("appveyor: a third branch accepts the added value", *_image_overlap()),
    ("appveyor: the enum also applied under not", *_image_under_not()),
    ("host: the added property is one the sibling accepts", *_host_overlap()),
    ("a $ref applies the oneOf without its allOf context", *_context_pair(bypass=True)),
    ("kustomization: the added property is the one the sibling requires", PATCHES, _patches_with("patch")),
]


@pytest.mark.parametrize(("name", "old", "new"), MUTANTS, ids=[c[0] for c in MUTANTS])
def test_a_branch_widened_into_a_sibling_stays_breaking(name: str, old: Any, new: Any) -> None:
    assert _refuted(old, new) is not None  # the mutant does break
    report = compare(old, new, "backward")
    assert not report.compatible
    assert_witnesses_hold(old, new, report)
    if name not in UNWITNESSED:
        assert any(f.witness is not None for f in report.findings), report.findings


OVERLAPS = [m for m in MUTANTS if m[0].startswith(("host:", "kustomization:"))]


@pytest.mark.parametrize(("name", "old", "new"), OVERLAPS, ids=[c[0] for c in OVERLAPS])
def test_a_branch_widened_into_a_sibling_is_witnessed_by_what_it_newly_admits(name: str, old: Any, new: Any) -> None:
    # The widened branch's new member, placed where the oneOf is: the sibling accepts it, and now the
    # widened branch does too. The same witness in every call.
    first, second = compare(old, new, "backward"), compare(old, new, "backward")
    assert_witnesses_hold(old, new, first)
    witnesses = [f.witness.instance for f in first.findings if f.witness is not None]
    assert witnesses
    assert witnesses == [f.witness.instance for f in second.findings if f.witness is not None]
