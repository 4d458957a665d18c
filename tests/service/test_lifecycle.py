"""Deprecation at runtime, from schemas/index.toml: exact headers on v1, none on v2, 410 after the sunset."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from tests.service.support import ACME, AFTER_SUNSET, Api, Clock, add_item, new_cart, problem_of

POLICY = "https://docs.example.com/cart-api/deprecation-policy"
DEPRECATION = "@1788220800"  # 2026-09-01T00:00:00Z
SUNSET = "Wed, 31 Mar 2027 00:00:00 GMT"


def test_epoch_constant_is_the_deprecation_date() -> None:
    assert dt.datetime.fromtimestamp(1788220800, dt.UTC) == dt.datetime(2026, 9, 1, tzinfo=dt.UTC)


def test_v1_success_headers_exact(api: Api) -> None:
    response = api.post("/v1/carts", json={"customer_id": "c"}, headers=ACME)
    assert response.headers["deprecation"] == DEPRECATION
    assert response.headers["sunset"] == SUNSET
    assert response.headers["link"] == f'<{POLICY}>; rel="deprecation", </v2/carts>; rel="successor-version"'
    cart_id = response.json()["id"]
    got = api.get(f"/v1/carts/{cart_id}", headers=ACME)
    assert got.headers["link"] == f'<{POLICY}>; rel="deprecation", </v2/carts/{cart_id}>; rel="successor-version"'


def test_v1_error_responses_carry_the_headers_too(api: Api) -> None:
    for response in (
        api.get("/v1/carts/nope", headers=ACME),
        api.get("/v1/carts/nope"),
        api.post("/v1/carts", content=b"{", headers={**ACME, "content-type": "application/json"}),
    ):
        assert response.status_code >= 400
        assert response.headers["deprecation"] == DEPRECATION and response.headers["sunset"] == SUNSET


def test_v2_has_no_lifecycle_headers(api: Api) -> None:
    cart = new_cart(api)
    response = api.get(f"/v2/carts/{cart['id']}", headers=ACME)
    for header in ("deprecation", "sunset", "link"):
        assert header not in response.headers


def test_the_day_before_the_sunset_v1_still_answers(make_api: Callable[..., Api]) -> None:
    api = make_api(clock=Clock(AFTER_SUNSET - dt.timedelta(microseconds=1)))
    assert api.post("/v1/carts", json={"customer_id": "c"}, headers=ACME).status_code == 201


def test_after_the_sunset_every_v1_route_is_410(make_api: Callable[..., Api]) -> None:
    clock = Clock()
    api = make_api(clock=clock)
    cart = new_cart(api, "v1")
    item = add_item(api, cart["id"], "v1").json()
    clock.now = AFTER_SUNSET
    base = f"/v1/carts/{cart['id']}"
    calls = [
        ("POST", "/v1/carts", {"customer_id": "c"}),
        ("GET", base, None),
        ("DELETE", base, None),
        ("POST", f"{base}/items", {"sku": "MUG01", "quantity": 1, "unit_price": 1.0}),
        ("GET", f"{base}/items/{item['id']}", None),
        ("PATCH", f"{base}/items/{item['id']}", {"quantity": 2}),
        ("DELETE", f"{base}/items/{item['id']}", None),
        ("GET", "/v1/openapi.json", None),
        ("GET", "/v1/docs", None),
        ("GET", "/v1/something-else", None),
    ]
    for method, url, body in calls:
        for headers in (ACME, {}):  # gone is gone, with or without a key
            response = api.request(method, url, json=body, headers=headers)
            problem = problem_of(response, 410, "v1")
            assert problem["successor"] == "v2", (method, url)
    routed = api.get(base, headers=ACME)
    assert routed.headers["link"].endswith(f'</v2/carts/{cart["id"]}>; rel="successor-version"')
    assert problem_of(routed, 410, "v1")["detail"] == "v1 was sunset on 2027-03-31; use v2"
    # v2 is untouched, and still holds the cart
    assert api.get(f"/v2/carts/{cart['id']}", headers=ACME).status_code == 200


@pytest.mark.parametrize("path", ["/v1/openapi.json", "/v2/openapi.json"])
def test_docs_served_before_the_sunset(api: Api, path: str) -> None:
    assert api.get(path).status_code == 200
    assert api.get(path.replace("openapi.json", "docs")).status_code == 200


def test_behind_a_mount_point_links_and_locations_keep_it() -> None:
    # Deployed under a path prefix (ASGI root_path, e.g. uvicorn --root-path /api behind a proxy), the
    # successor link and the Location of a new resource must point through the same prefix.
    from starlette.testclient import TestClient

    from service.app import create_app
    from service.settings import Settings

    app = create_app(Settings(database_url="memory:", api_keys="t:k", rate_limit=0, access_log=False))
    auth = {"Authorization": "Bearer k"}
    with TestClient(app, root_path="/api") as client:
        created = client.post("/api/v1/carts", json={"customer_id": "c"}, headers=auth)
        assert created.status_code == 201
        cart_id = created.json()["id"]
        assert created.headers["location"] == f"/api/v1/carts/{cart_id}"
        assert created.headers["link"] == f'<{POLICY}>; rel="deprecation", </api/v2/carts>; rel="successor-version"'
        item = client.post(
            f"/api/v1/carts/{cart_id}/items", json={"sku": "MUG01", "quantity": 1, "unit_price": 2.5}, headers=auth
        )
        assert item.status_code == 201
        assert item.headers["location"] == f"/api/v1/carts/{cart_id}/items/{item.json()['id']}"
        assert item.headers["link"].endswith(f'</api/v2/carts/{cart_id}/items>; rel="successor-version"')
