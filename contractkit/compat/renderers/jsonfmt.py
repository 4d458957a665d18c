"""JSON: ``{"compatible", "mode", "old", "new", "findings": [...]}`` (documented in docs/compat.md).

Findings are listed errors first; `min_severity` leaves out the ones below it (the verdict stays).
"""

from __future__ import annotations

import json

from contractkit.compat._model import CompatReport
from contractkit.compat.renderers._common import shown


def render(report: CompatReport, *, old_label: str = "old", new_label: str = "new", min_severity: str = "info") -> str:
    doc = {
        "compatible": report.compatible,
        "mode": report.mode,
        "old": old_label,
        "new": new_label,
        "findings": [f.to_json() for f in shown(report, min_severity)],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
