"""Annotations: title, description, default, examples, deprecated, readOnly/writeOnly, comments."""

from __future__ import annotations

from contractkit.compat.rules._base import ANNOTATION, Candidate, show
from contractkit.compat.walk import Change

ANNOTATION_CHANGED = "annotation-changed"
DEPRECATED_CHANGED = "deprecated-changed"

KEYWORDS = frozenset(
    {"title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly", "$comment",
     "$schema", "$id", "$anchor", "contentMediaType", "contentEncoding", "$defs", "definitions"}
)  # fmt: skip


def classify(ch: Change) -> list[Candidate]:
    if ch.keyword == "deprecated":
        return [Candidate(DEPRECATED_CHANGED, ANNOTATION, f"deprecated changed from {show(ch.old)} to {show(ch.new)}")]
    if ch.keyword in ("$defs", "definitions"):
        return []  # a definition added or removed matters only where it is referenced
    return [Candidate(ANNOTATION_CHANGED, ANNOTATION, f"{ch.keyword} changed from {show(ch.old)} to {show(ch.new)}")]
