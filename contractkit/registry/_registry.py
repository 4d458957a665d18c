"""Load the version index and its schemas, resolve `$ref`s across files, bundle for the engine.

Every schema file is parsed as strict JSON, validated against the 2020-12 metaschema, and every `$ref`
in it is resolved (relative file path plus optional JSON pointer fragment). Problems surface as
`InputError`s naming the file and JSON pointer. `$ref` chains that only point at other `$ref`s in a
loop are an error; recursive schemas (a `$ref` below `properties`, `items`, ...) are fine.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema_rs

from contractkit.errors import RefError, SchemaFileError, SchemaInvalidError, UsageError
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
    if not pointer.startswith("/"):
        raise KeyError(pointer)
    node = doc
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node


def _anchors(doc: Any) -> dict[str, str]:
    return {
        node["$anchor"]: ptr
        for ptr, node in subschemas(doc)
        if isinstance(node, dict) and isinstance(node.get("$anchor"), str)
    }


class Registry:
    """The index plus every schema file it reaches, loaded, validated and resolved."""

    def __init__(self, root: Path, index: Index) -> None:
        self.root = root
        self.index = index
        self._docs: dict[Path, Any] = {}
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
        return self._docs[path.resolve()]

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(sorted(self._docs))

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
            doc = load_json_file(current)
            self._validate_meta(current, doc)
            self._docs[current] = doc
            for target_file, _ in self._refs_of(current, doc):
                if target_file not in self._docs:
                    pending.append(target_file)

    def _validate_meta(self, path: Path, doc: Any) -> None:
        if not isinstance(doc, (dict, bool)):
            raise SchemaInvalidError(path, "", f"a schema must be an object or a boolean, got {type(doc).__name__}")
        try:
            jsonschema_rs.meta.validate(doc)
        except jsonschema_rs.ValidationError as exc:
            pointer = "".join(f"/{escape(str(t))}" for t in exc.instance_path)
            raise SchemaInvalidError(path, pointer, exc.message) from None
        except jsonschema_rs.ReferencingError as exc:
            raise SchemaInvalidError(path, "/$schema", str(exc)) from None

    def _refs_of(self, path: Path, doc: Any) -> Iterator[tuple[Path, str]]:
        """Yield (target file, fragment) for each `$ref` in doc, checking that the file exists."""
        for pointer, node in subschemas(doc):
            if not isinstance(node, dict) or "$ref" not in node:
                continue
            ref = node["$ref"]
            if not isinstance(ref, str):
                continue  # the metaschema already rejected it
            rel, fragment = parse_ref(ref)
            if "://" in rel or rel.startswith("urn:"):
                raise RefError(
                    path, f"{pointer}/$ref", f"remote reference {ref!r} is not supported; use a relative file path"
                )
            target = path if rel == "" else (path.parent / rel).resolve()
            if not target.is_file():
                raise RefError(path, f"{pointer}/$ref", f"dangling $ref {ref!r}: file {rel!r} does not exist")
            yield target, fragment

    def _target(self, path: Path, pointer: str, ref: str) -> tuple[Path, str]:
        """Resolve the `$ref` found at (path, pointer) to (file, JSON pointer) or raise RefError."""
        rel, fragment = parse_ref(ref)
        target = path if rel == "" else (path.parent / rel).resolve()
        doc = self._docs[target]
        if fragment and not fragment.startswith("/"):
            anchors = _anchors(doc)
            if fragment not in anchors:
                raise RefError(path, f"{pointer}/$ref", f"dangling $ref {ref!r}: no $anchor {fragment!r}")
            fragment = anchors[fragment]
        try:
            _pointer_get(doc, fragment)
        except KeyError:
            raise RefError(path, f"{pointer}/$ref", f"dangling $ref {ref!r}: nothing at #{fragment}") from None
        return target, fragment

    def check_refs(self) -> None:
        """Every `$ref` resolves, and no chain of `$ref`s loops without reaching a real schema."""
        for path in self.files:
            for pointer, node in subschemas(self._docs[path]):
                if isinstance(node, dict) and isinstance(node.get("$ref"), str):
                    self._follow_chain(path, pointer, node)

    def _follow_chain(self, path: Path, pointer: str, node: dict[str, Any]) -> None:
        seen = {(path, pointer)}
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target, fragment = self._target(path, pointer, node["$ref"])
            if (target, fragment) in seen:
                raise RefError(path, f"{pointer}/$ref", f"$ref cycle: {node['$ref']!r} leads back to itself")
            seen.add((target, fragment))
            nxt = _pointer_get(self._docs[target], fragment)
            # Only a schema that is nothing but a $ref (plus annotations) continues the chain.
            if not isinstance(nxt, dict) or any(k not in _ANNOTATIONS for k in nxt if k != "$ref"):
                return
            path, pointer, node = target, fragment, nxt

    # -- bundling --------------------------------------------------------------------------------
    def bundled(self, name: str, version: str) -> Any:
        """A self-contained copy of a schema: other files move under `$defs`, refs become local."""
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
            pending.extend(t for t, _ in self._refs_of(current, self._docs[current]) if t not in reach)
        root_doc = self._docs[root_file]
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
                    target, fragment = self._target(path, pointer, node["$ref"])
                    node["$ref"] = "#" + base[target] + fragment
            return doc

        if isinstance(root_doc, bool):
            result: Any = root_doc
        else:
            result = rewrite(root_file, root_doc, embedded=False)
            defs = result.setdefault("$defs", {})
            for other, key in keys.items():
                defs[key] = rewrite(other, self._docs[other], embedded=True)
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


def load_schema_file(path: Path) -> Any:
    """One schema file outside any index: strict JSON, the metaschema, its `$ref`s (cycles included), bundled."""
    from contractkit.registry._index import Index, Policy

    return Registry(path.parent, Index(versions=(), roles={}, policy=Policy())).bundle_file(path)


def load_registry(root: Path | str = "schemas") -> Registry:
    """Load `root/index.toml` and every schema it reaches; raise InputError on the first problem."""
    root = Path(root)
    if not root.is_dir():
        raise SchemaFileError(root, None, "schema directory not found")
    index = load_index(root)
    registry = Registry(root, index)
    for version in index.versions:
        for rel in version.schemas.values():
            registry._load(root / rel)
    registry.check_refs()
    return registry
