"""Schema Objects of a document as self-contained draft 2020-12 schemas, and the one call into the engine.

A body or parameter schema refers to `#/components/schemas/...` (or to other files). For the engine and the
validator each is *bundled*: every schema it reaches is copied under `$defs` and every `$ref` rewritten to
point there. OpenAPI 3.0 Schema Objects are translated with `contractkit.dialects.to_2020_12` on the way
(3.1 Schema Objects are 2020-12 already).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import jsonschema_rs

from contractkit.compat import CompatInputError, Direction, Finding, Reader
from contractkit.compat import compare as engine_compare
from contractkit.compat._model import UNDECIDED
from contractkit.dialects import to_2020_12
from contractkit.errors import ContractkitError, InputError, RefError
from contractkit.openapi._load import Document, SchemaRef, escape
from contractkit.registry import subschemas

__all__ = ["bundle", "compare_schemas", "validator"]

_BUNDLES = "bundles"
_TARGETS = "targets"
_KEYS = "keys"


def _translate(doc: Document, node: Any, pointer: str) -> Any:
    try:
        return to_2020_12(node, doc.dialect)
    except ContractkitError as exc:
        raise InputError(doc.source, pointer, exc.one_line()) from None


def _key(doc: Document, uri: str) -> str:
    """The `$defs` name for a reached schema: the component name when it is one, else its location."""
    keys: dict[str, str] = doc.cache.setdefault(_KEYS, {})
    if uri in keys:
        return keys[uri]
    file, frag = urldefrag(uri)
    frag = unquote(frag)
    prefix = "/components/schemas/"
    if file == doc.base and frag.startswith(prefix) and "/" not in frag[len(prefix) :]:
        name = frag[len(prefix) :].replace("~1", "/").replace("~0", "~")
    else:
        stem = "" if file == doc.base else Path(unquote(urlparse(file).path)).name
        name = (stem + frag.replace("/", ".")).strip(".") or "root"
    taken = set(keys.values())
    while name in taken:
        name += "_"
    keys[uri] = name
    return name


def _rewrite(doc: Document, node: Any, base: str, pointer: str) -> tuple[Any, list[str]]:
    """`node` translated, with each `$ref` pointing into the bundle's `$defs`; and the URIs it reaches."""
    out = copy.deepcopy(_translate(doc, node, pointer))
    reached: list[str] = []
    for _, sub in subschemas(out):
        if isinstance(sub, dict) and isinstance(sub.get("$ref"), str):
            uri = urljoin(base, sub["$ref"])
            sub["$ref"] = "#/$defs/" + escape(_key(doc, uri))
            reached.append(uri)
    return out, reached


def _target(doc: Document, uri: str, pointer: str) -> tuple[Any, list[str]]:
    targets: dict[str, tuple[Any, list[str]]] = doc.cache.setdefault(_TARGETS, {})
    if uri not in targets:
        import referencing.exceptions

        try:
            content = doc.resolver.lookup(uri).contents
        except referencing.exceptions.Unretrievable as exc:
            if isinstance(exc.__cause__, InputError):
                raise exc.__cause__ from None
            raise RefError(doc.source, pointer, f"cannot follow $ref to {uri}: {exc.__cause__ or exc}") from None
        except referencing.exceptions.Unresolvable:
            raise RefError(doc.source, pointer, f"dangling $ref: nothing at {uri.removeprefix(doc.base)}") from None
        if not isinstance(content, dict | bool):
            raise RefError(doc.source, pointer, f"$ref to {uri.removeprefix(doc.base)} is not a schema")
        targets[uri] = _rewrite(doc, content, urldefrag(uri)[0], unquote(urldefrag(uri)[1]))
    return targets[uri]


def bundle(doc: Document, ref: SchemaRef) -> Any:
    """The schema at `ref` as one self-contained draft 2020-12 schema (memoised per document)."""
    return _bundled(doc, ref)[0]


def _bundled(doc: Document, ref: SchemaRef) -> tuple[Any, str]:
    """(bundle, its canonical JSON text), memoised by what the schema says and where it stands: the same
    `{"$ref": "#/components/schemas/Problem"}` under fifty responses is bundled once."""
    bundles: dict[tuple[str, str], tuple[Any, str]] = doc.cache.setdefault(_BUNDLES, {})
    key = (ref.base, json.dumps(ref.node, sort_keys=True))
    if key not in bundles:
        root = _bundle(doc, ref)
        bundles[key] = (root, json.dumps(root, sort_keys=True))
    return bundles[key]


def _bundle(doc: Document, ref: SchemaRef) -> Any:
    root, pending = _rewrite(doc, ref.node, ref.base, ref.pointer)
    defs: dict[str, Any] = {}
    while pending:
        uri = pending.pop()
        name = _key(doc, uri)
        if name in defs:
            continue
        content, more = _target(doc, uri, ref.pointer)
        defs[name] = content
        pending += more
    if defs:
        own = root.get("$defs") if isinstance(root, dict) else None
        if isinstance(own, dict) and own.keys() & defs.keys():
            root = {"$defs": {**defs, "__root__": root}, "$ref": "#/$defs/__root__"}
        else:
            root = {**root, "$defs": {**(own or {}), **dict(sorted(defs.items()))}}
    return root


def validator(doc: Document, ref: SchemaRef, *, format_assertion: bool) -> Any:
    """A compiled validator for the schema at `ref`; None when the schema cannot compile."""
    validators: dict[tuple[str, bool], Any] = doc.cache.setdefault("validators", {})
    key = (_bundled(doc, ref)[1], format_assertion)
    if key not in validators:
        try:
            validators[key] = jsonschema_rs.Draft202012Validator(
                bundle(doc, ref), validate_formats=format_assertion, offline=True
            )
        except (ValueError, jsonschema_rs.ReferencingError, jsonschema_rs.ValidationError):
            validators[key] = None
    return validators[key]


def compare_schemas(
    old_doc: Document,
    old: SchemaRef,
    new_doc: Document,
    new: SchemaRef,
    direction: Direction,
    *,
    format_assertion: bool,
    memo: dict[Any, tuple[Finding, ...]],
    reader: Reader = "strict",
) -> tuple[Finding, ...]:
    """The engine's blocking findings (errors and undecided) for one schema, read in `direction`.

    The direction rule of the whole API surface, decided here: a request is read by the server, so its
    schemas (parameters, bodies) are compared *backward* (old clients' requests must stay valid); a
    response is read by the client, so its schemas (bodies, headers) are compared *forward* (what the new
    server sends must be valid for old clients). `reader` is how the clients read responses (`tolerant`:
    they ignore properties they do not know); the server reads requests as written.
    """
    old_s, old_text = _bundled(old_doc, old)
    new_s, new_text = _bundled(new_doc, new)
    reader = reader if direction == "forward" else "strict"
    key = (old_text, new_text, direction, format_assertion, reader)
    if key[0] == key[1]:
        return ()
    if key not in memo:
        try:
            # The reader policy: the clients' for responses (forward), the server reads requests as written.
            report = engine_compare(old_s, new_s, direction, format_assertion=format_assertion, reader=reader)
        except CompatInputError as exc:
            doc, ref = (old_doc, old) if exc.side == "old" else (new_doc, new)
            raise InputError(doc.source, ref.pointer, f"not a valid schema: {exc.reason}") from None
        memo[key] = tuple(f for f in report.findings if f.severity == "error" or f.rule_id == UNDECIDED)
    return memo[key]
