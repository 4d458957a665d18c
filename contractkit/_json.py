"""Shared JSON helpers: JSON equality and types, the keywords that hold data, JSON-pointer tokens.

One home for what the compatibility engine (and, in time, the registry and the gate) needs to read
JSON Schema documents as JSON: ``1 == 1.0`` but ``true != 1``; ``enum``/``const``/``default``/
``examples`` hold instances, not subschemas; RFC 6901 pointer tokens escape ``~`` and ``/``.
"""

from __future__ import annotations

import json
import json.encoder
from typing import Any, Final

__all__ = [
    "DATA_KEYWORDS",
    "dumps_sorted",
    "escape",
    "has_keyword",
    "holds",
    "is_big",
    "is_number",
    "json_equal",
    "json_type",
    "unescape",
    "value_at",
]

DATA_KEYWORDS: Final = frozenset({"enum", "const", "default", "examples"})
"""Keywords whose values are instances (data), never subschemas: walkers must not descend into them."""


def _c_encoder(default: Any) -> Any:
    """The C encoder ``json.dumps(v, sort_keys=True)`` builds on every call, built once (None without the
    C accelerator). No cycle check: the values are JSON documents, which hold no cycles."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return None
    ascii_ = json.encoder.encode_basestring_ascii
    return make(None, default, ascii_, None, ": ", ", ", True, False, True)


def _raise(o: Any) -> Any:
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


_SORTED: Final = _c_encoder(_raise)
_ASCII: Final = json.encoder.encode_basestring_ascii
_SORTED_STR: Final = _c_encoder(str)


def dumps_sorted(v: Any, *, default_str: bool = False) -> str:
    """``json.dumps(v, sort_keys=True)`` (``default=str`` with `default_str`), without the two Python-level
    calls and the encoder construction json.dumps makes each time (a twentieth of a compiled comparison)."""
    # a scalar written as json.dumps writes it, without a call into the encoder
    if isinstance(v, str):
        return _ASCII(v)
    t = type(v)
    if t is int:
        return int.__repr__(v)
    if t is bool:
        return "true" if v else "false"
    if v is None:
        return "null"
    if t is float and v - v == 0.0:  # finite (json.dumps writes NaN and the infinities its own way)
        return float.__repr__(v)
    enc = _SORTED_STR if default_str else _SORTED
    if enc is None:
        return json.dumps(v, sort_keys=True, default=str if default_str else None)
    return "".join(enc(v, 0))


def holds(text: bytes, word: bytes) -> bool:
    """Whether a document's bytes (its content key) hold ``word``: ``word in text``, by ``bytes.find``. The ``in``
    operator first tries the word as an integer (a byte value), and formats the TypeError it then clears,
    on every call."""
    return text.find(word) >= 0


def escape(token: str) -> str:
    """One JSON-pointer reference token (RFC 6901): ``~`` → ``~0``, ``/`` → ``~1``."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """The inverse of :func:`escape`."""
    return token.replace("~1", "/").replace("~0", "~")


def value_at(root: Any, ptr: str, missing: Any = None) -> Any:
    """The value at a plain JSON pointer (``/a/0/b``), or ``missing`` when the path does not lead there."""
    node = root
    for raw in ptr.split("/")[1:] if ptr else []:
        tok = unescape(raw)
        if isinstance(node, dict) and tok in node:
            node = node[tok]
        elif isinstance(node, list) and tok.isdigit() and int(tok) < len(node):
            node = node[int(tok)]
        else:
            return missing
    return node


def has_keyword(node: Any, keys: frozenset[str]) -> bool:
    """Whether any schema object in ``node`` (not inside a data keyword's value) has one of ``keys``."""
    if isinstance(node, dict):
        if not keys.isdisjoint(node):
            return True
        return any(has_keyword(v, keys) for k, v in node.items() if k not in DATA_KEYWORDS)
    if isinstance(node, list):
        return any(has_keyword(x, keys) for x in node)
    return False


_NUMBER = (int, float)  # isinstance on a tuple: no union object built per call


def is_number(x: Any) -> bool:
    """A JSON number (booleans are not numbers)."""
    return isinstance(x, _NUMBER) and not isinstance(x, bool)


def is_big(x: Any) -> bool:
    """Beyond ±2**53 implementations disagree (float vs arbitrary precision)."""
    return bool(abs(x) > 2**53)


def json_type(v: Any) -> str:
    """The JSON Schema type name of an instance (``integer`` for integral numbers, 1.0 included)."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "integer" if v.is_integer() else "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "unknown"


def json_equal(x: Any, y: Any) -> bool:
    """JSON equality: 1 == 1.0, but booleans are not numbers (and huge numbers compare by type too)."""
    tx = type(x)
    if tx is str:  # the common cases first, answered as the general ones below would
        return type(y) is str and x == y
    if tx is dict:
        return isinstance(y, dict) and x.keys() == y.keys() and all(json_equal(v, y[k]) for k, v in x.items())
    if isinstance(x, bool) or isinstance(y, bool):
        return x is y
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(json_equal(v, y[k]) for k, v in x.items())
    if isinstance(x, list):
        return isinstance(y, list) and len(x) == len(y) and all(json_equal(u, v) for u, v in zip(x, y, strict=True))
    if is_number(x):
        if not is_number(y) or x != y:
            return False
        return type(x) is type(y) or not (is_big(x) or is_big(y))
    return type(x) is type(y) and bool(x == y)
