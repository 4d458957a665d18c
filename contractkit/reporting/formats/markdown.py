"""Markdown for a pull-request comment."""

from __future__ import annotations

import json

from contractkit.gate._model import GateReport


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(report: GateReport, *, color: bool = False) -> str:
    s = report.to_json()["summary"]
    icon = "✅" if report.passed else "❌"
    out = [
        f"## {icon} contractkit: {'passed' if report.passed else 'failed'}",
        "",
        f"Compared with `{report.base}` as of {report.today}: **{s['errors']}** error(s), "
        f"{s['warnings']} warning(s), {s['waived']} waived.",
        "",
        "| step | status | detail |",
        "|---|---|---|",
    ]
    out += [f"| {st.name} | {st.status} | {_cell(st.detail)} |" for st in report.steps]
    if report.findings:
        out += ["", "| severity | rule | version | where | message |", "|---|---|---|---|---|"]
        for f in report.findings:
            sev = f"~~{f.severity}~~ waived" if f.waived else f.severity
            where = f"`{f.file}`" + (f" `#{f.pointer}`" if f.pointer else "") if f.file else ""
            out.append(f"| {sev} | `{f.rule_id}` | {f.version or ''} | {where} | {_cell(f.message)} |")
        witnesses = [f for f in report.findings if f.has_witness and f.severity == "error"]
        if witnesses:
            out += ["", "<details><summary>Witness payloads (each proves one break)</summary>", ""]
            for f in witnesses:
                out += [
                    f"`{f.rule_id}` at `{f.pointer}`:",
                    "",
                    "```json",
                    json.dumps(f.witness, indent=2, ensure_ascii=False),
                    "```",
                    "",
                ]
            out.append("</details>")
    return "\n".join(out) + "\n"
