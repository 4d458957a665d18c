"""contractkit.fastapi with an app that is not the cart: a notes API whose versions are dates, hand-written
models (through the `models=` resolver), every gate hook, and the lifecycle over a clock the test moves.

Through real HTTP on the ASGI interface (httpx's ASGITransport), as a client sees it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from anyio.from_thread import start_blocking_portal
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from contractkit.fastapi import (
    Call,
    ChangeSetError,
    Gate,
    Problem,
    Proceed,
    Reply,
    Route,
    VersionChange,
    VersionedAPI,
)

OLD, NEW = "2024-01-01", "2025-06-01"
INDEX = f"""
[policy]
deprecation_policy_url = "https://notes.example/policy"

[roles]
note_create = "request"
note = "response"
stats = "response"

[[versions]]
name = "{OLD}"
status = "deprecated"
released = 2024-01-01
deprecated = 2025-06-01
sunset = 2026-06-01
[versions.schemas]
note_create = "old/note_create.json"
note = "old/note.json"

[[versions]]
name = "{NEW}"
status = "stable"
released = 2025-06-01
[versions.schemas]
note_create = "new/note_create.json"
note = "new/note.json"
stats = "new/stats.json"
"""


def _schema(title: str, props: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }


SCHEMAS = {
    "old/note_create.json": _schema("NoteCreate", {"text": {"type": "string", "maxLength": 50}}, ["text"]),
    "old/note.json": _schema("Note", {"id": {"type": "integer"}, "text": {"type": "string"}}, ["id", "text"]),
    "new/note_create.json": _schema(
        "NoteCreate", {"body": {"type": "string", "maxLength": 50}, "author": {"type": "string"}}, ["body", "author"]
    ),
    "new/note.json": _schema(
        "Note", {"id": {"type": "integer"}, "body": {"type": "string"}, "author": {"type": "string"}}, ["id", "body"]
    ),
    "new/stats.json": _schema("Stats", {"count": {"type": "integer"}}, ["count"]),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class OldNoteCreate(_Strict):
    text: str


class OldNote(_Strict):
    id: int
    text: str


class NoteCreate(_Strict):
    body: str
    author: str


class Note(_Strict):
    id: int
    body: str
    author: str | None = None


class Stats(_Strict):
    count: int


MODELS = {
    ("note_create", OLD): OldNoteCreate,
    ("note", OLD): OldNote,
    ("note_create", NEW): NoteCreate,
    ("note", NEW): Note,
    ("stats", NEW): Stats,
}

# The one breaking change: `text` became `body`, and the author (from the caller's account) is required.
RENAMED = VersionChange(
    "`text` is renamed `body`; notes carry their author.",
    upgrade={"note_create": lambda body, ctx: {"body": body["text"], "author": ctx.user}},
    downgrade={"note": lambda body: {"id": body["id"], "text": body["body"]}},
)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2025, 9, 1, 12, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def registry_dir(tmp_path: Path) -> Path:
    root = tmp_path / "schemas"
    for rel, doc in SCHEMAS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(json.dumps(doc))
    (root / "index.toml").write_text(INDEX)
    return root


class Notes:
    """The business logic: head models only."""

    def __init__(self) -> None:
        self.notes: dict[int, dict[str, Any]] = {}
        self.user_lookups = 0

    def create(self, call: Call, body: NoteCreate) -> Reply:
        note = {"id": len(self.notes) + 1, "body": body.body, "author": body.author}
        self.notes[note["id"]] = note
        return Reply(note, headers={"Location": call.url(f"/notes/{note['id']}")})

    async def read(self, call: Call, note_id: str) -> dict[str, Any]:
        if not note_id.isdigit() or int(note_id) not in self.notes:
            raise Problem(404, "not-found", "no such note")
        return self.notes[int(note_id)]

    def forget(self, call: Call, note_id: str) -> None:
        self.notes.pop(int(note_id), None)

    def stats(self, call: Call) -> Stats:
        return Stats(count=len(self.notes))

    def boom(self, call: Call) -> None:
        raise KeyError("the backend is down")


class Backend(Exception):
    pass


def _app(registry_dir: Path, clock: Clock, notes: Notes, **options: Any) -> FastAPI:
    def user(call: Call) -> str:
        notes.user_lookups += 1
        return str(call.state["user"])

    async def authenticate(call: Call) -> None:  # an async guard
        user_name = call.header("x-user")
        if not user_name:
            raise Problem(401, "unauthorized", "say who you are in X-User")
        call.state["user"] = user_name

    def read_only_fridays(call: Call) -> None:  # a sync guard, after the first
        if call.header("x-friday") and call.method != "GET":
            raise Problem(403, "read-only", "no writes on Fridays")

    async def stamp(call: Call, proceed: Proceed) -> Any:  # an interceptor that looks at every answer
        response = await proceed()
        response.headers["X-Seen-Body"] = "yes" if call.document is not None else "no"
        return response

    def on_error(exc: Exception, call: Call) -> Problem | None:
        if isinstance(exc, KeyError):
            return Problem(503, "backend-down", "retry later", headers={"Retry-After": "3"})
        return None

    api = VersionedAPI(
        registry_dir,
        models=lambda name, version: MODELS[(name, version)],
        changes={OLD: (RENAMED,)},
        routes=[
            Route("POST", "/notes", notes.create, request="note_create", response="note", status=201, errors=(422,)),
            Route("GET", "/notes/{note_id}", notes.read, response="note", errors=(404,)),
            Route("DELETE", "/notes/{note_id}", notes.forget, status=204),
            Route("GET", "/stats", notes.stats, response="stats"),
            Route("GET", "/boom", notes.boom),
        ],
        gate=Gate(
            guards=[authenticate, read_only_fridays],
            interceptors=[stamp],
            on_error=on_error,
            max_body_bytes=200,
            statuses=(401, 403, 503),
        ),
        context={"user": user},
        title="Notes",
        problem_type_base="https://notes.example/problems/",
        clock=clock,
        **options,
    )
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    api.install(app)
    return app


class Client:
    def __init__(self, app: FastAPI, portal: Any, root_path: str = "") -> None:
        transport = httpx.ASGITransport(app=app, root_path=root_path)
        self.client = httpx.AsyncClient(transport=transport, base_url="http://notes.test")
        self.portal = portal

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.portal.call(lambda: self.client.request(method, url, **kwargs))


@pytest.fixture
def world(registry_dir: Path) -> Iterator[tuple[Client, Clock, Notes]]:
    clock, notes = Clock(), Notes()
    with start_blocking_portal() as portal:
        client = Client(_app(registry_dir, clock, notes), portal)
        yield client, clock, notes
        portal.call(client.client.aclose)


ME = {"X-User": "ada"}


def test_a_request_of_the_old_version_reaches_the_head_logic_and_comes_back_old(world: Any) -> None:
    client, _, notes = world
    created = client.request("POST", f"/{OLD}/notes", json={"text": "hi"}, headers=ME)
    assert created.status_code == 201, created.text
    assert created.json() == {"id": 1, "text": "hi"}
    assert notes.notes[1] == {"id": 1, "body": "hi", "author": "ada"}  # upgraded, author from the context
    assert created.headers["location"] == f"/{OLD}/notes/1"
    new = client.request("GET", f"/{NEW}/notes/1", headers=ME)
    assert new.json() == {"id": 1, "body": "hi", "author": "ada"}
    assert client.request("GET", f"/{OLD}/notes/1", headers=ME).json() == {"id": 1, "text": "hi"}
    # the head version needs no context: the loader never ran for it
    notes.user_lookups = 0
    client.request("POST", f"/{NEW}/notes", json={"body": "b", "author": "x"}, headers=ME)
    assert notes.user_lookups == 0


def test_lifecycle_headers_on_every_answer_of_the_deprecated_version(world: Any) -> None:
    client, _, _ = world
    for response in (
        client.request("GET", f"/{OLD}/notes/9", headers=ME),  # an error answer too
        client.request("POST", f"/{OLD}/notes", json={"text": "x"}, headers=ME),
    ):
        assert response.headers["deprecation"] == "@1748736000"  # 2025-06-01T00:00:00Z (RFC 9745)
        assert response.headers["sunset"] == "Mon, 01 Jun 2026 00:00:00 GMT"  # RFC 8594 HTTP-date
        assert response.headers["link"] == (
            f'<https://notes.example/policy>; rel="deprecation", </{NEW}{response.request.url.path[len(OLD) + 1 :]}>; '
            'rel="successor-version"'
        )
    head = client.request("GET", f"/{NEW}/stats", headers=ME)
    assert not {"deprecation", "sunset", "link"} & set(head.headers)


def test_gone_after_the_sunset(world: Any) -> None:
    client, clock, _ = world
    clock.now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    for path in (f"/{OLD}/notes/1", f"/{OLD}/openapi.json", f"/{OLD}/docs", f"/{OLD}/nothing/here"):
        gone = client.request("GET", path, headers=ME)
        assert gone.status_code == 410, path
        assert gone.headers["content-type"] == "application/problem+json"
        assert (
            gone.json()["successor"] == NEW and gone.json()["type"] == "https://notes.example/problems/version-sunset"
        )
    assert client.request("GET", f"/{NEW}/stats", headers=ME).status_code == 200
    assert [v["gone"] for v in client.request("GET", "/").json()["versions"]] == [True, False]


def test_guards_run_in_order_and_refuse_with_a_problem(world: Any) -> None:
    client, _, _ = world
    anonymous = client.request("GET", f"/{NEW}/stats")
    assert anonymous.status_code == 401 and anonymous.json()["title"] == "Unauthorized"
    friday = client.request("POST", f"/{NEW}/notes", json={"body": "b", "author": "a"}, headers={**ME, "X-Friday": "1"})
    assert friday.status_code == 403 and friday.json()["title"] == "Forbidden"
    assert client.request("GET", f"/{NEW}/stats", headers={**ME, "X-Friday": "1"}).status_code == 200


def test_the_body_rules(world: Any) -> None:
    client, _, _ = world
    url = f"/{NEW}/notes"
    as_json = {**ME, "Content-Type": "application/json"}
    assert client.request("POST", url, content=b"x" * 201, headers=as_json).status_code == 413
    assert client.request("POST", url, content=b"{}", headers={**ME, "Content-Type": "text/plain"}).status_code == 415
    bad = client.request("POST", url, content=b"{nope", headers=as_json)
    assert bad.status_code == 400 and bad.json()["type"].endswith("/malformed-json")
    invalid = client.request("POST", url, json={"body": 5, "author": "a"}, headers=ME)
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["pointer"] == "/body"
    # the old version's own model judges an old body (maxLength 50 lives in both; `text` only in the old)
    assert client.request("POST", url, json={"text": "hi"}, headers=ME).status_code == 422


def test_interceptors_see_every_answer_and_errors_map_through_on_error(world: Any) -> None:
    client, _, _ = world
    ok = client.request("POST", f"/{NEW}/notes", json={"body": "b", "author": "a"}, headers=ME)
    assert ok.headers["x-seen-body"] == "yes"
    assert client.request("GET", f"/{NEW}/notes/77", headers=ME).headers["x-seen-body"] == "no"
    down = client.request("GET", f"/{NEW}/boom", headers=ME)
    assert (down.status_code, down.headers["retry-after"]) == (503, "3")
    assert down.json()["title"] == "Service Unavailable"


def test_handler_answers_none_and_models(world: Any) -> None:
    client, _, _ = world
    client.request("POST", f"/{NEW}/notes", json={"body": "b", "author": "a"}, headers=ME)
    assert client.request("GET", f"/{NEW}/stats", headers=ME).json() == {"count": 1}
    deleted = client.request("DELETE", f"/{NEW}/notes/1", headers=ME)
    assert deleted.status_code == 204 and deleted.content == b""


def test_a_route_is_served_only_where_its_schemas_exist(world: Any) -> None:
    client, _, _ = world
    missing = client.request("GET", f"/{OLD}/stats", headers=ME)
    assert missing.status_code == 404 and missing.json()["type"].endswith("/not-found")
    unknown = client.request("GET", "/2023-01-01/stats", headers=ME)
    assert unknown.status_code == 404 and unknown.json()["type"].endswith("/unknown-version")
    assert OLD in unknown.json()["detail"]
    wrong_method = client.request("PUT", f"/{NEW}/notes/1", headers=ME)
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "DELETE, GET"


def test_the_version_list_and_documents(world: Any) -> None:
    client, _, _ = world
    listing = client.request("GET", "/").json()
    assert listing["head"] == NEW and [v["name"] for v in listing["versions"]] == [OLD, NEW]
    assert listing["versions"][0]["successor"] == NEW and listing["versions"][0]["status"] == "deprecated"
    old_doc = client.request("GET", f"/{OLD}/openapi.json").json()
    assert set(old_doc["paths"]) == {f"/{OLD}/notes", f"/{OLD}/notes/{{note_id}}", f"/{OLD}/boom"}
    post = old_doc["paths"][f"/{OLD}/notes"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": f"#/components/schemas/{OLD}.note_create"
    }
    assert set(post["responses"]) == {"201", "400", "401", "403", "410", "413", "415", "422", "503"}
    assert post["responses"]["201"]["headers"]["Deprecation"]["required"] is True
    problem = post["responses"]["422"]["content"]["application/problem+json"]["schema"]
    assert problem["required"] == ["type", "title", "status"]  # no problem schema in this registry: RFC 9457
    assert old_doc["components"]["schemas"][f"{OLD}.note_create"]["properties"]["text"]["maxLength"] == 50
    new_doc = client.request("GET", f"/{NEW}/openapi.json").json()
    assert "Deprecation" not in json.dumps(new_doc)
    page = client.request("GET", f"/{NEW}/docs")
    assert page.status_code == 200 and f"/{NEW}/openapi.json" in page.text
    assert f"/{NEW}/docs/swagger-ui-bundle.js" in page.text  # served here, not from a CDN
    asset = client.request("GET", f"/{NEW}/docs/swagger-ui-bundle.js")
    assert asset.status_code == 200 and asset.headers["content-type"].startswith("text/javascript")
    assert client.request("GET", f"/{NEW}/docs/../../etc/passwd").status_code == 404


def test_links_keep_the_mount_point(registry_dir: Path) -> None:
    with start_blocking_portal() as portal:
        client = Client(_app(registry_dir, Clock(), Notes()), portal, root_path="/api")
        created = client.request("POST", f"/api/{OLD}/notes", json={"text": "hi"}, headers=ME)
        assert created.headers["location"] == f"/api/{OLD}/notes/1"
        assert f"</api/{NEW}/notes>" in created.headers["link"]
        assert client.request("GET", "/api/").json()["versions"][1]["openapi"] == f"/api/{NEW}/openapi.json"
        portal.call(client.client.aclose)


def test_an_undeclared_step_fails_at_startup(registry_dir: Path) -> None:
    with pytest.raises(ChangeSetError, match=f"no version changes declared from {OLD}"):
        VersionedAPI(registry_dir, models=lambda n, v: MODELS[(n, v)], changes={})


def test_a_request_leaves_nothing_to_the_garbage_collector(registry_dir: Path) -> None:
    """Reference cycles per request would make the collector pay for every request's objects."""
    import asyncio
    import gc

    app = _app(registry_dir, Clock(), Notes())
    body = b'{"text": "hi"}'
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": f"/{OLD}/notes",
        "raw_path": f"/{OLD}/notes".encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"x-user", b"ada"), (b"content-type", b"application/json"), (b"content-length", b"14")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def requests(n: int) -> None:
        for _ in range(n):
            await app(dict(scope), receive, send)

    async def measure() -> int:
        await requests(5)  # first-call caches
        gc.collect()
        gc.disable()
        try:
            await requests(50)
            return gc.collect()
        finally:
            gc.enable()

    assert asyncio.run(measure()) == 0
    assert set(statuses) == {201}


