"""Hostile HTTP against a real uvicorn: every answer the app gives is a 4xx problem+json (never a 500), the
process stays healthy after each request, and nothing is half-written.

Transport-level cases (bare CR in a header, oversized headers, raw paths, bodies larger than declared) are
sent as raw bytes over a socket; the rest through httpx. Runs on SQLite, and on the local PostgreSQL
(skipped, with the reason, when it is not reachable).
"""

from __future__ import annotations

import contextlib
import re
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
import sqlalchemy as sa

from tests.service.support import ACME, Server, fresh_postgres, validate

AUTH = ACME["Authorization"]
JSON = {**ACME, "Content-Type": "application/json"}
MAX_BODY = 1024 * 1024  # large enough that 100,000-deep nesting reaches the parser
FRESH_ID = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture(params=["sqlite", "postgres"], scope="module")
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'cart.db'}"
        return
    with fresh_postgres("cart_hostile") as url:
        yield url


class Target:
    """The server plus the record of what well-formed requests created."""

    def __init__(self, server: Server, database_url: str) -> None:
        self.server = server
        self.database_url = database_url
        self.carts: set[str] = set()
        self.items: set[str] = set()

    def created(self, response: httpx.Response) -> None:
        assert response.status_code == 201, response.text
        body = response.json()
        (self.items if "sku" in body else self.carts).add(body["id"])


