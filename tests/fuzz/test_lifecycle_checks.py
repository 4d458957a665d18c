"""The lifecycle and request-id checks on their own: exact problem lists for hand-made header maps."""

from __future__ import annotations

import datetime as dt

import pytest

from contractkit.fuzz import Expectation, check_lifecycle_headers, check_request_id, expectations
from contractkit.registry import load_registry
from tests.conftest import SCHEMAS

POLICY = "https://docs.example.com/cart-api/deprecation-policy"
V1 = Expectation(
    version="v1",
    announces=True,
    gone=False,
    deprecation_epoch=1788220800,  # 2026-09-01T00:00:00Z
    sunset=dt.datetime(2027, 3, 31, tzinfo=dt.UTC),
    policy_url=POLICY,
    successor="v2",
)
V2 = Expectation(version="v2", announces=False, gone=False, policy_url=POLICY)
GOOD = {
    "deprecation": ["@1788220800"],
    "sunset": ["Wed, 31 Mar 2027 00:00:00 GMT"],
    "link": [f'<{POLICY}>; rel="deprecation", </v2/carts/abc>; rel="successor-version"'],
}


def test_expectations_follow_the_index() -> None:
    registry = load_registry(SCHEMAS)
    before = expectations(registry, dt.date(2026, 11, 25))
    assert before["v1"] == V1
    assert before["v2"] == V2
    after = expectations(registry, dt.date(2027, 3, 31))
    assert after["v1"].gone and not after["v2"].gone


def test_correct_headers_pass() -> None:
    assert check_lifecycle_headers(V1, "/v1/carts/abc", GOOD) == []
    assert check_lifecycle_headers(V2, "/v2/carts/abc", {}) == []


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        ({"deprecation": []}, ["missing Deprecation header"]),
        ({"deprecation": ["true"]}, ["Deprecation 'true' is not an RFC 9745 date (@<epoch seconds>)"]),
        ({"deprecation": ["@1"]}, ["Deprecation '@1' differs from the index: expected @1788220800"]),
        ({"sunset": []}, ["missing Sunset header"]),
        ({"sunset": ["2027-03-31"]}, ["Sunset '2027-03-31' is not an HTTP-date (IMF-fixdate, RFC 8594)"]),
        (
            {"deprecation": ["@1900000000"], "sunset": ["Wed, 31 Mar 2027 00:00:00 GMT"]},
            [
                "Deprecation '@1900000000' differs from the index: expected @1788220800",
                "Sunset 'Wed, 31 Mar 2027 00:00:00 GMT' is earlier than Deprecation (2030-03-17T17:46:40+00:00)",
            ],
        ),
        ({"link": [f'<{POLICY}>; rel="deprecation"']}, ['missing Link rel="successor-version"']),
        ({"link": ['</v2/carts/abc>; rel="successor-version"']}, ['missing Link rel="deprecation"']),
        (
            {"link": [f'<{POLICY}>; rel="deprecation", </v2/carts/other>; rel="successor-version"']},
            ["Link rel=\"successor-version\" points at '/v2/carts/other', expected '/v2/carts/abc'"],
        ),
    ],
)
def test_each_defect_is_named(change: dict[str, list[str]], problems: list[str]) -> None:
    assert check_lifecycle_headers(V1, "/v1/carts/abc", GOOD | change) == problems


def test_stable_version_must_not_announce() -> None:
    assert check_lifecycle_headers(V2, "/v2/carts", {"deprecation": ["@1"]}) == [
        "Deprecation header on v2, which the index does not deprecate"
    ]


def test_request_id_echo() -> None:
    assert check_request_id("abc", {"x-request-id": ["abc"]}) == []
    assert check_request_id(None, {"x-request-id": ["generated"]}) == []
    assert check_request_id("abc", {}) == ["missing X-Request-ID header"]
    echoed = check_request_id("abc", {"x-request-id": ["xyz"]})
    assert echoed == ["X-Request-ID 'xyz' does not echo the request's 'abc'"]
