"""`Call`: one request as the gate's hooks, the context loaders and the handlers see it; `Reply`: an answer.

A handler is written once against the head version. It never learns which version the client called,
except through what `Call` offers without naming one: `call.url("/carts/1")` is that resource in the
caller's version (`/v1/carts/1` under `/v1`), `call.render(...)` answers in the caller's version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from contractkit.fastapi._problems import uri_path

if TYPE_CHECKING:
    from contractkit.fastapi._gate import VersionGate

__all__ = ["Call", "Reply"]

_KEYS: dict[str, bytes] = {}  # header name as asked -> as ASGI sends it


@dataclass(frozen=True, slots=True)
class Reply:
    """A handler's answer when the route's default status or no headers will not do.

    `body` is a head-version body of the route's response schema (a dict, or a pydantic model); it is
    downgraded to the caller's version. A handler may also return the body alone (the route's status), None
    (an empty answer with the route's status, e.g. 204) or a starlette Response (sent as is).
    """

    body: Any = None
    status: int | None = None
    headers: Mapping[str, str] | None = None


class Call:
    """One request through the version gate.

    - `request`: the starlette Request; `scope`, `method` and `path_params` are shortcuts;
    - `version`: the version the client called (for logs and metrics; business code should not branch on it);
    - `state`: a dict the hooks fill (e.g. the authenticated tenant) for the context loaders and handlers;
    - `document`: the parsed JSON body (requests with a body), as the client sent it.
    """

    __slots__ = ("_gate", "_headers", "document", "request", "state")

    def __init__(self, request: Request, gate: VersionGate) -> None:
        self.request = request
        self._gate = gate
        self._headers: dict[bytes, bytes] | None = None
        self.state: dict[str, Any] = {}
        self.document: Any = None

    @property
    def version(self) -> str:
        return self._gate.version

    @property
    def scope(self) -> Any:
        return self.request.scope

    @property
    def method(self) -> str:
        method: str = self.request.scope["method"]
        return method

    @property
    def path_params(self) -> Mapping[str, Any]:
        params: Mapping[str, Any] = self.request.scope.get("path_params", {})
        return params

    def header(self, name: str) -> str | None:
        """The first value of request header `name` (case-insensitive), or None."""
        headers = self._headers
        if headers is None:
            # ASGI servers send header names in lower case; reversed, so that the first occurrence wins
            headers = self._headers = dict(reversed(self.request.scope["headers"]))
        key = _KEYS.get(name)
        if key is None:
            key = _KEYS[name] = name.lower().encode("latin-1")
        value = headers.get(key)
        return None if value is None else value.decode("latin-1")

    def url(self, path: str) -> str:
        """`path` (below the version prefix, e.g. `/carts/1`) in the caller's version, under the mount
        point the client called through (ASGI root_path): what a Location header needs."""
        root = self.request.scope.get("root_path", "")
        return f"{uri_path(root) if root else ''}/{self._gate.version}{path}"

    def render(
        self, schema: str | None, body: Any, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> Response:
        """A JSON response in the caller's version: `body`, a head-version body of registry schema `schema`,
        downgraded through the declared changes (None: sent as is)."""
        if schema is not None:
            body = self._gate.downgrade(schema, body)
        return Response(orjson.dumps(body), status_code=status, media_type="application/json", headers=headers)
