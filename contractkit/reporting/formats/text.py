"""Human-readable text; rich markup when color is on. Witnesses are printed whole, as one line of JSON."""

from __future__ import annotations

from rich.markup import escape

from contractkit.gate._model import GateReport
from contractkit.reporting.witness import compact

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
        # in a file: file:line; otherwise what the finding is about (an operation such as `POST /v2/carts`)
        where = ":".join(str(x) for x in (f.file, f.line) if x is not None) or (f.subject or "")
        ptr = f" at {f.pointer or '/'}" if f.pointer is not None else ""
        tag = "waived" if f.waived else f.severity
        head = paint(f"{tag:<7}", "dim" if f.waived else _STYLE[f.severity])
        lines.append(f"{head} {plain(f.rule_id)} {plain(where + ptr)}".rstrip())
        lines += [f"        {plain(line)}" for line in f.message.splitlines()]
        if f.has_witness:
            at = f" (the break is at {f.witness_at or '/'})" if f.witness_at is not None else ""
            lines.append(plain(f"        witness{at}: {compact(f.witness)}"))
        if f.waived:
            lines.append(plain(f"        waived: {f.waived}"))
    s = report.to_json()["summary"]
    verdict = paint("PASSED", "bold green") if report.passed else paint("FAILED", "bold red")
    counts = f"— {s['errors']} error(s), {s['warnings']} warning(s), {s['waived']} waived"
    lines += ["", f"{verdict} {plain(counts)}"]
    return "\n".join(lines)
