"""Versioned routers, produced from the version index and the generated models.

For every version in schemas/index.toml this module adds the routes under `/<version>` whose request and
response models are that version's generated models (service.models.<version>), so each version gets its
own OpenAPI document. All routers call the same business logic (service.domain), which
speaks only the head version; service.versioning converts bodies on the way in and out.

Every route runs behind a version gate (`VersionGate`), the one place where cross-cutting HTTP rules live,
in this order: 410 after the sunset, 401 without a valid key, 429 over the tenant's rate (service.ratelimit),
413/415/400 on the body, the idempotency claim for POST, then FastAPI's validation (422) and the handler.
Errors from any step are rendered as problem+json, and the version's lifecycle headers are added to every
response, errors included.
"""

# No `from __future__ import annotations` here: FastAPI reads the endpoint annotations at runtime, and the
# body annotations are the per-version model classes held in local variables.

import hashlib
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URLPath
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, NoMatchFound, get_route_path
from starlette.types import Receive, Scope, Send

from service.auth import ApiKeys
from service.domain import CartService, Clock
from service.lifecycle import Lifecycle
from service.problems import Problem, pointer_of, problem_response, uri_path
from service.ratelimit import RateLimiter
from service.store import IDEM_CLAIM, StoredResponse
from service.versioning import Chains, ConversionContext

__all__ = ["REQUEST_SCHEMAS", "RESPONSE_SCHEMAS", "Runtime", "VersionGate", "build_routes"]

log = logging.getLogger("service.errors")

REQUEST_SCHEMAS = ("cart_create", "cart_item_add", "cart_item_update")
RESPONSE_SCHEMAS = ("cart", "cart_item", "problem")
_BODY_METHODS = frozenset({"POST", "PATCH", "PUT"})
_IDEM_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
_IDEM_LEASE_SECONDS = 60.0
_REPLAY_HEADERS = ("location",)


@dataclass(frozen=True, slots=True)
class Runtime:
    """What every version's routes share; built once by service.app.create_app."""

    service: CartService
    chains: Chains
    keys: ApiKeys
    clock: Clock
    max_body_bytes: int
    idempotency_ttl: float
    head_models: Mapping[str, type[BaseModel]]
    limiter: RateLimiter | None = None


