"""Every error is problem+json; hostile input never produces a 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.service.support import ACME, Api, new_cart, problem_of

JSON = {**ACME, "content-type": "application/json"}


@pytest.mark.parametrize(
    "raw",
    [b"{", b"{'a': 1}", b'{"customer_id": NaN}', b"\xff\xfe", b'{"a": 1} trailing', b"[" * 20_000 + b"]" * 20_000],
)
def test_malformed_json_is_400(api: Api, raw: bytes) -> None:
    problem = problem_of(api.post("/v2/carts", content=raw, headers=JSON), 400)
    assert problem["detail"] == "the request body is not valid JSON"


def test_empty_body_is_400(api: Api) -> None:
    problem_of(api.post("/v2/carts", content=b"", headers=JSON), 400)
    problem_of(api.post("/v2/carts", content=b"  \n", headers=JSON), 400)


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_wrong_content_type_is_415(api: Api, content_type: str | None) -> None:
    headers = dict(ACME)
    if content_type:
        headers["content-type"] = content_type
    problem_of(api.post("/v2/carts", content=b'{"customer_id": "c", "currency": "EUR"}', headers=headers), 415)


def test_json_with_charset_and_plus_json_are_accepted(api: Api) -> None:
    body = b'{"customer_id": "c", "currency": "EUR"}'
    for ct in ("application/json; charset=utf-8", "application/merge-patch+json"):
        assert api.post("/v2/carts", content=body, headers={**ACME, "content-type": ct}).status_code == 201


def test_body_over_the_limit_is_413(make_api: Callable[..., Api]) -> None:
    api = make_api(max_body_bytes=100)
    problem_of(api.post("/v2/carts", json={"customer_id": "c" * 200, "currency": "EUR"}, headers=ACME), 413)
    ok = api.post("/v2/carts", json={"customer_id": "c", "currency": "EUR"}, headers=ACME)
    assert ok.status_code == 201


def test_default_limit_is_64_kib(api: Api) -> None:
    filler = "x" * (64 * 1024)
    problem_of(api.post("/v2/carts", json={"customer_id": "c", "currency": "EUR", "note": filler}, headers=ACME), 413)


def test_streamed_body_without_length_is_counted(make_api: Callable[..., Api]) -> None:
    api = make_api(max_body_bytes=100)

    async def chunks():  # no Content-Length: the limit is enforced while reading
        for _ in range(10):
            yield b" " * 50

    problem_of(api.post("/v2/carts", content=chunks(), headers=JSON), 413)


def test_validation_errors_carry_json_pointers(api: Api) -> None:
    body = {"customer_id": "", "currency": "eur", "metadata": {"Bad Key": "v", "ok": 5}, "extra": 1}
    problem = problem_of(api.post("/v2/carts", json=body, headers=ACME), 422)
    pointers = {e["pointer"] for e in problem["errors"]}
    assert {"/customer_id", "/currency", "/extra", "/metadata/ok"} <= pointers
    cart = new_cart(api)
    bad_item = {"sku": "bad sku", "quantity": True, "unit_price": {"amount_minor": -1, "currency": "EUR"}}
    problem = problem_of(api.post(f"/v2/carts/{cart['id']}/items", json=bad_item, headers=ACME), 422)
    assert {e["pointer"] for e in problem["errors"]} == {"/sku", "/quantity", "/unit_price/amount_minor"}


def test_pointer_escapes_slash_and_tilde(api: Api) -> None:
    problem = problem_of(
        api.post("/v2/carts", json={"customer_id": "c", "currency": "EUR", "a/b~c": 1}, headers=ACME), 422
    )
    assert [e["pointer"] for e in problem["errors"]] == ["/a~1b~0c"]


@pytest.mark.parametrize("raw", [b"[]", b'"cart"', b"1", b"null", b"true", b'{"customer_id": {"$gt": ""}}'])
def test_non_object_bodies_are_422(api: Api, raw: bytes) -> None:
    problem_of(api.post("/v2/carts", content=raw, headers=JSON), 422)


def test_huge_integer_is_422_not_400(api: Api) -> None:
    cart = new_cart(api)
    raw = b'{"sku": "MUG01", "quantity": 1' + b"0" * 40 + b', "unit_price": {"amount_minor": 1, "currency": "EUR"}}'
    problem = problem_of(api.post(f"/v2/carts/{cart['id']}/items", content=raw, headers=JSON), 422)
    assert [e["pointer"] for e in problem["errors"]] == ["/quantity"]


@pytest.mark.parametrize("path", ["/v0/carts", "/v3/carts", "/v3", "/v10/carts/x/items", "/vv/carts"])
def test_unknown_version_is_404_problem(api: Api, path: str) -> None:
    for method in ("GET", "POST"):
        problem = problem_of(api.request(method, path, headers=ACME), 404)
        assert problem["detail"].startswith("unknown API version")


def test_unknown_path_and_method(api: Api) -> None:
    problem_of(api.get("/nope", headers=ACME), 404)
    problem_of(api.get("/v2/nope", headers=ACME), 404)
    response = api.request("PUT", "/v2/carts", headers=ACME)
    problem_of(response, 405)
    assert response.headers["allow"] == "POST"


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_405_allow_lists_every_method_of_the_path(api: Api, version: str) -> None:
    # several routes share /carts/{id} and /carts/{id}/items/{item_id}: Allow names all of their methods
    response = api.request("PUT", f"/{version}/carts/some-cart", headers=ACME)
    problem_of(response, 405)
    assert response.headers["allow"] == "DELETE, GET"
    response = api.request("PUT", f"/{version}/carts/some-cart/items/some-item", headers=ACME)
    problem_of(response, 405)
    assert response.headers["allow"] == "DELETE, GET, PATCH"
    # and a method that exists on the path still reaches its route (404: no such cart for this tenant)
    problem_of(api.request("DELETE", f"/{version}/carts/some-cart", headers=ACME), 404)


HOSTILE = [
    ("GET", "/v2/carts/" + "%00" * 50, None),
    ("GET", "/v2/carts/..%2F..%2Fetc%2Fpasswd", None),
    ("GET", "/v1/carts/%25e%C3%A9%F0%9F%9B%92", None),
    ("GET", "/v2/carts/" + "a" * 10_000, None),
    ("POST", "/v2/carts", {"customer_id": "c" * 65, "currency": "EUR"}),
    ("POST", "/v2/carts", {"customer_id": "c", "currency": "EUR", "metadata": {f"k{i}": "v" for i in range(50)}}),
    ("PATCH", "/v2/carts/x/items/y", {"quantity": 1e308}),
    ("PATCH", "/v2/carts/x/items/y", {"quantity": -0.0}),
    ("POST", "/v1/carts/x/items", {"sku": "MUG01", "quantity": 1, "unit_price": 1e-300}),
]


@pytest.mark.parametrize(("method", "path", "body"), HOSTILE)
def test_hostile_inputs_never_500(api: Api, method: str, path: str, body: object) -> None:
    kwargs = {"json": body} if body is not None else {}
    response = api.request(method, path, headers=ACME, **kwargs)
    assert 400 <= response.status_code < 500, response.text
    problem_of(response, response.status_code, path.split("/")[1])  # valid, `instance` a URI reference


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_lone_surrogates_never_500(api: Api, version: str) -> None:
    raw = b'{"customer_id": "\\ud800x", "currency": "EUR", "note": "\\udfff"}'
    response = api.post(f"/{version}/carts", content=raw, headers=JSON)
    problem_of(response, 400, version)


def test_v1_tiny_and_huge_prices_on_a_real_cart(api: Api) -> None:
    cart = new_cart(api, "v1")
    for price in (1e-300, 0.001, 1e6 + 0.01, 5e-324):
        response = api.post(
            f"/v1/carts/{cart['id']}/items", json={"sku": "MUG01", "quantity": 1, "unit_price": price}, headers=ACME
        )
        assert response.status_code in (409, 422), (price, response.text)  # 1e6+0.01 breaks the schema
    ok = api.post(
        f"/v1/carts/{cart['id']}/items", json={"sku": "MUG01", "quantity": 1, "unit_price": 1e6}, headers=ACME
    )
    assert ok.status_code == 201 and ok.json()["unit_price"] == 1e6


def test_bad_idempotency_key_is_400(api: Api) -> None:
    headers = {**ACME, "Idempotency-Key": "has space"}
    problem_of(api.post("/v2/carts", json={"customer_id": "c", "currency": "EUR"}, headers=headers), 400)
    headers = {**ACME, "Idempotency-Key": "k" * 256}
    problem_of(api.post("/v2/carts", json={"customer_id": "c", "currency": "EUR"}, headers=headers), 400)


@pytest.mark.parametrize("database_url", ["memory:", None])
def test_a_full_cart_is_409_and_nothing_is_written(make_api: Callable[..., Api], database_url: str | None) -> None:
    api = make_api(**({"database_url": database_url} if database_url else {}), rate_limit=0)
    cart = new_cart(api)
    for n in range(100):
        body = {"sku": f"SKU{n:03d}", "quantity": 1, "unit_price": {"amount_minor": 100, "currency": "EUR"}}
        assert api.post(f"/v2/carts/{cart['id']}/items", json=body, headers=ACME).status_code == 201
    before = api.get(f"/v2/carts/{cart['id']}", headers=ACME).json()
    body = {"sku": "ONEMORE", "quantity": 1, "unit_price": {"amount_minor": 100, "currency": "EUR"}}
    problem = problem_of(api.post(f"/v2/carts/{cart['id']}/items", json=body, headers=ACME), 409)
    assert problem["type"].endswith("/cart-full")
    problem_of(api.post(f"/v1/carts/{cart['id']}/items", json={**body, "unit_price": 1.0}, headers=ACME), 409, "v1")
    assert api.get(f"/v2/carts/{cart['id']}", headers=ACME).json() == before  # not even updated_at moved
