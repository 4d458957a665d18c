"""Is this input what it claims to be? Document kinds, and unknown keywords in schemas.

A JSON Schema validator ignores keywords it does not know, so a typo (`"requried"`, `"maximun"`) silently
drops a constraint, and any JSON object (`{"name": "John"}`) is a schema that accepts everything. This
module tells the kinds apart (:func:`kind_of`, :func:`require_schema`) and lists unknown keywords with a
"did you mean" for near-misses (:func:`unknown_keywords`, :func:`lint_registry` for the gate).

Known keywords are those of every JSON Schema draft (a 2020-12 schema that still says `definitions` or
`id` is common and harmless), the OpenAPI schema keywords of the dialect, `x-` extensions and a few
editor annotations in wide use. Suggestions come from the schema's own dialect only.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from contractkit.errors import InputError

if TYPE_CHECKING:
    from contractkit.registry import Registry

__all__ = [
    "KNOWN_KEYWORDS",
    "VOCABULARIES",
    "DocumentKind",
    "KeywordWarning",
    "kind_of",
    "lint_registry",
    "require_schema",
    "unknown_keywords",
]

DocumentKind = Literal["schema", "openapi", "swagger", "unknown"]

_2020_12 = frozenset(
    {
        # core
        "$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment", "$defs",
        # applicators
        "prefixItems", "items", "contains", "additionalProperties", "properties", "patternProperties",
        "dependentSchemas", "propertyNames", "if", "then", "else", "allOf", "anyOf", "oneOf", "not",
        "unevaluatedItems", "unevaluatedProperties",
        # validation
        "type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
        "maxProperties", "minProperties", "required", "dependentRequired",
        # format, content, meta-data
        "format", "contentEncoding", "contentMediaType", "contentSchema",
        "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples",
    }
)  # fmt: skip
_2019_09 = (_2020_12 - {"prefixItems", "$dynamicRef", "$dynamicAnchor"}) | {
    "$recursiveRef",
    "$recursiveAnchor",
    "additionalItems",
}
_DRAFT_07 = (
    _2019_09
    - {"$recursiveRef", "$recursiveAnchor", "$anchor", "$vocabulary", "$defs", "unevaluatedItems"}
    - {"unevaluatedProperties", "dependentSchemas", "dependentRequired", "maxContains", "minContains"}
    - {"contentSchema", "deprecated"}
) | {"definitions", "dependencies"}
_DRAFT_06 = (
    _DRAFT_07 - {"$comment", "if", "then", "else", "readOnly", "writeOnly", "contentMediaType"} - {"contentEncoding"}
)
_DRAFT_04 = (_DRAFT_06 - {"$id", "const", "contains", "propertyNames", "examples"}) | {"id"}
# OpenAPI 3.0's Schema Object: a subset of draft wright-00 plus its own keywords.
_OPENAPI_30 = (_DRAFT_04 - {"$schema", "id", "definitions", "dependencies", "patternProperties", "additionalItems"}) | {
    "nullable",
    "discriminator",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
}
# OpenAPI 3.1: draft 2020-12 plus the OAS base vocabulary.
_OPENAPI_31 = _2020_12 | {"discriminator", "xml", "externalDocs", "example"}

VOCABULARIES: dict[str, frozenset[str]] = {
    "2020-12": _2020_12,
    "2019-09": _2019_09,
    "draft-07": _DRAFT_07,
    "draft-06": _DRAFT_06,
    "draft-04": _DRAFT_04,
    "openapi-3.0": _OPENAPI_30,
    "openapi-3.1": _OPENAPI_31,
}
"""The keywords each dialect defines (suggestions for near-misses come from these)."""

# Annotations that editors and validators add, in wide use in public schemas (VS Code, ajv-errors, Taplo).
_CONVENTIONS = frozenset(
    {
        "markdownDescription",
        "markdownEnumDescriptions",
        "enumDescriptions",
        "deprecationMessage",
        "errorMessage",
        "defaultSnippets",
        "doNotSuggest",
        "suggestSortText",
        "allowComments",
        "allowTrailingCommas",
        "tsType",
    }
)

KNOWN_KEYWORDS = frozenset().union(*VOCABULARIES.values()) - {"nullable"} | _CONVENTIONS
"""Keywords never reported as unknown, whatever the dialect (`nullable` only counts in OpenAPI 3.0)."""

_HINTS = {
    "nullable": 'nullable is an OpenAPI 3.0 keyword with no effect here; allow null with "type": [..., "null"]',
}

# Where subschemas are, over every draft (items as an array and dependencies' schema values included).
_ONE = frozenset(
    {
        "additionalProperties", "items", "contains", "not", "if", "then", "else", "propertyNames",
        "unevaluatedItems", "unevaluatedProperties", "contentSchema", "additionalItems",
    }
)  # fmt: skip
_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})
_MAP = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"})


@dataclass(frozen=True, slots=True)
class KeywordWarning:
    """An unknown keyword at `pointer` (of `file` when known), with the keyword it probably meant."""

    pointer: str
    keyword: str
    suggestion: str | None = None
    hint: str | None = None
    file: str | None = None

    @property
    def message(self) -> str:
        text = f"unknown keyword {self.keyword!r}"
        if self.suggestion is not None:
            text += f" (did you mean {self.suggestion!r}?)"
        if self.hint is not None:
            text += f": {self.hint}"
        return text + "; validators ignore it"

    def one_line(self) -> str:
        where = f"{self.file}#{self.pointer}" if self.file is not None else f"#{self.pointer}"
        return f"{where}: {self.message}"


def kind_of(value: Any) -> DocumentKind:
    """What a parsed document is: an OpenAPI 3.x document, a Swagger 2 one, a JSON Schema, or neither."""
    if isinstance(value, bool):
        return "schema"
    if not isinstance(value, dict):
        return "unknown"
    if "openapi" in value:
        return "openapi"
    if "swagger" in value:
        return "swagger"
    if not value or not KNOWN_KEYWORDS.isdisjoint(value) or "nullable" in value:
        return "schema"
    return "unknown"


def require_schema(value: Any, where: Path | str) -> None:
    """Raise InputError unless `value` is a JSON Schema (an object with a schema keyword, `{}` or a boolean)."""
    kind = kind_of(value)
    if kind == "schema":
        return
    if kind == "openapi":
        raise InputError(where, None, "is an OpenAPI document, not a JSON Schema; compare it with another document")
    if kind == "swagger":
        raise InputError(where, None, "is a Swagger 2.0 document; only OpenAPI 3.0 and 3.1 are supported")
    if isinstance(value, dict):
        keys = ", ".join(sorted(value)[:5]) + (", ..." if len(value) > 5 else "")
        reason = f"none of its keys ({keys}) is a JSON Schema keyword, and it has no 'openapi' field"
    else:
        reason = f"it is a JSON {_json_type(value)}"
    raise InputError(where, "", f"neither a JSON Schema nor an OpenAPI document: {reason}")


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "array"
    return type(value).__name__


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _schema_nodes(schema: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    stack: list[tuple[str, Any]] = [(pointer, schema)]
    while stack:
        ptr, node = stack.pop()
        if not isinstance(node, dict):
            continue
        yield ptr, node
        children: list[tuple[str, Any]] = []
        for key, value in node.items():
            at = f"{ptr}/{_escape(key)}"
            if key in _LIST and isinstance(value, list):
                children += [(f"{at}/{i}", item) for i, item in enumerate(value)]
            elif key in _ONE:
                children.append((at, value))
            elif key in _MAP and isinstance(value, dict):
                children += [(f"{at}/{_escape(name)}", sub) for name, sub in value.items()]
        stack.extend(reversed(children))


def suggest(keyword: str, dialect: str = "2020-12") -> str | None:
    """The keyword of `dialect` that `keyword` most probably misspells, or None."""
    vocab = VOCABULARIES.get(dialect, _2020_12)
    lowered = {k.lower(): k for k in vocab}
    if keyword.lower() in lowered:
        return lowered[keyword.lower()]
    close = difflib.get_close_matches(keyword, sorted(vocab), n=1, cutoff=0.75)
    return close[0] if close else None


def unknown_keywords(
    schema: Any, dialect: str = "2020-12", *, pointer: str = "", file: Path | str | None = None
) -> tuple[KeywordWarning, ...]:
    """Every keyword of `schema` (and its subschemas) that no draft nor `dialect` defines."""
    known = KNOWN_KEYWORDS | (VOCABULARIES.get(dialect) or frozenset())
    where = None if file is None else str(file)
    out: list[KeywordWarning] = []
    for ptr, node in _schema_nodes(schema, pointer):
        for key in node:
            if key in known or key.startswith("x-"):
                continue
            out.append(KeywordWarning(ptr, key, suggest(key, dialect), _HINTS.get(key), where))
    return tuple(out)


def lint_registry(registry: Registry) -> tuple[KeywordWarning, ...]:
    """Unknown keywords in every schema file of a registry, file by file (for `validate` and the gate)."""
    from contractkit.dialects import UnsupportedDialectError, dialect_of

    out: list[KeywordWarning] = []
    for path in registry.files:
        doc = registry.document(path)
        try:
            dialect: str = dialect_of(doc)
        except UnsupportedDialectError:
            dialect = "2020-12"
        out += unknown_keywords(doc, dialect, file=_relative(path))
    return tuple(out)


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
