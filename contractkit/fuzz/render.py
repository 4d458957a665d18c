"""Render a FuzzResult: text for people (every failure with its payload, seed and curl), JSON for tools."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from contractkit.fuzz._model import DriftRejection, FuzzResult

__all__ = ["render_text", "to_json"]


def _json(value: Any, limit: int = 2000) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _drift_lines(drift: list[DriftRejection]) -> list[str]:
    groups: dict[tuple[str, str, str, str], list[DriftRejection]] = defaultdict(list)
    for d in drift:
        groups[(d.schema, d.old, d.new, d.direction)].append(d)
    lines = ["", "Shape drift (instances valid under one version, rejected by the other):"]
    for (schema, old, new, direction), items in sorted(groups.items()):
        first = items[0]
        rules = sorted({r for d in items for r in d.rules})
        how = {"pointer": "explained by", "direction": "the engine's errors in this direction:", "none": ""}
        explained = f"{how[first.matched_by]} {', '.join(rules)}" if rules else "NOT explained by any engine finding"
        lines.append(f"  {schema:<18} {old}->{new} {direction:<8} {len(items)} witness(es); {explained}")
        lines.append(f"      e.g. {_json(first.witness, 300)}")
        lines.append(f"      rejected: {first.reason}")
        if first.matched_by == "pointer" and first.unexplained:
            for error in first.unexplained:
                lines.append(f"      no engine finding on the path of: {error}")
    return lines


def render_text(result: FuzzResult, header: str = "") -> str:
    lines: list[str] = [header] if header else []
    lines.append(f"seed {result.seed}")
    for run in result.runs:
        text = f"  {run.name:<14} {run.operations:>3} {run.unit:<12} {run.cases:>6} case(s) {run.seconds:7.1f}s"
        lines.append(text + (f"  ({run.note})" if run.note else ""))
    if result.drift:
        lines += _drift_lines(result.drift)
    if result.budget_exhausted:
        lines += ["", "Time budget exhausted: the run stopped early; what ran is reported."]
    for failure in result.failures:
        lines += ["", f"FAIL {failure.check}  {failure.version}  {failure.target}"]
        lines += [f"  {line}" for line in failure.message.splitlines()]
        if failure.status is not None:
            lines.append(f"  status: {failure.status}")
        if failure.response is not None:
            lines.append(f"  response: {failure.response}")
        if failure.rules:
            lines.append(f"  rules: {', '.join(failure.rules)}")
        if failure.payload is not None:
            lines.append(f"  payload: {_json(failure.payload)}")
        lines.append(f"  seed: {failure.seed}")
        if failure.curl:
            lines.append(f"  reproduce: {failure.curl}")
    lines.append("")
    if result.ok:
        lines.append("OK: no failures.")
    else:
        checks = sorted({f.check for f in result.failures})
        lines.append(f"{len(result.failures)} failure(s): {', '.join(checks)}")
    return "\n".join(lines)


def to_json(result: FuzzResult) -> dict[str, Any]:
    return result.to_json()
