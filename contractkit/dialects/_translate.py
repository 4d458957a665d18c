"""A schema of any supported dialect, rewritten into the draft 2020-12 schema that means the same.

Three passes over the document:

1. **index** — walk the schema positions of the source dialect, recording each schema resource
   (`$id` / draft-04 `id`, resolved against its parent's base URI), each anchor and each `$ref`;
   resolve the refs that stay inside the document, so that a ref target lying outside any schema
   position (`{"$ref": "#/x-shared/a"}`, an OpenAPI `components` block) is translated too;
2. **convert** — build the 2020-12 schema, keyword by keyword, recording where each schema moved
   (`items[0]` becomes `prefixItems[0]`, `dependencies/a` becomes `dependentSchemas/a`, ...);
3. **re-point** — rewrite the JSON-pointer fragment of every in-document `$ref` through those moves.

What changes, by source dialect (everything else is kept as written):

* draft-04 and OpenAPI 3.0: boolean `exclusiveMaximum`/`exclusiveMinimum` become the numeric form;
  draft-04 `id` becomes `$id` (a fragment-only id becomes `$anchor`);
* draft-04/06/07 and OpenAPI 3.0: a schema with `$ref` keeps only the `$ref` (its other keywords were
  ignored); `definitions`/`$defs` beside it stay, as places refs point to;
* up to 2019-09: `dependencies` splits into `dependentRequired` (arrays) and `dependentSchemas`
  (schemas); array-form `items` + `additionalItems` become `prefixItems` + `items`; `additionalItems`
  beside a single-schema `items` was ignored and is dropped;
* 2019-09: `$recursiveAnchor: true` becomes `$dynamicAnchor` with a reserved name and `$recursiveRef`
  becomes `$dynamicRef` to it (or a plain `$ref` where the resource has no recursive anchor);
* OpenAPI 3.0: `nullable: true` adds "null" to `type` (and only there: it does not widen `enum`, as
  OpenAPI 3.0.3 states); without `type` it has no effect;
* a keyword the source draft does not define but 2020-12 does (`const` or `if` in a draft-04 schema,
  `$anchor` or `$defs` in draft-07) was ignored by that draft's validators: it is renamed
  `x-ignored:<keyword>` (a ref into it still finds its target, translated);
* a `format` the source draft does not define (`uuid` or `date` in draft-04/06, `uuid` and `duration`
  in draft-07) was not asserted by that draft: it becomes the annotation `x-ignored:format`;
* `pattern` / `patternProperties` that the validator cannot compile are rewritten when an equivalent
  ECMA-262 form exists (see `_regex`); the others are listed in `Translation.uncompilable`;
* `$schema` becomes the 2020-12 URI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from contractkit._json import escape, unescape, value_at
from contractkit._uri import join_split, split
from contractkit.dialects._regex import compilable

__all__ = ["URI_2020_12", "Index", "convert", "escape", "unescape"]

URI_2020_12 = "https://json-schema.org/draft/2020-12/schema"
RECURSIVE_ANCHOR = "contractkit.recursive"
IGNORED = "x-ignored:"
_PLACEHOLDER_BASE = "https://contractkit.invalid/root.json"

LEGACY_REF = frozenset({"draft-04", "draft-06", "draft-07", "openapi-3.0"})
BOOL_EXCLUSIVE = frozenset({"draft-04", "openapi-3.0"})
ARRAY_ITEMS = frozenset({"draft-04", "draft-06", "draft-07", "2019-09", "openapi-3.0"})
NO_BOOLEAN_SCHEMAS = frozenset({"draft-04", "openapi-3.0"})

_V04 = frozenset(
    {
        "$schema", "id", "$ref", "title", "description", "default", "multipleOf", "maximum",
        "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
        "additionalItems", "items", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties",
        "required", "additionalProperties", "definitions", "properties", "patternProperties", "dependencies",
        "enum", "type", "format", "allOf", "anyOf", "oneOf", "not",
    }
)  # fmt: skip
_V06 = (_V04 - {"id"}) | {"$id", "examples", "const", "contains", "propertyNames"}
_V07 = _V06 | {"$comment", "if", "then", "else", "readOnly", "writeOnly", "contentMediaType", "contentEncoding"}
_V2019 = _V07 | {
    "$anchor", "$defs", "$recursiveRef", "$recursiveAnchor", "$vocabulary", "dependentRequired",
    "dependentSchemas", "maxContains", "minContains", "unevaluatedItems", "unevaluatedProperties",
    "deprecated", "contentSchema",
}  # fmt: skip
_OAS30 = (_V04 - {"id"}) | {
    "nullable", "discriminator", "readOnly", "writeOnly", "xml", "externalDocs", "example", "deprecated",
}  # fmt: skip
VOCABULARY: dict[str, frozenset[str] | None] = {
    "draft-04": _V04,
    "draft-06": _V06,
    "draft-07": _V07,
    "2019-09": _V2019,
    "openapi-3.0": _OAS30,
    "2020-12": None,
    "openapi-3.1": None,
}
# 2020-12 keywords that change which instances are valid (renamed when the source draft lacks them)
_ASSERTING_2020 = frozenset(
    {
        "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor",
        "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "prefixItems", "items",
        "contains", "properties", "patternProperties", "additionalProperties", "propertyNames",
        "unevaluatedItems", "unevaluatedProperties", "type", "enum", "const", "multipleOf", "maximum",
        "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems",
        "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties", "minProperties", "required",
        "dependentRequired", "format", "$vocabulary",
    }
)  # fmt: skip

# Formats each draft defines (jsonschema-rs asserts every format it knows, in every draft).
_F04 = frozenset({"date-time", "email", "hostname", "ipv4", "ipv6", "uri"})
_F06 = _F04 | {"uri-reference", "uri-template", "json-pointer"}
_F07 = _F06 | {
    "date", "time", "idn-email", "idn-hostname", "iri", "iri-reference", "relative-json-pointer", "regex",
}  # fmt: skip
_KNOWN_TO_VALIDATOR = _F07 | {"duration", "uuid"}
FORMATS: dict[str, frozenset[str] | None] = {"draft-04": _F04, "draft-06": _F06, "draft-07": _F07}

# keyword -> how its value holds subschemas, in the dialects that define it
_SINGLE = frozenset(
    {
        "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else", "unevaluatedItems",
        "unevaluatedProperties", "contentSchema", "additionalItems",
    }
)  # fmt: skip
_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_MAP = frozenset({"properties", "patternProperties", "definitions", "$defs", "dependentSchemas"})
_DATA = frozenset({"enum", "const", "default", "examples", "example", "$vocabulary"})
# containers a draft may lack (`$defs` before 2019-09): their entries are still translated, as ref targets
_CONTAINERS = frozenset({"$defs", "definitions", "dependentSchemas"})


# every 2020-12 keyword its metaschema constrains
_KEYWORDS_2020 = _ASSERTING_2020 | {
    "$defs", "$comment", "examples", "deprecated", "readOnly", "writeOnly", "contentMediaType",
    "contentEncoding", "contentSchema",
}  # fmt: skip


def _known(dialect: str, key: str) -> bool:
    """False for a 2020-12 keyword the source dialect does not define (its validators ignored it)."""
    vocab = VOCABULARY.get(dialect)
    return vocab is None or key in vocab or key not in _KEYWORDS_2020


def _child_dialect(node: dict[str, Any], dialect: str, is_resource: bool) -> str:
    """A nested resource may declare its own `$schema`."""
    if not is_resource or not isinstance(node.get("$schema"), str):
        return dialect
    from contractkit.dialects import UnsupportedDialectError, dialect_of

    try:
        return dialect_of(node, dialect)  # type: ignore[arg-type]
    except UnsupportedDialectError:
        return dialect


def _id_of(node: dict[str, Any], dialect: str) -> str | None:
    key = "id" if dialect == "draft-04" else "$id"
    value = node.get(key)
    if not isinstance(value, str) or (dialect in LEGACY_REF and "$ref" in node):
        return None  # before 2019-09, $ref hides its sibling id
    return value


def _children(node: dict[str, Any], ptr: str, dialect: str) -> Iterator[tuple[str, str, Any]]:
    """(keyword, child pointer, subschema) for each subschema position the source dialect defines."""
    legacy_ref = dialect in LEGACY_REF and isinstance(node.get("$ref"), str)
    for key, value in node.items():
        if key in _DATA or (not _known(dialect, key) and key not in _CONTAINERS):
            continue
        if legacy_ref and key not in ("definitions", "$defs"):
            continue
        kp = f"{ptr}/{escape(key)}"
        if key == "items":
            if isinstance(value, list) and dialect in ARRAY_ITEMS:
                for i, sub in enumerate(value):
                    yield key, f"{kp}/{i}", sub
            else:
                yield key, kp, value
        elif key == "dependencies" and isinstance(value, dict):
            for name, sub in value.items():
                if not isinstance(sub, list):
                    yield key, f"{kp}/{escape(name)}", sub
        elif key in _SINGLE:
            yield key, kp, value
        elif key in _LIST and isinstance(value, list):
            for i, sub in enumerate(value):
                yield key, f"{kp}/{i}", sub
        elif key in _MAP and isinstance(value, dict):
            for name, sub in value.items():
                yield key, f"{kp}/{escape(name)}", sub


@dataclass
class _Ref:
    ptr: str  # old pointer of the schema holding the $ref
    keyword: str  # "$ref" or "$recursiveRef"
    value: str
    base: str
    target: str | None = None  # old pointer of the target when it lies in this document
    resource: str | None = None  # old pointer of the resource the ref's URI names


@dataclass
class Index:
    """What pass 1 learns: resources, anchors, refs and the schema nodes, all by old pointer."""

    dialect: str
    base: str
    resources: dict[str, str] = field(default_factory=dict)  # absolute URI -> pointer
    anchors: dict[tuple[str, str], str] = field(default_factory=dict)  # (resource URI, name) -> pointer
    refs: list[_Ref] = field(default_factory=list)
    nodes: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # ptr -> (dialect, base, resource ptr)
    recursive: set[str] = field(default_factory=set)  # resource pointers with $recursiveAnchor: true

    def walk(self, schema: Any, ptr: str, dialect: str, base: str, resource: str) -> None:
        stack = [(ptr, schema, dialect, base, resource)]
        while stack:
            p, node, d, b, r = stack.pop()
            if p in self.nodes or not isinstance(node, dict):
                if isinstance(node, bool):
                    self.nodes.setdefault(p, (d, b, r))
                continue
            ident = _id_of(node, d)
            is_resource = p == ""
            if ident is not None:
                uri, frag = join_split(b, ident)
                if uri and uri != b.partition("#")[0]:
                    b, r, is_resource = uri, p, True
                    self.resources.setdefault(uri, p)
                if frag:
                    self.anchors.setdefault((b, frag), p)
            d = _child_dialect(node, d, is_resource or p == "")
            self.nodes[p] = (d, b, r)
            if isinstance(node.get("$anchor"), str) and _known(d, "$anchor"):
                self.anchors.setdefault((b, node["$anchor"]), p)
            if node.get("$recursiveAnchor") is True and d == "2019-09" and r == p:
                self.recursive.add(r)
            for kw in ("$ref", "$recursiveRef"):
                if isinstance(node.get(kw), str) and _known(d, kw):
                    self.refs.append(_Ref(p, kw, node[kw], b))
            for _, cp, sub in list(_children(node, p, d))[::-1]:
                stack.append((cp, sub, d, b, r))

    def resolve(self, root: Any) -> set[str]:
        """Resolve refs inside the document; walk ref targets outside schema positions; return targets."""
        targets: set[str] = set()
        done = 0
        while done < len(self.refs):
            ref = self.refs[done]
            done += 1
            uri, frag = join_split(ref.base, ref.value)
            res_ptr = self.resources.get(uri)
            if res_ptr is None:
                continue
            if frag == "" or frag.startswith("/"):
                target = res_ptr + unquote(frag)
            else:
                found = self.anchors.get((uri, frag))
                if found is None:
                    continue
                target = found
            node = value_at(root, target, _MISSING)
            if node is _MISSING:
                continue
            ref.target, ref.resource = target, res_ptr
            targets.add(target)
            if target not in self.nodes:
                # a schema in a place the dialect does not define as one: it is a schema all the same
                _, owner_base, owner_res = self._owner(target)
                self.walk(node, target, self.dialect_at(target), owner_base, owner_res)
        return targets

    def _owner(self, ptr: str) -> tuple[str, str, str]:
        while ptr:
            if ptr in self.nodes:
                return self.nodes[ptr]
            ptr = ptr.rpartition("/")[0]
        return self.nodes.get("", (self.dialect, self.base, ""))

    def dialect_at(self, ptr: str) -> str:
        return self._owner(ptr)[0]


_MISSING: Any = object()
_ANCHOR = re.compile(r"[A-Za-z_][-A-Za-z0-9._]*")


@dataclass
class Converted:
    schema: Any
    moved: dict[str, str]  # old pointer -> new pointer, for every translated schema whose pointer changed
    uncompilable: list[tuple[str, str]]  # (new pointer, pattern) the validator cannot compile


class _Converter:
    def __init__(self, index: Index, targets: set[str]) -> None:
        self.index = index
        self.targets = targets
        self.ptrmap: dict[str, str] = {}
        self.ref_nodes: dict[str, dict[str, Any]] = {}  # old ptr -> new node holding a $ref
        self.uncompilable: list[tuple[str, str]] = []
        self._target_prefixes = {t[:i] for t in targets for i in range(len(t) + 1) if i == len(t) or t[i] == "/"}

    def holds_target(self, ptr: str) -> bool:
        return ptr in self._target_prefixes

    def schema(self, node: Any, old: str, new: str) -> Any:
        self.ptrmap[old] = new
        if not isinstance(node, dict):
            return node
        d, _, _ = self.index.nodes.get(old) or self.index._owner(old)
        out: dict[str, Any] = {}
        if d in LEGACY_REF and isinstance(node.get("$ref"), str):
            return self._legacy_ref(node, old, new, d)
        items_is_list = isinstance(node.get("items"), list) and d in ARRAY_ITEMS
        for key, value in node.items():
            kp_old = f"{old}/{escape(key)}"
            if not _known(d, key):
                name = IGNORED + key
                kp_new = f"{new}/{escape(name)}"
                if key in _MAP and isinstance(value, dict):
                    # inert under its new name, but translated: a $ref from another file may point into it
                    self.ptrmap[kp_old] = kp_new
                    out[name] = {
                        k: self.schema(v, f"{kp_old}/{escape(k)}", f"{kp_new}/{escape(k)}") for k, v in value.items()
                    }
                else:
                    self._put(out, name, self.data(value, kp_old, kp_new))
                continue
            if key in _DATA:
                out[key] = value
                continue
            handler = _HANDLERS.get(key)
            if handler is not None:
                handler(self, out, node, key, value, old, new, d, items_is_list)
            elif key in _SINGLE:
                self._put(out, key, self.schema(value, kp_old, f"{new}/{escape(key)}"))
            elif key in _LIST and isinstance(value, list):
                out[key] = [self.schema(v, f"{kp_old}/{i}", f"{new}/{key}/{i}") for i, v in enumerate(value)]
            elif key in _MAP and isinstance(value, dict):
                slot = out.setdefault(key, {})
                for k, v in value.items():
                    slot[k] = self.schema(v, f"{kp_old}/{escape(k)}", f"{new}/{escape(key)}/{escape(k)}")
            else:
                self._put(out, key, self.data(value, kp_old, f"{new}/{escape(key)}"))
        if isinstance(out.get("$ref"), str) or isinstance(out.get("$dynamicRef"), str):
            self.ref_nodes[old] = out
        return out

    @staticmethod
    def _put(out: dict[str, Any], key: str, value: Any) -> None:
        if key not in out:
            out[key] = value

    def data(self, value: Any, old: str, new: str) -> Any:
        """A value in no schema position: kept as is, except where a ref target lies inside it."""
        if old in self.targets:
            return self.schema(value, old, new)
        if not self.holds_target(old):
            return value
        if isinstance(value, dict):
            return {k: self.data(v, f"{old}/{escape(k)}", f"{new}/{escape(k)}") for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(v, f"{old}/{i}", f"{new}/{i}") for i, v in enumerate(value)]
        return value

    def _legacy_ref(self, node: dict[str, Any], old: str, new: str, d: str) -> dict[str, Any]:
        out: dict[str, Any] = {"$ref": node["$ref"]}
        for key, value in node.items():
            if key == "$ref":
                continue
            kp_old = f"{old}/{escape(key)}"
            if key in ("definitions", "$defs") and isinstance(value, dict):
                out[key] = {
                    k: self.schema(v, f"{kp_old}/{escape(k)}", f"{new}/{escape(key)}/{escape(k)}")
                    for k, v in value.items()
                }
            elif self.holds_target(kp_old):
                name = IGNORED + key
                out[name] = self.data(value, kp_old, f"{new}/{escape(name)}")
        self.ref_nodes[old] = out
        return out

    def pattern(self, value: Any, ptr: str) -> Any:
        if not isinstance(value, str):
            return value
        fixed = compilable(value)
        if fixed is None:
            self.uncompilable.append((ptr, value))
            return value
        return fixed


Handler = Any


def _h_schema_uri(c: _Converter, out: dict[str, Any], node: dict[str, Any], key: str, value: Any, *_: Any) -> None:
    out["$schema"] = URI_2020_12 if isinstance(value, str) else value


def _h_id(
    c: _Converter, out: dict[str, Any], node: dict[str, Any], key: str, value: Any, old: str, new: str, d: str, _: bool
) -> None:
    if not isinstance(value, str):
        out["$id"] = value
        return
    uri, frag = split(value)
    if uri:
        out["$id"] = uri
    if frag and "$anchor" not in node and _ANCHOR.fullmatch(frag):
        out["$anchor"] = frag


def _h_bound(
    c: _Converter, out: dict[str, Any], node: dict[str, Any], key: str, value: Any, old: str, new: str, d: str, _: bool
) -> None:
    if d not in BOOL_EXCLUSIVE:
        out[key] = value
        return
    if key in ("exclusiveMaximum", "exclusiveMinimum"):
        if not isinstance(value, bool):
            out[key] = value  # invalid for the dialect; the metaschema says so
        return
    flag = node.get("exclusiveMaximum" if key == "maximum" else "exclusiveMinimum")
    if flag is True:
        out["exclusiveMaximum" if key == "maximum" else "exclusiveMinimum"] = value
    else:
        out[key] = value


def _h_dependencies(
    c: _Converter, out: dict[str, Any], node: dict[str, Any], key: str, value: Any, old: str, new: str, d: str, _: bool
) -> None:
    if not isinstance(value, dict):
        out[key] = value
        return
    for name, dep in value.items():
        if isinstance(dep, list):
            out.setdefault("dependentRequired", {}).setdefault(name, dep)
        else:
            slot = out.setdefault("dependentSchemas", {})
            if name not in slot:
                slot[name] = c.schema(
                    dep, f"{old}/dependencies/{escape(name)}", f"{new}/dependentSchemas/{escape(name)}"
                )
    c.ptrmap.setdefault(f"{old}/dependencies", f"{new}/dependentSchemas")


def _h_items(
    c: _Converter,
    out: dict[str, Any],
    node: dict[str, Any],
    key: str,
    value: Any,
    old: str,
    new: str,
    d: str,
    lst: bool,
) -> None:
    if lst:
        out["prefixItems"] = [c.schema(v, f"{old}/items/{i}", f"{new}/prefixItems/{i}") for i, v in enumerate(value)]
        c.ptrmap[f"{old}/items"] = f"{new}/prefixItems"
        if "additionalItems" in node:
            out["items"] = c.schema(node["additionalItems"], f"{old}/additionalItems", f"{new}/items")
    else:
        out["items"] = c.schema(value, f"{old}/items", f"{new}/items")


def _h_additional_items(
    c: _Converter,
    out: dict[str, Any],
    node: dict[str, Any],
    key: str,
    value: Any,
    old: str,
    new: str,
    d: str,
    lst: bool,
) -> None:
    if d not in ARRAY_ITEMS:
        out[key] = value  # 2020-12: not a keyword (kept as written, it means nothing)
    elif not lst and c.holds_target(f"{old}/additionalItems"):
        name = IGNORED + key
        out[name] = c.data(value, f"{old}/additionalItems", f"{new}/{escape(name)}")
    # with a list `items` it became `items` (see _h_items); beside a schema `items` it was ignored


def _h_recursive_ref(
    c: _Converter, out: dict[str, Any], node: dict[str, Any], key: str, value: Any, old: str, new: str, d: str, _: bool
) -> None:
    resource = c.index.nodes.get(old, (d, "", ""))[2]
    if value == "#" and resource in c.index.recursive:
        out["$dynamicRef"] = "#" + RECURSIVE_ANCHOR
    elif "$ref" in node:
        out[IGNORED + key] = value  # cannot hold both; the suite has no such case
    else:
        out["$ref"] = value


def _h_recursive_anchor(
    c: _Converter, out: dict[str, Any], node: dict[str, Any], key: str, value: Any, old: str, new: str, d: str, _: bool
) -> None:
    if value is True and c.index.nodes.get(old, (d, "", ""))[2] == old:
        out["$dynamicAnchor"] = RECURSIVE_ANCHOR


def _h_nullable(
    c: _Converter, out: dict[str, Any], node: dict[str, Any], key: str, value: Any, old: str, new: str, d: str, _: bool
) -> None:
    if d != "openapi-3.0":
        out[key] = value
    # the widening itself happens in _h_type (nullable only acts through `type`)


def _h_type(
    c: _Converter, out: dict[str, Any], node: dict[str, Any], key: str, value: Any, old: str, new: str, d: str, _: bool
) -> None:
    if d == "openapi-3.0" and node.get("nullable") is True and isinstance(value, str | list):
        types = [value] if isinstance(value, str) else list(value)
        out[key] = types if "null" in types else [*types, "null"]
    else:
        out[key] = value


def _h_format(
    c: _Converter, out: dict[str, Any], node: dict[str, Any], key: str, value: Any, old: str, new: str, d: str, _: bool
) -> None:
    defined = FORMATS.get(d)
    if defined is not None and value in _KNOWN_TO_VALIDATOR and value not in defined:
        out[IGNORED + key] = value
    else:
        out[key] = value


def _h_pattern(
    c: _Converter, out: dict[str, Any], node: dict[str, Any], key: str, value: Any, old: str, new: str, d: str, _: bool
) -> None:
    out[key] = c.pattern(value, f"{new}/pattern")


def _h_pattern_properties(
    c: _Converter, out: dict[str, Any], node: dict[str, Any], key: str, value: Any, old: str, new: str, d: str, _: bool
) -> None:
    if not isinstance(value, dict):
        out[key] = value
        return
    result: dict[str, Any] = {}
    for pat, sub in value.items():
        fixed = c.pattern(pat, f"{new}/patternProperties/{escape(pat)}")
        result.setdefault(
            fixed, c.schema(sub, f"{old}/patternProperties/{escape(pat)}", f"{new}/patternProperties/{escape(fixed)}")
        )
    out[key] = result


def _h_anchor(
    c: _Converter, out: dict[str, Any], node: dict[str, Any], key: str, value: Any, old: str, new: str, d: str, _: bool
) -> None:
    out[key] = value


_HANDLERS: dict[str, Handler] = {
    "$schema": _h_schema_uri,
    "id": _h_id,
    "$id": _h_id,
    "maximum": _h_bound,
    "minimum": _h_bound,
    "exclusiveMaximum": _h_bound,
    "exclusiveMinimum": _h_bound,
    "dependencies": _h_dependencies,
    "items": _h_items,
    "additionalItems": _h_additional_items,
    "$recursiveRef": _h_recursive_ref,
    "$recursiveAnchor": _h_recursive_anchor,
    "nullable": _h_nullable,
    "type": _h_type,
    "format": _h_format,
    "pattern": _h_pattern,
    "patternProperties": _h_pattern_properties,
    "$anchor": _h_anchor,
}


def _map_pointer(ptrmap: dict[str, str], ptr: str) -> str:
    """The new pointer of an old one: the nearest moved ancestor, plus the rest of the path."""
    probe = ptr
    while True:
        if probe in ptrmap:
            return ptrmap[probe] + ptr[len(probe) :]
        if not probe:
            return ptr
        probe = probe.rpartition("/")[0]


def _encode_fragment(ptr: str) -> str:
    return quote(ptr, safe="/~!$&'()*+,;=:@")


def convert(schema: Any, dialect: str, *, base: str | None = None) -> Converted:
    """Translate `schema`, written in `dialect`, to 2020-12 (see the module docstring)."""
    root_base = base or _PLACEHOLDER_BASE
    index = Index(dialect=dialect, base=root_base)
    index.resources[root_base] = ""
    index.walk(schema, "", dialect, root_base, "")
    targets = index.resolve(schema)
    conv = _Converter(index, targets)
    result = conv.schema(schema, "", "")
    # pass 3: refs into moved schemas follow them
    for ref in index.refs:
        node = conv.ref_nodes.get(ref.ptr)
        if node is None or ref.target is None or ref.resource is None:
            continue
        key = "$dynamicRef" if ref.keyword == "$recursiveRef" and "$dynamicRef" in node else "$ref"
        if node.get(key) != ref.value:
            continue
        uri_part, hash_, frag = ref.value.partition("#")
        if hash_ and frag and not frag.startswith("/") and _anchor_kept(result, conv.ptrmap, ref):
            continue
        new_target = _map_pointer(conv.ptrmap, ref.target)
        new_res = _map_pointer(conv.ptrmap, ref.resource)
        if not new_target.startswith(new_res):
            continue
        new_frag = new_target[len(new_res) :]
        if hash_ and unquote(frag) == new_frag:
            continue
        if not hash_ and new_frag == "":
            continue
        node[key] = f"{uri_part}#{_encode_fragment(new_frag)}"
    moved = {o: n for o, n in conv.ptrmap.items() if o != n}
    return Converted(result, moved, conv.uncompilable)


def _anchor_kept(result: Any, ptrmap: dict[str, str], ref: _Ref) -> bool:
    """A ref by plain-name fragment stays as written when the target still carries that anchor."""
    assert ref.target is not None
    node = value_at(result, _map_pointer(ptrmap, ref.target), _MISSING)
    return isinstance(node, dict) and node.get("$anchor") == unquote(ref.value.partition("#")[2])
