"""Where subschemas live in a draft 2020-12 schema: the one walk every layer shares.

The walk also enters the keywords a translation from an older draft renamed `x-ignored:<keyword>`
(`contractkit.dialects`): they validate nothing, but a `$ref` may point into them, and the refs inside
them must be resolved and bundled like any other.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["SCHEMA_KEYWORDS", "SCHEMA_LIST_KEYWORDS", "SCHEMA_MAP_KEYWORDS", "escape", "subschemas"]

# keyword -> a single subschema
SCHEMA_KEYWORDS = frozenset(
    {
        "additionalProperties",
        "items",
        "contains",
        "not",
        "if",
        "then",
        "else",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)
# keyword -> a list of subschemas
SCHEMA_LIST_KEYWORDS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
# keyword -> a map of name -> subschema
SCHEMA_MAP_KEYWORDS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
_IGNORED = "x-ignored:"
_IGNORED_MAPS = SCHEMA_MAP_KEYWORDS | {"dependencies"}


def escape(token: str) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def subschemas(schema: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Yield (pointer, subschema) for the schema and every subschema below it, depth first."""
    stack: list[tuple[str, Any]] = [(pointer, schema)]
    while stack:
        ptr, node = stack.pop()
        yield ptr, node
        if not isinstance(node, dict):
            continue
        children: list[tuple[str, Any]] = []
        for key, value in node.items():
            if key.startswith(_IGNORED):
                key = key[len(_IGNORED) :]
                kp = f"{ptr}/{escape(_IGNORED + key)}"
                if key in _IGNORED_MAPS and isinstance(value, dict):
                    children.extend((f"{kp}/{escape(n)}", sub) for n, sub in value.items() if isinstance(sub, dict))
                elif isinstance(value, list):
                    children.extend((f"{kp}/{i}", item) for i, item in enumerate(value) if isinstance(item, dict))
                elif isinstance(value, dict) and key in SCHEMA_KEYWORDS | SCHEMA_LIST_KEYWORDS | {"additionalItems"}:
                    children.append((kp, value))
            elif key in SCHEMA_KEYWORDS:
                children.append((f"{ptr}/{escape(key)}", value))
            elif key in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
                children.extend((f"{ptr}/{key}/{i}", item) for i, item in enumerate(value))
            elif key in SCHEMA_MAP_KEYWORDS and isinstance(value, dict):
                children.extend((f"{ptr}/{escape(key)}/{escape(name)}", sub) for name, sub in value.items())
        stack.extend(reversed(children))
