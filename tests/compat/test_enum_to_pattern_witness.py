"""An ``enum`` replaced by a wider ``pattern`` inside one ``oneOf`` branch, where the sibling branch forbids a
member: the witness is a string of the pattern past the enum, placed into an object holding that member.

OpenAPI 3.0's HTTP security scheme: ``scheme: {enum: [bearer]}`` became ``^[Bb][Ee][Aa][Rr][Ee][Rr]$``; the
non-bearer branch forbids ``bearerFormat``. ``{scheme: BEARER}`` alone is valid under both (the non-bearer
branch takes it in the old schema); with ``bearerFormat`` it is valid under the new schema only.
"""

from __future__ import annotations

import copy
from typing import Any

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold

_CI = "^[Bb][Ee][Aa][Rr][Ee][Rr]$"


def _scheme(bearer: dict[str, Any]) -> dict[str, Any]:
    http = {
        "type": "object",
        "required": ["scheme", "type"],
        "properties": {
            "scheme": {"type": "string"},
            "bearerFormat": {"type": "string"},
            "description": {"type": "string"},
            "type": {"enum": ["http"]},
        },
        "patternProperties": {"^x-": {}},
        "additionalProperties": False,
        "oneOf": [
            {"properties": {"scheme": bearer}},
            {"not": {"required": ["bearerFormat"]}, "properties": {"scheme": {"not": bearer}}},
        ],
    }
    return {
        "type": "object",
        "properties": {"components": {"$ref": "#/definitions/Components"}},
        "definitions": {
            "Components": {
                "type": "object",
                "properties": {
                    "securitySchemes": {
                        "type": "object",
                        "patternProperties": {"^[a-z]+$": {"$ref": "#/definitions/SecurityScheme"}},
                    },
                    "other": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}},
                },
            },
            "SecurityScheme": {"oneOf": [{"$ref": "#/definitions/HTTP"}, {"$ref": "#/definitions/Key"}]},
            "Key": {"type": "object", "required": ["type"], "properties": {"type": {"enum": ["apiKey"]}}},
            "HTTP": http,
        },
    }


OLD = _scheme({"enum": ["bearer"]})
NEW = _scheme({"type": "string", "pattern": _CI})


def test_a_case_variant_with_the_forbidden_member_is_the_witness() -> None:
    r = compare(OLD, NEW, "forward")
    errors = [f for f in r.findings if f.severity == "error"]
    assert errors, r.findings
    assert_witnesses_hold(OLD, NEW, r)
    w = errors[0].witness
    assert w is not None
    (scheme,) = w.instance["components"]["securitySchemes"].values()
    assert scheme["scheme"] != "bearer" and "bearerFormat" in scheme


def test_no_break_when_the_pattern_is_the_enum() -> None:
    new = _scheme({"type": "string", "pattern": "^bearer$"})
    r = compare(OLD, new, "forward")
    assert not any(f.severity == "error" for f in r.findings), r.findings


def test_no_break_when_the_member_is_forbidden_nowhere() -> None:
    old, new = copy.deepcopy(OLD), copy.deepcopy(NEW)
    for doc in (old, new):
        del doc["definitions"]["HTTP"]["oneOf"][1]["not"]
    r = compare(old, new, "forward")
    # "BEARER" is valid under both: the non-bearer branch takes it in the old schema
    assert not any(f.severity == "error" for f in r.findings), r.findings
