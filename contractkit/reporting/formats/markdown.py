"""Markdown for a pull-request comment (the GitHub Action posts it as one sticky comment).

A verdict heading, the steps, the findings table, and every witness whole in a collapsed ```json
block, with the place in the payload where the break shows.
"""

from __future__ import annotations

from contractkit.gate._model import GateReport
from contractkit.reporting.witness import pretty


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _code(text: str) -> str:
    """Inline code that survives backticks in the text."""
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


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
            where = (
                _code(f.file + (f":{f.line}" if f.line else "")) if f.file else _code(f.subject) if f.subject else ""
            )
            if f.pointer is not None:
                where += (" at " if where else "") + _code(f.pointer or "/")
            out.append(f"| {sev} | `{f.rule_id}` | {f.version or ''} | {where} | {_cell(f.message)} |")
        witnesses = [f for f in report.findings if f.has_witness and not f.waived]
        if witnesses:
            out += ["", "<details><summary>Witness payloads (each proves one break)</summary>", ""]
            for f in witnesses:
                where = f" at {_code(f.pointer or '/')}" if f.pointer is not None else ""
                at = "" if f.witness_at is None else f"; the break is at {_code(f.witness_at or '/')} in the payload"
                scope = f" ({f.schema}@{f.version})" if f.schema and f.version else ""
                scope = f" ({_code(f.subject)})" if not scope and f.subject else scope
                out += [f"`{f.rule_id}`{scope}{where}{at}:", "", "```json", pretty(f.witness), "```", ""]
            out.append("</details>")
    return "\n".join(out) + "\n"
