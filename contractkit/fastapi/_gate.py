"""The version gate: the one place where cross-cutting HTTP rules run, around every versioned route.

In this order, for every request of a version:

1. **410** after the version's sunset (the clock is injectable), naming the successor;
2. the app's **guards** (`Gate.guards`: authentication, rate limiting, ...; each raises `Problem` to refuse);
3. for POST/PATCH/PUT, the **body**: 413 over `Gate.max_body_bytes` (on Content-Length and while
   streaming), 415 unless `application/json` or `application/*+json`, 400 unless strict JSON;
4. the app's **interceptors** (`Gate.interceptors`, e.g. an Idempotency-Key protocol): each gets the
   call and `proceed`, and may answer without proceeding (a replay) or look at the answer;
5. validation with the version's own model (422 with RFC 6901 pointers), the upgrade to the head
   version, the handler, the downgrade of its answer (see _endpoints).

Whatever any step raises becomes problem+json: `Problem` as itself, validation errors as 422, a client
that went away mid-body as 400, and any other exception through `Gate.on_error` (e.g. a database that is
down as 503) or, failing that, a logged 500. Every answer of a deprecated version, errors included,
carries its `Deprecation` / `Sunset` / `Link` headers.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import orjson
from fastapi.exceptions import RequestValidationError
from starlette._utils import get_route_path
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from contractkit.fastapi._call import Call
from contractkit.fastapi._lifecycle import Lifecycle
from contractkit.fastapi._problems import Problem, problem_response, uri_path, validation_problem

__all__ = ["CALL_SCOPE_KEY", "VERSION_SCOPE_KEY", "ErrorHook", "Gate", "Guard", "Interceptor", "Proceed", "VersionGate"]

log = logging.getLogger("contractkit.fastapi")

VERSION_SCOPE_KEY = "contractkit.api_version"  # set on the ASGI scope of every versioned request (metrics)
CALL_SCOPE_KEY = "contractkit.call"
_BODY_METHODS = frozenset({"POST", "PATCH", "PUT"})

Guard = Callable[[Call], Awaitable[None] | None]
Proceed = Callable[[], Awaitable[Response]]
Interceptor = Callable[[Call, Proceed], Awaitable[Response]]
ErrorHook = Callable[[Exception, Call], Problem | None]
Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Gate:
    """What an app plugs into the version gate (see the module docstring for the order).

    - `guards`: run before the body is read, sync or async, e.g. authentication and rate limiting; they
      refuse by raising `Problem` and may record what they learn in `call.state`;
    - `interceptors`: `async (call, proceed) -> Response` around validation and the handler, after the
      body was read and parsed (`call.document`); `proceed()` never raises for an error answer, it returns
      the problem response. An interceptor may also have a `wants(call) -> bool` method: when it says
      False the interceptor is skipped for that request, which costs far less than proceeding at once;
    - `on_error`: maps an unexpected exception to a `Problem` (None: a 500, logged with its traceback);
    - `max_body_bytes`: larger request bodies are 413;
    - `statuses`: what the hooks may answer on any route, for the OpenAPI documents.
    """

    guards: Sequence[Guard] = ()
    interceptors: Sequence[Interceptor] = ()
    on_error: ErrorHook | None = None
    max_body_bytes: int = 1024 * 1024
    statuses: tuple[int, ...] = ()


def _parse_json(raw: bytes) -> Any:
    """Parse JSON strictly (no NaN/Infinity); orjson first, the stdlib for what orjson refuses but JSON allows
    (integers beyond 64 bits), so such numbers reach validation and get a 422 with a pointer."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    if not raw.strip():
        raise Problem(400, "malformed-json", "the request body is empty; send a JSON object")

    def reject(token: str) -> Any:
        raise ValueError(token)

    try:
        parsed = json.loads(raw.decode("utf-8"), parse_constant=reject)
        # Lone surrogates (\ud800) are JSON-grammatical but are not Unicode text; nothing downstream can store
        # or print them, so they are refused here.
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except (ValueError, UnicodeError, RecursionError):
        raise Problem(400, "malformed-json", "the request body is not valid JSON") from None
    return parsed


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


