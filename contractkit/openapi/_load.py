"""Load: an OpenAPI 3.0 / 3.1 document (a dict or a JSON/YAML file) as operations with resolved parts.

The version comes from the `openapi` field. `$ref`s to parameters, request bodies, responses, headers,
path items and security schemes are followed here (locally, or into other files next to the document,
through `referencing`); `$ref`s inside schemas are left for `_schemas`, which bundles each schema for the
engine. Every part read is checked for shape, so a malformed document is an `InputError` naming the file
and JSON pointer, never a traceback. (openapi-spec-validator would check every rule of the
specification, at 13 more dependencies and about 0.5 s per 100 KB document: not in the core.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urldefrag, urljoin, urlparse

from contractkit._files import load_file
from contractkit.errors import InputError, RefError
from contractkit.lint import KeywordWarning, kind_of, unknown_keywords

if TYPE_CHECKING:
    import referencing
    from referencing._core import Resolver

__all__ = [
    "METHODS",
    "Document",
    "Header",
    "MediaType",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "SchemaRef",
    "load_openapi",
    "template_key",
]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
LOCATIONS = ("path", "query", "header", "cookie")
Location = Literal["path", "query", "header", "cookie"]
Dialect = Literal["openapi-3.0", "openapi-3.1"]

_PARAM = re.compile(r"\{([^{}/]+)\}")


def template_key(path: str) -> str:
    """The path with parameter names erased: `/carts/{id}` and `/carts/{cart_id}` are the same path."""
    return _PARAM.sub("{}", path)


def path_param_names(path: str) -> list[str]:
    return _PARAM.findall(path)


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True, slots=True)
class SchemaRef:
    """A Schema Object where it stands: its `$ref`s resolve against `base`; `pointer` locates it."""

    node: Any
    base: str
    pointer: str


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    location: Location
    required: bool
    schema: SchemaRef | None
    pointer: str
    deprecated: bool = False
    examples: tuple[Any, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        # Header names are case-insensitive (RFC 9110); query, path and cookie names are not.
        return (self.location, self.name.lower() if self.location == "header" else self.name)

    @property
    def label(self) -> str:
        return f"{self.location} parameter {self.name!r}"


@dataclass(frozen=True, slots=True)
class MediaType:
    name: str
    schema: SchemaRef | None
    pointer: str
    examples: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestBody:
    required: bool
    content: Mapping[str, MediaType]
    pointer: str


@dataclass(frozen=True, slots=True)
class Header:
    name: str
    required: bool
    schema: SchemaRef | None
    pointer: str
    examples: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Response:
    status: str
    content: Mapping[str, MediaType]
    headers: Mapping[str, Header]  # by lower-cased name
    pointer: str


Requirement = tuple[tuple[str, tuple[str, ...]], ...]  # (scheme name, scopes) pairs of one alternative


@dataclass(frozen=True, slots=True)
class Operation:
    method: str  # lower case, as in the document
    path: str
    pointer: str
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: Mapping[str, Response]
    security: tuple[Requirement, ...] | None  # the alternatives in force; None: no requirement at all
    security_pointer: str | None
    servers: tuple[str, ...]
    servers_pointer: str
    deprecated: bool = False
    sunset: str | None = None

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass(slots=True)
class Document:
    """One loaded OpenAPI document. `source` names it in messages (the file path, or "old"/"new")."""

    source: str
    version: str
    dialect: Dialect
    base: str
    raw: dict[str, Any]
    resolver: Resolver[Any]  # `referencing` is imported on first load, not with the CLI
    operations: dict[tuple[str, str], Operation] = field(default_factory=dict)  # (template key, method)
    paths: dict[str, str] = field(default_factory=dict)  # template key -> the path as written
    servers: tuple[str, ...] = ()
    security_schemes: dict[str, dict[str, Any]] = field(default_factory=dict)
    schema_objects: list[SchemaRef] = field(default_factory=list)
    cache: dict[Any, Any] = field(default_factory=dict)  # per-document memo of _schemas and _witness

    def find(self, method: str, path: str) -> Operation | None:
        return self.operations.get((template_key(path), method.lower()))

    def lint(self) -> tuple[KeywordWarning, ...]:
        """Unknown keywords in the document's schemas (components and inline)."""
        out: list[KeywordWarning] = []
        for s in self.schema_objects:
            out += unknown_keywords(s.node, self.dialect, pointer=s.pointer, file=self.source)
        return tuple(out)


