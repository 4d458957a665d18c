"""Objects: properties, required, additional/pattern properties, names, counts, dependencies."""

from __future__ import annotations

from typing import Any

from contractkit.compat.rules._base import CHANGES, NARROWS, WIDENS, Candidate, bound_change, show
from contractkit.compat.walk import MISSING, Change

PROPERTY_BECAME_REQUIRED = "property-became-required"
PROPERTY_BECAME_OPTIONAL = "property-became-optional"
PROPERTY_ADDED = "property-added"
PROPERTY_REMOVED = "property-removed"
ADDITIONAL_PROPERTIES_NARROWED = "additional-properties-narrowed"
ADDITIONAL_PROPERTIES_WIDENED = "additional-properties-widened"
PATTERN_PROPERTY_ADDED = "pattern-property-added"
PATTERN_PROPERTY_REMOVED = "pattern-property-removed"
PROPERTY_NAMES_CHANGED = "property-names-changed"
MIN_PROPERTIES_ADDED = "min-properties-added"
MIN_PROPERTIES_REMOVED = "min-properties-removed"
MIN_PROPERTIES_INCREASED = "min-properties-increased"
MIN_PROPERTIES_DECREASED = "min-properties-decreased"
MAX_PROPERTIES_ADDED = "max-properties-added"
MAX_PROPERTIES_REMOVED = "max-properties-removed"
MAX_PROPERTIES_DECREASED = "max-properties-decreased"
MAX_PROPERTIES_INCREASED = "max-properties-increased"
DEPENDENT_REQUIRED_CHANGED = "dependent-required-changed"
DEPENDENT_SCHEMA_ADDED = "dependent-schema-added"
DEPENDENT_SCHEMA_REMOVED = "dependent-schema-removed"

KEYWORDS = frozenset(
    {"properties", "required", "additionalProperties", "patternProperties", "propertyNames",
     "minProperties", "maxProperties", "dependentRequired", "dependentSchemas"}
)  # fmt: skip


def _closed(parent: Any) -> bool:
    return isinstance(parent, dict) and parent.get("additionalProperties") is False


def _map_schema(parent: Any) -> bool:
    """Whether ``parent`` has an ``additionalProperties`` schema that constrains (neither absent nor
    ``true``/``false``): a name it declares or stops declaring moves between its own schema and that one."""
    ap = parent.get("additionalProperties", True) if isinstance(parent, dict) else True
    return not isinstance(ap, bool) and ap != {}


def classify(ch: Change) -> list[Candidate]:
    kw, old, new, key = ch.keyword, ch.old, ch.new, ch.key
    if kw == "required":
        if new is not MISSING:
            return [Candidate(PROPERTY_BECAME_REQUIRED, NARROWS, f"property {show(new)} is now required")]
        return [Candidate(PROPERTY_BECAME_OPTIONAL, WIDENS, f"property {show(old)} is no longer required")]
    if kw == "properties" and key is not None:
        if old is MISSING:
            # Declaring a property constrains it in an open object and admits it in a closed one.
            # Under an additionalProperties schema, the name moves from that schema to its own: either way.
            effect = (
                WIDENS if _closed(ch.new_parent) else CHANGES if new is True or _map_schema(ch.new_parent) else NARROWS
            )
            return [Candidate(PROPERTY_ADDED, effect, f"property {show(key)} was added")]
        effect = NARROWS if _closed(ch.new_parent) else CHANGES if old is True or _map_schema(ch.new_parent) else WIDENS
        return [Candidate(PROPERTY_REMOVED, effect, f"property {show(key)} was removed")]
    if kw == "additionalProperties":
        if new is False or (old is MISSING or old is True):
            return [Candidate(ADDITIONAL_PROPERTIES_NARROWED, NARROWS,
                              f"additional properties now restricted to {show(new)} (were {show(old)})")]  # fmt: skip
        if old is False or new is MISSING or new is True:
            return [Candidate(ADDITIONAL_PROPERTIES_WIDENED, WIDENS,
                              f"additional properties now allowed as {show(new)} (were {show(old)})")]  # fmt: skip
        return [Candidate(ADDITIONAL_PROPERTIES_WIDENED, CHANGES, "additionalProperties changed")]
    if kw == "patternProperties":
        if old is MISSING:
            return [Candidate(PATTERN_PROPERTY_ADDED, CHANGES, f"pattern property {show(key)} was added")]
        return [Candidate(PATTERN_PROPERTY_REMOVED, CHANGES, f"pattern property {show(key)} was removed")]
    if kw == "propertyNames":
        effect = NARROWS if old is MISSING else WIDENS if new is MISSING else CHANGES
        return [Candidate(PROPERTY_NAMES_CHANGED, effect, f"propertyNames changed from {show(old)} to {show(new)}")]
    if kw == "minProperties":
        ids = (MIN_PROPERTIES_ADDED, MIN_PROPERTIES_REMOVED, MIN_PROPERTIES_INCREASED, MIN_PROPERTIES_DECREASED)
        return bound_change(kw, old, new, False, ids, "objects are")
    if kw == "maxProperties":
        ids = (MAX_PROPERTIES_ADDED, MAX_PROPERTIES_REMOVED, MAX_PROPERTIES_DECREASED, MAX_PROPERTIES_INCREASED)
        return bound_change(kw, old, new, True, ids, "objects are")
    if kw == "dependentRequired":
        effect = NARROWS if old is MISSING else WIDENS if new is MISSING else CHANGES
        return [Candidate(DEPENDENT_REQUIRED_CHANGED, effect,
                          f"dependentRequired changed from {show(old)} to {show(new)}")]  # fmt: skip
    if kw == "dependentSchemas":
        if old is MISSING:
            return [Candidate(DEPENDENT_SCHEMA_ADDED, NARROWS, f"dependent schema for {show(key)} was added")]
        return [Candidate(DEPENDENT_SCHEMA_REMOVED, WIDENS, f"dependent schema for {show(key)} was removed")]
    return []
