"""Version routing: each version's routes behind one prefix test, and the gate around each route.

`VersionRoutes` exists for two reasons. Speed: the app's router tries its routes in order, so without it
every request of the newest version would first be matched against each older version's routes, and
routes sharing a path pattern would each match it again (the service benchmark's instruction count
measured the difference: docs/service.md, Performance). And `Allow`: Starlette's 405 names only the
methods of the one route it tried, where RFC 9110 wants every method of the resource.

It is a Mount without the path rewriting (so route templates, `url_path_for` and root_path keep their
full meaning). It tries the routes in order as the router does (the first that matches path and method,
else the first that matches the path: 405), matching each distinct path pattern once per request.
tests/fastapi/test_version_routes.py holds it to the plain router's answers (checked with Starlette 1.10).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette._utils import get_route_path
from starlette.datastructures import URLPath
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

from contractkit.fastapi._gate import VersionGate

__all__ = ["VersionRoutes", "gated_route_class"]

_ALLOW_KEY = "contractkit.allow"


class VersionRoutes(BaseRoute):
    """One version's routes (FastAPI APIRoutes with full paths) behind the prefix `prefix` (e.g. `/v1/`)."""

    def __init__(self, prefix: str, routes: list[APIRoute]) -> None:
        self.prefix = prefix
        self.routes = routes
        patterns: dict[str, int] = {}
        for route in routes:
            patterns.setdefault(route.path_regex.pattern, len(patterns))
        self._regexes = [next(r.path_regex for r in routes if r.path_regex.pattern == p) for p in patterns]
        self._pattern_of = [patterns[r.path_regex.pattern] for r in routes]
        allow: dict[int, set[str]] = {}
        for route, i in zip(routes, self._pattern_of, strict=True):
            allow.setdefault(i, set()).update(route.methods or ())
        self._allow = {i: ", ".join(sorted(methods)) for i, methods in allow.items()}

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        path = get_route_path(scope)
        if not path.startswith(self.prefix):
            return Match.NONE, {}
        method = scope["method"]
        found: list[Any] = [None] * len(self._regexes)  # None: not tried yet; False: no match
        partial: tuple[int, Any] | None = None
        for n, (route, i) in enumerate(zip(self.routes, self._pattern_of, strict=True)):
            hit = found[i]
            if hit is None:
                hit = found[i] = self._regexes[i].match(path) or False
            if hit is False:
                continue
            if route.methods is None or method in route.methods:
                return Match.FULL, _child(scope, route, hit)
            if partial is None:
                partial = (n, hit)
        if partial is None:
            return Match.NONE, {}
        n, hit = partial
        route = self.routes[n]
        child = _child(scope, route, hit)
        child[_ALLOW_KEY] = self._allow[self._pattern_of[n]]  # every method of the path
        return Match.PARTIAL, child

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        allow = scope.get(_ALLOW_KEY)
        if allow is not None and scope["method"] not in scope["route"].methods:
            raise HTTPException(status_code=405, headers={"Allow": allow})
        await scope["route"].handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        for route in self.routes:
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                pass
        raise NoMatchFound(name, path_params)


def _child(scope: Scope, route: APIRoute, match: Any) -> Scope:
    """What `APIRoute.matches` returns for a path its regex matched (Starlette 1.10 `Route.matches`, plus
    FastAPI's `route`), built from the match already made instead of matching the path a second time."""
    params = match.groupdict()
    convertors = route.param_convertors
    for key, value in params.items():
        params[key] = convertors[key].convert(value)
    path_params = dict(scope.get("path_params", {}))
    path_params.update(params)
    return {"endpoint": route.endpoint, "path_params": path_params, "route": route}


def gated_route_class(gate: VersionGate) -> type[APIRoute]:
    """An APIRoute class whose handler runs behind `gate` (one class per version)."""

    class GatedRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Any]:
            original = super().get_route_handler()

            async def gated(request: Request) -> Response:
                return await gate.run(request, original)

            return gated

    GatedRoute.__name__ = f"GatedRoute_{gate.version}"
    return GatedRoute
