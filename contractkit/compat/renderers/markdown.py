"""Markdown: a verdict line and a findings table (errors first), every witness whole below it."""

from __future__ import annotations

import json

from contractkit.compat._model import CompatReport
from contractkit.compat.renderers._common import location, shown


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def render(report: CompatReport, *, old_label: str = "old", new_label: str = "new", min_severity: str = "info") -> str:
    verdict = "✅ compatible" if report.compatible else "❌ **not compatible**"
    lines = [f"### `{old_label}` → `{new_label}` ({report.mode}): {verdict}", ""]
    findings = shown(report, min_severity)
    if not findings:
        lines.append("No findings." if not report.findings else f"No findings at or above {min_severity}.")
        return "\n".join(lines) + "\n"
    lines += ["| severity | rule | direction | where | message |", "|---|---|---|---|---|"]
    for f in findings:
        lines.append(f"| {f.severity} | `{f.rule_id}` | {f.direction} | `{_cell(location(f))}` | {_cell(f.message)} |")
    witnesses = [f for f in findings if f.witness is not None]
    if witnesses:
        lines += ["", "<details><summary>Witnesses (each proves one break)</summary>", ""]
        for f in witnesses:
            w = f.witness
            assert w is not None
            at = f"; the break is at `{w.at or '/'}`" if w.at is not None else ""
            side = old_label if w.valid_under == "old" else new_label
            lines += [
                f"`{f.rule_id}` at `{location(f)}` — valid under `{side}` only{at}:",
                "",
                "```json",
                json.dumps(w.instance, indent=2, ensure_ascii=False),
                "```",
                "",
            ]
        lines.append("</details>")
    return "\n".join(lines) + "\n"
