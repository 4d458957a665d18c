"""Neutral structural walk: *what* changed between two schemas, with pointers. Decides nothing.

Subschemas are paired by position (``properties`` by name, ``prefixItems`` by index, ``$defs`` by
name, combinator branches by index) and every keyword whose value differs yields one
:class:`Change`. Keyword values that hold subschemas are walked into instead, and so are the targets
of two local ``$ref`` s that differ (a renamed or re-homed definition is compared by content, so a
change inside it is named where it happens, not as "the $ref changed").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from contractkit._json import escape, json_equal
from contractkit.compat._doc import has_scope_keywords, subschema_at

MISSING: Final = object()

_SUB_SINGLE = frozenset(
    {"items", "additionalProperties", "contains", "propertyNames", "not", "if", "then", "else",
     "unevaluatedItems", "unevaluatedProperties", "contentSchema"}
)  # fmt: skip
_SUB_MAP = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs", "definitions"})
_SUB_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


# Not frozen (nothing assigns to a field): a frozen dataclass sets each field through object.__setattr__,
# and this is one of the engine's most frequent allocations. Hashed and compared as a frozen one is.
# A written __init__ (init=False): a native class in the compiled build (see _prove/nodes.py's Node).
@dataclass(slots=True, unsafe_hash=True, init=False)
class Change:
    """One keyword whose value differs. ``key`` names a member (property name, index) when set."""

    keyword: str
    old_ptr: str | None
    new_ptr: str | None
    old: Any
    new: Any
    old_parent: Any
    new_parent: Any
    key: str | None = None
    old_at: str = ""  # pointer of the subschema holding the keyword (old side)
    new_at: str = ""

    def __init__(
        self,
        keyword: str,
        old_ptr: str | None,
        new_ptr: str | None,
        old: Any,
        new: Any,
        old_parent: Any,
        new_parent: Any,
        key: str | None = None,
        old_at: str = "",
        new_at: str = "",
    ) -> None:
        self.keyword = keyword
        self.old_ptr = old_ptr
        self.new_ptr = new_ptr
        self.old = old
        self.new = new
        self.old_parent = old_parent
        self.new_parent = new_parent
        self.key = key
        self.old_at = old_at
        self.new_at = new_at


def diff(old: Any, new: Any) -> list[Change]:
    out: list[Change] = []
    _Walk(old, new, out).walk(old, new, "", "", 0)
    return out


class _Walk:
    __slots__ = ("_scoped", "new_root", "old_root", "out", "seen")

    def __init__(self, old_root: Any, new_root: Any, out: list[Change]) -> None:
        self.old_root, self.new_root, self.out = old_root, new_root, out
        self.seen: set[tuple[str, str]] = set()
        self._scoped: bool | None = None  # computed on the first pair of refs

    def walk(self, old: Any, new: Any, op: str, np: str, depth: int) -> None:
        _walk(old, new, op, np, self.out, depth, self)

    def follow(self, old_ref: Any, new_ref: Any, depth: int) -> bool:
        """Walk into the targets of two differing local refs; False when they cannot be followed."""
        if not (isinstance(old_ref, str) and isinstance(new_ref, str)):
            return False
        if not (old_ref.startswith("#/") and new_ref.startswith("#/")):
            return False
        if self._scoped is None:
            self._scoped = has_scope_keywords(self.old_root) or has_scope_keywords(self.new_root)
        if self._scoped:
            return False  # nested $id / $dynamicRef: a plain pointer may not be what the ref means
        o, n = subschema_at(self.old_root, old_ref[1:]), subschema_at(self.new_root, new_ref[1:])
        if o is None or n is None:
            return False
        key = (old_ref[1:], new_ref[1:])
        if key not in self.seen:
            self.seen.add(key)
            self.walk(o, n, old_ref[1:], new_ref[1:], depth + 1)
        return True


def _walk(old: Any, new: Any, op: str, np: str, out: list[Change], depth: int, ctx: _Walk) -> None:
    if depth > 64:
        return
    if not isinstance(old, dict) or not isinstance(new, dict):
        if not json_equal(old, new):
            out.append(Change("$schema-value", op, np, old, new, old, new, None, op, np))
        return
    # Two objects: no whole-object comparison first, the keyword loop compares each value (equal objects
    # have the same keywords, each value equal: every one is skipped, nothing is recorded).
    for kw in list(old) + [k for k in new if k not in old]:
        o = old.get(kw, MISSING)
        n = new.get(kw, MISSING)
        if o is not MISSING and n is not MISSING and json_equal(o, n):
            continue
        kp_o = f"{op}/{escape(kw)}"
        kp_n = f"{np}/{escape(kw)}"
        # An absent map or list of members reads as an empty one, so members pair up one by one.
        if kw in _SUB_MAP or kw in ("required", "prefixItems", "dependentRequired"):
            empty: Any = [] if kw in ("required", "prefixItems") else {}
            o = empty if o is MISSING else o
            n = empty if n is MISSING else n
        if o is not MISSING and n is not MISSING:
            if kw in _SUB_SINGLE:
                _walk(o, n, kp_o, kp_n, out, depth + 1, ctx)
                continue
            if kw in _SUB_MAP and isinstance(o, dict) and isinstance(n, dict):
                for name in list(o) + [k for k in n if k not in o]:
                    so, sn = o.get(name, MISSING), n.get(name, MISSING)
                    po, pn = f"{kp_o}/{escape(name)}", f"{kp_n}/{escape(name)}"
                    if so is MISSING or sn is MISSING:
                        out.append(
                            Change(kw, po if so is not MISSING else kp_o, pn if sn is not MISSING else kp_n,
                                   so, sn, old, new, name, op, np)
                        )  # fmt: skip
                    else:
                        _walk(so, sn, po, pn, out, depth + 1, ctx)
                continue
            if kw in _SUB_LIST and isinstance(o, list) and isinstance(n, list):
                for i in range(max(len(o), len(n))):
                    po, pn = f"{kp_o}/{i}", f"{kp_n}/{i}"
                    if i < len(o) and i < len(n):
                        _walk(o[i], n[i], po, pn, out, depth + 1, ctx)
                    else:
                        out.append(
                            Change(kw, po if i < len(o) else kp_o, pn if i < len(n) else kp_n,
                                   o[i] if i < len(o) else MISSING, n[i] if i < len(n) else MISSING,
                                   old, new, str(i), op, np)
                        )  # fmt: skip
                continue
            if kw == "$ref" and ctx.follow(o, n, depth):
                continue
            if kw in ("required", "enum") and isinstance(o, list) and isinstance(n, list):
                for v in o:
                    if not any(json_equal(v, w) for w in n):
                        out.append(Change(kw, kp_o, kp_n, v, MISSING, old, new, _key(v), op, np))
                for v in n:
                    if not any(json_equal(v, w) for w in o):
                        out.append(Change(kw, kp_o, kp_n, MISSING, v, old, new, _key(v), op, np))
                continue
        out.append(
            Change(kw, kp_o if o is not MISSING else op, kp_n if n is not MISSING else np, o, n, old, new, None, op, np)
        )


def _key(v: Any) -> str:
    import json

    return v if isinstance(v, str) else json.dumps(v)
