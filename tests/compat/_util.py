from __future__ import annotations

from typing import Any

import jsonschema_rs

from contractkit.compat import CompatReport


def ids(report: CompatReport) -> set[str]:
    return {f.rule_id for f in report.findings}


def assert_witnesses_hold(old: Any, new: Any, report: CompatReport, format_assertion: bool = True) -> None:
    """Every error carries a witness the real validator accepts on one side only."""
    v_old = jsonschema_rs.validator_for(old, validate_formats=format_assertion)
    v_new = jsonschema_rs.validator_for(new, validate_formats=format_assertion)
    for f in report.findings:
        if f.severity != "error":
            continue
        assert f.witness is not None, f
        w = f.witness.instance
        if f.direction == "backward":
            assert v_old.is_valid(w) and not v_new.is_valid(w), f
        else:
            assert v_new.is_valid(w) and not v_old.is_valid(w), f
