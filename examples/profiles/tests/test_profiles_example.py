"""The profiles example, as its users and its CI see it: the served API over HTTP (on the ASGI interface),
and the contractkit commands run from this folder with its own pyproject.toml."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema_rs
import pytest
from profiles.app import create_app
from starlette.testclient import TestClient

from contractkit.fastapi import Conversions
from contractkit.registry import load_registry

HERE = Path(__file__).resolve().parents[1]
REGISTRY = load_registry(HERE / "schemas")
KEY = {"X-Api-Key": "key-ada"}


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("PROFILES_API_KEYS", "ada:key-ada,bob:key-bob")
    with TestClient(create_app(clock=clock)) as test_client:
        yield test_client


def valid(name: str, version: str, body: Any) -> bool:
    return bool(jsonschema_rs.validator_for(REGISTRY.bundled(name, version), validate_formats=True).is_valid(body))


def test_a_v1_client_and_a_v2_client_share_one_profile(client: TestClient) -> None:
    french = {**KEY, "Accept-Language": "fr-CA"}
    created = client.post("/v1/profiles", json={"handle": "ada_l", "name": "Ada"}, headers=french)
    assert created.status_code == 201, created.text
    v1 = created.json()
    assert valid("profile", "v1", v1) and v1["name"] == "Ada"
    assert created.headers["location"] == f"/v1/profiles/{v1['id']}"
    v2 = client.get(f"/v2/profiles/{v1['id']}", headers=KEY).json()
    assert valid("profile", "v2", v2)
    assert (v2["display_name"], v2["locale"]) == ("Ada", "fr-CA")  # the locale came from the caller's default
    assert client.get(f"/v1/profiles/{v1['id']}", headers=KEY).json() == v1
    bob = client.get(f"/v2/profiles/{v1['id']}", headers={"X-Api-Key": "key-bob"})
    assert bob.status_code == 404  # profiles are per user


def test_each_version_validates_with_its_own_schema(client: TestClient) -> None:
    assert client.post("/v2/profiles", json={"handle": "ada_l", "name": "Ada"}, headers=KEY).status_code == 422
    new = client.post("/v2/profiles", json={"handle": "ada_l", "display_name": "Ada", "locale": "en"}, headers=KEY)
    assert new.status_code == 201 and "deprecation" not in new.headers
    problem = client.post("/v1/profiles", json={"handle": "Ada!", "name": "Ada"}, headers=KEY)
    assert problem.status_code == 422 and problem.headers["content-type"] == "application/problem+json"
    assert valid("problem", "v1", problem.json()) and problem.json()["errors"][0]["pointer"] == "/handle"


def test_v1_is_deprecated_then_gone(client: TestClient, clock: Clock) -> None:
    answer = client.get("/v1/profiles/nope", headers=KEY)
    assert answer.status_code == 404
    assert answer.headers["deprecation"] == "@1790812800"  # 2026-10-01T00:00:00Z
    assert answer.headers["sunset"] == "Wed, 30 Jun 2027 00:00:00 GMT"
    assert answer.headers["link"] == (
        '<https://docs.example.com/profiles-api/deprecation-policy>; rel="deprecation", '
        '</v2/profiles/nope>; rel="successor-version"'
    )
    clock.now = dt.datetime(2027, 6, 30, tzinfo=dt.UTC)
    gone = client.get("/v1/profiles/nope", headers=KEY)
    assert gone.status_code == 410 and gone.json()["successor"] == "v2"
    assert client.get("/v1/openapi.json").status_code == 410
    assert [v["gone"] for v in client.get("/").json()["versions"]] == [True, False]


def test_keys_are_required(client: TestClient) -> None:
    refused = client.get("/v2/profiles/x")
    assert refused.status_code == 401 and valid("problem", "v2", refused.json())


def test_documents_publish_the_registry_schemas(client: TestClient) -> None:
    for version in ("v1", "v2"):
        doc = client.get(f"/{version}/openapi.json").json()
        assert doc["info"]["title"] == f"Profiles API {version}"
        components = doc["components"]["schemas"]
        bundle = REGISTRY.bundled("profile_create", version)
        assert components[f"{version}.profile_create"]["properties"] == bundle["properties"]
        post = doc["paths"][f"/{version}/profiles"]["post"]
        gone = {"410"} if version == "v1" else set()  # v1 has a sunset date
        assert set(post["responses"]) == {"201", "400", "401", "413", "415", "422"} | gone
    assert client.get("/v1/docs").status_code == 200


def test_the_conversions_from_configuration_are_the_ones_served(client: TestClient) -> None:
    """What replay and drift fuzzing check (composed from pyproject.toml alone) is what the app does."""
    config = tomllib.loads((HERE / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["contractkit"]
    composed = Conversions.from_registry(REGISTRY, config["changes"])
    sent = {"handle": "h_1", "name": "N"}
    expected = composed.upgrade("v1", "profile_create", sent, SimpleNamespace(default_locale="it"))
    created = client.post("/v1/profiles", json=sent, headers={**KEY, "Accept-Language": "it"})
    head = client.get(f"/v2/profiles/{created.json()['id']}", headers=KEY).json()
    assert {k: head[k] for k in expected} == expected == {"handle": "h_1", "display_name": "N", "locale": "it"}
    assert composed.downgrade("v1", "profile", head) == created.json()


def _contractkit(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "contractkit.cli", *args]
    return subprocess.run(cmd, cwd=HERE, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.slow
def test_replay_from_the_example_folder() -> None:
    result = _contractkit("replay", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["failures"] == []


@pytest.mark.slow
def test_drift_fuzz_composes_the_conversions_from_configuration() -> None:
    result = _contractkit("fuzz", "--drift", "--max-examples", "10", "--seed", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "conversions composed from profiles.changes" in result.stdout


@pytest.mark.slow
def test_the_gate_passes_from_the_example_folder() -> None:
    # every step, the live fuzz included: the library's checks hold an API that is not the cart to what
    # contractkit.fastapi serves, not to the cart's conventions (it does not echo X-Request-ID)
    result = _contractkit("check")
    assert result.returncode == 0, result.stdout + result.stderr
    for step in ("codegen", "replay", "fuzz", "openapi"):
        assert f"pass {step}" in result.stdout
