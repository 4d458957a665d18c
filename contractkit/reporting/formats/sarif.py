"""SARIF 2.1.0, for code-scanning UIs.

Each result carries `partialFingerprints["contractkit/v1"]`: a hash of the rule, version, schema,
pointer and file (never the message or the line), so code scanning recognises a finding across runs
and does not raise it again when unrelated lines move. The witness and the place it shows the break
are in the result's `properties`.
"""

from __future__ import annotations

import json
from typing import Any

from contractkit.gate._model import GateReport
from contractkit.reporting.formats._rules import describe, rule_info

FINGERPRINT_KEY = "contractkit/v1"

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _version() -> str:
    from contractkit import __version__

    return str(__version__)


def _rule(rule_id: str) -> dict[str, Any]:
    text = describe(rule_id)
    out: dict[str, Any] = {
        "id": rule_id,
        "shortDescription": {"text": text.split(". ")[0].rstrip(".")[:200]},
        "fullDescription": {"text": text},
    }
    info = rule_info(rule_id)
    if info is not None:
        out["defaultConfiguration"] = {"level": _LEVEL.get(info.severity, "warning")}
        out["help"] = {"text": f"{text}\nExample: {info.example}"}
        out["properties"] = {"source": info.source}
    return out


def render(report: GateReport, *, color: bool = False) -> str:
    rule_ids = sorted({f.rule_id for f in report.findings})
    index = {rid: i for i, rid in enumerate(rule_ids)}
    results: list[dict[str, Any]] = []
    for f, fingerprint in zip(report.findings, report.fingerprints(), strict=True):
        text = f.message + (f" (at {f.pointer or '/'})" if f.pointer is not None else "")
        if f.has_witness and f.witness_at is not None:
            text += f"; the witness payload shows the break at {f.witness_at or '/'}"
        result: dict[str, Any] = {
            "ruleId": f.rule_id,
            "ruleIndex": index[f.rule_id],
            "level": _LEVEL[f.severity],
            "message": {"text": text},
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
        if f.file:
            location: dict[str, Any] = {"artifactLocation": {"uri": f.file}}
            if f.line:
                location["region"] = {"startLine": f.line}
            result["locations"] = [{"physicalLocation": location}]
        elif f.subject:  # an operation of the served document (`POST /v2/carts`), a fixture: no file to point at
            result["locations"] = [{"logicalLocations": [{"fullyQualifiedName": f.subject}]}]
        props: dict[str, Any] = {}
        if f.pointer is not None:
            props["pointer"] = f.pointer
        if f.version:
            props["version"] = f.version
        if f.schema:
            props["schema"] = f.schema
        if f.subject:
            props["subject"] = f.subject
        if f.has_witness:
            props["witness"] = f.witness
            if f.witness_at is not None:
                props["witnessAt"] = f.witness_at
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
                        "rules": [_rule(rid) for rid in rule_ids],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)
