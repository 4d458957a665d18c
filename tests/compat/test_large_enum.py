"""An enum longer than the prover enumerates (ruff's ``RuleSelector``: ~2,400 rule codes) that grows.

The values of one conjunct listed by the target's ``enum`` prove inclusion without enumerating them;
a value dropped (or one the target's other keywords reject) stays a witnessed break.
"""

from __future__ import annotations

import copy
from typing import Any

from contractkit.compat import compare
from tests.compat._util import assert_witnesses_hold

CODES = [f"R{i:04d}" for i in range(2400)]
OLD: dict[str, Any] = {
    "type": "object",
    "properties": {"select": {"type": "array", "items": {"$ref": "#/definitions/RuleSelector"}}},
    "definitions": {"RuleSelector": {"type": "string", "enum": CODES}},
}


def _with(codes: list[Any]) -> dict[str, Any]:
    new = copy.deepcopy(OLD)
    new["definitions"]["RuleSelector"]["enum"] = codes
    return new


def test_a_large_enum_grown_is_compatible_backward_and_a_witnessed_break_forward() -> None:
    new = _with([*CODES, "R9999", "ALL"])
    assert compare(OLD, new, "backward").compatible
    forward = compare(OLD, new, "forward")
    assert not forward.compatible
    assert_witnesses_hold(OLD, new, forward)


def test_a_large_enum_that_drops_a_value_stays_breaking() -> None:
    new = _with([*CODES[:7], *CODES[8:], "R9999"])
    backward = compare(OLD, new, "backward")
    assert not backward.compatible
    assert_witnesses_hold(OLD, new, backward)
    assert any(f.witness is not None for f in backward.findings)


def test_numbers_in_a_large_enum_compare_as_json_values() -> None:
    old = {"enum": list(range(1500))}
    assert compare(old, {"enum": [float(x) for x in range(1500)]}, "backward").compatible  # 1 == 1.0
    widened_bools = {"enum": [*range(1, 1500), True]}  # 0 dropped, true is not 1
    report = compare(old, widened_bools, "backward")
    assert not report.compatible
    assert_witnesses_hold(old, widened_bools, report)
