"""Plain text, one finding per line, witness indented below."""

from __future__ import annotations

import json

from contractkit.compat._model import CompatReport


def render(report: CompatReport, *, old_label: str = "old", new_label: str = "new") -> str:
    verdict = "compatible" if report.compatible else "NOT compatible"
    lines = [f"{old_label} -> {new_label} ({report.mode}): {verdict}"]
    for f in report.findings:
        where = f.new_pointer if f.new_pointer is not None else f.old_pointer
        lines.append(f"  {f.severity:7} {f.rule_id} [{f.direction}] at {where or '/'}: {f.message}")
        if f.witness is not None:
            shown = json.dumps(f.witness.instance, ensure_ascii=False)
            lines.append(f"          witness (valid under {f.witness.valid_under} only): {shown}")
    return "\n".join(lines) + "\n"
