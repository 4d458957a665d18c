"""Routes, declared once against the head version, and the per-version endpoints made from them.

For each version that has a route's schemas, an endpoint is generated whose signature FastAPI reads: the
path parameters (strings). The body is not FastAPI's: the gate has read and parsed it, and the endpoint
validates the client's document with *that version's* generated model (422 with pointers), upgrades it
through the declared changes, validates it with the head model, calls the handler
(`handler(call, **path_params, body=head_model)`), and downgrades its answer to the client's version.
(Leaving the body to FastAPI would read its media type and validate it a second way, for nothing: the
document's requestBody comes from the registry's schema, see _openapi.) A sync handler runs in FastAPI's
threadpool, an async one on the event loop, as FastAPI does.
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
    context = ConversionContext.with_loaders(loaders)
    default_status = route.status

    converts = has_body and not is_head

    def validate(call: Call, values: dict[str, Any]) -> None:
        """The client's document -> `body`: this version's model, then (older versions) the head model."""
        assert version_model is not None
        raw = call.document
        try:
            body = version_model.model_validate(raw)
        except ValidationError as exc:
            raise validation_problem(exc.errors()) from None
        if not converts:
            values["body"] = body
            return
        # The client's own document, which this version's model just validated, is the input of the chain:
        # cheaper than dumping the model, and it keeps "absent" distinct from "default".
        document = raw if isinstance(raw, dict) else body.model_dump(mode="json", warnings=False)
        if upgrades:
            ctx = context(loaders, call)
            for fn in upgrades:
                document = fn(document, ctx)
        assert head_model is not None
        try:
            values["body"] = head_model.model_validate(document)
        except ValidationError as exc:
            raise validation_problem(exc.errors()) from None

    def finish(result: Any) -> Response:
        status, headers = default_status, None
        kind = type(result)
        if kind is Reply:
            status = result.status or default_status
            headers = result.headers
            result = result.body
            kind = type(result)
        if kind is not dict:  # the usual answer is a dict: the checks below are for the others
            if result is None:
                return Response(status_code=status, headers=headers)
            if isinstance(result, Response):
                return result
            if isinstance(result, BaseModel):
                result = result.model_dump(mode="json", by_alias=True)
        for fn in downgrades:
            result = fn(result)
        return Response(orjson.dumps(result), status_code=status, media_type="application/json", headers=headers)

    endpoint: Callable[..., Any]
    if inspect.iscoroutinefunction(handler):

        async def async_endpoint(**values: Any) -> Response:
            call: Call = values.pop("request").scope[CALL_SCOPE_KEY]
            if has_body:
                validate(call, values)
            return finish(await handler(call, **values))

        endpoint = async_endpoint
    else:

        def sync_endpoint(**values: Any) -> Response:
            call: Call = values.pop("request").scope[CALL_SCOPE_KEY]
            if has_body:
                validate(call, values)
            return finish(handler(call, **values))

        endpoint = sync_endpoint

    params = [inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)]
    params += [inspect.Parameter(p, inspect.Parameter.KEYWORD_ONLY, annotation=str) for p in path_params(route.path)]
    # FastAPI reads the endpoint's parameters through inspect.signature, which honours __signature__.
    setattr(endpoint, "__signature__", inspect.Signature(params, return_annotation=Response))  # noqa: B010
    endpoint.__name__ = route.operation
    endpoint.__qualname__ = route.operation
    return endpoint


def success_description(route: Route) -> str:
    return route.description or title_of(route.status)
