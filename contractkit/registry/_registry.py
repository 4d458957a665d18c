"""Load the version index and its schemas, resolve `$ref`s across files, bundle for the engine.

Every schema file is parsed as strict JSON and validated against the metaschema of its own dialect
(its `$schema`, else `[tool.contractkit] dialect`, else 2020-12), then translated to draft 2020-12
(`contractkit.dialects`). Every `$ref` is resolved: a relative file path, or an absolute URI found in the
local catalogue — the `$id` of every JSON file under the registry root and under the folders of
`[tool.contractkit] catalog` — never over the network; plus an optional JSON pointer or anchor
fragment. Problems surface as `InputError`s naming the file and JSON pointer. `$ref` chains that only
point at other `$ref`s in a loop are an error; recursive schemas (a `$ref` below `properties`,
`items`, ...) are fine. Bundles are draft 2020-12, whatever the drafts of their files.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from contractkit._files import YAML_SUFFIXES, load_file
from contractkit._json import value_at
from contractkit.dialects import (
    Dialect,
    Translation,
    UnsupportedDialectError,
    dialect_of,
    metaschema_problem,
    translate,
)
from contractkit.errors import RefError, SchemaFileError, SchemaInvalidError, UsageError
from contractkit.registry._catalog import Catalog, normalise_uri
from contractkit.registry._index import Index, Role, Version, load_index
from contractkit.registry._walk import escape, subschemas

__all__ = ["Registry", "load_json_file", "load_registry", "load_schema_file", "parse_ref"]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_json_file(path: Path) -> Any:
    """Parse a file as strict JSON (no NaN / Infinity); errors name the file, line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemaFileError(path, None, "file not found") from None
    except IsADirectoryError:
        raise SchemaFileError(path, None, "is a directory, expected a JSON file") from None
    except UnicodeDecodeError as exc:
        raise SchemaFileError(path, None, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise SchemaFileError(path, None, f"cannot read: {exc.strerror}") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise SchemaFileError(
            path, None, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise SchemaFileError(path, None, "JSON nested too deeply to process (hundreds of levels)") from None
    except ValueError as exc:
        raise SchemaFileError(path, None, f"malformed JSON: {exc}") from None


def parse_ref(ref: str) -> tuple[str, str]:
    """Split a `$ref` into (relative file path, fragment); the fragment keeps no leading '#'."""
    path, _, fragment = ref.partition("#")
    return path, unquote(fragment)


def _pointer_get(doc: Any, pointer: str) -> Any:
    """Resolve a JSON pointer inside doc; raise KeyError when it points nowhere."""
    if pointer == "":
        return doc
    node = value_at(doc, pointer, _NOWHERE) if pointer.startswith("/") else _NOWHERE
    if node is _NOWHERE:
        raise KeyError(pointer)
    return node


_NOWHERE: Any = object()


def _anchors(doc: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for ptr, node in subschemas(doc):
        if isinstance(node, dict):
            for key in ("$anchor", "$dynamicAnchor"):
                if isinstance(node.get(key), str):
                    out.setdefault(node[key], ptr)
    return out


def _resource_ids(doc: Any, base: str) -> set[str]:
    """Absolute URIs of the schema resources inside a translated document (nested `$id`s)."""
    out: set[str] = set()
    for _, node in subschemas(doc):
        if isinstance(node, dict) and isinstance(node.get("$id"), str):
            out.add(urldefrag(urljoin(base, node["$id"]))[0])
    return out


class Registry:
    """The index plus every schema file it reaches, loaded, validated, translated and resolved.

    `dialect` is the dialect of files without `$schema`; `catalog` lists folders whose JSON files are
    found by their `$id` when a `$ref` names an absolute URI (the registry root is always searched).
    """

    def __init__(self, root: Path, index: Index, *, dialect: Dialect = "2020-12", catalog: Sequence[Path] = ()) -> None:
        self.root = root
        self.index = index
        self.dialect: Dialect = dialect
        self.catalog = Catalog([root, *catalog], dialect=dialect)
        self._docs: dict[Path, Any] = {}
        self._translated: dict[Path, Translation] = {}
        self._bases: dict[Path, str] = {}
        self._inner_ids: dict[Path, set[str]] = {}
        self._bundles: dict[Path, Any] = {}

    # -- what is in it ---------------------------------------------------------------------------
    @property
    def versions(self) -> tuple[Version, ...]:
        return self.index.versions

    @property
    def roles(self) -> dict[str, Role]:
        return dict(self.index.roles)

    def version(self, name: str) -> Version:
        for version in self.index.versions:
            if version.name == name:
                return version
        known = ", ".join(v.name for v in self.index.versions)
        raise UsageError(f"unknown version {name!r} (known: {known})")

    def schema_path(self, name: str, version: str) -> Path:
        v = self.version(version)
        if name not in v.schemas:
            known = ", ".join(sorted(v.schemas))
            raise UsageError(f"version {version} has no schema {name!r} (known: {known})")
        return (self.root / v.schemas[name]).resolve()

    def role(self, name: str) -> Role | None:
        return self.index.roles.get(name)

    def document(self, path: Path) -> Any:
        """A loaded schema file exactly as written."""
        return self._docs[path.resolve()]

    def translation(self, path: Path) -> Translation:
        """A loaded schema file translated to 2020-12, with where its subschemas moved."""
        return self._translated[path.resolve()]

    @property
    def sources(self) -> tuple[Path, ...]:
        """Every schema file loaded so far, catalogue files included."""
        return tuple(sorted(self._docs))

    @property
    def files(self) -> tuple[Path, ...]:
        """The schema files loaded from the registry root (catalogue files elsewhere are not listed)."""
        root = self.root.resolve()
        return tuple(sorted(p for p in self._docs if p.is_relative_to(root)))

    def raw(self, name: str, version: str) -> Any:
        """The schema document exactly as written (cross-file `$ref`s left in place)."""
        return self._docs[self.schema_path(name, version)]

    def resolve(self, address: str) -> Any:
        """`name@version` -> the bundled, self-contained schema."""
        name, sep, version = address.partition("@")
        if not sep or not name or not version:
            raise UsageError(f"expected NAME@VERSION, got {address!r}")
        return self.bundled(name, version)

    # -- loading ---------------------------------------------------------------------------------
    def _load(self, path: Path) -> None:
        """Load path and, transitively, every file its `$ref`s reach; validate each once."""
        pending = [path.resolve()]
        while pending:
            current = pending.pop()
            if current in self._docs:
                continue
            # YAML schemas (`.yaml`, `.yml`) read as JSON data; JSON files keep the strict fast reader
            doc = load_file(current) if current.suffix.lower() in YAML_SUFFIXES else load_json_file(current)
            translation = self._validate_meta(current, doc)
            self._docs[current] = doc
            self._translated[current] = translation
            root_id = translation.schema.get("$id") if isinstance(translation.schema, dict) else None
            base = current.as_uri() if not isinstance(root_id, str) else urljoin(current.as_uri(), root_id)
            self._bases[current] = urldefrag(base)[0]
            self._inner_ids[current] = {
                normalise_uri(u) for u in _resource_ids(translation.schema, self._bases[current])
            }
            for target_file, _ in self._refs_of(current, translation.schema):
                if target_file not in self._docs:
                    pending.append(target_file)

    def _validate_meta(self, path: Path, doc: Any) -> Translation:
        """Check `doc` against its own dialect's metaschema; answer its 2020-12 translation."""
        if not isinstance(doc, (dict, bool)):
            raise SchemaInvalidError(path, "", f"a schema must be an object or a boolean, got {type(doc).__name__}")
        try:
            dialect = dialect_of(doc, self.dialect)
        except UnsupportedDialectError as exc:
            raise SchemaInvalidError(path, "/$schema", str(exc)) from None
        problem = metaschema_problem(doc, dialect)
        if problem is not None:
            raise SchemaInvalidError(path, problem[0], f"{problem[1]} ({dialect} metaschema)")
        translation = translate(doc, dialect, base=path.resolve().as_uri())
        for pointer, pattern in translation.uncompilable:
            raise SchemaInvalidError(
                path, pointer, f"pattern {pattern!r} is not an ECMA-262 regular expression the validator can compile"
            )
        return translation

    def _ref_error(self, path: Path, pointer: str, ref: str, message: str) -> RefError:
        """A RefError in the author's terms: the pointer and the `$ref` as written in the file."""
        translation = self._translated.get(path)
        where = translation.source_pointer(pointer) if translation is not None else pointer
        node = self._docs.get(path)
        try:
            written = _pointer_get(node, where).get("$ref", ref) if node is not None else ref
        except (KeyError, AttributeError):
            written = ref
        return RefError(path, f"{where}/$ref", message.replace(repr(ref), repr(written)))

    def _resolve(self, path: Path, pointer: str, ref: str) -> tuple[Path, str, bool] | None:
        """(file, fragment, same document) a `$ref` in `path` names; None for a resource inside `path`.

        A relative reference names a file beside `path`; failing that, and for an absolute URI, the
        catalogue. The fragment is as written (not yet mapped through the target's translation).
        """
        rel, fragment = parse_ref(ref)
        if rel == "":
            return path, fragment, True
        absolute = "://" in rel or rel.startswith("urn:")
        if not absolute:
            target = (path.parent / unquote(rel)).resolve()
            if target.is_file():
                return target, fragment, target == path
        uri = urldefrag(urljoin(self._bases.get(path, path.as_uri()), rel))[0]
        key = normalise_uri(uri)
        if key == normalise_uri(self._bases.get(path, "")):
            return path, fragment, True
        if key in self._inner_ids.get(path, ()):
            return None  # a schema resource inside this document, by its $id: the validator resolves it
        found = self.catalog.lookup(uri)
        if found is not None:
            return found, fragment, found == path
        if not absolute:
            raise self._ref_error(path, pointer, ref, f"dangling $ref {ref!r}: file {rel!r} does not exist")
        raise self._ref_error(
            path,
            pointer,
            ref,
            f"remote $ref {ref!r} is not in the local catalogue (contractkit never fetches schemas): save the "
            f'schema whose "$id" is {uri!r} under the registry or a folder listed in [tool.contractkit] catalog',
        )

    def _refs_of(self, path: Path, doc: Any) -> Iterator[tuple[Path, str]]:
        """Yield (target file, fragment) for each `$ref` in doc (translated), checking that it resolves."""
        for pointer, node in subschemas(doc):
            if not isinstance(node, dict) or "$ref" not in node:
                continue
            ref = node["$ref"]
            if not isinstance(ref, str):
                continue  # the metaschema already rejected it
            found = self._resolve(path, pointer, ref)
            if found is not None:
                yield found[0], found[1]

    def _target(self, path: Path, pointer: str, ref: str) -> tuple[Path, str] | None:
        """Resolve the `$ref` found at (path, pointer) to (file, JSON pointer in its translation).

        None for a ref to a resource inside the same document by its `$id` (left for the validator).
        Raises RefError when it points nowhere.
        """
        found = self._resolve(path, pointer, ref)
        if found is None:
            return None
        target, fragment, same = found
        if target not in self._docs:
            self._load(target)
        doc = self._translated[target].schema
        if fragment and not fragment.startswith("/"):
            anchors = _anchors(doc)
            if fragment not in anchors:
                raise self._ref_error(path, pointer, ref, f"dangling $ref {ref!r}: no $anchor {fragment!r}")
            fragment = anchors[fragment]
        elif not same:
            fragment = self._translated[target].pointer(fragment)
        try:
            node = _pointer_get(doc, fragment)
        except KeyError:
            raise self._ref_error(path, pointer, ref, f"dangling $ref {ref!r}: nothing at #{fragment}") from None
        if not isinstance(node, dict | bool):
            kind = "an array" if isinstance(node, list) else type(node).__name__
            raise self._ref_error(path, pointer, ref, f"$ref {ref!r} points at {kind}, not a schema")
        return target, fragment

    def check_refs(self) -> None:
        """Every `$ref` resolves, and no chain of `$ref`s loops without reaching a real schema."""
        for path in sorted(self._docs):
            for pointer, node in subschemas(self._translated[path].schema):
                if isinstance(node, dict) and isinstance(node.get("$ref"), str):
                    self._follow_chain(path, pointer, node)

    def _follow_chain(self, path: Path, pointer: str, node: dict[str, Any]) -> None:
        seen = {(path, pointer)}
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            found = self._target(path, pointer, node["$ref"])
            if found is None:
                return
            target, fragment = found
            if (target, fragment) in seen:
                ref = node["$ref"]
                raise self._ref_error(path, pointer, ref, f"$ref cycle: {ref!r} leads back to itself")
            seen.add((target, fragment))
            nxt = _pointer_get(self._translated[target].schema, fragment)
            # Only a schema that is nothing but a $ref (plus annotations) continues the chain.
            if not isinstance(nxt, dict) or any(k not in _ANNOTATIONS for k in nxt if k != "$ref"):
                return
            path, pointer, node = target, fragment, nxt

    # -- bundling --------------------------------------------------------------------------------
    def bundled(self, name: str, version: str) -> Any:
        """A self-contained 2020-12 copy of a schema: other files move under `$defs`, refs become local."""
        return copy.deepcopy(self._bundle(self.schema_path(name, version)))

    def bundle_file(self, path: Path) -> Any:
        path = path.resolve()
        if path not in self._docs:
            self._load(path)
            self.check_refs()
        return copy.deepcopy(self._bundle(path))

    def _bundle(self, root_file: Path) -> Any:
        if root_file in self._bundles:
            return self._bundles[root_file]
        reach: list[Path] = []
        pending = [root_file]
        while pending:
            current = pending.pop()
            if current in reach:
                continue
            reach.append(current)
            pending.extend(t for t, _ in self._refs_of(current, self._translated[current].schema) if t not in reach)
        root_doc = self._translated[root_file].schema
        if len(reach) == 1:
            self._bundles[root_file] = root_doc
            return root_doc
        existing = root_doc.get("$defs", {}) if isinstance(root_doc, dict) else {}
        keys: dict[Path, str] = {}
        for other in reach[1:]:
            key = self.bundle_key(other)
            while key in existing or key in keys.values():
                key += "_"
            keys[other] = key
        base = {root_file: ""} | {p: f"/$defs/{escape(k)}" for p, k in keys.items()}

        def rewrite(path: Path, doc: Any, embedded: bool) -> Any:
            doc = copy.deepcopy(doc)
            if embedded and isinstance(doc, dict):
                doc.pop("$schema", None)
                doc.pop("$id", None)
            for pointer, node in subschemas(doc):
                if isinstance(node, dict) and isinstance(node.get("$ref"), str):
                    found = self._target(path, pointer, node["$ref"])
                    if found is not None:
                        node["$ref"] = "#" + base[found[0]] + escape_fragment(found[1])
            return doc

        if isinstance(root_doc, bool):
            result: Any = root_doc
        else:
            result = rewrite(root_file, root_doc, embedded=False)
            defs = result.setdefault("$defs", {})
            for other, key in keys.items():
                defs[key] = rewrite(other, self._translated[other].schema, embedded=True)
        self._bundles[root_file] = result
        return result

    def bundle_key(self, path: Path) -> str:
        """The `$defs` key under which `bundled()` embeds another file."""
        try:
            rel = path.relative_to(self.root.resolve())
        except ValueError:
            rel = Path(path.name)
        return ".".join(rel.with_suffix("").parts)


_ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "$anchor",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)


def escape_fragment(pointer: str) -> str:
    """A JSON pointer as a URI fragment (percent-encoding what a fragment cannot hold)."""
    from urllib.parse import quote

    return quote(pointer, safe="/~!$&'()*+,;=:@")


def _settings(dialect: Dialect | None, catalog: Sequence[Path | str] | None) -> tuple[Dialect, list[Path]]:
    if dialect is not None and catalog is not None:
        return dialect, [Path(c) for c in catalog]
    from contractkit.config import load_config

    config = load_config()
    return (
        dialect if dialect is not None else config.dialect,
        [Path(c) for c in catalog] if catalog is not None else list(config.catalog),
    )


def load_schema_file(path: Path, *, dialect: Dialect | None = None, catalog: Sequence[Path | str] | None = None) -> Any:
    """One schema file outside any index: strict JSON, its metaschema, its `$ref`s (cycles included),
    translated to 2020-12 and bundled. `dialect` / `catalog` default to `[tool.contractkit]`."""
    from contractkit.registry._index import Index, Policy

    d, folders = _settings(dialect, catalog)
    index = Index(versions=(), roles={}, policy=Policy())
    return Registry(path.parent, index, dialect=d, catalog=folders).bundle_file(path)


def load_registry(
    root: Path | str = "schemas", *, dialect: Dialect | None = None, catalog: Sequence[Path | str] | None = None
) -> Registry:
    """Load `root/index.toml` and every schema it reaches; raise InputError on the first problem.

    `dialect` (for files without `$schema`) and `catalog` (folders searched by `$id`) default to
    `[tool.contractkit] dialect` and `catalog` of the nearest pyproject.toml.
    """
    root = Path(root)
    if not root.is_dir():
        raise SchemaFileError(root, None, "schema directory not found")
    index = load_index(root)
    d, folders = _settings(dialect, catalog)
    registry = Registry(root, index, dialect=d, catalog=folders)
    for version in index.versions:
        for rel in version.schemas.values():
            registry._load(root / rel)
    registry.check_refs()
    return registry