def load_openapi(source: Mapping[str, Any] | Path | str, *, label: str = "document") -> Document:
    """Load an OpenAPI 3.0/3.1 document from a dict or a JSON/YAML file (`label` names a dict in errors)."""
    if isinstance(source, Mapping):
        raw: Any = dict(source)
        where = label
        base = (Path.cwd() / f"{label}.openapi.json").as_uri()
    else:
        path = Path(source)
        raw = load_file(path)
        where = str(source)
        base = path.resolve().as_uri()
    kind = kind_of(raw)
    if kind == "swagger":
        raise InputError(where, None, "is a Swagger 2.0 document; only OpenAPI 3.0 and 3.1 are supported")
    if kind != "openapi":
        raise InputError(where, None, "not an OpenAPI document: it has no 'openapi' field")
    return _Loader(raw, where, base).load()


def _retrieve(uri: str) -> referencing.Resource[Any]:
    import referencing

    parsed = urlparse(uri)
    if parsed.scheme != "file":
        raise ValueError(f"only files next to the document are followed, not {uri}")
    return referencing.Resource.opaque(load_file(Path(unquote(parsed.path))))


class _Loader:
    def __init__(self, raw: dict[str, Any], where: str, base: str) -> None:
        self.raw = raw
        self.where = where
        self.base = base
        import referencing

        registry: referencing.Registry[Any] = referencing.Registry(retrieve=_retrieve)  # type: ignore[call-arg]
        self.resolver = registry.with_resource(base, referencing.Resource.opaque(raw)).resolver(base)

    # -- shape checks ----------------------------------------------------------------------------
    def fail(self, pointer: str, reason: str) -> InputError:
        return InputError(self.where, pointer, reason)

    def obj(self, value: Any, pointer: str, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(pointer, f"{what} must be an object")
        return value

    def lst(self, value: Any, pointer: str, what: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(pointer, f"{what} must be an array")
        return value

    def flag(self, node: dict[str, Any], key: str, pointer: str) -> bool:
        value = node.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(f"{pointer}/{key}", f"{key} must be true or false")
        return value

    # -- references ------------------------------------------------------------------------------
    def deref(self, node: Any, base: str, pointer: str, what: str) -> tuple[dict[str, Any], str, str]:
        """Follow `$ref`s to a non-schema object: (object, its base URI, pointer shown in messages)."""
        seen: set[str] = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str):
                raise self.fail(f"{pointer}/$ref", "$ref must be a string")
            target = urljoin(base, ref)
            if target in seen:
                raise RefError(self.where, f"{pointer}/$ref", f"$ref cycle: {ref!r} leads back to itself")
            seen.add(target)
            node = self.lookup(target, pointer)
            base = urldefrag(target)[0]
            pointer = self.show(target)
        return self.obj(node, pointer, what), base, pointer

    def lookup(self, target: str, pointer: str) -> Any:
        import referencing.exceptions

        try:
            return self.resolver.lookup(target).contents
        except referencing.exceptions.Unretrievable as exc:
            cause = exc.__cause__
            if isinstance(cause, InputError):
                raise cause from None
            raise RefError(self.where, f"{pointer}/$ref", f"cannot follow $ref to {target}: {cause or exc}") from None
        except referencing.exceptions.Unresolvable:
            raise RefError(self.where, f"{pointer}/$ref", f"dangling $ref: nothing at {self.show(target)}") from None

    def show(self, uri: str) -> str:
        """A URI as a pointer into this document (`/components/...`), or `file#/pointer` for another file."""
        doc, frag = urldefrag(uri)
        if doc == self.base:
            return unquote(frag)
        return f"{Path(unquote(urlparse(doc).path)).name}#{unquote(frag)}"

    # -- the document ----------------------------------------------------------------------------
    def load(self) -> Document:
        raw = self.raw
        version = raw["openapi"]
        if not isinstance(version, str):
            raise self.fail("/openapi", 'the openapi field must be a string such as "3.1.0"')
        if version.startswith("3.0."):
            dialect: Dialect = "openapi-3.0"
        elif version.startswith(("3.1.", "3.2.")):
            dialect = "openapi-3.1"
        else:
            raise self.fail("/openapi", f"OpenAPI {version} is not supported; only 3.0.x and 3.1.x are")
        doc = Document(self.where, version, dialect, self.base, raw, self.resolver)
        self.doc = doc
        components = self.obj(raw.get("components", {}), "/components", "components")
        schemes = self.obj(components.get("securitySchemes", {}), "/components/securitySchemes", "securitySchemes")
        for name, scheme in schemes.items():
            doc.security_schemes[name], _, _ = self.deref(
                scheme, self.base, f"/components/securitySchemes/{escape(name)}", "a security scheme"
            )
        for name, schema in self.obj(components.get("schemas", {}), "/components/schemas", "schemas").items():
            doc.schema_objects.append(SchemaRef(schema, self.base, f"/components/schemas/{escape(name)}"))
        doc.servers = self.servers(raw, "", ())  # none declared: the document's own location, not compared
        top_security = self.security(raw, "")
        paths = self.obj(raw.get("paths", {}), "/paths", "paths")
        for path, item in paths.items():
            if not isinstance(path, str) or not path.startswith("/"):
                raise self.fail(f"/paths/{escape(str(path))}", "a path must start with '/'")
            self.path_item(doc, path, item, top_security)
        return doc

    def servers(self, node: dict[str, Any], pointer: str, inherited: tuple[str, ...]) -> tuple[str, ...]:
        if "servers" not in node:
            return inherited
        out: list[str] = []
        for i, server in enumerate(self.lst(node["servers"], f"{pointer}/servers", "servers")):
            s = self.obj(server, f"{pointer}/servers/{i}", "a server")
            url = s.get("url")
            if not isinstance(url, str):
                raise self.fail(f"{pointer}/servers/{i}/url", "a server needs a url string")
            out.append(url)
        return tuple(out) or inherited

    def security(self, node: dict[str, Any], pointer: str) -> tuple[tuple[Requirement, ...] | None, str | None]:
        if "security" not in node:
            return None, None
        alts: list[Requirement] = []
        for i, req in enumerate(self.lst(node["security"], f"{pointer}/security", "security")):
            r = self.obj(req, f"{pointer}/security/{i}", "a security requirement")
            pairs: list[tuple[str, tuple[str, ...]]] = []
            for name, scopes in r.items():
                sc = self.lst(scopes, f"{pointer}/security/{i}/{escape(name)}", "scopes")
                if name not in self.doc.security_schemes:
                    raise self.fail(f"{pointer}/security/{i}/{escape(name)}", f"no security scheme named {name!r}")
                pairs.append((name, tuple(sorted(str(s) for s in sc))))
            alts.append(tuple(sorted(pairs)))
        return tuple(alts), f"{pointer}/security"

    def path_item(
        self, doc: Document, path: str, item: Any, top_security: tuple[tuple[Requirement, ...] | None, str | None]
    ) -> None:
        pointer = f"/paths/{escape(path)}"
        node, base, shown = self.deref(item, self.base, pointer, "a path item")
        key = template_key(path)
        if key in doc.paths:
            raise self.fail(pointer, f"the same path as {doc.paths[key]!r} (only parameter names differ)")
        doc.paths[key] = path
        servers = self.servers(node, shown, doc.servers)
        shared = self.parameters(node.get("parameters", []), base, shown)
        for method in METHODS:
            if method not in node:
                continue
            op_ptr = f"{shown}/{method}"
            op = self.obj(node[method], op_ptr, "an operation")
            params = {p.key: p for p in shared}
            for p in self.parameters(op.get("parameters", []), base, op_ptr):
                params[p.key] = p
            security, sec_ptr = self.security(op, op_ptr)
            if sec_ptr is None:
                security, sec_ptr = top_security
            sunset = op.get("x-sunset")
            doc.operations[(key, method)] = Operation(
                method=method,
                path=path,
                pointer=op_ptr,
                parameters=tuple(params.values()),
                request_body=self.request_body(op["requestBody"], base, f"{op_ptr}/requestBody")
                if "requestBody" in op
                else None,
                responses=self.responses(op.get("responses", {}), base, f"{op_ptr}/responses"),
                security=security,
                security_pointer=sec_ptr,
                servers=self.servers(op, op_ptr, servers),
                servers_pointer=f"{op_ptr}/servers" if "servers" in op else "/servers",
                deprecated=self.flag(op, "deprecated", op_ptr),
                sunset=str(sunset) if sunset is not None else None,
            )

    def examples(self, node: dict[str, Any], base: str, pointer: str) -> tuple[Any, ...]:
        out: list[Any] = []
        if "example" in node:
            out.append(node["example"])
        exs = node.get("examples")
        if isinstance(exs, dict):
            for name, ex in exs.items():
                try:
                    ex_node, _, _ = self.deref(ex, base, f"{pointer}/examples/{escape(name)}", "an example")
                except InputError:
                    continue  # examples are illustrations: a broken one is not this tool's business
                if "value" in ex_node:
                    out.append(ex_node["value"])
        return tuple(out)

    def schema_of(self, node: dict[str, Any], base: str, pointer: str) -> SchemaRef | None:
        if "schema" not in node:
            return None
        schema = node["schema"]
        if not isinstance(schema, dict | bool):
            raise self.fail(f"{pointer}/schema", "a schema must be an object or a boolean")
        ref = SchemaRef(schema, base, f"{pointer}/schema")
        self.doc.schema_objects.append(ref)
        return ref

    def content(self, node: Any, base: str, pointer: str) -> dict[str, MediaType]:
        out: dict[str, MediaType] = {}
        for name, media in self.obj(node, pointer, "content").items():
            ptr = f"{pointer}/{escape(name)}"
            m = self.obj(media, ptr, "a media type")
            out[name] = MediaType(name, self.schema_of(m, base, ptr), ptr, self.examples(m, base, ptr))
        return out

    def parameters(self, nodes: Any, base: str, pointer: str) -> list[Parameter]:
        out: list[Parameter] = []
        for i, raw in enumerate(self.lst(nodes, f"{pointer}/parameters", "parameters")):
            p, pbase, ptr = self.deref(raw, base, f"{pointer}/parameters/{i}", "a parameter")
            name, loc = p.get("name"), p.get("in")
            if not isinstance(name, str) or loc not in LOCATIONS:
                raise self.fail(ptr, "a parameter needs a name and 'in' (path, query, header or cookie)")
            required = self.flag(p, "required", ptr)
            if loc == "path" and not required:
                raise self.fail(f"{ptr}/required", "a path parameter must be required: true")
            schema = self.schema_of(p, pbase, ptr)
            if schema is None and "content" in p:
                media = list(self.content(p["content"], pbase, f"{ptr}/content").values())
                schema = media[0].schema if media else None
            out.append(
                Parameter(
                    name, loc, required, schema, ptr, self.flag(p, "deprecated", ptr), self.examples(p, pbase, ptr)
                )
            )
        return out

    def request_body(self, node: Any, base: str, pointer: str) -> RequestBody:
        body, bbase, ptr = self.deref(node, base, pointer, "a request body")
        return RequestBody(
            self.flag(body, "required", ptr), self.content(body.get("content", {}), bbase, f"{ptr}/content"), ptr
        )

    def responses(self, node: Any, base: str, pointer: str) -> dict[str, Response]:
        out: dict[str, Response] = {}
        for status, raw in self.obj(node, pointer, "responses").items():
            if status.startswith("x-"):
                continue
            r, rbase, ptr = self.deref(raw, base, f"{pointer}/{escape(status)}", "a response")
            headers: dict[str, Header] = {}
            for hname, hraw in self.obj(r.get("headers", {}), f"{ptr}/headers", "headers").items():
                h, hbase, hptr = self.deref(hraw, rbase, f"{ptr}/headers/{escape(hname)}", "a header")
                schema = self.schema_of(h, hbase, hptr)
                if schema is None and "content" in h:
                    media = list(self.content(h["content"], hbase, f"{hptr}/content").values())
                    schema = media[0].schema if media else None
                headers[hname.lower()] = Header(
                    hname, self.flag(h, "required", hptr), schema, hptr, self.examples(h, hbase, hptr)
                )
            out[status.upper()] = Response(
                status.upper(), self.content(r.get("content", {}), rbase, f"{ptr}/content"), headers, ptr
            )
        return out
