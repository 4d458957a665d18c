"""Markdown: a verdict line and a findings table (for PR comments)."""

from __future__ import annotations

import json

from contractkit.compat._model import CompatReport


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def render(report: CompatReport, *, old_label: str = "old", new_label: str = "new") -> str:
    verdict = "✅ compatible" if report.compatible else "❌ **not compatible**"
    lines = [f"### `{old_label}` → `{new_label}` ({report.mode}): {verdict}", ""]
    if not report.findings:
        lines.append("No findings.")
        return "\n".join(lines) + "\n"
    lines += ["| severity | rule | direction | where | message | witness |", "|---|---|---|---|---|---|"]
    for f in report.findings:
        where = f.new_pointer if f.new_pointer is not None else f.old_pointer
        wit = "" if f.witness is None else f"`{_cell(json.dumps(f.witness.instance, ensure_ascii=False))}`"
        lines.append(
            f"| {f.severity} | `{f.rule_id}` | {f.direction} | `{_cell(where or '/')}` | {_cell(f.message)} | {wit} |"
        )
    return "\n".join(lines) + "\n"