class VersionGate:
    """One version's gate, built once at startup; `run` wraps every route handler of the version."""

    def __init__(
        self,
        gate: Gate,
        lifecycle: Lifecycle,
        clock: Callable[[], Any],
        *,
        type_base: str,
        downgrades: Mapping[str, tuple[Callable[[dict[str, Any]], dict[str, Any]], ...]],
    ) -> None:
        self.gate = gate
        self.lifecycle = lifecycle
        self.version = lifecycle.version
        self.clock = clock
        self.type_base = type_base
        self.downgrades = downgrades
        self.can_be_gone = lifecycle.sunset_at is not None or lifecycle.status_sunset
        self.announce = lifecycle.announcer() if lifecycle.announces else None
        self._sync_guards = tuple(g for g in gate.guards if not inspect.iscoroutinefunction(g))
        self._guards = tuple((g, inspect.iscoroutinefunction(g)) for g in gate.guards)
        self._all_sync = len(self._sync_guards) == len(self._guards)
        self._interceptors = tuple(gate.interceptors)
        self._wants = tuple(getattr(i, "wants", None) for i in self._interceptors)

    def downgrade(self, schema: str, body: Any) -> Any:
        for fn in self.downgrades.get(schema, ()):
            body = fn(body)
        return body

    def gone(self) -> Problem:
        lc = self.lifecycle
        when = f" on {lc.sunset_date.isoformat()}" if lc.sunset_date else ""
        detail = f"{lc.version} was sunset{when}" + (f"; use {lc.successor}" if lc.successor else "")
        return Problem(410, "version-sunset", detail, successor=lc.successor)

    async def _read_body(self, request: Request, call: Call) -> bytes:
        limit = self.gate.max_body_bytes
        declared = call.header("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise Problem(413, "body-too-large", f"the request body exceeds {limit} bytes")
        if not _is_json(call.header("content-type")):
            raise Problem(415, "unsupported-media-type", "send the body as application/json")
        if declared is not None and declared.isdigit():
            # The server enforces Content-Length, so the declared size bounds what body() reads.
            return await request.body()
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise Problem(413, "body-too-large", f"the request body exceeds {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    async def run(self, request: Request, handler: Handler) -> Response:
        scope = request.scope
        scope[VERSION_SCOPE_KEY] = self.version
        call = Call(request, self)
        scope[CALL_SCOPE_KEY] = call
        try:
            if self.can_be_gone and self.lifecycle.is_gone(self.clock()):
                raise self.gone()
            if self._all_sync:
                for guard in self._sync_guards:
                    guard(call)
            else:
                for guard, is_async in self._guards:
                    outcome = guard(call)
                    if is_async:
                        await outcome  # type: ignore[misc]
            if request.method in _BODY_METHODS:
                call.document = _parse_json(await self._read_body(request, call))
            response = await (self._intercepted(call, handler, 0) if self._interceptors else handler(request))
        except Exception as exc:
            response = self.error_response(exc, call)
        # The call refers to the request, whose scope refers to the call: break the cycle here, or every request
        # would leave its whole object graph to the garbage collector.
        del scope[CALL_SCOPE_KEY]
        if self.announce is not None:
            # the successor link keeps the mount point (root_path) the client called through
            response.raw_headers.extend(
                self.announce(uri_path(get_route_path(scope)), uri_path(scope.get("root_path", "")))
            )
        return response

    def _intercepted(self, call: Call, handler: Handler, i: int, inside: bool = False) -> Awaitable[Response]:
        """The interceptors from the i-th on around the handler, skipping those that do not want the call:
        each one entered is one more coroutine that every suspension of the handler passes through. Inside
        an interceptor, the handler's errors become answers (`proceed()` does not raise for them)."""
        interceptors, wants = self._interceptors, self._wants
        while i < len(interceptors):
            want = wants[i]
            if want is None or want(call):
                return interceptors[i](call, partial(self._intercepted, call, handler, i + 1, True))
            i += 1
        return self._final(call, handler) if inside else handler(call.request)

    async def _final(self, call: Call, handler: Handler) -> Response:
        try:
            return await handler(call.request)
        except Exception as exc:
            return self.error_response(exc, call)

    def error_response(self, exc: Exception, call: Call) -> Response:
        """Any exception from a step of the gate as a problem+json response (module docstring)."""
        path = uri_path(call.request.scope["path"])
        if isinstance(exc, Problem):
            problem = exc
        elif isinstance(exc, RequestValidationError):
            problem = validation_problem(exc.errors(), fastapi=True)
        elif isinstance(exc, ClientDisconnect):
            # The client went away before sending the whole body: nothing was processed, and nobody reads this.
            problem = Problem(400, "incomplete-body", "the client disconnected before sending the whole body")
        elif isinstance(exc, HTTPException):  # raised by FastAPI/Starlette internals; keep its status
            problem = Problem(exc.status_code, "http-error", str(exc.detail), headers=exc.headers)
        else:
            mapped = self.gate.on_error(exc, call) if self.gate.on_error is not None else None
            if mapped is None:
                log.error("unhandled error in %s %s", call.method, path, exc_info=exc)
                mapped = Problem(500, "internal-error", "the server could not answer")
            problem = mapped
        return problem_response(problem, path, self.type_base)
