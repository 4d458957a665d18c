"""String constraints: minLength, maxLength, pattern, format."""

from __future__ import annotations

from contractkit.compat.rules._base import ANNOTATION, CHANGES, NARROWS, WIDENS, Candidate, bound_change, show
from contractkit.compat.walk import MISSING, Change

MIN_LENGTH_ADDED = "min-length-added"
MIN_LENGTH_REMOVED = "min-length-removed"
MIN_LENGTH_INCREASED = "min-length-increased"
MIN_LENGTH_DECREASED = "min-length-decreased"
MAX_LENGTH_ADDED = "max-length-added"
MAX_LENGTH_REMOVED = "max-length-removed"
MAX_LENGTH_DECREASED = "max-length-decreased"
MAX_LENGTH_INCREASED = "max-length-increased"
PATTERN_ADDED = "pattern-added"
PATTERN_REMOVED = "pattern-removed"
PATTERN_CHANGED = "pattern-changed"
FORMAT_ADDED = "format-added"
FORMAT_REMOVED = "format-removed"
FORMAT_CHANGED = "format-changed"
FORMAT_ANNOTATION_CHANGED = "format-annotation-changed"

KEYWORDS = frozenset({"minLength", "maxLength", "pattern", "format"})


def classify(ch: Change, format_assertion: bool) -> list[Candidate]:
    kw, old, new = ch.keyword, ch.old, ch.new
    if kw == "minLength":
        ids = (MIN_LENGTH_ADDED, MIN_LENGTH_REMOVED, MIN_LENGTH_INCREASED, MIN_LENGTH_DECREASED)
        return bound_change(kw, old, new, False, ids, "strings are")
    if kw == "maxLength":
        ids = (MAX_LENGTH_ADDED, MAX_LENGTH_REMOVED, MAX_LENGTH_DECREASED, MAX_LENGTH_INCREASED)
        return bound_change(kw, old, new, True, ids, "strings are")
    if kw == "pattern":
        if old is MISSING:
            return [Candidate(PATTERN_ADDED, NARROWS, f"strings must now match pattern {show(new)}")]
        if new is MISSING:
            return [Candidate(PATTERN_REMOVED, WIDENS, f"strings need no longer match pattern {show(old)}")]
        return [Candidate(PATTERN_CHANGED, CHANGES, f"pattern changed from {show(old)} to {show(new)}")]
    if not format_assertion:
        return [Candidate(FORMAT_ANNOTATION_CHANGED, ANNOTATION, f"format changed from {show(old)} to {show(new)} "
                          "(an annotation: format is not asserted)")]  # fmt: skip
    if old is MISSING:
        return [Candidate(FORMAT_ADDED, NARROWS, f"strings must now be a valid {show(new)}")]
    if new is MISSING:
        return [Candidate(FORMAT_REMOVED, WIDENS, f"strings need no longer be a valid {show(old)}")]
    return [Candidate(FORMAT_CHANGED, CHANGES, f"format changed from {show(old)} to {show(new)}")]
