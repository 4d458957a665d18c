"""Arrays: items, prefixItems, contains, minItems/maxItems, min/maxContains, uniqueItems."""

from __future__ import annotations

from contractkit.compat.rules._base import CHANGES, NARROWS, WIDENS, Candidate, bound_change, show
from contractkit.compat.walk import MISSING, Change

MIN_ITEMS_ADDED = "min-items-added"
MIN_ITEMS_REMOVED = "min-items-removed"
MIN_ITEMS_INCREASED = "min-items-increased"
MIN_ITEMS_DECREASED = "min-items-decreased"
MAX_ITEMS_ADDED = "max-items-added"
MAX_ITEMS_REMOVED = "max-items-removed"
MAX_ITEMS_DECREASED = "max-items-decreased"
MAX_ITEMS_INCREASED = "max-items-increased"
UNIQUE_ITEMS_ADDED = "unique-items-added"
UNIQUE_ITEMS_REMOVED = "unique-items-removed"
ITEMS_ADDED = "items-added"
ITEMS_REMOVED = "items-removed"
PREFIX_ITEM_ADDED = "prefix-item-added"
PREFIX_ITEM_REMOVED = "prefix-item-removed"
CONTAINS_ADDED = "contains-added"
CONTAINS_REMOVED = "contains-removed"
CONTAINS_COUNT_CHANGED = "contains-count-changed"

KEYWORDS = frozenset(
    {"items", "prefixItems", "contains", "minItems", "maxItems", "minContains", "maxContains", "uniqueItems"}
)


def classify(ch: Change) -> list[Candidate]:
    kw, old, new = ch.keyword, ch.old, ch.new
    if kw == "minItems":
        ids = (MIN_ITEMS_ADDED, MIN_ITEMS_REMOVED, MIN_ITEMS_INCREASED, MIN_ITEMS_DECREASED)
        return bound_change(kw, old, new, False, ids, "arrays are")
    if kw == "maxItems":
        ids = (MAX_ITEMS_ADDED, MAX_ITEMS_REMOVED, MAX_ITEMS_DECREASED, MAX_ITEMS_INCREASED)
        return bound_change(kw, old, new, True, ids, "arrays are")
    if kw == "uniqueItems":
        if new is True:
            return [Candidate(UNIQUE_ITEMS_ADDED, NARROWS, "array items must now be unique")]
        return [Candidate(UNIQUE_ITEMS_REMOVED, WIDENS, "array items need no longer be unique")]
    if kw == "items":
        if old is MISSING:
            return [Candidate(ITEMS_ADDED, NARROWS, f"array items are now constrained by {show(new)}")]
        return [Candidate(ITEMS_REMOVED, WIDENS, f"array items are no longer constrained by {show(old)}")]
    if kw == "prefixItems":
        if old is MISSING:
            return [Candidate(PREFIX_ITEM_ADDED, CHANGES, f"prefix item {ch.key or ''} was added: {show(new)}")]
        return [Candidate(PREFIX_ITEM_REMOVED, CHANGES, f"prefix item {ch.key or ''} was removed: {show(old)}")]
    if kw == "contains":
        if old is MISSING:
            return [Candidate(CONTAINS_ADDED, NARROWS, f"arrays must now contain an item matching {show(new)}")]
        return [Candidate(CONTAINS_REMOVED, WIDENS, f"arrays need no longer contain an item matching {show(old)}")]
    # minContains / maxContains
    return [Candidate(CONTAINS_COUNT_CHANGED, CHANGES, f"{kw} changed from {show(old)} to {show(new)}")]
