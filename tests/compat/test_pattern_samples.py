"""Samples for patterns the automata do not read, so deep witnesses get a valid root around them.

OpenAPI 3.1's root requires ``openapi`` to match ``^3\\.1\\.\\d+(-.+)?$`` (``\\d`` and a quantified group
holding a quantifier: greenery refuses both). Without a string of that pattern no root sample is
valid, and a break deep inside (a link's ``operationId`` narrowed from ``true`` to a string) had no
witness. The sampler's strings for such a pattern come from ``_regexfa`` (through ``_automata``), which
reads ``\\d \\w \\s`` in every validator's dialect; every candidate is judged by the validator anyway.
"""

from __future__ import annotations

import copy
from typing import Any

import jsonschema_rs
import pytest

from contractkit.compat import compare
from contractkit.compat._automata import examples
from tests.compat._util import assert_witnesses_hold

ROOT: dict[str, Any] = {
    "$defs": {
        "link": {
            "type": "object",
            "properties": {"operationRef": {"type": "string"}, "operationId": True},
            "oneOf": [{"required": ["operationRef"]}, {"required": ["operationId"]}],
            "unevaluatedProperties": False,
        },
    },
    "type": "object",
    "required": ["openapi", "info"],
    "properties": {
        "openapi": {"type": "string", "pattern": "^3\\.1\\.\\d+(-.+)?$"},
        "info": {"type": "object", "required": ["title"], "properties": {"title": {"type": "string"}}},
        "links": {"type": "object", "additionalProperties": {"$ref": "#/$defs/link"}},
    },
    "unevaluatedProperties": False,
}


@pytest.mark.parametrize(
    "pattern", ["^3\\.1\\.\\d+(-.+)?$", "^\\d{3}$", "^x-[\\w.]+(\\.\\d+)*$", "^v\\d+(?:\\.\\d+)?(-[a-z]+)?$"]
)
def test_generated_strings_match_the_pattern(pattern: str) -> None:
    got = examples(pattern, 3)
    assert got
    v = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
    assert all(v.is_valid(x) for x in got)


def test_a_deep_break_gets_a_root_valid_under_the_openapi_pattern() -> None:
    new = copy.deepcopy(ROOT)
    new["$defs"]["link"]["properties"]["operationId"] = {"type": "string"}
    backward = compare(ROOT, new, "backward")
    assert not backward.compatible
    assert any(f.witness is not None for f in backward.findings)
    assert_witnesses_hold(ROOT, new, backward)
    # the near miss: the same narrowing where every old value was a string already
    old_s = copy.deepcopy(new)
    old_s["$defs"]["link"]["properties"]["operationId"] = {"type": "string", "minLength": 1}
    assert compare(old_s, new, "backward").compatible
