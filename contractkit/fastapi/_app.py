"""`VersionedAPI`: every version of a registry served side by side by one FastAPI app.

Startup does all the expensive work once: compose the conversions from the change sets, find each
version's generated models, build each version's gate, routes and OpenAPI document. Requests then only
touch precomputed objects.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response

from contractkit import models as _models
from contractkit.errors import UsageError
from contractkit.fastapi._call import Call
from contractkit.fastapi._changes import ChangeSets, Conversions
from contractkit.fastapi._endpoints import Route, make_endpoint, success_description
from contractkit.fastapi._gate import VERSION_SCOPE_KEY, Gate, VersionGate
from contractkit.fastapi._lifecycle import Lifecycle, lifecycles
from contractkit.fastapi._openapi import ASSETS, docs_html, finish_openapi, swagger_assets
from contractkit.fastapi._problems import Problem, problem_response, title_of, uri_path
from contractkit.fastapi._routing import VersionRoutes, gated_route_class
from contractkit.registry import Registry, Version, load_registry

__all__ = ["DESCRIPTIONS", "OpenAPIHook", "VersionedAPI"]

log = logging.getLogger("contractkit.fastapi")
F = TypeVar("F", bound=Callable[..., Any])
OpenAPIHook = Callable[[dict[str, Any], Lifecycle], None]
ModelResolver = Callable[[str, str], Any]

# What the gate's own answers mean, for the OpenAPI documents; an app may say more (error_descriptions).
DESCRIPTIONS: Mapping[int, str] = {
    400: "Malformed JSON or an empty body",
    404: "Not found",
    410: "This version is past its sunset date",
    413: "The request body is larger than the configured limit",
    415: "The request body is not application/json",
    422: "The body does not validate",
}
_BODY_STATUSES = (400, 413, 415, 422)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _version_shape(names: Sequence[str]) -> re.Pattern[str]:
    """What a version name looks like in this registry, to tell an unknown version (`/v9/...`) from a path
    that is simply not there: the names' common part before their first digit (`v`), else their shape with
    digits generalised (`2024-01-01` -> digits and dashes)."""
    heads = [re.split(r"\d", n, maxsplit=1)[0] for n in names]
    prefix = heads[0] if heads and all(h == heads[0] for h in heads) else ""
    if prefix:
        return re.compile(re.escape(prefix) + ".*")
    shapes = {"".join(r"\d+" if p.isdigit() else re.escape(p) for p in re.split(r"(\d+)", n)) for n in names}
    return re.compile("|".join(f"(?:{s})" for s in sorted(shapes)))


class VersionedAPI:
    """Serve every version of a schema registry from one FastAPI app, with business logic on the head.

    - `schemas`: the registry (a `Registry`, or the folder holding `index.toml`);
    - `models`: the package of the generated models (`service.models`), or `f(schema, version) -> model`;
    - `changes`: the change sets (the package `service.changes`, `module:ATTRIBUTE` naming a mapping, or the
      mapping itself): see `load_changes`;
    - `routes`: `Route`s (or add them with the `route` decorator);
    - `gate`: the app's hooks into the version gate (`Gate`);
    - `context`: conversion-context loaders, `{name: f(call)}`, read lazily by upgrades as `ctx.<name>`;
    - `title`, `description` (text or `f(lifecycle) -> text`): each version's document info;
    - `problem_type_base`: prefix of every problem's `type` (`<base><kind>`);
    - `problem_schema`: the registry schema of error bodies (when a version has it);
    - `error_descriptions`: OpenAPI descriptions of error statuses, over `DESCRIPTIONS`;
    - `openapi_hooks`: `f(document, lifecycle)`, called on each finished document (auth schemes, headers);
    - `clock`: `() -> aware datetime`, for the sunset; `index_url`: where the version list is served
      (None: nowhere); `docs`: serve `/<version>/docs` (Swagger UI) besides `/<version>/openapi.json`.
    """

    def __init__(
        self,
        schemas: Registry | str | Path,
        *,
        models: str | ModelResolver,
        changes: str | ChangeSets,
        routes: Sequence[Route] = (),
        gate: Gate | None = None,
        context: Mapping[str, Callable[[Call], Any]] | None = None,
        title: str = "API",
        description: str | Callable[[Lifecycle], str] | None = None,
        problem_type_base: str = "/problems/",
        problem_schema: str | None = "problem",
        error_descriptions: Mapping[int, str] | None = None,
        openapi_hooks: Sequence[OpenAPIHook] = (),
        clock: Callable[[], dt.datetime] | None = None,
        index_url: str | None = "/",
        docs: bool = True,
    ) -> None:
        self.registry = schemas if isinstance(schemas, Registry) else load_registry(schemas)
        if not self.registry.versions:
            raise UsageError(f"{self.registry.root}: the version index lists no versions")
        self.conversions = Conversions.from_registry(self.registry, changes)
        self.lifecycles: dict[str, Lifecycle] = lifecycles(self.registry)
        self.head: str = self.conversions.head
        self.models = models
        self.routes: list[Route] = list(routes)
        self.gate = gate or Gate()
        self.context = dict(context or {})
        self.title = title
        self.description = description
        self.problem_type_base = problem_type_base
        self.problem_schema = problem_schema
        self.descriptions = {**DESCRIPTIONS, **(error_descriptions or {})}
        self.openapi_hooks = tuple(openapi_hooks)
        self.clock = clock or _utc_now
        self.index_url = index_url
        self.docs = docs
        self.documents: dict[str, dict[str, Any]] = {}

    # --- declaring -------------------------------------------------------------------------------------

    def route(self, method: str, path: str, **options: Any) -> Callable[[F], F]:
        """Decorator: `@api.route("POST", "/carts", request="cart_create", response="cart", status=201)`."""

        def add(handler: F) -> F:
            self.routes.append(Route(method, path, handler, **options))
            return handler

        return add

    # --- building --------------------------------------------------------------------------------------

    def _model(self, name: str, version: str) -> Any:
        if callable(self.models):
            return self.models(name, version)
        return _models.model_for(self.registry, self.models, name, version)

    def _describe(self, lifecycle: Lifecycle) -> str:
        if callable(self.description):
            return self.description(lifecycle)
        if self.description is not None:
            return self.description
        text = f"{self.title}, version {lifecycle.version}."
        if lifecycle.announces:
            text += (
                " Deprecated: every response carries `Deprecation`, `Sunset` and `Link` headers; after the sunset"
                f" every route answers 410 Gone naming the successor {lifecycle.successor}."
            )
        return text

    def _responses(self, route: Route, version: Version, problem_model: Any, success_model: Any) -> dict[Any, Any]:
        lifecycle = self.lifecycles[version.name]
        statuses = {*self.gate.statuses, *route.errors}
        if route.request is not None:
            statuses.update(_BODY_STATUSES)
        if lifecycle.sunset is not None or lifecycle.status_sunset:
            statuses.add(410)
        success: dict[str, Any] = {"description": success_description(route)}
        if success_model is not None and route.status != 204:
            success["model"] = success_model
        out: dict[Any, Any] = {route.status: success}
        for status in sorted(statuses):
            entry: dict[str, Any] = {"description": self.descriptions.get(status, title_of(status))}
            if problem_model is not None:
                entry["model"] = problem_model
            out[status] = entry
        return out

    def _version_routes(self, version: Version, gate: VersionGate, target: APIRouter) -> list[APIRoute]:
        name = version.name
        schemas = version.schemas
        route_class = gated_route_class(gate)
        scratch = APIRouter(dependency_overrides_provider=getattr(target, "dependency_overrides_provider", None))
        problem_model = (
            self._model(self.problem_schema, name) if self.problem_schema and self.problem_schema in schemas else None
        )
        is_head = name == self.head
        for route in self.routes:
            if (route.request and route.request not in schemas) or (route.response and route.response not in schemas):
                continue  # a version without the route's schemas does not serve it
            version_model = self._model(route.request, name) if route.request else None
            head_model = self._model(route.request, self.head) if route.request and not is_head else None
            success_model = self._model(route.response, name) if route.response else None
            endpoint = make_endpoint(
                route,
                version_model=version_model,
                head_model=head_model,
                upgrades=self.conversions.requests[name].get(route.request, ()) if route.request else (),
                is_head=is_head,
                downgrades=self.conversions.responses[name].get(route.response, ()) if route.response else (),
                loaders=self.context,
            )
            # Which registry schemas the operation reads and returns: the document publishes those, exactly.
            hint = {"x-contract-schemas": {"request": route.request, "response": route.response}}
            scratch.add_api_route(
                f"/{name}{route.path}",
                endpoint,
                methods=[route.method.upper()],
                status_code=route.status if route.status != 200 else None,
                response_model=None,
                summary=route.summary,
                operation_id=f"{name}_{route.operation}",
                tags=[f"{route.tag} {name}"] if route.tag else None,
                responses=self._responses(route, version, problem_model, success_model),
                route_class_override=route_class,
                openapi_extra=hint,
            )
        return [r for r in scratch.routes if isinstance(r, APIRoute)]

    def install(self, app: FastAPI) -> None:
        """Add every version's routes, documents and docs pages, the version list and problem+json error
        handlers to `app` (create it with `openapi_url=None, docs_url=None, redoc_url=None`: each version
        has its own document)."""
        versions = self.registry.versions
        for version in versions:
            lifecycle = self.lifecycles[version.name]
            gate = VersionGate(
                self.gate,
                lifecycle,
                self.clock,
                type_base=self.problem_type_base,
                downgrades=self.conversions.responses[version.name],
            )
            routes = self._version_routes(version, gate, app.router)
            # One VersionRoutes per version, not include_router: nested-router resolution would cost every
            # request a few microseconds per version.
            app.router.routes.append(VersionRoutes(f"/{version.name}/", routes))
            raw = get_openapi(
                title=f"{self.title} {version.name}",
                version=version.name,
                description=self._describe(lifecycle),
                routes=routes,
            )
            bundles = {name: self.registry.bundled(name, version.name) for name in version.schemas}
            document = finish_openapi(raw, lifecycle, bundles, self.problem_schema)
            for hook in self.openapi_hooks:
                hook(document, lifecycle)
            self.documents[version.name] = document
        for version in versions:  # after every API route: the hot routes are matched first
            self._add_docs_routes(app, version.name)
        if self.index_url is not None:
            self._add_index(app, self.index_url)
        self._add_error_handlers(app)

    # --- the version's documents, the version list, the errors outside any route --------------------------

    def _gone(self, name: str) -> Problem | None:
        lifecycle = self.lifecycles[name]
        if lifecycle.is_gone(self.clock()):
            return Problem(410, "version-sunset", f"{name} is past its sunset", successor=lifecycle.successor)
        return None

    def _add_docs_routes(self, app: FastAPI, name: str) -> None:
        document = self.documents[name]
        base = self.problem_type_base
        title = f"{self.title} {name}"
        assets = swagger_assets()

        def gone(request: Request) -> Response | None:
            request.scope[VERSION_SCOPE_KEY] = name
            problem = self._gone(name)
            return problem_response(problem, f"/{name}", base) if problem is not None else None

        async def openapi_json(request: Request) -> Response:
            return gone(request) or JSONResponse(document)

        async def docs(request: Request) -> Response:
            root = uri_path(request.scope.get("root_path", ""))
            page = docs_html(title, f"{root}/{name}/openapi.json", f"{root}/{name}/docs" if assets else None)
            return gone(request) or HTMLResponse(page)

        async def asset(request: Request, asset: str) -> Response:
            answer = gone(request)
            if answer is not None:
                return answer
            if assets is None or asset not in ASSETS:
                return problem_response(Problem(404, "not-found", "no such resource"), uri_path(request.url.path), base)
            return FileResponse(str(assets / asset), media_type=ASSETS[asset])

        app.add_api_route(f"/{name}/openapi.json", openapi_json, methods=["GET"], include_in_schema=False)
        if self.docs:
            app.add_api_route(f"/{name}/docs", docs, methods=["GET"], include_in_schema=False)
            app.add_api_route(f"/{name}/docs/{{asset}}", asset, methods=["GET"], include_in_schema=False)

    def version_list(self, root: str = "") -> dict[str, Any]:
        """What `/` answers: every version of the index, its lifecycle, and where its documents are."""
        now = self.clock()
        out = []
        for version in self.registry.versions:
            lifecycle = self.lifecycles[version.name]
            entry: dict[str, Any] = {"name": version.name, "status": version.status, "released": str(version.released)}
            if version.deprecated is not None:
                entry["deprecated"] = str(version.deprecated)
            if version.sunset is not None:
                entry["sunset"] = str(version.sunset)
            if lifecycle.successor is not None:
                entry["successor"] = lifecycle.successor
            entry["gone"] = lifecycle.is_gone(now)
            entry["openapi"] = f"{root}/{version.name}/openapi.json"
            if self.docs:
                entry["docs"] = f"{root}/{version.name}/docs"
            out.append(entry)
        return {"title": self.title, "head": self.head, "versions": out}

    def _add_index(self, app: FastAPI, url: str) -> None:
        async def index(request: Request) -> Response:
            return JSONResponse(self.version_list(uri_path(request.scope.get("root_path", ""))))

        app.add_api_route(url, index, methods=["GET"], include_in_schema=False)

    def _add_error_handlers(self, app: FastAPI) -> None:
        known = tuple(v.name for v in self.registry.versions)
        shape = _version_shape(known)
        base = self.problem_type_base

        def not_found(request: Request) -> Problem:
            first = request.url.path.strip("/").split("/", 1)[0]
            if first in self.lifecycles:
                gone = self._gone(first)
                if gone is not None:
                    return gone
            elif shape.fullmatch(first):
                return Problem(404, "unknown-version", f"unknown API version {first!r}; served: {', '.join(known)}")
            return Problem(404, "not-found", "no such resource")

        async def http_error(request: Request, exc: Exception) -> Response:
            assert isinstance(exc, StarletteHTTPException)
            path = uri_path(request.url.path)
            if exc.status_code == 404:
                return problem_response(not_found(request), path, base)
            problem = Problem(exc.status_code, "http-error", str(exc.detail), headers=exc.headers)
            return problem_response(problem, path, base)

        async def validation_error(request: Request, exc: Exception) -> Response:
            # Only reached outside the versioned routes (which render their own); kept so nothing answers 500.
            problem = Problem(422, "validation-error", "the request does not validate")
            return problem_response(problem, uri_path(request.url.path), base)

        async def unhandled(request: Request, exc: Exception) -> Response:
            log.error("unhandled error on %s %s: %r", request.method, request.url.path, exc)
            problem = Problem(500, "internal-error", "the server could not answer")
            return problem_response(problem, uri_path(request.url.path), base)

        app.add_exception_handler(StarletteHTTPException, http_error)
        app.add_exception_handler(RequestValidationError, validation_error)
        app.add_exception_handler(Exception, unhandled)
