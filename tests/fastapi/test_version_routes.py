"""VersionRoutes answers as FastAPI's own router would, with one regex test per distinct path."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.testclient import TestClient

from contractkit.fastapi._routing import VersionRoutes


def _app(grouped: bool) -> FastAPI:
    app = FastAPI()
    scratch = APIRouter()
    scratch.add_api_route("/v1/carts/{cart_id}", lambda cart_id: "get-by-id", methods=["GET"])
    scratch.add_api_route("/v1/carts/search", lambda: "delete-search", methods=["DELETE"])
    scratch.add_api_route("/v1/carts/{cart_id}", lambda cart_id: "delete-by-id", methods=["DELETE"])
    scratch.add_api_route("/v1/carts/{cart_id}/items", lambda cart_id: "add", methods=["POST"])
    if grouped:
        app.router.routes.append(VersionRoutes("/v1/", [r for r in scratch.routes if isinstance(r, APIRoute)]))
    else:
        app.router.routes.extend(scratch.routes)
    return app


def test_same_route_as_the_router_in_registration_order() -> None:
    requests = [
        ("DELETE", "/v1/carts/search"),  # two routes match: the one registered first wins
        ("DELETE", "/v1/carts/abc"),
        ("GET", "/v1/carts/search"),
        ("POST", "/v1/carts/abc/items"),
        ("GET", "/v1/carts/abc/items"),  # 405
        ("GET", "/v2/carts/abc"),  # another version: 404
        ("GET", "/v1/carts/abc/"),  # trailing slash: redirected
    ]
    with (
        TestClient(_app(False), follow_redirects=False) as plain,
        TestClient(_app(True), follow_redirects=False) as ours,
    ):
        for method, path in requests:
            a, b = plain.request(method, path), ours.request(method, path)
            assert (b.status_code, b.text) == (a.status_code, a.text), (method, path)


def test_405_names_every_method_of_the_path() -> None:
    with TestClient(_app(True)) as client:
        response = client.request("PUT", "/v1/carts/abc")
        assert response.status_code == 405
        assert response.headers["allow"] == "DELETE, GET"
