"""SARIF 2.1.0, for code-scanning UIs."""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from contractkit.gate._model import GateReport
from contractkit.reporting.formats._rules import describe

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _version() -> str:
    try:
        return version("contractkit")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def render(report: GateReport, *, color: bool = False) -> str:
    rule_ids = sorted({f.rule_id for f in report.findings})
    index = {rid: i for i, rid in enumerate(rule_ids)}
    results: list[dict[str, Any]] = []
    for f in report.findings:
        result: dict[str, Any] = {
            "ruleId": f.rule_id,
            "ruleIndex": index[f.rule_id],
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
        }
        if f.file:
            location: dict[str, Any] = {"artifactLocation": {"uri": f.file}}
            if f.line:
                location["region"] = {"startLine": f.line}
            result["locations"] = [{"physicalLocation": location}]
        props: dict[str, Any] = {}
        if f.pointer is not None:
            props["pointer"] = f.pointer
        if f.version:
            props["version"] = f.version
        if f.has_witness:
            props["witness"] = f.witness
        if props:
            result["properties"] = props
        if f.waived:
            result["suppressions"] = [{"kind": "external", "justification": f.waived}]
        results.append(result)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "contractkit",
                        "version": _version(),
                        "informationUri": "https://github.com/contractkit/contractkit",
                        "rules": [
                            {
                                "id": rid,
                                "shortDescription": {"text": describe(rid)[:200]},
                                "fullDescription": {"text": describe(rid)},
                            }
                            for rid in rule_ids
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)