def _parse_json(raw: bytes) -> Any:
    """Parse JSON strictly (no NaN/Infinity); orjson first, the stdlib for what orjson refuses but JSON allows
    (integers beyond 64 bits), so such numbers reach validation and get a 422 with a pointer."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    if not raw.strip():
        raise Problem(400, "malformed-json", "the request body is empty; send a JSON object")
    import json

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


class _GateHeaders:
    """The request headers the gate reads, found in one pass over the ASGI list (first occurrence wins, as
    with Starlette's Headers; ASGI servers send names in lower case)."""

    __slots__ = ("authorization", "content_length", "content_type", "idempotency_key")

    def __init__(self, raw: list[tuple[bytes, bytes]]) -> None:
        self.authorization: str | None = None
        self.content_length: str | None = None
        self.content_type: str | None = None
        self.idempotency_key: str | None = None
        for name, value in raw:
            if name == b"authorization":
                if self.authorization is None:
                    self.authorization = value.decode("latin-1")
            elif name == b"content-length":
                if self.content_length is None:
                    self.content_length = value.decode("latin-1")
            elif name == b"content-type":
                if self.content_type is None:
                    self.content_type = value.decode("latin-1")
            elif name == b"idempotency-key" and self.idempotency_key is None:
                self.idempotency_key = value.decode("latin-1")


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def _validation_problem(errors: list[Any]) -> Problem:
    pointers: list[tuple[str, str]] = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        if loc and loc[0] == "body":
            loc = loc[1:]
        pointers.append((pointer_of(loc), str(err.get("msg", "invalid"))))
    return Problem(422, "validation-error", "the request body does not validate", errors=pointers)


class VersionGate:
    """The per-version wrapper around every route handler (see the module docstring for the order)."""

    def __init__(self, runtime: Runtime, lifecycle: Lifecycle) -> None:
        self.rt = runtime
        self.lifecycle = lifecycle
        self.version = lifecycle.version
        self.can_be_gone = lifecycle.sunset_at is not None or lifecycle.status_sunset
        self.announce = lifecycle.announcer() if lifecycle.announces else None

    def gone(self) -> Problem:
        lc = self.lifecycle
        when = f" on {lc.sunset_date.isoformat()}" if lc.sunset_date else ""
        detail = f"{lc.version} was sunset{when}" + (f"; use {lc.successor}" if lc.successor else "")
        return Problem(410, "version-sunset", detail, successor=lc.successor)

    async def _read_body(self, request: Request, headers: _GateHeaders) -> bytes:
        limit = self.rt.max_body_bytes
        declared = headers.content_length
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise Problem(413, "body-too-large", f"the request body exceeds {limit} bytes")
        if not _is_json(headers.content_type):
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

    async def run(self, request: Request, handler: Callable[[Request], Any]) -> Response:
        scope = request.scope
        info = scope.get("cart.info")
        if info is not None:
            info["api_version"] = self.version
        idem: tuple[str, str] | None = None
        try:
            if self.can_be_gone and self.lifecycle.is_gone(self.rt.clock()):
                raise self.gone()
            headers = _GateHeaders(scope["headers"])
            tenant = self._authenticate(headers.authorization, scope, info)
            replay = None
            if request.method in _BODY_METHODS:
                replay, idem = await self._take_body(request, headers, tenant)
            if replay is not None:
                if info is not None:
                    info["outcome"] = "replayed"
                response = replay
            elif idem is None:
                response = await handler(request)
            else:
                response = await self._handle_claimed(request, handler, idem)
        except Problem as problem:
            response = problem_response(problem, uri_path(scope["path"]))
        except RequestValidationError as exc:
            response = problem_response(_validation_problem(list(exc.errors())), uri_path(scope["path"]))
        except ClientDisconnect:
            # The client went away before sending the whole body: nothing was processed, and nobody reads this.
            incomplete = Problem(400, "incomplete-body", "the client disconnected before sending the whole body")
            response = problem_response(incomplete, uri_path(scope["path"]))
        except HTTPException as exc:  # raised by FastAPI/Starlette internals; keep its status, speak problem+json
            http_problem = Problem(exc.status_code, "http-error", str(exc.detail), headers=exc.headers)
            response = problem_response(http_problem, uri_path(scope["path"]))
        except Exception as exc:
            path = uri_path(scope["path"])
            if isinstance(exc, self.rt.service.store.unavailable):
                log.warning("database unavailable on %s %s: %s", request.method, path, type(exc).__name__)
                unavailable = Problem(
                    503, "unavailable", "the database is unavailable; retry later", headers={"Retry-After": "1"}
                )
                response = problem_response(unavailable, path)
            else:
                log.exception("unhandled error in %s %s", request.method, path)
                response = problem_response(Problem(500, "internal-error", "the server could not answer"), path)
        if idem is not None:
            await self._idem_finish(idem, response)
        if self.announce is not None:
            # the successor link keeps the mount point (root_path) the client called through
            response.raw_headers.extend(
                self.announce(uri_path(get_route_path(scope)), uri_path(scope.get("root_path", "")))
            )
        return response

    def _authenticate(self, authorization: str | None, scope: Scope, info: Any) -> str:
        tenant = self.rt.keys.tenant_for(authorization)
        if tenant is None:
            raise Problem(
                401,
                "unauthorized",
                "send a valid API key as Authorization: Bearer <key>",
                headers={"WWW-Authenticate": 'Bearer realm="cart"'},
            )
        scope["cart.tenant"] = tenant
        if info is not None:
            info["tenant"] = tenant
        limiter = self.rt.limiter
        if limiter is not None:
            wait = limiter.acquire(tenant)
            if wait:
                raise Problem(
                    429,
                    "rate-limited",
                    f"more than {limiter.rate:g} requests per second for this tenant; retry later",
                    headers={"Retry-After": limiter.retry_after(wait)},
                )
        return tenant

    async def _take_body(self, request: Request, headers: _GateHeaders, tenant: str) -> Any:
        """Read and parse the body (size, media type, JSON), then claim its Idempotency-Key if it has one.
        Returns (a replayed response or None, the claim or None)."""
        raw = await self._read_body(request, headers)
        parsed = _parse_json(raw)
        # Hand the bytes and the parsed document to FastAPI, which then skips its own read and parse.
        request._body = raw
        request._json = parsed
        key = headers.idempotency_key
        if key is not None and request.method == "POST":
            return await self._idem_begin(request, tenant, key, parsed)
        return None, None

    async def _handle_claimed(
        self, request: Request, handler: Callable[[Request], Any], idem: tuple[str, str]
    ) -> Response:
        """The handler under an Idempotency-Key claim: the store commits the claim with the write."""
        token = IDEM_CLAIM.set(idem)
        try:
            response: Response = await handler(request)
            return response
        except BaseException:
            await run_in_threadpool(self.rt.service.store.idem_release, *idem)
            raise
        finally:
            IDEM_CLAIM.reset(token)

    async def _idem_begin(self, request: Request, tenant: str, key: str, parsed: Any) -> Any:
        if not _IDEM_KEY.match(key):
            raise Problem(400, "bad-idempotency-key", "Idempotency-Key must be 1-255 visible ASCII characters")
        canonical = orjson.dumps(parsed, option=orjson.OPT_SORT_KEYS) if _orjson_ok(parsed) else repr(parsed).encode()
        fingerprint = hashlib.sha256(
            request.method.encode() + b" " + request.scope["path"].encode("utf-8", "replace") + b"\n" + canonical
        )
        now = self.rt.clock().timestamp()
        begin = await run_in_threadpool(
            self.rt.service.store.idem_begin,
            tenant,
            key,
            fingerprint.hexdigest(),
            now,
            self.rt.idempotency_ttl,
            _IDEM_LEASE_SECONDS,
        )
        if begin.state == "mismatch":
            raise Problem(
                422, "idempotency-key-reused", "this Idempotency-Key was used with a different request body or path"
            )
        if begin.state == "in_flight":
            raise Problem(
                409,
                "idempotency-in-flight",
                "a request with this Idempotency-Key is still being processed; retry later",
            )
        if begin.state == "committed":
            assert begin.resource is not None
            root = uri_path(request.scope.get("root_path", ""))
            rebuilt = await run_in_threadpool(self._rebuild, tenant, begin.resource, root)
            await self._idem_finish((tenant, key), rebuilt)
            rebuilt.headers["Idempotent-Replayed"] = "true"
            return rebuilt, None
        if begin.state == "replay":
            stored = begin.response
            assert stored is not None
            headers = {**stored.headers, "Idempotent-Replayed": "true"}
            return Response(stored.body, status_code=stored.status, headers=headers, media_type=None), None
        return None, (tenant, key)

    def _rebuild(self, tenant: str, resource: dict[str, str], root: str) -> Response:
        """The 201 of a create whose write committed but whose response was lost: the resource as it is now."""
        service, version = self.rt.service, self.version
        cart_id, item_id = resource["cart_id"], resource.get("item_id")
        if item_id is None:
            name, body, location = "cart", service.get_cart(tenant, cart_id), f"{root}/{version}/carts/{cart_id}"
        else:
            name, body = "cart_item", service.get_item(tenant, cart_id, item_id)
            location = f"{root}/{version}/carts/{cart_id}/items/{item_id}"
        body = self.rt.chains.downgrade(version, name, body)
        return Response(
            orjson.dumps(body), status_code=201, media_type="application/json", headers={"Location": location}
        )

    async def _idem_finish(self, idem: tuple[str, str], response: Response) -> None:
        store = self.rt.service.store
        try:
            if 200 <= response.status_code < 300:
                headers = {k: v for k, v in response.headers.items() if k in _REPLAY_HEADERS or k == "content-type"}
                stored = StoredResponse(response.status_code, bytes(response.body), headers)
                await run_in_threadpool(store.idem_complete, idem[0], idem[1], stored)
            else:
                await run_in_threadpool(store.idem_release, *idem)
        except store.unavailable as exc:
            # The answer itself is right (the write, if any, is committed); only its record failed. The claim
            # stays in flight until its lease ends (see docs/service.md, Idempotency).
            log.warning("could not record the Idempotency-Key outcome: %s", type(exc).__name__)


def _orjson_ok(value: Any) -> bool:
    try:
        orjson.dumps(value)
    except TypeError:
        return False
    return True


class VersionRoutes(BaseRoute):
    """One version's routes behind a single prefix test.

    The app's router tries its routes in order, so without this every v2 request would first be matched
    against each v1 route's regex. It is a Mount without the path rewriting: the matched route is put in
    the scope (as FastAPI's routes do for themselves) and handles the request. The routes are tried in
    order, as the router does (the first that matches path and method, else the first that matches the
    path: 405), but each distinct path pattern is matched once per request, not once per route.
    """

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
        hits: list[bool | None] = [None] * len(self._regexes)
        partial: int | None = None
        for n, (route, i) in enumerate(zip(self.routes, self._pattern_of, strict=True)):
            hit = hits[i]
            if hit is None:
                hit = hits[i] = self._regexes[i].match(path) is not None
            if not hit:
                continue
            if route.methods is None or method in route.methods:
                match, child = route.matches(scope)
                child.setdefault("route", route)
                return match, child
            if partial is None:
                partial = n
        if partial is None:
            return Match.NONE, {}
        route = self.routes[partial]
        match, child = route.matches(scope)
        child.setdefault("route", route)
        child["cart.allow"] = self._allow[self._pattern_of[partial]]  # every method of the path
        return match, child

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        allow = scope.get("cart.allow")
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


def _route_class(gate: VersionGate) -> type[APIRoute]:
    class GatedRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Any]:
            original = super().get_route_handler()

            async def gated(request: Request) -> Response:
                return await gate.run(request, original)

            return gated

    GatedRoute.__name__ = f"GatedRoute_{gate.version}"
    return GatedRoute


