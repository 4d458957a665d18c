"""Shapes from the real-world corpus's smaller families (GitHub workflows and actions, eslintrc, cargo,
appsettings, ...), reduced by hand: each new proof next to near-miss mutants that must stay breaking
(with a witness the validator confirms) or undecided. Every compatible verdict is also tried against a
fixed list of instances.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

import jsonschema_rs

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold

_KEYS = ["uses", "run", "wait", "x"]
_LEAVES: list[Any] = [None, 0, 1, "a", "b", True, [], ["a"], {}]


def _instances() -> list[Any]:
    out: list[Any] = list(_LEAVES)
    for n in range(1, 4):
        for ks in itertools.combinations(_KEYS, n):
            for vs in itertools.product(["a", 1, ["a"]], repeat=n):
                out.append(dict(zip(ks, vs, strict=True)))
    return out


def _refuted(src: Any, dst: Any) -> Any:
    v_src, v_dst = jsonschema_rs.validator_for(src), jsonschema_rs.validator_for(dst)
    return next((x for x in _instances() if v_src.is_valid(x) and not v_dst.is_valid(x)), None)


def _check(old: Any, new: Any, direction: str) -> str:
    rep = compare(old, new, direction)  # type: ignore[arg-type]
    assert_witnesses_hold(old, new, rep)
    src, dst = (old, new) if direction == "backward" else (new, old)
    if rep.compatible:
        assert _refuted(src, dst) is None
        return "compatible"
    if any(f.witness is not None for f in rep.findings if f.severity == "error"):
        return "break"
    return "undecided"


# --- oneOf in the source: the case of branch j also excludes every other branch ---------------------

_STEP: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "properties": {"uses": {"type": "string"}, "run": {"type": "string"}},
    "oneOf": [{"required": ["uses"]}, {"required": ["run"]}],
}


def _with_wait(s: dict[str, Any], prop: bool = True, branch: bool = True) -> dict[str, Any]:
    out = copy.deepcopy(s)
    if prop:
        out["properties"]["wait"] = {"type": "string"}
    if branch:
        out["oneOf"].append({"required": ["wait"]})
    return out


def test_one_of_branch_added_for_a_property_the_source_forbids() -> None:
    # github-workflow#1: steps gain `wait` and a branch requiring it; no old step has `wait`.
    assert _check(_STEP, _with_wait(_STEP), "backward") == "compatible"


def test_one_of_branch_added_mutant_property_already_allowed() -> None:
    # the source already allows `wait`: {"uses": "a", "wait": "a"} now matches two branches
    old = _with_wait(_STEP, branch=False)
    assert _check(old, _with_wait(_STEP), "backward") == "break"


def test_one_of_branch_added_mutant_open_object() -> None:
    old = copy.deepcopy(_STEP)
    del old["additionalProperties"]
    new = _with_wait(old)
    assert _check(old, new, "backward") == "break"


def test_any_of_source_is_not_split_exclusively() -> None:
    # anyOf lets {"uses", "run"} through; the oneOf target rejects it
    old = copy.deepcopy(_STEP)
    old["anyOf"] = old.pop("oneOf")
    assert _check(old, _STEP, "backward") == "break"


def test_one_of_source_into_the_same_one_of_with_an_extra_keyword() -> None:
    # the target adds a keyword beside the oneOf, so the proof has to pass the oneOf case by case
    new = copy.deepcopy(_STEP)
    new["maxProperties"] = 3
    new["properties"]["uses"] = {"type": "string", "minLength": 0}
    assert _check(_STEP, new, "backward") == "compatible"


# --- cases of A inside an allOf member (anyOf, oneOf, if/then split where an allOf holds them) -------

_INPUT: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"description": {"type": "string"}, "type": {"enum": ["string", "choice"]}, "options": {}},
    "allOf": [
        {"if": {"properties": {"type": {"const": "string"}}, "required": ["type"]}, "then": {"properties": {}}},
        {"if": {"properties": {"type": {"const": "choice"}}, "required": ["type"]}, "then": {"required": ["options"]}},
    ],
    "required": ["description"],
    "additionalProperties": False,
}


def test_required_dropped_beside_conditionals_in_all_of() -> None:
    # github-workflow#9: `required` dropped from an object whose allOf holds if/then members
    new = copy.deepcopy(_INPUT)
    del new["required"]
    assert _check(_INPUT, new, "backward") == "compatible"
    assert _check(_INPUT, new, "forward") == "break"


def test_conditional_in_all_of_mutant_then_narrowed() -> None:
    new = copy.deepcopy(_INPUT)
    new["allOf"][0]["then"] = {"required": ["options"]}
    assert _check(_INPUT, new, "backward") == "break"


def test_union_inside_all_of_member() -> None:
    old = {"allOf": [{"anyOf": [{"type": "string", "minLength": 2}, {"type": "integer"}]}]}
    new = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    assert _check(old, new, "backward") == "compatible"
    mutant = {"anyOf": [{"type": "string", "minLength": 3}, {"type": "integer"}]}
    assert _check(old, mutant, "backward") == "break"


def test_negated_member_is_not_flattened() -> None:
    # not {allOf: [X, Y]} is wider than not X: the split must keep a negated node whole
    old = {"not": {"allOf": [{"type": "string"}, {"minLength": 2}]}, "anyOf": [{"type": "string"}, {"type": "null"}]}
    new = {"not": {"type": "string"}}
    assert _check(old, new, "backward") == "break"


# --- witnesses: an array as short as minItems allows, its prefix items cut off -----------------------


def _rules(min_items: int) -> dict[str, Any]:
    rule = {
        "type": "array",
        "prefixItems": [{"type": "number", "enum": [0, 1, 2]}, {"type": "string", "enum": ["always", "never"]}, {}],
        "items": False,
        "minItems": min_items,
        "maxItems": 3,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": {"rule": {"oneOf": [rule]}},
        "properties": {"rules": {"type": "object", "additionalProperties": {"$ref": "#/$defs/rule"}}},
    }


def test_min_items_relaxed_below_the_prefix_items_is_witnessed() -> None:
    # commitlintrc#1: a rule of one element ([0]) is new
    rep = compare(_rules(2), _rules(1), "forward")
    assert any(f.rule_id == "min-items-decreased" and f.witness is not None for f in rep.findings)
    assert_witnesses_hold(_rules(2), _rules(1), rep)
    assert _check(_rules(2), _rules(1), "backward") == "compatible"


# --- witnesses: a discriminator value placed into a base completed to what that value asks for -------


def _form_branch(kind: str, attrs: dict[str, Any], req: list[str]) -> dict[str, Any]:
    then = {
        "required": ["type", "attributes"],
        "properties": {
            "type": {"$ref": "#/$defs/type"},
            "attributes": {"type": "object", "required": req, "properties": attrs, "additionalProperties": False},
        },
        "additionalProperties": False,
    }
    return {"if": {"properties": {"type": {"const": kind}}}, "then": then}


def _forms(upload: bool) -> dict[str, Any]:
    kinds = ["markdown", "input"] + (["upload"] if upload else [])
    branches = [
        _form_branch("markdown", {"value": {"type": "string", "minLength": 1}}, ["value"]),
        _form_branch(
            "input", {"label": {"type": "string"}, "placeholder": {"type": "string"}}, ["label", "placeholder"]
        ),
    ]
    if upload:
        branches.append(_form_branch("upload", {"label": {"type": "string"}}, ["label"]))
    item = {"type": "object", "required": ["type"], "properties": {"type": {"$ref": "#/$defs/type"}}, "allOf": branches}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": {"type": {"type": "string", "enum": kinds}, "item": item},
        "type": "object",
        "properties": {"body": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/item"}}},
        "required": ["body"],
    }


def test_enum_value_added_with_its_own_conditional_branch_is_witnessed() -> None:
    # github-issue-forms#1: form items of type "upload" (with a label) are new
    old, new = _forms(False), _forms(True)
    rep = compare(old, new, "forward")
    assert any(f.rule_id == "enum-value-added" and f.witness is not None for f in rep.findings)
    assert_witnesses_hold(old, new, rep)


# --- disjointness: A requires a name the other branch's closed object rejects -------------------------


def _drone(extra: dict[str, Any], closed: bool = True) -> dict[str, Any]:
    pipeline: dict[str, Any] = {
        "type": "object",
        "properties": {"kind": {"const": "pipeline"}, "name": {"type": "string"}},
    }
    pipeline["properties"].update(extra)
    if closed:
        pipeline["additionalProperties"] = False
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "oneOf": [{"required": ["load"], "properties": {"load": {"type": "string"}}}, pipeline],
    }


def test_branch_widened_where_a_sibling_requires_a_name_it_rejects() -> None:
    # drone#3: a pipeline (closed) gains `concurrency`; a template requires `load`, which no pipeline has
    old, new = _drone({}), _drone({"concurrency": {"type": "object"}})
    assert _check(old, new, "backward") == "compatible"


def test_branch_widened_mutant_sibling_may_hold_the_name() -> None:
    # the widened pipeline declares `load` too: {"load": "a", "concurrency": {}} now matches both
    old = _drone({"load": {"type": "string"}})
    new = _drone({"load": {"type": "string"}, "concurrency": {"type": "object"}})
    assert _check(old, new, "backward") != "compatible"
    # an open pipeline: {"load": "a", "name": 1} was a template only, and now matches both
    assert _check(_drone({}, closed=False), _drone({"name": {}}, closed=False), "backward") != "compatible"


# --- witnesses: a member the target adds, rejected one level down ------------------------------------


def _settings(builder: bool) -> dict[str, Any]:
    cms: dict[str, Any] = {"type": "object", "properties": {"Debug": {"type": "boolean"}}}
    if builder:
        cms["properties"]["ModelsBuilder"] = {"$ref": "#/definitions/builder"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "definitions": {
            "builder": {"properties": {"ModelsMode": {"enum": ["Nothing", "PureLive"]}}},
            "umbraco": {"type": "object", "properties": {"CMS": cms}},
        },
        "patternProperties": {"^(Umbraco|umbraco)$": {"$ref": "#/definitions/umbraco"}},
    }


def test_property_added_whose_ref_rejects_a_nested_value_is_witnessed() -> None:
    # appsettings#15: {"Umbraco": {"CMS": {"ModelsBuilder": {"ModelsMode": 0}}}} was valid
    old, new = _settings(False), _settings(True)
    rep = compare(old, new, "backward")
    assert any(f.rule_id == "property-added" and f.witness is not None for f in rep.findings)
    assert_witnesses_hold(old, new, rep)
    assert _check(old, new, "forward") == "compatible"


# --- pattern inclusion: a group of the dot and one more atom -----------------------------------------


def test_dot_widened_to_any_character_group() -> None:
    from contractkit.compat._regex import pattern_subset

    old, new = r"^\$\{\{.*\}\}$", "^\\$\\{\\{(.|[\r\n])*\\}\\}$"  # github-action#10
    assert pattern_subset(old, new) is True
    assert pattern_subset(new, old) is None  # "${{\n}}" is new
    assert pattern_subset("^(?:.|[\r\n])$", "^(.|[\n])$") is None  # "\r" is not in the target
    assert pattern_subset("^(.|[|)])$", "^.$") is None  # a class holding ')' or '|' is not read
    assert _check({"type": "string", "pattern": old}, {"type": "string", "pattern": new}, "backward") == "compatible"
    assert _check({"type": "string", "pattern": old}, {"type": "string", "pattern": new}, "forward") != "compatible"


def test_pattern_alternative_added() -> None:
    from contractkit.compat._regex import pattern_subset

    old = r"^(https?:\/\/(\*|[^\/\*]+)?(\/.*))|<all_urls>$"
    new = r"^(https?:\/\/(\*|[^\/\*]+)?(\/.*))|urn:(\*|.*)|<all_urls>$"  # chrome-manifest#5
    assert pattern_subset(old, new) is True
    assert pattern_subset(new, old) is None
    assert pattern_subset("a|d", "a|b|c") is None
    # mutants the textual test must not read: group numbers shift, inline flags, an empty class
    assert pattern_subset(r"(a)|\1", r"(b)|(a)|\1") is None
    assert pattern_subset("(?i)a|b", "(?i)a|b|c") is None
    assert pattern_subset("[]|a]", "[]|a]|b") is None
    assert _check({"type": "string", "pattern": old}, {"type": "string", "pattern": new}, "backward") == "compatible"
    assert _check({"type": "string", "pattern": old}, {"type": "string", "pattern": new}, "forward") != "compatible"


def _eslint(plugins: bool) -> dict[str, Any]:
    rules: dict[str, Any] = {"type": "object", "allOf": [{"$ref": "#/$defs/core"}]}
    if plugins:
        rules["allOf"].append({"$ref": "#/$defs/plugins"})
    level = {"oneOf": [{"type": "integer", "minimum": 0, "maximum": 2}, {"enum": ["off", "warn", "error"]}]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": {"core": {"properties": {"no-var": level}}, "plugins": {"properties": {"angular/suffix": level}}},
        "properties": {"rules": rules},
    }


def test_all_of_branch_added_whose_properties_reject_a_value_is_witnessed() -> None:
    # eslintrc#5: {"rules": {"angular/suffix": true}} was valid
    old, new = _eslint(False), _eslint(True)
    rep = compare(old, new, "backward")
    assert any(f.witness is not None for f in rep.findings if f.severity == "error")
    assert_witnesses_hold(old, new, rep)
    assert _check(old, new, "forward") == "compatible"


def _serilog(levels: list[str]) -> dict[str, Any]:
    serilog = {
        "type": "object",
        "definitions": {"Level": {"enum": levels}},
        "properties": {"MinimumLevel": {"oneOf": [{"$ref": "#/definitions/Serilog/definitions/Level"}]}},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "definitions": {"Serilog": serilog},
        "patternProperties": {"^(Serilog|serilog)$": {"$ref": "#/definitions/Serilog"}},
    }


def test_enum_value_added_in_a_nested_definition_is_witnessed() -> None:
    # appsettings#2: {"serilog": {"MinimumLevel": "Off"}} is new
    old, new = _serilog(["Debug", "Fatal"]), _serilog(["Debug", "Fatal", "Off"])
    rep = compare(old, new, "forward")
    assert any(f.rule_id == "enum-value-added" and f.witness is not None for f in rep.findings)
    assert_witnesses_hold(old, new, rep)
    assert _check(old, new, "backward") == "compatible"


def test_pattern_alternative_added_is_witnessed_forward() -> None:
    def manifest(pattern: str) -> dict[str, Any]:
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "definitions": {"match": {"type": "string", "pattern": pattern}},
            "properties": {"matches": {"type": "array", "items": {"$ref": "#/definitions/match"}}},
        }

    old = manifest(r"^((\*|https?):\/\/(\*|[^\/\*]+)?(\/.*))|<all_urls>$")
    new = manifest(r"^((\*|https?):\/\/(\*|[^\/\*]+)?(\/.*))|urn:(\*|.*)|<all_urls>$")
    rep = compare(old, new, "forward")
    assert any(f.witness is not None for f in rep.findings if f.severity == "error")
    assert_witnesses_hold(old, new, rep)
    assert _check(old, new, "backward") == "compatible"


def _logging(elmah: bool) -> dict[str, Any]:
    logging: dict[str, Any] = {
        "type": "object",
        "properties": {"LogLevel": {"type": "string"}},
        "additionalProperties": {"type": "object", "properties": {"LogLevel": {"type": "string"}}},
    }
    if elmah:
        logging["properties"]["ElmahIo"] = {"properties": {"LogLevel": {"type": "string"}}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "definitions": {"logging": logging},
        "patternProperties": {"^(Logging|logging)$": {"$ref": "#/definitions/logging"}},
    }


def test_property_added_beside_an_additional_properties_schema_may_widen() -> None:
    # appsettings#16: "ElmahIo" no longer falls to additionalProperties (an object): {"ElmahIo": 0} is new
    old, new = _logging(False), _logging(True)
    rep = compare(old, new, "forward")
    assert any(f.rule_id == "property-added" and f.witness is not None for f in rep.findings)
    assert_witnesses_hold(old, new, rep)
    assert _check(old, new, "backward") == "compatible"
