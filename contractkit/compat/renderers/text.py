"""Plain text, one finding per line (errors first), the witness whole on the line below."""

from __future__ import annotations

import json

from contractkit.compat._model import CompatReport
from contractkit.compat.renderers._common import location, shown


def render(report: CompatReport, *, old_label: str = "old", new_label: str = "new", min_severity: str = "info") -> str:
    verdict = "compatible" if report.compatible else "NOT compatible"
    lines = [f"{old_label} -> {new_label} ({report.mode}): {verdict}"]
    findings = shown(report, min_severity)
    for f in findings:
        lines.append(f"  {f.severity:7} {f.rule_id} [{f.direction}] at {location(f)}: {f.message}")
        if f.witness is not None:
            w = f.witness
            at = f", the break is at {w.at or '/'}" if w.at is not None else ""
            label = old_label if w.valid_under == "old" else new_label
            shown_json = json.dumps(w.instance, ensure_ascii=False)
            lines.append(f"          witness (valid under {w.valid_under} = {label} only{at}): {shown_json}")
    hidden = len(report.findings) - len(findings)
    if hidden:
        lines.append(f"  ({hidden} finding(s) below {min_severity} not shown)")
    return "\n".join(lines) + "\n"
