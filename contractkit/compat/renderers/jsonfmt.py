"""JSON: ``{"compatible", "mode", "old", "new", "findings": [...]}`` (documented in docs/compat.md)."""

from __future__ import annotations

import json

from contractkit.compat._model import CompatReport


def render(report: CompatReport, *, old_label: str = "old", new_label: str = "new") -> str:
    doc = report.to_json()
    doc = {"compatible": doc["compatible"], "mode": doc["mode"], "old": old_label, "new": new_label,
           "findings": doc["findings"]}  # fmt: skip
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
