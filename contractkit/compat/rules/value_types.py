"""Types and literal values: type, enum, const, boolean schemas."""

from __future__ import annotations

from typing import Any

from contractkit.compat.rules._base import CHANGES, NARROWS, WIDENS, Candidate, show
from contractkit.compat.walk import MISSING, Change

TYPE_NARROWED = "type-narrowed"
TYPE_WIDENED = "type-widened"
TYPE_CHANGED = "type-changed"
ENUM_VALUE_REMOVED = "enum-value-removed"
ENUM_VALUE_ADDED = "enum-value-added"
ENUM_ADDED = "enum-added"
ENUM_REMOVED = "enum-removed"
CONST_ADDED = "const-added"
CONST_REMOVED = "const-removed"
CONST_CHANGED = "const-changed"
SCHEMA_BECAME_FALSE = "schema-became-false"
SCHEMA_BECAME_TRUE = "schema-became-true"
SCHEMA_REPLACED = "schema-replaced"

KEYWORDS = frozenset({"type", "enum", "const", "$schema-value"})


def _types(t: Any) -> set[str]:
    names = {t} if isinstance(t, str) else {x for x in t if isinstance(x, str)} if isinstance(t, list) else set()
    if "number" in names:
        names.add("integer")
    return names


def classify(ch: Change) -> list[Candidate]:
    kw, old, new = ch.keyword, ch.old, ch.new
    if kw == "type":
        if old is MISSING:
            return [Candidate(TYPE_NARROWED, NARROWS, f"type is now restricted to {show(new)}")]
        if new is MISSING:
            ref = ch.new_parent.get("$ref") if isinstance(ch.new_parent, dict) else None
            where = f"; its $ref to {ref} now decides it" if isinstance(ref, str) else ""
            return [Candidate(TYPE_WIDENED, WIDENS, f"type is no longer restricted here (was {show(old)}){where}")]
        o, n = _types(old), _types(new)
        if n < o:
            return [Candidate(TYPE_NARROWED, NARROWS, f"type narrowed from {show(old)} to {show(new)}")]
        if o < n:
            return [Candidate(TYPE_WIDENED, WIDENS, f"type widened from {show(old)} to {show(new)}")]
        return [Candidate(TYPE_CHANGED, CHANGES, f"type changed from {show(old)} to {show(new)}")]
    if kw == "enum":
        if ch.key is None:
            if old is MISSING:
                return [Candidate(ENUM_ADDED, NARROWS, f"values are now restricted to {show(new)}")]
            return [Candidate(ENUM_REMOVED, WIDENS, f"values are no longer restricted to {show(old)}")]
        if new is MISSING:
            return [Candidate(ENUM_VALUE_REMOVED, NARROWS, f"enum value {show(old)} was removed")]
        return [Candidate(ENUM_VALUE_ADDED, WIDENS, f"enum value {show(new)} was added")]
    if kw == "const":
        if old is MISSING:
            return [Candidate(CONST_ADDED, NARROWS, f"value is now fixed to {show(new)}")]
        if new is MISSING:
            return [Candidate(CONST_REMOVED, WIDENS, f"value is no longer fixed to {show(old)}")]
        return [Candidate(CONST_CHANGED, CHANGES, f"const changed from {show(old)} to {show(new)}")]
    # a whole subschema replaced by / with a boolean schema
    msg = f"subschema changed from {show(old)} to {show(new)}"
    if new is False:
        return [Candidate(SCHEMA_BECAME_FALSE, NARROWS, msg)]
    if new is True:
        return [Candidate(SCHEMA_BECAME_TRUE, WIDENS, msg)]
    return [Candidate(SCHEMA_REPLACED, CHANGES, msg)]
