"""Numeric bounds: minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf."""

from __future__ import annotations

from fractions import Fraction

from contractkit.compat.rules._base import CHANGES, NARROWS, WIDENS, Candidate, bound_change, show
from contractkit.compat.walk import MISSING, Change

MINIMUM_ADDED = "minimum-added"
MINIMUM_REMOVED = "minimum-removed"
MINIMUM_INCREASED = "minimum-increased"
MINIMUM_DECREASED = "minimum-decreased"
MAXIMUM_ADDED = "maximum-added"
MAXIMUM_REMOVED = "maximum-removed"
MAXIMUM_DECREASED = "maximum-decreased"
MAXIMUM_INCREASED = "maximum-increased"
MULTIPLE_OF_ADDED = "multiple-of-added"
MULTIPLE_OF_REMOVED = "multiple-of-removed"
MULTIPLE_OF_CHANGED = "multiple-of-changed"

KEYWORDS = frozenset({"minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf"})


def classify(ch: Change) -> list[Candidate]:
    kw = ch.keyword
    if kw in ("minimum", "exclusiveMinimum"):
        ids = (MINIMUM_ADDED, MINIMUM_REMOVED, MINIMUM_INCREASED, MINIMUM_DECREASED)
        return bound_change(kw, ch.old, ch.new, False, ids, "numbers are")
    if kw in ("maximum", "exclusiveMaximum"):
        ids = (MAXIMUM_ADDED, MAXIMUM_REMOVED, MAXIMUM_DECREASED, MAXIMUM_INCREASED)
        return bound_change(kw, ch.old, ch.new, True, ids, "numbers are")
    if ch.old is MISSING:
        return [Candidate(MULTIPLE_OF_ADDED, NARROWS, f"numbers must now be a multiple of {show(ch.new)}")]
    if ch.new is MISSING:
        return [Candidate(MULTIPLE_OF_REMOVED, WIDENS, f"numbers need no longer be a multiple of {show(ch.old)}")]
    effect = CHANGES
    try:
        ratio = Fraction(str(ch.new)) / Fraction(str(ch.old))
        effect = NARROWS if ratio.denominator == 1 else WIDENS if ratio.numerator == 1 else CHANGES
    except (ValueError, ZeroDivisionError, TypeError):
        pass
    return [Candidate(MULTIPLE_OF_CHANGED, effect, f"multipleOf changed from {show(ch.old)} to {show(ch.new)}")]
