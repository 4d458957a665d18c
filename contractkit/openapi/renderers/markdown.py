"""Markdown: a verdict line and a findings table with the operation as location (for PR comments)."""

from __future__ import annotations

import json

from contractkit.openapi._model import OpenAPIReport


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def render(report: OpenAPIReport, *, old_label: str = "old", new_label: str = "new") -> str:
    verdict = "✅ compatible" if report.compatible else "❌ **not compatible**"
    lines = [f"### `{old_label}` → `{new_label}` (OpenAPI): {verdict}", ""]
    if not report.findings:
        lines.append("No findings.")
        return "\n".join(lines) + "\n"
    lines += ["| severity | rule | direction | operation | message | witness |", "|---|---|---|---|---|---|"]
    for f in report.findings:
        witness = f.request.to_json() if f.request is not None else f.response.to_json() if f.response else None
        wit = "" if witness is None else f"`{_cell(json.dumps(witness, ensure_ascii=False))}`"
        lines.append(
            f"| {f.severity} | `{f.rule_id}` | {f.direction} | `{_cell(f.location)}` | {_cell(f.message)} | {wit} |"
        )
    return "\n".join(lines) + "\n"
