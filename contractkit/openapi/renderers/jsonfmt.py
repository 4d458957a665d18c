"""JSON: ``{"compatible", "kind": "openapi", "old", "new", "old_openapi", "new_openapi", "findings"}``."""

from __future__ import annotations

import json

from contractkit.openapi._model import OpenAPIReport


def render(report: OpenAPIReport, *, old_label: str = "old", new_label: str = "new") -> str:
    doc = report.to_json()
    out = {"compatible": doc["compatible"], "kind": "openapi", "old": old_label, "new": new_label}
    out |= {k: v for k, v in doc.items() if k not in out}
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
