"""Regex-dialect guards: where ECMA-262 (JSON Schema's regex dialect) and the regex engines we run
(jsonschema-rs's Rust regex, Python's ``re``, Pydantic's Rust regex) read a pattern differently, no
proof may rest on how it matches.

``\\d \\w \\b`` are ASCII in ECMA-262 but Unicode elsewhere; ``\\s`` differs from Unicode White_Space
only on U+FEFF and U+180E; ``\\cX`` control escapes are ECMA-only. ``format`` checkers differ in
strictness, so a proof never relies on one *rejecting* a value either.
"""

from __future__ import annotations

import re
from typing import Any

from contractkit._json import DATA_KEYWORDS

# ECMA-262 reads these classes as ASCII-only, Python/Rust regex as Unicode: do not prove with them.
UNICODE_SENSITIVE = re.compile(r"\\[dDwWbB]")
# \s is Unicode-aware in ECMA-262 too; it differs from Unicode White_Space only on these.
SPACE_CLASS = re.compile(r"\\[sS]")
SPACE_DIFF = frozenset("\ufeff\u180e")
# ECMA-only syntax (control escapes \cX) that other regex engines - including the Rust regex behind
# generated Pydantic models - reject or read differently: never rest a proof on how it matches.
DIALECT_SPECIFIC = re.compile(r"\\c[A-Za-z]")


def walk_strings(v: Any) -> bool:
    """True when the value holds a non-ASCII string (value or key)."""
    if isinstance(v, str):
        return not v.isascii()
    if isinstance(v, list):
        return any(walk_strings(x) for x in v)
    if isinstance(v, dict):
        return any(not k.isascii() or walk_strings(x) for k, x in v.items())
    return False


def collect_fragile(schema: Any, neg: bool, out: set[str]) -> None:
    """Collect keywords whose verdicts differ between implementations (see Prover.finite_check)."""
    if isinstance(schema, dict):
        for k, v in schema.items():
            if k in DATA_KEYWORDS:
                continue
            if k == "format" and neg:
                out.add("format")
            elif k in ("$ref", "$dynamicRef") and neg:
                out.add("negated-ref")
            elif k == "pattern" and isinstance(v, str):
                if UNICODE_SENSITIVE.search(v):
                    out.add("pattern")
                if SPACE_CLASS.search(v):
                    out.add("pattern-space")
            elif k == "patternProperties" and isinstance(v, dict):
                if any(UNICODE_SENSITIVE.search(p) for p in v):
                    out.add("patternProperties")
                if any(SPACE_CLASS.search(p) for p in v):
                    out.add("pattern-space")
                collect_fragile(v, neg, out)
            elif k == "not":
                collect_fragile(v, not neg, out)
            elif k in ("if", "oneOf"):
                collect_fragile(v, True, out)
                collect_fragile(v, False, out)
            else:
                collect_fragile(v, neg, out)
    elif isinstance(schema, list):
        for x in schema:
            collect_fragile(x, neg, out)


def regex_safe(schema: Any, name: str) -> bool:
    """False when a pattern in ``schema`` reads ``name`` differently across regex dialects."""
    text = str(schema)
    if DIALECT_SPECIFIC.search(text) or "format" in text:
        return False  # format checkers differ in strictness; never rely on one rejecting a name
    if SPACE_CLASS.search(text) and has_chars(name, SPACE_DIFF):
        return False
    return not (UNICODE_SENSITIVE.search(text) and not name.isascii())


def has_chars(v: Any, chars: frozenset[str]) -> bool:
    if isinstance(v, str):
        return any(c in chars for c in v)
    if isinstance(v, list):
        return any(has_chars(x, chars) for x in v)
    if isinstance(v, dict):
        return any(has_chars(k, chars) or has_chars(x, chars) for k, x in v.items())
    return False


_REGEX_CACHE: dict[tuple[str, str], bool | None] = {}


def regex_match(pattern: str, name: str) -> bool | None:
    """Does ``pattern`` match ``name``? Decided by the real validator (ECMA-262 semantics)."""
    key = (pattern, name)
    got = _REGEX_CACHE.get(key, 0)
    if got != 0:
        return got  # type: ignore[return-value]
    import jsonschema_rs

    res: bool | None
    if (
        (UNICODE_SENSITIVE.search(pattern) and not name.isascii())
        or DIALECT_SPECIFIC.search(pattern)
        or (SPACE_CLASS.search(pattern) and has_chars(name, SPACE_DIFF))
    ):
        res = None
    else:
        try:
            res = bool(jsonschema_rs.is_valid({"pattern": pattern}, name))
        except (ValueError, jsonschema_rs.ValidationError):
            res = None
    if len(_REGEX_CACHE) > 50_000:
        _REGEX_CACHE.clear()
    _REGEX_CACHE[key] = res
    return res
