"""Rule metadata for renderers that describe rules (SARIF): the gate's table plus the engine's catalog."""

from __future__ import annotations

import importlib
from functools import lru_cache

from contractkit.gate.rules import GATE_RULES


@lru_cache(maxsize=1)
def descriptions() -> dict[str, str]:
    out = {r.id: r.description for r in GATE_RULES}
    try:
        catalog = importlib.import_module("contractkit.compat.catalog")
    except ImportError:
        return out
    for r in getattr(catalog, "RULES", ()):
        rid = getattr(r, "id", None) or getattr(r, "rule_id", None)
        if isinstance(rid, str):
            out.setdefault(rid, str(getattr(r, "description", rid)))
    return out


def describe(rule_id: str) -> str:
    return descriptions().get(rule_id, rule_id)
