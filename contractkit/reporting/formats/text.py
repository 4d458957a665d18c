"""Human-readable text; rich markup when color is on."""

from __future__ import annotations

import json

from rich.markup import escape

from contractkit.gate._model import GateReport

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render(report: GateReport, *, color: bool = False) -> str:
    def paint(text: str, style: str) -> str:
        return f"[{style}]{escape(text)}[/{style}]" if color else text

    def plain(text: str) -> str:
        return escape(text) if color else text

    lines = [plain(f"contractkit check against {report.base}, as of {report.today}")]
    for step in report.steps:
        mark = {"passed": paint("pass", "green"), "failed": paint("FAIL", "bold red"), "skipped": "skip"}[step.status]
        lines.append(f"  {mark} {plain(step.name)}" + (plain(f" — {step.detail}") if step.detail else ""))
    if report.findings:
        lines.append("")
    for f in report.findings:
        where = ":".join(str(x) for x in (f.file, f.line) if x is not None)
        ptr = f" #{f.pointer}" if f.pointer else ""
        tag = "waived" if f.waived else f.severity
        head = paint(f"{tag:<7}", "dim" if f.waived else _STYLE[f.severity])
        lines.append(f"{head} {plain(f.rule_id)} {plain(where + ptr)}")
        lines.append(f"        {plain(f.message)}")
        if f.has_witness:
            lines.append(plain(f"        witness: {json.dumps(f.witness, ensure_ascii=False)[:300]}"))
        if f.waived:
            lines.append(plain(f"        waived: {f.waived}"))
    s = report.to_json()["summary"]
    verdict = paint("PASSED", "bold green") if report.passed else paint("FAILED", "bold red")
    counts = f"— {s['errors']} error(s), {s['warnings']} warning(s), {s['waived']} waived"
    lines += ["", f"{verdict} {plain(counts)}"]
    return "\n".join(lines)