def _problem_responses(problem_model: Any, *statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "Malformed JSON, an empty body or a malformed Idempotency-Key",
        401: "Missing or invalid API key",
        404: "No such cart or item for this tenant",
        409: "Idempotency-Key in flight, a full cart, a body the cart refuses, or a resource this version cannot show",
        410: "This version is past its sunset date",
        413: "The request body is larger than the configured limit",
        415: "The request body is not application/json",
        422: "The body does not validate, or an Idempotency-Key was reused with another body",
        429: "Too many requests for this tenant; retry after Retry-After seconds",
        503: "The database is unavailable (locked or unreachable); retry after Retry-After seconds",
    }
    return {s: {"model": problem_model, "description": descriptions[s]} for s in statuses}


def build_routes(
    runtime: Runtime,
    lifecycle: Lifecycle,
    models: Mapping[str, Any],
    target: APIRouter,
) -> list[BaseRoute]:
    """Add one version's routes to `target` and return them; `models` maps each schema name to that
    version's generated model.

    The routes are built by a scratch router and reach `target` as one `VersionRoutes` (not through
    include_router, whose nested-router resolution costs every request a few microseconds per version).
    """
    version = lifecycle.version
    gate = VersionGate(runtime, lifecycle)
    route_class = _route_class(gate)
    added: list[BaseRoute] = []
    scratch = APIRouter(dependency_overrides_provider=getattr(target, "dependency_overrides_provider", None))

    class _Adder:
        def add_api_route(
            self, path: str, endpoint: Callable[..., Any], request: str | None, response: str | None, **kwargs: Any
        ) -> None:
            # Which registry schemas the operation reads and returns: service.openapi publishes those, exactly.
            hint = {"x-contract-schemas": {"request": request, "response": response}}
            scratch.add_api_route(
                f"/{version}{path}",
                endpoint,
                route_class_override=route_class,
                tags=[f"carts {version}"],
                openapi_extra=hint,
                **kwargs,
            )
            added.append(scratch.routes[-1])

    router = _Adder()
    chains = runtime.chains
    service = runtime.service
    is_head = version == chains.head
    head_models = runtime.head_models
    Problem_ = models["problem"]

    common = (401, 404, 410, 429, 503) if lifecycle.sunset is not None else (401, 404, 429, 503)
    with_body = (400, 413, 415, 422)

    def upgrade(name: str, body: BaseModel, request: Request, cart_id: str | None = None) -> Any:
        """A request model of this version -> the head version's model of the same schema."""
        if is_head:
            return body
        tenant = request.scope["cart.tenant"]
        ctx = ConversionContext(lambda: service.cart_currency(tenant, cart_id or ""))
        # The client's own document, which the gate parsed and the version's model just validated, is the
        # input of the chain: cheaper than dumping the model, and it keeps "absent" distinct from "default".
        raw = getattr(request, "_json", None)
        document = raw if isinstance(raw, dict) else body.model_dump(mode="json", warnings=False)
        data = chains.upgrade(version, name, document, ctx)
        try:
            return head_models[name].model_validate(data)
        except ValidationError as exc:
            raise _validation_problem(list(exc.errors())) from None

    def render(name: str, body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> Response:
        if not is_head:
            body = chains.downgrade(version, name, body)
        return Response(orjson.dumps(body), status_code=status, media_type="application/json", headers=headers)

    def tenant_of(request: Request) -> str:
        return request.scope["cart.tenant"]

    def root_of(request: Request) -> str:
        """The mount point the client called through (ASGI root_path), for Location headers."""
        root = request.scope.get("root_path", "")
        return uri_path(root) if root else ""

    CartCreate = models["cart_create"]
    CartItemAdd = models["cart_item_add"]
    CartItemUpdate = models["cart_item_update"]
    Cart = models["cart"]
    CartItem = models["cart_item"]

    def create_cart(request: Request, body: CartCreate) -> Response:
        req = upgrade("cart_create", body, request)
        cart = service.create_cart(tenant_of(request), req)
        return render("cart", cart, 201, {"Location": f"{root_of(request)}/{version}/carts/{cart['id']}"})

    def get_cart(request: Request, cart_id: str) -> Response:
        return render("cart", service.get_cart(tenant_of(request), cart_id))

    def delete_cart(request: Request, cart_id: str) -> Response:
        service.delete_cart(tenant_of(request), cart_id)
        return Response(status_code=204)

    def add_item(request: Request, cart_id: str, body: CartItemAdd) -> Response:
        req = upgrade("cart_item_add", body, request, cart_id)
        item = service.add_item(tenant_of(request), cart_id, req)
        location = f"{root_of(request)}/{version}/carts/{cart_id}/items/{item['id']}"
        return render("cart_item", item, 201, {"Location": location})

    def get_item(request: Request, cart_id: str, item_id: str) -> Response:
        return render("cart_item", service.get_item(tenant_of(request), cart_id, item_id))

    def update_item(request: Request, cart_id: str, item_id: str, body: CartItemUpdate) -> Response:
        req = upgrade("cart_item_update", body, request, cart_id)
        return render("cart_item", service.update_item(tenant_of(request), cart_id, item_id, req))

    def delete_item(request: Request, cart_id: str, item_id: str) -> Response:
        service.delete_item(tenant_of(request), cart_id, item_id)
        return Response(status_code=204)

    ok = {"description": "OK"}
    router.add_api_route(
        "/carts",
        create_cart,
        request="cart_create",
        response="cart",
        methods=["POST"],
        status_code=201,
        response_model=None,
        summary="Create a cart",
        operation_id=f"{version}_create_cart",
        responses={
            201: {"model": Cart, "description": "The new cart"},
            **_problem_responses(Problem_, *common, *with_body, 409),
        },
    )
    router.add_api_route(
        "/carts/{cart_id}",
        get_cart,
        request=None,
        response="cart",
        methods=["GET"],
        response_model=None,
        summary="Read a cart",
        operation_id=f"{version}_get_cart",
        responses={200: {"model": Cart, **ok}, **_problem_responses(Problem_, *common, 409)},
    )
    router.add_api_route(
        "/carts/{cart_id}",
        delete_cart,
        request=None,
        response=None,
        methods=["DELETE"],
        status_code=204,
        response_model=None,
        summary="Delete a cart",
        operation_id=f"{version}_delete_cart",
        responses={204: {"description": "Deleted"}, **_problem_responses(Problem_, *common)},
    )
    router.add_api_route(
        "/carts/{cart_id}/items",
        add_item,
        request="cart_item_add",
        response="cart_item",
        methods=["POST"],
        status_code=201,
        response_model=None,
        summary="Add an item",
        operation_id=f"{version}_add_item",
        responses={
            201: {"model": CartItem, "description": "The new item"},
            **_problem_responses(Problem_, *common, *with_body, 409),
        },
    )
    router.add_api_route(
        "/carts/{cart_id}/items/{item_id}",
        get_item,
        request=None,
        response="cart_item",
        methods=["GET"],
        response_model=None,
        summary="Read an item",
        operation_id=f"{version}_get_item",
        responses={200: {"model": CartItem, **ok}, **_problem_responses(Problem_, *common, 409)},
    )
    router.add_api_route(
        "/carts/{cart_id}/items/{item_id}",
        update_item,
        request="cart_item_update",
        response="cart_item",
        methods=["PATCH"],
        response_model=None,
        summary="Change an item",
        operation_id=f"{version}_update_item",
        responses={200: {"model": CartItem, **ok}, **_problem_responses(Problem_, *common, *with_body, 409)},
    )
    router.add_api_route(
        "/carts/{cart_id}/items/{item_id}",
        delete_item,
        request=None,
        response=None,
        methods=["DELETE"],
        status_code=204,
        response_model=None,
        summary="Remove an item",
        operation_id=f"{version}_delete_item",
        responses={204: {"description": "Deleted"}, **_problem_responses(Problem_, *common)},
    )
    target.routes.append(VersionRoutes(f"/{version}/", [r for r in added if isinstance(r, APIRoute)]))
    return added
