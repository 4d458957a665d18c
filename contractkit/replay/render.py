"""The replay matrix (fixture × version × level) as text or JSON."""

from __future__ import annotations

import json
from typing import Any

from contractkit.replay.runner import ReplayResult, iter_rows

_SHORT = {"schema": "S", "model": "M", "service": "L", "upgrade": "U", "downgrade": "D"}


def render_text(result: ReplayResult) -> str:
    rows = list(iter_rows(result))
    width = max([len(r[0]) for r in rows] + [7])
    legend = "  ".join(f"{k}={v}" for v, k in ((k, s) for k, s in _SHORT.items()) if v in result.levels)
    header = " " * (width + 2) + "  ".join(
        f"{v}" + " " * (len(result.levels) * 2 - len(v) - 1) for v in result.versions
    )
    sub = " " * (width + 2) + "  ".join(" ".join(_SHORT[lvl] for lvl in result.levels) for _ in result.versions)
    lines = [f"levels: {legend}   (✓ as expected, ✗ not, · not applicable)", header, sub]
    for fixture, cells in rows:
        marks = []
        for v in result.versions:
            marks.append(
                " ".join(("✓" if cells[(v, lvl)].ok else "✗") if (v, lvl) in cells else "·" for lvl in result.levels)
            )
        lines.append(f"{fixture:<{width}}  " + "  ".join(marks))
    if result.failures:
        lines += ["", f"{len(result.failures)} failure(s):"]
        for f in result.failures:
            lines.append(f"  {f.rule_id} [{f.fixture} @ {f.version}, {f.level}] {f.message}")
            if f.payload is not None:
                lines.append(f"      payload: {json.dumps(f.payload, ensure_ascii=False)[:300]}")
            if f.diff:
                lines.append(f"      deepdiff: {f.diff[:600]}")
    checked = len(result.cells)
    lines += ["", f"replay: {checked} checks, {len(result.failures)} failure(s) — {'ok' if result.ok else 'FAILED'}"]
    return "\n".join(lines)


def to_json(result: ReplayResult) -> dict[str, Any]:
    return {
        "ok": result.ok,
        "versions": list(result.versions),
        "levels": list(result.levels),
        "cells": [{"fixture": c.fixture, "version": c.version, "level": c.level, "ok": c.ok} for c in result.cells],
        "failures": [
            {
                "rule_id": f.rule_id,
                "fixture": f.fixture,
                "version": f.version,
                "level": f.level,
                "message": f.message,
                "payload": f.payload,
                "deepdiff": f.diff or None,
            }
            for f in result.failures
        ],
    }
