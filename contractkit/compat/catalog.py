"""The rule catalog: one explicit, ordered table of every rule id the engine can emit.

Each rule carries its default severity, the effect of the change (which fixes the direction it
breaks: see ``engine.breaks``), a description, and a minimal example pair that triggers it. The
examples double as test cases (``tests/compat/test_catalog.py``) and as the body of
``docs/rules.md``: regenerate it with ``python -m contractkit.compat > docs/rules.md``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

from contractkit.compat._model import UNDECIDED, Direction, Severity
from contractkit.compat.rules import arrays as A
from contractkit.compat.rules import combinators as C
from contractkit.compat.rules import meta as M
from contractkit.compat.rules import numeric as N
from contractkit.compat.rules import objects as O
from contractkit.compat.rules import strings as S
from contractkit.compat.rules import value_types as T

INSTANCE_REJECTED = "instance-rejected"
INSTANCE_NEWLY_ACCEPTED = "instance-newly-accepted"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    breaks: str  # "backward", "forward", "both" or "none": the directions the change can break
    family: str
    description: str
    old: Any
    new: Any
    example_direction: Direction = "backward"
    format_assertion: bool = True


def _r(
    id: str,
    breaks: str,
    family: str,
    description: str,
    old: Any,
    new: Any,
    severity: Severity | None = None,
    direction: Direction | None = None,
    format_assertion: bool = True,
) -> Rule:
    sev: Severity = severity or ("info" if breaks == "none" else "error")
    d: Direction = direction or ("forward" if breaks == "forward" else "backward")
    return Rule(id, sev, breaks, family, description, old, new, d, format_assertion)


_I = {"type": "integer"}
_STR = {"type": "string"}
_OBJ = {"type": "object", "properties": {"a": _I}}
_ARR = {"type": "array", "items": _I}

RULES: tuple[Rule, ...] = (
    # types and values
    _r(T.TYPE_NARROWED, "backward", "types", "The set of allowed JSON types shrank.",
       {"type": ["string", "null"]}, {"type": "string"}),
    _r(T.TYPE_WIDENED, "forward", "types", "The set of allowed JSON types grew.",
       {"type": "string"}, {"type": ["string", "null"]}),
    _r(T.TYPE_CHANGED, "both", "types", "Allowed types were replaced (some removed, some added).",
       {"type": "string"}, {"type": "integer"}),
    _r(T.ENUM_VALUE_REMOVED, "backward", "types", "An enum value is no longer accepted.",
       {"enum": ["a", "b"]}, {"enum": ["a"]}),
    _r(T.ENUM_VALUE_ADDED, "forward", "types", "A new enum value is accepted.", {"enum": ["a"]}, {"enum": ["a", "b"]}),
    _r(T.ENUM_ADDED, "backward", "types", "Values are now restricted to an enum.", _STR, {**_STR, "enum": ["a"]}),
    _r(T.ENUM_REMOVED, "forward", "types", "An enum restriction was dropped.", {**_STR, "enum": ["a"]}, _STR),
    _r(T.CONST_ADDED, "backward", "types", "The value is now fixed by const.", _STR, {**_STR, "const": "a"}),
    _r(T.CONST_REMOVED, "forward", "types", "A const restriction was dropped.", {**_STR, "const": "a"}, _STR),
    _r(T.CONST_CHANGED, "both", "types", "The const value changed.", {"const": "a"}, {"const": "b"}),
    _r(T.SCHEMA_BECAME_FALSE, "backward", "types", "A subschema became `false`: nothing is accepted there.",
       {"type": "object", "properties": {"a": True}}, {"type": "object", "properties": {"a": False}}),
    _r(T.SCHEMA_BECAME_TRUE, "forward", "types", "A subschema became `true`: anything is accepted there.",
       {"type": "object", "properties": {"a": _I}}, {"type": "object", "properties": {"a": True}}),
    _r(T.SCHEMA_REPLACED, "both", "types", "A boolean subschema was replaced by a schema object or vice versa.",
       {"type": "object", "properties": {"a": True}}, {"type": "object", "properties": {"a": _I}}),
    # numbers
    _r(N.MINIMUM_ADDED, "backward", "numeric", "A lower bound (minimum or exclusiveMinimum) was added.",
       _I, {**_I, "minimum": 0}),
    _r(N.MINIMUM_REMOVED, "forward", "numeric", "A lower bound was removed.", {**_I, "minimum": 0}, _I),
    _r(N.MINIMUM_INCREASED, "backward", "numeric", "A lower bound was raised.",
       {**_I, "minimum": 0}, {**_I, "minimum": 5}),
    _r(N.MINIMUM_DECREASED, "forward", "numeric", "A lower bound was lowered.",
       {**_I, "minimum": 5}, {**_I, "minimum": 0}),
    _r(N.MAXIMUM_ADDED, "backward", "numeric", "An upper bound (maximum or exclusiveMaximum) was added.",
       _I, {**_I, "maximum": 10}),
    _r(N.MAXIMUM_REMOVED, "forward", "numeric", "An upper bound was removed.", {**_I, "maximum": 10}, _I),
    _r(N.MAXIMUM_DECREASED, "backward", "numeric", "An upper bound was lowered.",
       {**_I, "maximum": 10}, {**_I, "maximum": 5}),
    _r(N.MAXIMUM_INCREASED, "forward", "numeric", "An upper bound was raised.",
       {**_I, "maximum": 5}, {**_I, "maximum": 10}),
    _r(N.MULTIPLE_OF_ADDED, "backward", "numeric", "Numbers must now be a multiple of a divisor.",
       _I, {**_I, "multipleOf": 2}),
    _r(N.MULTIPLE_OF_REMOVED, "forward", "numeric", "A multipleOf restriction was dropped.",
       {**_I, "multipleOf": 2}, _I),
    _r(N.MULTIPLE_OF_CHANGED, "both", "numeric", "The multipleOf divisor changed.",
       {**_I, "multipleOf": 2}, {**_I, "multipleOf": 3}),
    # strings
    _r(S.MIN_LENGTH_ADDED, "backward", "strings", "A minimum string length was added.", _STR, {**_STR, "minLength": 2}),
    _r(S.MIN_LENGTH_REMOVED, "forward", "strings", "A minimum string length was removed.",
       {**_STR, "minLength": 2}, _STR),
    _r(S.MIN_LENGTH_INCREASED, "backward", "strings", "The minimum string length was raised.",
       {**_STR, "minLength": 1}, {**_STR, "minLength": 3}),
    _r(S.MIN_LENGTH_DECREASED, "forward", "strings", "The minimum string length was lowered.",
       {**_STR, "minLength": 3}, {**_STR, "minLength": 1}),
    _r(S.MAX_LENGTH_ADDED, "backward", "strings", "A maximum string length was added.", _STR, {**_STR, "maxLength": 3}),
    _r(S.MAX_LENGTH_REMOVED, "forward", "strings", "A maximum string length was removed.",
       {**_STR, "maxLength": 3}, _STR),
    _r(S.MAX_LENGTH_DECREASED, "backward", "strings", "The maximum string length was lowered.",
       {**_STR, "maxLength": 10}, {**_STR, "maxLength": 3}),
    _r(S.MAX_LENGTH_INCREASED, "forward", "strings", "The maximum string length was raised.",
       {**_STR, "maxLength": 3}, {**_STR, "maxLength": 10}),
    _r(S.PATTERN_ADDED, "backward", "strings", "Strings must now match a regular expression.",
       _STR, {**_STR, "pattern": "^[0-9]+$"}),
    _r(S.PATTERN_REMOVED, "forward", "strings", "A pattern restriction was dropped.",
       {**_STR, "pattern": "^[0-9]+$"}, _STR),
    _r(S.PATTERN_CHANGED, "both", "strings", "The pattern changed; decided where a witness is found or the "
       "patterns are provably related, otherwise reported as undecided.",
       {**_STR, "pattern": "^[0-9]+$"}, {**_STR, "pattern": "^[a-z]+$"}),
    _r(S.FORMAT_ADDED, "backward", "strings", "Strings must now be valid for a format (format is asserted).",
       _STR, {**_STR, "format": "date"}),
    _r(S.FORMAT_REMOVED, "forward", "strings", "A format assertion was dropped.", {**_STR, "format": "date"}, _STR),
    _r(S.FORMAT_CHANGED, "both", "strings", "The asserted format changed.",
       {**_STR, "format": "date"}, {**_STR, "format": "email"}),
    _r(S.FORMAT_ANNOTATION_CHANGED, "none", "strings",
       "format changed while format is an annotation (format_assertion=False).",
       _STR, {**_STR, "format": "date"}, format_assertion=False),
    # objects
    _r(O.PROPERTY_BECAME_REQUIRED, "backward", "objects", "A property is now required.",
       _OBJ, {**_OBJ, "required": ["a"]}),
    _r(O.PROPERTY_BECAME_OPTIONAL, "forward", "objects", "A property is no longer required.",
       {**_OBJ, "required": ["a"]}, _OBJ),
    _r(O.PROPERTY_ADDED, "both", "objects", "A property was declared: in an open object this constrains "
       "values that were free before; in a closed one it admits a new key.",
       {"type": "object"}, {"type": "object", "properties": {"a": _I}}),
    _r(O.PROPERTY_REMOVED, "both", "objects", "A property declaration was removed: in an open object this frees "
       "its values; in a closed one its key is now rejected.",
       {**_OBJ, "additionalProperties": False}, {"type": "object", "additionalProperties": False}),
    _r(O.ADDITIONAL_PROPERTIES_NARROWED, "backward", "objects", "Undeclared properties are now restricted "
       "(e.g. additionalProperties: false closes the object).", _OBJ, {**_OBJ, "additionalProperties": False}),
    _r(O.ADDITIONAL_PROPERTIES_WIDENED, "forward", "objects", "Undeclared properties are now allowed.",
       {**_OBJ, "additionalProperties": False}, _OBJ),
    _r(O.PATTERN_PROPERTY_ADDED, "both", "objects", "A patternProperties entry was added.",
       {"type": "object"}, {"type": "object", "patternProperties": {"^x-": _STR}}),
    _r(O.PATTERN_PROPERTY_REMOVED, "both", "objects", "A patternProperties entry was removed.",
       {"type": "object", "patternProperties": {"^x-": _STR}, "additionalProperties": False},
       {"type": "object", "additionalProperties": False}),
    _r(O.PROPERTY_NAMES_CHANGED, "both", "objects", "propertyNames was added, removed or changed.",
       {"type": "object"}, {"type": "object", "propertyNames": {"maxLength": 3}}),
    _r(O.MIN_PROPERTIES_ADDED, "backward", "objects", "A minimum property count was added.",
       {"type": "object"}, {"type": "object", "minProperties": 1}),
    _r(O.MIN_PROPERTIES_REMOVED, "forward", "objects", "A minimum property count was removed.",
       {"type": "object", "minProperties": 1}, {"type": "object"}),
    _r(O.MIN_PROPERTIES_INCREASED, "backward", "objects", "The minimum property count was raised.",
       {"type": "object", "minProperties": 1}, {"type": "object", "minProperties": 2}),
    _r(O.MIN_PROPERTIES_DECREASED, "forward", "objects", "The minimum property count was lowered.",
       {"type": "object", "minProperties": 2}, {"type": "object", "minProperties": 1}),
    _r(O.MAX_PROPERTIES_ADDED, "backward", "objects", "A maximum property count was added.",
       {"type": "object"}, {"type": "object", "maxProperties": 1}),
    _r(O.MAX_PROPERTIES_REMOVED, "forward", "objects", "A maximum property count was removed.",
       {"type": "object", "maxProperties": 1}, {"type": "object"}),
    _r(O.MAX_PROPERTIES_DECREASED, "backward", "objects", "The maximum property count was lowered.",
       {"type": "object", "maxProperties": 3}, {"type": "object", "maxProperties": 1}),
    _r(O.MAX_PROPERTIES_INCREASED, "forward", "objects", "The maximum property count was raised.",
       {"type": "object", "maxProperties": 1}, {"type": "object", "maxProperties": 3}),
    _r(O.DEPENDENT_REQUIRED_CHANGED, "both", "objects", "dependentRequired was added, removed or changed.",
       {"type": "object"}, {"type": "object", "dependentRequired": {"a": ["b"]}}),
    _r(O.DEPENDENT_SCHEMA_ADDED, "backward", "objects", "A dependentSchemas entry was added.",
       {"type": "object"}, {"type": "object", "dependentSchemas": {"a": {"required": ["b"]}}}),
    _r(O.DEPENDENT_SCHEMA_REMOVED, "forward", "objects", "A dependentSchemas entry was removed.",
       {"type": "object", "dependentSchemas": {"a": {"required": ["b"]}}}, {"type": "object"}),
    # arrays
    _r(A.MIN_ITEMS_ADDED, "backward", "arrays", "A minimum array length was added.", _ARR, {**_ARR, "minItems": 1}),
    _r(A.MIN_ITEMS_REMOVED, "forward", "arrays", "A minimum array length was removed.", {**_ARR, "minItems": 1}, _ARR),
    _r(A.MIN_ITEMS_INCREASED, "backward", "arrays", "The minimum array length was raised.",
       {**_ARR, "minItems": 1}, {**_ARR, "minItems": 2}),
    _r(A.MIN_ITEMS_DECREASED, "forward", "arrays", "The minimum array length was lowered.",
       {**_ARR, "minItems": 2}, {**_ARR, "minItems": 1}),
    _r(A.MAX_ITEMS_ADDED, "backward", "arrays", "A maximum array length was added.", _ARR, {**_ARR, "maxItems": 1}),
    _r(A.MAX_ITEMS_REMOVED, "forward", "arrays", "A maximum array length was removed.", {**_ARR, "maxItems": 1}, _ARR),
    _r(A.MAX_ITEMS_DECREASED, "backward", "arrays", "The maximum array length was lowered.",
       {**_ARR, "maxItems": 3}, {**_ARR, "maxItems": 1}),
    _r(A.MAX_ITEMS_INCREASED, "forward", "arrays", "The maximum array length was raised.",
       {**_ARR, "maxItems": 1}, {**_ARR, "maxItems": 3}),
    _r(A.UNIQUE_ITEMS_ADDED, "backward", "arrays", "Array items must now be unique.",
       _ARR, {**_ARR, "uniqueItems": True}),
    _r(A.UNIQUE_ITEMS_REMOVED, "forward", "arrays", "Array items need no longer be unique.",
       {**_ARR, "uniqueItems": True}, _ARR),
    _r(A.ITEMS_ADDED, "backward", "arrays", "Array items are now constrained by a schema.",
       {"type": "array"}, _ARR),
    _r(A.ITEMS_REMOVED, "forward", "arrays", "The items schema was removed.", _ARR, {"type": "array"}),
    _r(A.PREFIX_ITEM_ADDED, "both", "arrays", "A positional (prefixItems) schema was added.",
       {"type": "array", "prefixItems": [_I]}, {"type": "array", "prefixItems": [_I, _I]}),
    _r(A.PREFIX_ITEM_REMOVED, "both", "arrays", "A positional (prefixItems) schema was removed.",
       {"type": "array", "prefixItems": [_I, _I], "items": False},
       {"type": "array", "prefixItems": [_I], "items": False}),
    _r(A.CONTAINS_ADDED, "backward", "arrays", "Arrays must now contain a matching item.",
       {"type": "array"}, {"type": "array", "contains": _I}),
    _r(A.CONTAINS_REMOVED, "forward", "arrays", "A contains requirement was dropped.",
       {"type": "array", "contains": _I}, {"type": "array"}),
    _r(A.CONTAINS_COUNT_CHANGED, "both", "arrays", "minContains or maxContains changed.",
       {"type": "array", "contains": _I}, {"type": "array", "contains": _I, "minContains": 2}),
    # applicators
    _r(C.ALL_OF_BRANCH_ADDED, "backward", "combinators", "An allOf branch was added.",
       {"allOf": [_I]}, {"allOf": [_I, {"minimum": 0}]}),
    _r(C.ALL_OF_BRANCH_REMOVED, "forward", "combinators", "An allOf branch was removed.",
       {"allOf": [_I, {"minimum": 0}]}, {"allOf": [_I]}),
    _r(C.ANY_OF_BRANCH_ADDED, "forward", "combinators", "An anyOf branch was added.",
       {"anyOf": [_I]}, {"anyOf": [_I, _STR]}),
    _r(C.ANY_OF_BRANCH_REMOVED, "backward", "combinators", "An anyOf branch was removed.",
       {"anyOf": [_I, _STR]}, {"anyOf": [_I]}),
    _r(C.ONE_OF_BRANCH_ADDED, "both", "combinators", "A oneOf branch was added (new overlaps can reject values).",
       {"oneOf": [_I]}, {"oneOf": [_I, {"type": "number"}]}),
    _r(C.ONE_OF_BRANCH_REMOVED, "both", "combinators", "A oneOf branch was removed.",
       {"oneOf": [_I, _STR]}, {"oneOf": [_I]}),
    _r(C.COMBINATOR_ADDED, "both", "combinators", "An allOf/anyOf/oneOf keyword was added.",
       {"type": "integer"}, {"type": "integer", "anyOf": [{"minimum": 5}, {"maximum": 0}]}),
    _r(C.COMBINATOR_REMOVED, "both", "combinators", "An allOf/anyOf/oneOf keyword was removed.",
       {"type": "number", "anyOf": [{"minimum": 5}, {"maximum": 0}]}, {"type": "number"}, direction="forward"),
    _r(C.NOT_ADDED, "backward", "combinators", "Instances matching a `not` schema are now rejected.",
       _I, {**_I, "not": {"const": 0}}),
    _r(C.NOT_REMOVED, "forward", "combinators", "A `not` restriction was dropped.",
       {**_I, "not": {"const": 0}}, _I),
    _r(C.CONDITIONAL_CHANGED, "both", "combinators", "if/then/else was added, removed or changed.",
       {"type": "object"},
       {"type": "object", "if": {"required": ["a"]}, "then": {"required": ["b"]}}),
    _r(C.REF_CHANGED, "both", "combinators", "A $ref was added or removed, or points to a target that cannot be "
       "compared by content (two local refs that differ are compared by their targets instead).",
       _STR, {"$defs": {"id": _I}, "$ref": "#/$defs/id"}),
    _r(C.KEYWORD_CHANGED, "both", "combinators", "Another validation keyword (e.g. unevaluatedProperties) changed.",
       {"type": "object"}, {"type": "object", "unevaluatedProperties": False}),
    # annotations
    _r(M.ANNOTATION_CHANGED, "none", "meta", "title, description, default, examples or another annotation changed.",
       {**_STR, "description": "old"}, {**_STR, "description": "new"}),
    _r(M.DEPRECATED_CHANGED, "none", "meta", "The deprecated flag changed.", _STR, {**_STR, "deprecated": True}),
    # verdicts without a single keyword to blame
    _r(INSTANCE_REJECTED, "backward", "verdict", "No single keyword change explains it, but an instance valid "
       "under the old schema is rejected by the new one (the witness shows which).",
       {"not": {"$ref": "#/$defs/x"}, "$defs": {"x": _STR}},
       {"not": {"$ref": "#/$defs/x"}, "$defs": {"x": {"type": ["string", "integer"]}}}),
    _r(INSTANCE_NEWLY_ACCEPTED, "forward", "verdict", "No single keyword change explains it, but an instance "
       "valid under the new schema is rejected by the old one.",
       {"not": {"$ref": "#/$defs/x"}, "$defs": {"x": {"type": ["string", "integer"]}}},
       {"not": {"$ref": "#/$defs/x"}, "$defs": {"x": _STR}}),
    _r(UNDECIDED, "both", "verdict", "The engine could neither prove compatibility nor find a counter-example; "
       "the message names the keyword. Blocks like an error (soundness first).",
       {**_STR, "pattern": "^\\d+$"}, {**_STR, "pattern": "^[0-9]+$"}, severity="warning"),
)  # fmt: skip

BY_ID: dict[str, Rule] = {r.id: r for r in RULES}


def render_markdown() -> str:
    lines = [
        "# Compatibility rules",
        "",
        "Generated by `python -m contractkit.compat > docs/rules.md`; do not edit by hand.",
        "",
        "*Breaks* names the direction a change can break: **backward** (old → new, a reader on the new",
        "schema must accept everything old writers sent), **forward** (old readers must accept what new",
        "writers send), **both**, or **none** (annotations). Severities can be overridden per rule id in",
        "`[tool.contractkit.severity]`. Every `error` is reported with a witness instance checked by a",
        "real validator.",
        "",
        "| id | severity | breaks | family | description |",
        "|---|---|---|---|---|",
    ]
    for r in RULES:
        lines.append(f"| `{r.id}` | {r.severity} | {r.breaks} | {r.family} | {r.description} |")
    lines.append("")
    for r in RULES:
        how = r.example_direction + ("" if r.format_assertion else ", format as annotation")
        lines += [
            f"## `{r.id}`",
            "",
            r.description,
            "",
            f"Example ({how}): old `{json.dumps(r.old, sort_keys=True)}` → new `{json.dumps(r.new, sort_keys=True)}`",
            "",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(render_markdown())
