"""The benchmark compares like with like: its hand-written apps answer add-item exactly as the service does."""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal

from tests.service.support import ROOT, Api


@pytest.fixture(scope="module")
def bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_service", ROOT / "bench" / "bench_service.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_service"] = module
    spec.loader.exec_module(module)
    return module


def _shape(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "id"}


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_plain_and_bare_answer_like_the_service(bench: Any, portal: BlockingPortal, version: str) -> None:
    headers = {"Authorization": f"Bearer {bench.KEY}", "Content-Type": "application/json"}
    body = bench.V1_BODY if version == "v1" else bench.V2_BODY
    answers = {}
    for name in ("contractkit", "plain", "bare"):
        api = Api(getattr(bench, f"{name}_app")(), portal)
        try:
            response = api.post(f"/{version}/carts/{bench.cart_id(7)}/items", content=body, headers=headers)
        finally:
            api.close()
        assert response.status_code == 201, (name, response.text)
        answers[name] = (_shape(response.json()), {k for k in response.headers if k != "content-length"})
    assert answers["plain"][0] == answers["contractkit"][0] == answers["bare"][0]
    # "plain" does the same HTTP work (Location, request id, lifecycle headers on v1); "bare" does not
    assert answers["plain"][1] == answers["contractkit"][1]
    assert "location" not in answers["bare"][1] and "x-request-id" not in answers["bare"][1]
