"""The replay's rule ids: one ordered table, like the engine's catalog and the gate's GATE_RULES.

Each row: id, default severity, what it means, and an example. The three conversion rules
(`upgrade-invalid`, `downgrade-invalid`, `conversion-raised`) are defined here once; the drift fuzzer
(`contractkit.fuzz.drift`) reports conversion failures under the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CONVERSION_RULE_IDS", "REPLAY_RULES", "ReplayRule"]

SCHEMA_MISMATCH = "replay-schema-mismatch"
MODEL_MISMATCH = "replay-model-mismatch"
SCHEMA_MODEL_DISAGREE = "schema-model-disagree"
SERVICE_MISMATCH = "replay-service-mismatch"
SERVICE_ERROR = "replay-service-error"
RESPONSE_INVALID = "replay-response-invalid"
ECHO_DIFFERS = "replay-response-differs"
UPGRADE_INVALID = "upgrade-invalid"
UPGRADE_DIFFERS = "upgrade-differs"
DOWNGRADE_INVALID = "downgrade-invalid"
DOWNGRADE_DIFFERS = "downgrade-differs"
CONVERSION_RAISED = "conversion-raised"

CONVERSION_RULE_IDS = (UPGRADE_INVALID, DOWNGRADE_INVALID, CONVERSION_RAISED)


@dataclass(frozen=True, slots=True)
class ReplayRule:
    id: str
    severity: str
    description: str
    example: str


REPLAY_RULES: tuple[ReplayRule, ...] = (
    ReplayRule(
        SCHEMA_MISMATCH,
        "error",
        "A version's schema accepts a recorded fixture the fixture says it must reject, or the other way round.",
        "cart_create fixture `no-currency` expects reject on v2, but v2's schema accepts it.",
    ),
    ReplayRule(
        MODEL_MISMATCH,
        "error",
        "The generated model accepts or rejects a fixture against the fixture's expectation "
        "(the schema agrees with the expectation).",
        "service.models.v1.cart_item_add rejects `quantity: 99`, which the fixture expects to be accepted.",
    ),
    ReplayRule(
        SCHEMA_MODEL_DISAGREE,
        "error",
        "A version's schema and its generated model disagree on a fixture: the models are stale; "
        "run `contractkit codegen`.",
        "v1 schema accepts `quantity: 99`, the committed model still has `le=50`.",
    ),
    ReplayRule(
        SERVICE_MISMATCH,
        "error",
        "The live service accepts a fixture that must be rejected (or rejects one that must be accepted), "
        "or refuses it with a status other than 400, 409 or 422.",
        "POST /v1/carts answered 201 to a fixture expected to be rejected.",
    ),
    ReplayRule(
        SERVICE_ERROR,
        "error",
        "The live service answered a fixture with a 5xx status.",
        "POST /v2/carts/{cart_id}/items answered 500.",
    ),
    ReplayRule(
        RESPONSE_INVALID,
        "error",
        "The live service's 2xx body does not validate against the version's response schema.",
        "GET /v1/carts/{id} returned `unit_price` as an object where v1's cart_item says number.",
    ),
    ReplayRule(
        ECHO_DIFFERS,
        "error",
        "The live service's response does not echo back a field that was sent, in the version it was sent in.",
        'POST /v2/carts with `note: "gift"` returns `note: null`.',
    ),
    ReplayRule(
        UPGRADE_INVALID,
        "error",
        "A request valid in an older version, upgraded by the declared conversions, is not valid in the newer "
        "version (found by replay and by the drift fuzzer).",
        "cart_item_add v1 `unit_price: 19.99` upgrades to `unit_price: 19.99`, but v2 needs a money object.",
    ),
    ReplayRule(
        UPGRADE_DIFFERS,
        "error",
        "An upgraded request differs from the upgrade recorded in the fixture.",
        "the fixture records `amount_minor: 1999`, the conversion now gives `amount_minor: 19`.",
    ),
    ReplayRule(
        DOWNGRADE_INVALID,
        "error",
        "A response valid in the newer version, downgraded by the declared conversions, is not valid in the "
        "older version (found by replay and by the drift fuzzer).",
        "a v2 cart downgraded for v1 still carries `item_count`, which v1 does not allow.",
    ),
    ReplayRule(
        DOWNGRADE_DIFFERS,
        "error",
        "A downgraded response differs from the downgrade recorded in the fixture.",
        "the fixture records `unit_price: 19.99`, the conversion now gives `unit_price: 1999`.",
    ),
    ReplayRule(
        CONVERSION_RAISED,
        "error",
        "A declared conversion raised an exception (a deliberate refusal with a 4xx status is not a failure).",
        "downgrade of cart to v1 raised KeyError: 'amount_minor'.",
    ),
)
