"""Whether a place in a schema document may be applied as a schema through a reference.

An annotation keyword (``title``, ``examples``) or a keyword draft 2020-12 does not define
(``x-defs``, OpenAPI-style ``components``) does not assert anything where it stands, but a ``$ref``
may point into its value and apply it as a schema from elsewhere (``"$ref": "#/components/schemas/A"``);
so may an ``$id`` or an ``$anchor`` inside it. A change there is then not an annotation: it changes
what the referring subschemas accept. This answers conservatively: any reference whose fragment
points at or under the place (whatever document its URI names), or any identifier inside it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from contractkit._json import value_at
from contractkit.compat._doc import Doc
from contractkit.compat._scope import schema_places

_REF_KEYS = ("$ref", "$dynamicRef", "$recursiveRef")
_ID_KEYS = frozenset({"$id", "$anchor", "$dynamicAnchor", "$recursiveAnchor"})
_MISSING = object()


def addressed(doc: Doc, ptr: str) -> bool:
    """True when the value at ``ptr`` (a JSON pointer into ``doc``) may be applied through a reference."""
    frags = doc.facts.get("ref-fragments")
    if frags is None:  # every reference of the document, data included, read once per document
        frags = doc.facts["ref-fragments"] = (
            tuple(_fragments(doc.root)) if doc.may_hold(b"$ref", b"$dynamicRef", b"$recursiveRef") else ()
        )
    if any(frag == ptr or frag.startswith(ptr + "/") for frag in frags):
        return True
    above = [frag for frag in frags if ptr.startswith(frag + "/")]
    if above:
        # a reference to a place above that is no schema (a "$defs" or "properties" map) reads the names
        # of its members as keywords: whatever lies under them is applied as a schema
        places = doc.facts.get("schema-places")
        if places is None:
            places = doc.facts["schema-places"] = frozenset(p for p, _node in schema_places(doc.root))
        if any(frag not in places for frag in above):
            return True
    node = value_at(doc.root, ptr, _MISSING)
    return node is not _MISSING and _has_ids(node)


def _fragments(node: Any) -> list[str]:
    out: list[str] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            for k, v in n.items():
                if k in _REF_KEYS and isinstance(v, str):
                    out.append(unquote(v.partition("#")[2]))
                else:
                    stack.append(v)
        elif isinstance(n, list):
            stack.extend(n)
    return out


def _has_ids(node: Any) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if any(k in _ID_KEYS and isinstance(v, str) for k, v in n.items()):
                return True
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)
    return False
