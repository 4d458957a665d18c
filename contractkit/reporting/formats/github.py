"""GitHub Actions workflow commands: `::error file=…,line=…,title=…::message` annotations.

An annotation is one message; the witness follows the message on its own line(s), whole when it fits
in `_WITNESS_ROOM` characters, otherwise shortened around the place the break shows (never inside a
token; the full witness is in the JSON, SARIF and Markdown reports).
"""

from __future__ import annotations

from contractkit.gate._model import GateReport
from contractkit.reporting.witness import compact

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
_WITNESS_ROOM = 1500


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
        # no file to annotate (an operation of the served document, a fixture): the title says what it is about
        title = f.rule_id if f.file or not f.subject else f"{f.rule_id}: {f.subject}"
        props.append(f"title={_prop(title)}")
        text = f.message + (f" (at {f.pointer or '/'})" if f.pointer is not None else "")
        if f.has_witness:
            at = f" (the break is at {f.witness_at or '/'})" if f.witness_at is not None else ""
            text += f"\nwitness{at}: {compact(f.witness, f.witness_at, _WITNESS_ROOM)}"
        lines.append(f"::{_LEVEL[f.severity]} {','.join(props)}::{_data(text)}")
    s = report.to_json()["summary"]
    lines.append(f"contractkit: {'passed' if report.passed else 'failed'} ({s['errors']} error(s))")
    return "\n".join(lines) + "\n"
