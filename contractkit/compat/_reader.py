"""Reader policies: how the schema on the reading side is read.

``strict`` reads a schema as JSON Schema says (today's set semantics). ``tolerant`` is the reader of
the tolerant-reader pattern (Zalando's API guidelines, Google AIP-180, Stripe): it ignores object
properties it does not know. Its schema is read with every ``additionalProperties: false`` and
``unevaluatedProperties: false`` lifted, so an undeclared property is accepted, whatever its value,
while every *declared* property, every map (``additionalProperties`` as a schema) and every
pattern property keeps its constraints. A value added to an ``enum`` that such a reader reads is
reported as a ``warning`` (an extensible enum), not an error.

In a direction the reader is the target: the new schema backward (new readers, old writers), the
old one forward (old readers, new writers).
"""

from __future__ import annotations

from typing import Any, Final, Literal

Reader = Literal["strict", "tolerant"]
READERS: Final[tuple[Reader, ...]] = ("strict", "tolerant")
_CLOSERS = ("additionalProperties", "unevaluatedProperties")


_SINGLE = frozenset(
    {"items", "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "contains", "propertyNames",
     "not", "if", "then", "else", "contentSchema"}
)  # fmt: skip
_MAP = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs", "definitions"})
_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def tolerant(schema: Any) -> Any:
    """``schema`` as a tolerant reader reads it: unknown properties are never a reason to reject.

    Only a literal ``false`` closes an object; anything else (a schema for a map's values) stays.
    The result accepts a superset of what ``schema`` accepts; it is a new object (the input is not
    modified), or ``schema`` itself when nothing changes.
    """
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    changed = False
    for k, v in schema.items():
        if k in _CLOSERS and v is False:
            changed = True
            continue
        t: Any = v
        if k in _SINGLE:
            t = tolerant(v)
        elif k in _MAP and isinstance(v, dict):
            members = {name: tolerant(x) for name, x in v.items()}
            t = v if all(members[n] is v[n] for n in v) else members
        elif k in _LIST and isinstance(v, list):
            items = [tolerant(x) for x in v]
            t = v if all(a is b for a, b in zip(items, v, strict=True)) else items
        changed = changed or t is not v
        out[k] = t
    return out if changed else schema
