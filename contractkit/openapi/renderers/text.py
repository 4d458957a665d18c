"""Plain text: a verdict line, then one finding per line with its operation; witnesses below as JSON."""

from __future__ import annotations

import json

from contractkit.openapi._model import OpenAPIReport


def render(report: OpenAPIReport, *, old_label: str = "old", new_label: str = "new") -> str:
    verdict = "compatible" if report.compatible else "NOT compatible"
    lines = [f"{old_label} -> {new_label} (OpenAPI {report.old_version} -> {report.new_version}): {verdict}"]
    for f in report.findings:
        lines.append(f"  {f.severity:7} {f.rule_id} [{f.direction}] {f.location}: {f.message}")
        if f.request is not None:
            lines.append(f"          witness request: {json.dumps(f.request.to_json(), ensure_ascii=False)}")
        if f.response is not None:
            lines.append(f"          witness response: {json.dumps(f.response.to_json(), ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
