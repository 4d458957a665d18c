"""JSON Schema dialects: which draft a schema is written in, and its faithful translation to draft 2020-12.

The engine, the registry and the OpenAPI reader work on draft 2020-12. Schemas written for an older draft
(draft-04, -06, -07, 2019-09) or in an OpenAPI 3.0 / 3.1 document are translated once, on the way in, by
:func:`to_2020_12` (or :func:`translate`, which also says where each subschema moved). The translation is
checked against the official JSON-Schema-Test-Suite of each draft (tests/dialects/).

The dialect comes from `$schema`; a schema without one is read in the configured default
(`[tool.contractkit] dialect`, else 2020-12). OpenAPI 3.0 schemas carry no `$schema`: name the dialect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, Literal, get_args

import jsonschema_rs

from contractkit._json import holds
from contractkit.dialects._regex import compilable
from contractkit.dialects._translate import NO_BOOLEAN_SCHEMAS, URI_2020_12, convert
from contractkit.errors import ContractkitError

__all__ = [
    "DIALECTS",
    "DIALECT_URIS",
    "Dialect",
    "Translation",
    "UnsupportedDialectError",
    "dialect_of",
    "metaschema_problem",
    "parse_dialect",
    "to_2020_12",
    "translate",
]

Dialect = Literal["draft-04", "draft-06", "draft-07", "2019-09", "2020-12", "openapi-3.0", "openapi-3.1"]
DIALECTS: tuple[Dialect, ...] = get_args(Dialect)

#: The canonical `$schema` URI of each JSON Schema draft (OpenAPI 3.0 has none).
DIALECT_URIS: Mapping[Dialect, str] = MappingProxyType(
    {
        "draft-04": "http://json-schema.org/draft-04/schema#",
        "draft-06": "http://json-schema.org/draft-06/schema#",
        "draft-07": "http://json-schema.org/draft-07/schema#",
        "2019-09": "https://json-schema.org/draft/2019-09/schema",
        "2020-12": URI_2020_12,
        "openapi-3.1": "https://spec.openapis.org/oas/3.1/dialect/base",
    }
)

# `$schema` without scheme and trailing '#' -> dialect
_BY_URI: dict[str, Dialect] = {
    "json-schema.org/draft/2020-12/schema": "2020-12",
    "json-schema.org/draft/2019-09/schema": "2019-09",
    "json-schema.org/draft-07/schema": "draft-07",
    "json-schema.org/draft-06/schema": "draft-06",
    "json-schema.org/draft-04/schema": "draft-04",
    "spec.openapis.org/oas/3.1/dialect/base": "openapi-3.1",
}
_ALIASES: dict[str, Dialect] = {
    "draft4": "draft-04",
    "draft-4": "draft-04",
    "draft6": "draft-06",
    "draft-6": "draft-06",
    "draft7": "draft-07",
    "draft-7": "draft-07",
    "draft2019-09": "2019-09",
    "draft2020-12": "2020-12",
    "openapi3.0": "openapi-3.0",
    "openapi3.1": "openapi-3.1",
}


class UnsupportedDialectError(ContractkitError, ValueError):
    """A `$schema` this module does not know, or a dialect name it does not know."""


def parse_dialect(name: str) -> Dialect:
    """A dialect name as written in configuration ("draft-07", "draft7", "2020-12", "openapi-3.0", ...)."""
    key = name.strip().lower()
    for d in DIALECTS:
        if d == key:
            return d
    if key in _ALIASES:
        return _ALIASES[key]
    raise UnsupportedDialectError(f"unknown dialect {name!r} (known: {', '.join(DIALECTS)})")


def dialect_of(schema: Any, default: Dialect = "2020-12") -> Dialect:
    """The dialect a schema declares in `$schema` (http or https, with or without '#'), else `default`."""
    uri = schema.get("$schema") if isinstance(schema, dict) else None
    if uri is None:
        return default
    if not isinstance(uri, str):
        raise UnsupportedDialectError(f"$schema must be a string, got {type(uri).__name__}")
    key = uri.strip().rstrip("#").removeprefix("https://").removeprefix("http://")
    found = _BY_URI.get(key)
    if found is None and key.startswith("spec.openapis.org/oas/3.1/dialect/"):
        found = "openapi-3.1"
    if found is None:
        raise UnsupportedDialectError(
            f"unknown $schema {uri!r}: contractkit reads draft-04, -06, -07, 2019-09, 2020-12 and the "
            "OpenAPI 3.1 dialect"
        )
    return found


_set: Final = object.__setattr__


@dataclass(frozen=True, slots=True, init=False)
class Translation:
    """A schema translated to draft 2020-12.

    ``moved`` maps the JSON pointer of each subschema whose place changed (old -> new, e.g.
    ``/items/0`` -> ``/prefixItems/0``); a pointer below a moved one moves with it. ``uncompilable``
    lists ``(pointer, pattern)`` for each regular expression the validator cannot compile and that has
    no known equivalent form (left as written).
    """

    schema: Any
    dialect: Dialect
    moved: Mapping[str, str]
    uncompilable: tuple[tuple[str, str], ...] = ()

    # written (init=False): compiled in the compiled build, where a generated one runs as bytecode
    def __init__(
        self, schema: Any, dialect: Dialect, moved: Mapping[str, str], uncompilable: tuple[tuple[str, str], ...] = ()
    ) -> None:
        _set(self, "schema", schema)
        _set(self, "dialect", dialect)
        _set(self, "moved", moved)
        _set(self, "uncompilable", uncompilable)

    def pointer(self, old: str) -> str:
        """Where the subschema at `old` (a pointer into the source schema) is in the translation."""
        probe = old
        while True:
            if probe in self.moved:
                return self.moved[probe] + old[len(probe) :]
            if not probe:
                return old
            probe = probe.rpartition("/")[0]

    def source_pointer(self, new: str) -> str:
        """Where the subschema at `new` (a pointer into the translation) was in the source schema, for
        messages in the author's terms: `/prefixItems/0` of a draft-07 schema was `/items/0`."""
        best = ""
        found = new
        for old, moved_to in self.moved.items():
            if (new == moved_to or new.startswith(moved_to + "/")) and len(moved_to) > len(best):
                best, found = moved_to, old + new[len(moved_to) :]
        return found


