"""JSON: the report's contract form (`schema_version` is bumped on any incompatible change)."""

from __future__ import annotations

import json

from contractkit.gate._model import GateReport


def render(report: GateReport, *, color: bool = False) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False, sort_keys=False)
