"""Schemathesis against each version's own OpenAPI document: no 5xx, and every status, content type,
header and body the service sends is the one its document declares."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from service.app import create_app
from service.settings import Settings
from tests.service.support import ACME, API_KEYS

# Deterministic (derandomized, no example database, no rate limit whose 429s depend on speed): a run cannot
# pass on one machine and fail on the next. `make fuzz-long` is where random exploration lives.
APP = create_app(Settings(database_url="memory:", api_keys=API_KEYS, access_log=False, rate_limit=0))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]

v1 = schemathesis.openapi.from_asgi("/v1/openapi.json", APP)
v2 = schemathesis.openapi.from_asgi("/v2/openapi.json", APP)
for schema in (v1, v2):
    schema.config.generation.update(max_examples=25)
    schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.mark.slow
@v1.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_v1_conforms(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=dict(ACME), checks=CHECKS)


@pytest.mark.slow
@v2.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_v2_conforms(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=dict(ACME), checks=CHECKS)