@pytest.fixture(scope="module")
def target(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    log = tmp_path_factory.mktemp("hostile-log") / "uvicorn.log"
    env = {"CART_DATABASE_URL": database_url, "CART_MAX_BODY_BYTES": str(MAX_BODY), "CART_RATE_LIMIT": "0"}
    server = Server(log, env)
    t = Target(server, database_url)
    try:
        yield t
        output = server.output()
        assert "Traceback" not in output and "unhandled error" not in output, output[-3000:]
        # nothing half-written: exactly what the well-formed requests created, nothing else
        engine = sa.create_engine(database_url)
        try:
            with engine.connect() as conn:
                carts = set(conn.scalars(sa.text("SELECT id FROM carts WHERE tenant = 'acme'")))
                items = set(conn.scalars(sa.text("SELECT id FROM cart_items")))
        finally:
            engine.dispose()
        assert carts == t.carts
        assert items == t.items
    finally:
        server.stop()


@pytest.fixture
def cart(target: Target) -> str:
    response = target.server.client.post("/v2/carts", json={"customer_id": "c", "currency": "EUR"}, headers=ACME)
    target.created(response)
    return str(response.json()["id"])


def is_problem(response: httpx.Response, *statuses: int, version: str = "v2") -> dict[str, Any]:
    assert response.status_code in statuses, (response.status_code, response.text[:500])
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    validate("problem", version, body)
    return body


def after(target: Target) -> None:
    assert target.server.healthy(), target.server.output()[-3000:]


# -- raw bytes over a socket --------------------------------------------------------------------------------


def raw(target: Target, data: bytes, *, body_chunks: Iterator[bytes] | None = None) -> tuple[int | None, bytes]:
    """Send `data` (then `body_chunks`), read until the server closes; (status or None if closed, response)."""
    with socket.create_connection(("127.0.0.1", target.server.port), timeout=15) as sock:
        try:
            sock.sendall(data)
            for chunk in body_chunks or ():
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered early and closed: read what it said
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except (ConnectionResetError, TimeoutError):
            pass
    match = re.match(rb"HTTP/1\.1 (\d{3}) ", received)
    return (int(match.group(1)) if match else None), received


def request_bytes(method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: cart.test", "Connection: close", f"Authorization: {AUTH}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def problem_in(received: bytes) -> dict[str, Any]:
    head, _, body = received.partition(b"\r\n\r\n")
    assert b"content-type: application/problem+json" in head.lower(), head
    parsed = orjson.loads(body)
    validate("problem", "v2", parsed)
    return dict(parsed)


# -- bodies ---------------------------------------------------------------------------------------------------

MALFORMED = {
    "invalid": b"{'customer_id': 'c'}",
    "truncated": b'{"customer_id": "c", "curr',
    "truncated-string": b'{"customer_id": "c',
    "trailing": b'{"customer_id": "c", "currency": "EUR"} x',
    "nan": b'{"customer_id": "c", "currency": "EUR", "note": NaN}',
    "infinity": b'{"customer_id": "c", "currency": "EUR", "note": Infinity}',
    "minus-infinity": b'{"customer_id": "c", "currency": "EUR", "note": -Infinity}',
    "lone-surrogate": b'{"customer_id": "\\ud800", "currency": "EUR"}',
    "lone-low-surrogate": b'{"customer_id": "c", "currency": "EUR", "note": "a\\udfffb"}',
    "arrays-100k-deep": b"[" * 100_000 + b"]" * 100_000,
    "objects-100k-deep": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "not-utf8": b'{"customer_id": "\xff\xfe", "currency": "EUR"}',
    "bom": b'\xef\xbb\xbf{"customer_id": "c", "currency": "EUR"}',
    "huge-integer-digits": b'{"customer_id": "c", "currency": "EUR", "n": ' + b"9" * 5000 + b"}",
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_json_is_400(target: Target, name: str) -> None:
    response = target.server.client.post("/v2/carts", content=MALFORMED[name], headers=JSON)
    problem = is_problem(response, 400)
    assert problem["type"].endswith("/malformed-json")
    after(target)


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_huge_numbers_are_4xx(target: Target, cart: str, version: str) -> None:
    big = "9" * 500
    money = big if version == "v1" else f'{{"amount_minor": {big}, "currency": "EUR"}}'
    bodies = [
        f'{{"sku": "MUG01", "quantity": {big}, "unit_price": {money}}}',
        f'{{"sku": "MUG01", "quantity": 1, "unit_price": {money}}}',
        f'{{"sku": "MUG01", "quantity": -{big}, "unit_price": {money}}}',
        '{"sku": "MUG01", "quantity": 1e500, "unit_price": 1}',
        '{"sku": "MUG01", "quantity": 1, "unit_price": 1e500}'
        if version == "v1"
        else '{"sku": "MUG01", "quantity": 1, "unit_price": {"amount_minor": 1e500, "currency": "EUR"}}',
        '{"sku": "MUG01", "quantity": 1, "unit_price": 1e-500}'
        if version == "v1"
        else '{"sku": "MUG01", "quantity": 1.5, "unit_price": {"amount_minor": 1, "currency": "EUR"}}',
    ]
    for body in bodies:
        response = target.server.client.post(f"/{version}/carts/{cart}/items", content=body, headers=JSON)
        is_problem(response, 400, 409, 422, version=version)
        after(target)
    response = target.server.client.patch(
        f"/{version}/carts/{cart}/items/{uuid.uuid4()}", content=f'{{"quantity": {big}}}', headers=JSON
    )
    is_problem(response, 404, 422, version=version)


ODD_STRINGS = {
    "nul": "a\x00b",
    "only-nul": "\x00",
    "bom": "\ufeffc",
    "rtl-override": "abc\u202edef",
    "zero-width": "\u200b\u200d\u2060",
    "noncharacter": "\uffff\ufffe",
    "astral": "\U0001f600\U000e0001",
    "combining": "e" + "\u0301" * 50,
    "c1-controls": "\x85\x9b\x1b[31m",
}


@pytest.mark.parametrize("name", list(ODD_STRINGS))
def test_odd_unicode_is_stored_exactly_or_refused(target: Target, cart: str, name: str) -> None:
    odd = ODD_STRINGS[name]
    client = target.server.client
    response = client.post("/v2/carts", json={"customer_id": odd, "currency": "EUR", "note": odd}, headers=ACME)
    if response.status_code == 201:
        target.created(response)
        got = client.get(f"/v2/carts/{response.json()['id']}", headers=ACME).json()
        assert got["customer_id"] == odd and got["note"] == odd
    else:
        is_problem(response, 400, 422)
    item = {"sku": "MUG01", "quantity": 1, "unit_price": {"amount_minor": 1, "currency": "EUR"}, "note": odd}
    response = client.post(f"/v2/carts/{cart}/items", json=item, headers=ACME)
    if response.status_code == 201:
        target.created(response)
        assert client.get(f"/v2/carts/{cart}/items/{response.json()['id']}", headers=ACME).json()["note"] == odd
    else:
        is_problem(response, 400, 422)
    response = client.post(f"/v2/carts/{cart}/items", json={**item, "sku": odd}, headers=ACME)
    is_problem(response, 400, 422)
    metadata = {"customer_id": "c", "currency": "EUR", "metadata": {odd: odd}}
    is_problem(client.post("/v2/carts", json=metadata, headers=ACME), 400, 422)
    after(target)


def test_duplicate_keys_take_the_last_value(target: Target) -> None:
    """RFC 8259 leaves duplicate names to the parser; this one keeps the last, and validates what it keeps."""
    client = target.server.client
    body = b'{"customer_id": "first", "currency": "EUR", "customer_id": "last"}'
    response = client.post("/v2/carts", content=body, headers=JSON)
    target.created(response)
    assert response.json()["customer_id"] == "last"
    invalid_last = b'{"customer_id": "c", "currency": "EUR", "currency": "XXXX"}'
    is_problem(client.post("/v2/carts", content=invalid_last, headers=JSON), 422)
    after(target)


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/xml",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonx",
        "json",
        "application/json-seq",
        "\x01",
    ],
)
def test_wrong_or_missing_content_type_is_415(target: Target, content_type: str | None) -> None:
    body = b'{"customer_id": "c", "currency": "EUR"}'
    headers = dict(ACME) if content_type is None else {**ACME, "Content-Type": content_type}
    if content_type == "\x01":
        status, received = raw(
            target, request_bytes("POST", "/v2/carts", {"Content-Type": "\x01", "Content-Length": str(len(body))}, body)
        )
        assert status in (400, 415, None), received[:300]
    else:
        is_problem(target.server.client.post("/v2/carts", content=body, headers=headers), 415)
    after(target)


# -- sizes ----------------------------------------------------------------------------------------------------

TEN_MB = 10 * 1024 * 1024


def test_ten_megabytes_with_content_length_is_413(target: Target) -> None:
    head = request_bytes("POST", "/v2/carts", {"Content-Type": "application/json", "Content-Length": str(TEN_MB)})
    chunks = (b"[" * 65536 for _ in range(TEN_MB // 65536))
    status, received = raw(target, head, body_chunks=chunks)
    assert status == 413, received[:300]
    assert problem_in(received)["status"] == 413
    after(target)


def test_ten_megabytes_chunked_is_413(target: Target) -> None:
    def body() -> Iterator[bytes]:
        yield b'{"customer_id": "'
        for _ in range(TEN_MB // 65536):
            yield b"a" * 65536
        yield b'", "currency": "EUR"}'

    response = target.server.client.post("/v2/carts", content=body(), headers=JSON)
    is_problem(response, 413)
    after(target)


def test_ten_megabytes_raw_chunked_is_413(target: Target) -> None:
    head = request_bytes("POST", "/v2/carts", {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
    piece = b"a" * 65536
    chunks = (b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(TEN_MB // 65536))
    status, received = raw(target, head, body_chunks=chunks)
    assert status == 413, received[:300]
    after(target)


def test_body_shorter_than_its_content_length(target: Target) -> None:
    """The client stops sending (and closes its half): no request is processed, the server is fine."""
    with socket.create_connection(("127.0.0.1", target.server.port), timeout=15) as sock:
        sock.sendall(
            request_bytes(
                "POST",
                "/v2/carts",
                {"Content-Type": "application/json", "Content-Length": "1000"},
                b'{"customer_id": "c"',
            )
        )
        sock.shutdown(socket.SHUT_WR)
        with contextlib.suppress(ConnectionResetError, TimeoutError):
            sock.recv(65536)
    after(target)


def test_body_longer_than_its_content_length(target: Target) -> None:
    body = b'{"customer_id": "c", "currency": "EUR"}'
    data = request_bytes("POST", "/v2/carts", {"Content-Type": "application/json", "Content-Length": "10"}, body)
    status, received = raw(target, data)
    assert status in (400, None), received[:300]  # the first 10 bytes are truncated JSON; the rest is garbage
    after(target)


@pytest.mark.parametrize("size", [100 * 1024, 1024 * 1024])
def test_oversized_header_is_refused_or_closed(target: Target, size: int) -> None:
    status, received = raw(target, request_bytes("GET", "/v2/carts/x", {"X-Junk": "a" * size}))
    assert status in (400, 404, 431, None), received[:300]  # the parser refuses it, or the app answers
    if status == 404:
        problem_in(received)
    after(target)


def test_many_headers(target: Target) -> None:
    headers = {f"X-H{i}": "v" for i in range(5000)}
    status, received = raw(target, request_bytes("GET", "/v2/carts/x", headers))
    assert status in (400, 404, 431, None), received[:300]
    after(target)


# -- X-Request-ID ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        b"abc\rdef",
        b"abc\ndef",
        b"a" * 129,
        b"a" * 8000,
        b"id with spaces",
        b"<script>",
        b"\xff\xfe",
        b"id\x00x",
        b"caf\xc3\xa9",
        b"x\x1b[31m",
    ],
)
def test_bad_request_ids_are_replaced_not_echoed(target: Target, value: bytes) -> None:
    data = request_bytes("GET", "/v2/carts/x").replace(
        b"Connection: close", b"Connection: close\r\nX-Request-ID: " + value
    )
    status, received = raw(target, data)
    if status is None or (status == 400 and b"problem+json" not in received):
        pass  # refused by the HTTP parser (a bare CR or LF, a NUL): nothing reached the app
    else:
        assert status == 404, received[:300]
        head = received.partition(b"\r\n\r\n")[0]
        ids = re.findall(rb"(?im)^x-request-id: ([^\r\n]*)", head)
        assert len(ids) == 1 and FRESH_ID.match(ids[0].decode()), head
        assert value not in head
    after(target)


def test_crlf_injection_cannot_add_headers(target: Target) -> None:
    data = request_bytes("GET", "/v2/carts/x", {"X-Request-ID": "abc\r\nSet-Cookie: owned=1"})
    status, received = raw(target, data)
    head = received.partition(b"\r\n\r\n")[0].lower()
    # on the wire that is two request headers (X-Request-ID: abc, and a Set-Cookie the app ignores)
    assert b"set-cookie" not in head
    assert status in (400, 404, None)
    after(target)


def test_a_good_request_id_is_echoed(target: Target) -> None:
    response = target.server.client.get("/v2/carts/x", headers={**ACME, "X-Request-ID": "trace-1"})
    assert response.headers["x-request-id"] == "trace-1"


# -- versions and paths ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["v0", "v3", "v999999999999", "V2", "vv", "v2.0", "v-1"])
def test_unknown_versions_are_404(target: Target, version: str) -> None:
    client = target.server.client
    is_problem(client.get(f"/{version}/carts/x", headers=ACME), 404)
    is_problem(client.post(f"/{version}/carts", json={"customer_id": "c", "currency": "EUR"}, headers=ACME), 404)
    after(target)


HOSTILE_IDS = [
    "a" * 10_000,
    "%00",
    "a%00b",
    "%2e%2e",
    "..%2f..%2fetc%2fpasswd",
    "%ff%fe",
    "%c0%ae",
    "%ed%a0%80",  # an encoded lone surrogate
    "'%20OR%201=1--",
    "%25",
    "\U0001f600",
    "%e2%80%ae",
]


@pytest.mark.parametrize("cart_id", HOSTILE_IDS, ids=lambda s: s[:20])
def test_hostile_ids_in_paths_are_404(target: Target, cart: str, cart_id: str) -> None:
    client = target.server.client
    item = {"sku": "MUG01", "quantity": 1, "unit_price": {"amount_minor": 1, "currency": "EUR"}}
    for version in ("v1", "v2"):
        is_problem(client.get(f"/{version}/carts/{cart_id}", headers=ACME), 404, version=version)
        is_problem(client.delete(f"/{version}/carts/{cart_id}", headers=ACME), 404, version=version)
        is_problem(client.get(f"/{version}/carts/{cart}/items/{cart_id}", headers=ACME), 404, version=version)
        is_problem(
            client.patch(f"/{version}/carts/{cart}/items/{cart_id}", json={"quantity": 2}, headers=ACME),
            404,
            version=version,
        )
        is_problem(client.delete(f"/{version}/carts/{cart}/items/{cart_id}", headers=ACME), 404, version=version)
    is_problem(client.post(f"/v2/carts/{cart_id}/items", json=item, headers=ACME), 404)
    after(target)


@pytest.mark.parametrize(
    "path",
    [
        b"/v2/carts/../carts",
        b"/v2/carts/%2e%2e/x",
        b"/../../etc/passwd",
        b"/v2/carts/a\x00b",
        b"/v2/carts/" + b"a" * 10_000,
        b"//v2//carts",
        b"/v2/carts/x?" + b"q" * 10_000,
        b"*",
        b"/v2/carts/\xff",
    ],
)
def test_raw_hostile_paths(target: Target, path: bytes) -> None:
    data = request_bytes("GET", "PATH").replace(b"PATH", path)
    status, received = raw(target, data)
    assert status in (400, 404, None), received[:300]
    if status == 404:
        problem_in(received)
    after(target)


def test_well_formed_requests_still_work(target: Target, cart: str) -> None:
    client = target.server.client
    item = {"sku": "MUG01", "quantity": 1, "unit_price": {"amount_minor": 1, "currency": "EUR"}}
    target.created(client.post(f"/v2/carts/{cart}/items", json=item, headers=ACME))
    target.created(client.post(f"/v1/carts/{cart}/items", json={**item, "unit_price": 0.5}, headers=ACME))
    assert len(client.get(f"/v2/carts/{cart}", headers=ACME).json()["items"]) >= 2
