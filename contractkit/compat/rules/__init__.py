"""Rule families, one module each; ``classify`` maps one structural change to candidate findings.

The families are listed explicitly (no registration on import) in :data:`FAMILIES` order.
"""

from __future__ import annotations

from contractkit.compat.rules import arrays, combinators, meta, numeric, objects, strings, value_types
from contractkit.compat.rules._base import Candidate
from contractkit.compat.walk import Change


def classify(ch: Change, format_assertion: bool) -> list[Candidate]:
    kw = ch.keyword
    if kw in numeric.KEYWORDS:
        return numeric.classify(ch)
    if kw in strings.KEYWORDS:
        return strings.classify(ch, format_assertion)
    if kw in value_types.KEYWORDS:
        return value_types.classify(ch)
    if kw in objects.KEYWORDS:
        return objects.classify(ch)
    if kw in arrays.KEYWORDS:
        return arrays.classify(ch)
    if kw in meta.KEYWORDS or meta.unknown_keyword(kw):
        return meta.classify(ch)
    return combinators.classify(ch)
