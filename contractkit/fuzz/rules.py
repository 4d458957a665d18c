"""The fuzzer's rule ids: one ordered table, like the engine's catalog and the gate's GATE_RULES.

Live fuzzing reports Schemathesis's built-in checks under their names with `-` for `_`
(`not_a_server_error` -> `not-a-server-error`) plus contractkit's own checks; drift fuzzing reports
`engine-missed-break`, and conversion failures under the replay's conversion rules
(`upgrade-invalid`, `downgrade-invalid`, `conversion-raised`, defined once in `contractkit.replay.rules`).
"""

from __future__ import annotations

from dataclasses import dataclass

from contractkit.replay.rules import CONVERSION_RAISED, DOWNGRADE_INVALID, UPGRADE_INVALID

__all__ = ["FUZZ_RULES", "FuzzRule", "rule_id_of_check"]

# drift
ENGINE_MISSED_BREAK = "engine-missed-break"
# contractkit's live checks
LIFECYCLE_HEADERS = "lifecycle-headers"
REQUEST_ID = "request-id-echo"
SUNSET_NOT_GONE = "sunset-not-gone"
OPENAPI_UNAVAILABLE = "openapi-unavailable"
SERVER_EXCEPTION = "server-exception"
FUZZER_ERROR = "fuzzer-error"
# Schemathesis's built-in checks, as rule ids
NOT_A_SERVER_ERROR = "not-a-server-error"
STATUS_CODE_CONFORMANCE = "status-code-conformance"
CONTENT_TYPE_CONFORMANCE = "content-type-conformance"
RESPONSE_HEADERS_CONFORMANCE = "response-headers-conformance"
RESPONSE_SCHEMA_CONFORMANCE = "response-schema-conformance"
NEGATIVE_DATA_REJECTION = "negative-data-rejection"
POSITIVE_DATA_ACCEPTANCE = "positive-data-acceptance"

# the conversion rules the drift fuzzer shares with the replay (rows in REPLAY_RULES)
SHARED = (UPGRADE_INVALID, DOWNGRADE_INVALID, CONVERSION_RAISED)


@dataclass(frozen=True, slots=True)
class FuzzRule:
    id: str
    severity: str
    description: str
    example: str


def rule_id_of_check(check: str) -> str:
    """The rule id a fuzz failure is reported under (Schemathesis names its checks with underscores)."""
    return check.replace("_", "-")


FUZZ_RULES: tuple[FuzzRule, ...] = (
    FuzzRule(
        ENGINE_MISSED_BREAK,
        "error",
        "The compatibility engine called a version pair compatible in a direction, but a generated instance, "
        "confirmed by the validator, is valid under one version and rejected by the other: an engine bug.",
        'cart_item_add v1->v2 called backward-compatible; `{"quantity": 99}` is valid in v1, rejected in v2.',
    ),
    FuzzRule(
        LIFECYCLE_HEADERS,
        "error",
        "A response of a deprecated or sunset version lacks the lifecycle headers (Deprecation, Sunset, "
        "Link rel=deprecation/successor-version) or carries wrong ones; a current version carries them.",
        "GET /v1/carts/{id} with no `Sunset: Wed, 31 Mar 2027 00:00:00 GMT`.",
    ),
    FuzzRule(
        REQUEST_ID,
        "error",
        "A response does not echo the request's `X-Request-ID` (or invents one that is not a valid id).",
        "request `X-Request-ID: ck-fuzz-v2-1`, response without the header.",
    ),
    FuzzRule(
        SUNSET_NOT_GONE,
        "error",
        "A version past its sunset answered something other than 410 Gone.",
        "v1 sunset 2027-03-31; on 2027-04-01 GET /v1/carts/{id} answered 200.",
    ),
    FuzzRule(
        OPENAPI_UNAVAILABLE,
        "error",
        "The target does not serve a version's OpenAPI document at `/<version>/openapi.json`.",
        "GET /v2/openapi.json answered 404.",
    ),
    FuzzRule(
        SERVER_EXCEPTION,
        "error",
        "The service raised an unhandled exception while handling a generated request.",
        "POST /v2/carts with a 10 MB `note` raised MemoryError.",
    ),
    FuzzRule(
        FUZZER_ERROR,
        "error",
        "The fuzzer itself could not run a version (the schema could not be loaded or generation failed).",
        "Schemathesis: Unresolvable reference in the v2 document.",
    ),
    FuzzRule(
        NOT_A_SERVER_ERROR,
        "error",
        "Schemathesis `not_a_server_error`: a generated request got a 5xx answer.",
        'POST /v1/carts answered 500 to `{"customer_id": "\\u0000"}`.',
    ),
    FuzzRule(
        STATUS_CODE_CONFORMANCE,
        "error",
        "Schemathesis `status_code_conformance`: the answer's status is not documented for the operation.",
        "PATCH /v2/carts/{id}/items/{item_id} answered 418.",
    ),
    FuzzRule(
        CONTENT_TYPE_CONFORMANCE,
        "error",
        "Schemathesis `content_type_conformance`: the answer's Content-Type is not documented.",
        "GET /v2/carts/{id} answered text/html.",
    ),
    FuzzRule(
        RESPONSE_HEADERS_CONFORMANCE,
        "error",
        "Schemathesis `response_headers_conformance`: a documented response header is missing or invalid.",
        "POST /v2/carts without the documented `Location` header.",
    ),
    FuzzRule(
        RESPONSE_SCHEMA_CONFORMANCE,
        "error",
        "Schemathesis `response_schema_conformance`: the body does not validate against the documented schema.",
        "GET /v1/carts/{id} returned `total` as an object where v1 documents a number.",
    ),
    FuzzRule(
        NEGATIVE_DATA_REJECTION,
        "error",
        "Schemathesis `negative_data_rejection`: a request that breaks the documented schema was accepted.",
        "POST /v1/carts with `quantity: -1` answered 201.",
    ),
    FuzzRule(
        POSITIVE_DATA_ACCEPTANCE,
        "error",
        "Schemathesis `positive_data_acceptance`: a request that follows the documented schema was refused.",
        "POST /v2/carts with a valid body answered 422.",
    ),
)
