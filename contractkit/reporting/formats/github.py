"""GitHub Actions workflow commands: `::error file=…,line=…,title=…::message` annotations."""

from __future__ import annotations

from contractkit.gate._model import GateReport

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: GateReport, *, color: bool = False) -> str:
    lines = []
    for f in report.findings:
        if f.waived:
            continue
        props = []
        if f.file:
            props.append(f"file={_prop(f.file)}")
            if f.line:
                props.append(f"line={f.line}")
        props.append(f"title={_prop(f.rule_id)}")
        where = f" (at {f.pointer})" if f.pointer else ""
        lines.append(f"::{_LEVEL[f.severity]} {','.join(props)}::{_data(f.message + where)}")
    s = report.to_json()["summary"]
    lines.append(f"contractkit: {'passed' if report.passed else 'failed'} ({s['errors']} error(s))")
    return "\n".join(lines) + "\n"