def test_an_interceptor_that_does_not_want_a_call_is_skipped(registry_dir: Path) -> None:
    seen: list[str] = []

    class OnlyDeletes:
        def wants(self, call: Call) -> bool:
            return call.method == "DELETE"

        async def __call__(self, call: Call, proceed: Proceed) -> Any:
            seen.append(call.method)
            response = await proceed()
            response.headers["X-Deleted-By"] = call.state["user"]
            return response

    notes = Notes()
    api = VersionedAPI(
        registry_dir,
        models=lambda name, version: MODELS[(name, version)],
        changes={OLD: (RENAMED,)},
        routes=[
            Route("POST", "/notes", notes.create, request="note_create", response="note", status=201),
            Route("DELETE", "/notes/{note_id}", notes.forget, status=204),
        ],
        gate=Gate(guards=[lambda call: call.state.update(user="ada")], interceptors=[OnlyDeletes()]),
        context={"user": lambda call: "ada"},
    )
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    api.install(app)
    with start_blocking_portal() as portal:
        client = Client(app, portal)
        assert client.request("POST", f"/{NEW}/notes", json={"body": "b", "author": "a"}).status_code == 201
        deleted = client.request("DELETE", f"/{NEW}/notes/1")
        assert (deleted.status_code, deleted.headers["x-deleted-by"]) == (204, "ada")
        portal.call(client.client.aclose)
    assert seen == ["DELETE"]