_EMPTY: Mapping[str, str] = MappingProxyType({})


def translate(
    schema: Any,
    dialect: Dialect | None = None,
    *,
    default: Dialect = "2020-12",
    base: str | None = None,
    content: bytes | None = None,
) -> Translation:
    """`schema` as an equivalent draft 2020-12 schema, with where its subschemas moved.

    `dialect` overrides what `$schema` says; without either, `default` applies. `base` is the URI the
    document is known by (its file or catalogue URI), against which relative `$id`s and `$ref`s resolve.
    The input is never modified; a 2020-12 schema that needs no change comes back as the same object.
    `content`: the schema's content key (`compat._memo.content_key`) when the caller has it; it holds the
    text of every string of the schema, so one without "pattern" or "$schema" in it needs no walk.
    """
    d = dialect or dialect_of(schema, default)
    if d not in DIALECTS:
        raise UnsupportedDialectError(f"unknown dialect {d!r} (known: {', '.join(DIALECTS)})")
    if d == "2020-12" and not (
        (content is None or holds(content, b"pattern") or holds(content, b"$schema")) and _needs_work(schema)
    ):
        return Translation(schema, d, _EMPTY)
    done = convert(schema, d, base=base)
    return Translation(done.schema, d, MappingProxyType(done.moved), tuple(done.uncompilable))


def to_2020_12(schema: Any, dialect: Dialect | None = None, *, default: Dialect = "2020-12") -> Any:
    """`schema` as an equivalent draft 2020-12 schema (the input is not modified).

    `dialect` overrides what `$schema` says; without either, `default` applies.
    """
    return translate(schema, dialect, default=default).schema


def _needs_work(schema: Any) -> bool:
    """A 2020-12 schema needs translating only for a foreign `$schema` or a pattern to rewrite.

    On the engine's path for every comparison: one tight walk, patterns looked up in a memo.
    """
    if type(schema) is not dict:
        return False
    try:
        return _scan(schema)
    except RecursionError:
        return False  # the validator will say the schema is nested too deeply


def _scan(node: dict[str, Any]) -> bool:
    for key, value in node.items():
        t = type(value)
        if t is dict:
            if key == "patternProperties" and any(compilable(p) != p for p in value):
                return True
            if _scan(value):
                return True
        elif t is list:
            for item in value:
                if type(item) is dict and _scan(item):
                    return True
        elif t is str:
            if key == "pattern":
                if compilable(value) != value:
                    return True
            elif key == "$schema" and value != URI_2020_12 and value.rstrip("#") != URI_2020_12:
                return True
    return False


_META_URI: dict[Dialect, str] = {
    "draft-04": DIALECT_URIS["draft-04"],
    "draft-06": DIALECT_URIS["draft-06"],
    "draft-07": DIALECT_URIS["draft-07"],
    "2019-09": DIALECT_URIS["2019-09"],
    "2020-12": URI_2020_12,
    "openapi-3.0": DIALECT_URIS["draft-04"],  # the OpenAPI 3.0 schema object is a draft-04 extension
    "openapi-3.1": URI_2020_12,
}


_META_VALIDATORS: dict[str, Any] = {}


def _valid_2020_12(doc: Any) -> bool:
    """Whether `doc` is valid under the 2020-12 metaschema, by a validator of it compiled once (on first use:
    about a millisecond): the verdict of meta.validate (tests/dialects/test_metaschema.py) in two thirds of
    its time. False also when it cannot tell (a value that is no JSON): meta.validate then gives the message."""
    v = _META_VALIDATORS.get(URI_2020_12)
    if v is None:
        v = _META_VALIDATORS[URI_2020_12] = jsonschema_rs.Draft202012Validator({"$ref": URI_2020_12}, offline=True)
    try:
        return bool(v.is_valid(doc))
    except (ValueError, RecursionError, jsonschema_rs.ReferencingError):
        return False


def metaschema_problem(schema: Any, dialect: Dialect) -> tuple[str, str] | None:
    """(JSON pointer, message) of the first way `schema` breaks its dialect's metaschema, else None."""
    if isinstance(schema, bool):
        return ("", f"{dialect} has no boolean schemas") if dialect in NO_BOOLEAN_SCHEMAS else None
    if not isinstance(schema, dict):
        return "", f"a schema must be an object or a boolean, got {type(schema).__name__}"
    uri = _META_URI[dialect]
    declared = schema.get("$schema")
    doc = schema if declared == uri or (declared is None and uri == URI_2020_12) else {**schema, "$schema": uri}
    if uri == URI_2020_12 and _valid_2020_12(doc):
        return None
    try:
        jsonschema_rs.meta.validate(doc)
    except jsonschema_rs.ValidationError as exc:
        pointer = "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in exc.instance_path)
        return pointer, exc.message
    except (ValueError, jsonschema_rs.ReferencingError) as exc:
        return "/$schema", str(exc)
    return None
