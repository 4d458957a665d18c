"""Routes, declared once against the head version, and the per-version endpoints made from them.

For each version that has a route's schemas, an endpoint is generated whose signature FastAPI reads:
the path parameters (strings) and `body` typed with *that version's* generated model, so FastAPI
validates the client's body against its own version (422) and documents it. The endpoint then upgrades
the client's document through the declared changes, validates it with the head model, calls the handler
(`handler(call, **path_params, body=head_model)`), and downgrades its answer to the client's version.
A sync handler runs in FastAPI's threadpool, an async one on the event loop, as FastAPI does.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from contractkit.fastapi._call import Call, Reply
from contractkit.fastapi._changes import ConversionContext
from contractkit.fastapi._gate import CALL_SCOPE_KEY
from contractkit.fastapi._problems import title_of, validation_problem

__all__ = ["Route", "make_endpoint", "path_params"]

_PARAM = re.compile(r"{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?}")


@dataclass(frozen=True, slots=True)
class Route:
    """One operation, served in every version that has its schemas.

    - `method`, `path`: the path below the version prefix (`/carts/{cart_id}`), FastAPI syntax;
    - `handler`: `handler(call, **path_params[, body=<head model>])`, sync or async, written against
      the head version; it returns a head-version body (dict or model), a `Reply`, None or a Response;
    - `request` / `response`: the registry schema names of the request body and the success body
      (a version without one of them does not serve the route);
    - `status`: the success status; `description`: its OpenAPI description (default: the status's title);
    - `errors`: the error statuses the handler itself answers (the gate adds its own: docs/fastapi.md);
    - `summary`, `name` (operation id `<version>_<name>`, default the handler's name), `tag`
      (OpenAPI tag `<tag> <version>`).
    """

    method: str
    path: str
    handler: Callable[..., Any]
    request: str | None = None
    response: str | None = None
    status: int = 200
    summary: str | None = None
    description: str | None = None
    errors: tuple[int, ...] = ()
    name: str | None = None
    tag: str | None = None

    @property
    def operation(self) -> str:
        return self.name or str(getattr(self.handler, "__name__", "operation"))


def path_params(path: str) -> list[str]:
    return _PARAM.findall(path)


def make_endpoint(
    route: Route,
    *,
    version_model: type[BaseModel] | None,
    head_model: type[BaseModel] | None,
    upgrades: tuple[Callable[[dict[str, Any], Any], dict[str, Any]], ...],
    is_head: bool,
    downgrades: tuple[Callable[[dict[str, Any]], dict[str, Any]], ...],
    loaders: Mapping[str, Callable[[Call], Any]],
) -> Callable[..., Any]:
    """The FastAPI endpoint of `route` for one version (see the module docstring)."""
    handler = route.handler
    has_body = route.request is not None
    default_status = route.status

    def prepare(values: dict[str, Any]) -> Call:
        request: Request = values.pop("request")
        call: Call = request.scope[CALL_SCOPE_KEY]
        if has_body and not is_head:
            body = values["body"]
            # The client's own document, which the gate parsed and the version's model just validated, is the
            # input of the chain: cheaper than dumping the model, and it keeps "absent" distinct from "default".
            raw = call.document
            document = raw if isinstance(raw, dict) else body.model_dump(mode="json", warnings=False)
            if upgrades:
                ctx = ConversionContext(loaders, call)
                for fn in upgrades:
                    document = fn(document, ctx)
            assert head_model is not None
            try:
                values["body"] = head_model.model_validate(document)
            except ValidationError as exc:
                raise validation_problem(exc.errors()) from None
        return call

    def finish(result: Any) -> Response:
        if isinstance(result, Response):
            return result
        status, headers = default_status, None
        if isinstance(result, Reply):
            status = result.status or default_status
            headers = result.headers
            result = result.body
        if result is None:
            return Response(status_code=status, headers=headers)
        if isinstance(result, BaseModel):
            result = result.model_dump(mode="json", by_alias=True)
        for fn in downgrades:
            result = fn(result)
        return Response(orjson.dumps(result), status_code=status, media_type="application/json", headers=headers)

    endpoint: Callable[..., Any]
    if inspect.iscoroutinefunction(handler):

        async def async_endpoint(**values: Any) -> Response:
            call = prepare(values)
            return finish(await handler(call, **values))

        endpoint = async_endpoint
    else:

        def sync_endpoint(**values: Any) -> Response:
            call = prepare(values)
            return finish(handler(call, **values))

        endpoint = sync_endpoint

    params = [inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)]
    params += [inspect.Parameter(p, inspect.Parameter.KEYWORD_ONLY, annotation=str) for p in path_params(route.path)]
    if has_body:
        params.append(inspect.Parameter("body", inspect.Parameter.KEYWORD_ONLY, annotation=version_model))
    # FastAPI reads the endpoint's parameters through inspect.signature, which honours __signature__.
    setattr(endpoint, "__signature__", inspect.Signature(params, return_annotation=Response))  # noqa: B010
    endpoint.__name__ = route.operation
    endpoint.__qualname__ = route.operation
    return endpoint


def success_description(route: Route) -> str:
    return route.description or title_of(route.status)
