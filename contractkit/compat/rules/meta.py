"""Annotations: title, description, default, examples, deprecated, readOnly/writeOnly, comments."""

from __future__ import annotations

from contractkit.compat._doc import ASSERTIONS
from contractkit.compat.rules._base import ANNOTATION, Candidate, show
from contractkit.compat.walk import Change

ANNOTATION_CHANGED = "annotation-changed"
DEPRECATED_CHANGED = "deprecated-changed"

KEYWORDS = frozenset(
    {"title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly", "$comment",
     "$schema", "$id", "$anchor", "contentMediaType", "contentEncoding", "$defs", "definitions"}
)  # fmt: skip


# Keywords that change what a schema means without asserting anything themselves.
_SCOPE = frozenset({"$dynamicAnchor", "$recursiveAnchor", "$vocabulary", "$schema-value"})


def unknown_keyword(kw: str) -> bool:
    """A keyword draft 2020-12 does not define (``markdownDescription``, ``x-tombi-...``, or one the
    translation set aside as ``x-ignored:...``): validators ignore it, so its change is an annotation."""
    return kw not in ASSERTIONS and kw not in _SCOPE and kw not in _APPLICATORS


_APPLICATORS = frozenset({"allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref", "$dynamicRef",
                          "minContains", "maxContains", "contentSchema"})  # fmt: skip


def classify(ch: Change) -> list[Candidate]:
    if ch.keyword == "deprecated":
        return [Candidate(DEPRECATED_CHANGED, ANNOTATION, f"deprecated changed from {show(ch.old)} to {show(ch.new)}")]
    if ch.keyword in ("$defs", "definitions"):
        return []  # a definition added or removed matters only where it is referenced
    return [Candidate(ANNOTATION_CHANGED, ANNOTATION, f"{ch.keyword} changed from {show(ch.old)} to {show(ch.new)}")]
