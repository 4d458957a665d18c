"""Defective variants of the real cart service, each a tiny ASGI wrapper or factory around `create_app`.

Reached by `contractkit fuzz --app-factory tests.fuzz.mutants:<name>` (each is called as factory() or
factory(clock=...)); the app reads CART_DATABASE_URL / CART_API_KEYS from the environment, like the real one.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from service.app import create_app

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def _strip_header(app: App, name: bytes, prefix: str) -> App:
    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(prefix):
            return await app(scope, receive, send)

        async def strip(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [(k, v) for k, v in message["headers"] if k.lower() != name]
            await send(message)

        await app(scope, receive, strip)

    return wrapped


def no_deprecation_app(clock: Any = None) -> App:
    """(a) v1 forgets its Deprecation header."""
    return _strip_header(create_app(clock=clock), b"deprecation", "/v1/")


def no_request_id_app(clock: Any = None) -> App:
    """(a') v1 stops echoing X-Request-ID."""
    return _strip_header(create_app(clock=clock), b"x-request-id", "/v1/")


def crash_on_quantity(
    app: App,
    crashes: Callable[[float], bool],
    status: int = 500,
    content_type: bytes = b"text/plain",
    body_of: Callable[[str], bytes] = lambda _path: b"boom: quantity overflow",
) -> App:
    """Answer 500 (or `status` with `body_of(path)`) to a POST or PATCH whose JSON body carries a numeric
    `quantity` that `crashes` accepts."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PATCH"):
            return await app(scope, receive, send)
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        try:
            quantity = json.loads(body).get("quantity")
        except (ValueError, AttributeError):
            quantity = None
        if isinstance(quantity, int | float) and not isinstance(quantity, bool) and crashes(quantity):
            await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", content_type)]})
            await send({"type": "http.response.body", "body": body_of(scope["path"])})
            return None
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await app(scope, replay, send)

    return wrapped


def crash_on_max_quantity_app(clock: Any = None) -> App:
    """(b) an off-by-one: a quantity of 99 or more (v1's documented maximum, in its examples) answers 500."""
    return crash_on_quantity(create_app(clock=clock), lambda q: q >= 99)


AMOUNT_TOO_LARGE = "https://docs.example.com/cart-api/problems/amount-too-large"


def business_rule_app(clock: Any = None) -> App:
    """(b') a business rule the schemas cannot express: any quantity of 2 or more is refused as a 422
    `amount-too-large` problem (the real service does so only past the money maximum)."""

    def problem(path: str) -> bytes:
        return json.dumps(
            {
                "type": AMOUNT_TOO_LARGE,
                "title": "Unprocessable Content",
                "status": 422,
                "detail": "the line total would exceed 100000000000 minor units, the most a line can show",
                "instance": path,
                "errors": [{"pointer": "/quantity", "detail": "times the unit price must be at most 100000000000"}],
            }
        ).encode()

    return crash_on_quantity(create_app(clock=clock), lambda q: q >= 2, 422, b"application/problem+json", problem)


def ignores_sunset_app(clock: Any = None) -> App:
    """(c) the app ignores the clock it is given, so a version past its sunset keeps answering."""
    return create_app()


def tracing_app(clock: Any = None) -> App:
    """Not a defect: the real service, appending every request it answers to the file named by
    CK_TRACE_FILE, as `METHOD path body -> status` with generated ids (UUIDs) masked, for determinism tests."""
    import os
    import re

    app: App = create_app(clock=clock)
    uuid = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    trace = os.environ["CK_TRACE_FILE"]

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        body: list[bytes] = []
        status: list[int] = []

        async def recording_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                body.append(message.get("body", b""))
            return message

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        await app(scope, recording_receive, recording_send)
        path = scope["path"].encode("utf-8", "surrogateescape")
        line = b" ".join([scope["method"].encode(), uuid.sub(b"U", path), uuid.sub(b"U", b"".join(body))])
        with open(trace, "ab") as out:
            out.write(line.replace(b"\n", b"\\n") + b" -> " + str(status).encode() + b"\n")

    return wrapped
