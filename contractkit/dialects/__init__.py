"""JSON Schema dialects: which draft a schema is written in, and its faithful translation to draft 2020-12.

The engine, the registry and the OpenAPI reader work on draft 2020-12. Schemas written for an older draft
(or in an OpenAPI 3.0 document) are translated once, on the way in, by :func:`to_2020_12`.

This module is the shared interface; dialects other than 2020-12 / OpenAPI 3.1 are not translated yet.
"""

from __future__ import annotations

from typing import Any, Literal

from contractkit.errors import ContractkitError

__all__ = ["DIALECTS", "Dialect", "UnsupportedDialectError", "dialect_of", "to_2020_12"]

Dialect = Literal["draft-04", "draft-06", "draft-07", "2019-09", "2020-12", "openapi-3.0", "openapi-3.1"]
DIALECTS: tuple[Dialect, ...] = ("draft-04", "draft-06", "draft-07", "2019-09", "2020-12", "openapi-3.0", "openapi-3.1")

_BY_URI: dict[str, Dialect] = {
    "https://json-schema.org/draft/2020-12/schema": "2020-12",
    "https://json-schema.org/draft/2019-09/schema": "2019-09",
    "http://json-schema.org/draft-07/schema": "draft-07",
    "http://json-schema.org/draft-06/schema": "draft-06",
    "http://json-schema.org/draft-04/schema": "draft-04",
    "https://spec.openapis.org/oas/3.1/dialect/base": "openapi-3.1",
}


class UnsupportedDialectError(ContractkitError, ValueError):
    """A `$schema` this module does not know, or a dialect it cannot translate."""


def dialect_of(schema: Any, default: Dialect = "2020-12") -> Dialect:
    """The dialect a schema declares in `$schema` (without a trailing '#'), else `default`."""
    uri = schema.get("$schema") if isinstance(schema, dict) else None
    if uri is None:
        return default
    if not isinstance(uri, str):
        raise UnsupportedDialectError(f"$schema must be a string, got {type(uri).__name__}")
    key = uri.rstrip("#")
    if key.startswith("https://json-schema.org/draft-0") or key.startswith("http://json-schema.org/draft/"):
        key = key.replace("https://", "http://", 1) if "draft-0" in key else key.replace("http://", "https://", 1)
    found = _BY_URI.get(key)
    if found is None:
        raise UnsupportedDialectError(f"unknown $schema {uri!r}")
    return found


def to_2020_12(schema: Any, dialect: Dialect | None = None, *, default: Dialect = "2020-12") -> Any:
    """`schema` as an equivalent draft 2020-12 schema (a new object; the input is not modified).

    `dialect` overrides what `$schema` says; without either, `default` applies.
    """
    d = dialect or dialect_of(schema, default)
    if d in ("2020-12", "openapi-3.1"):
        return schema
    raise UnsupportedDialectError(f"{d} schemas are not supported yet; only draft 2020-12 is")
