"""Every rule id contractkit can report, from its four tables, imported directly:

- the engine's catalog (`contractkit.compat.catalog.RULES`): what a schema change breaks;
- the gate's table (`contractkit.gate.rules.GATE_RULES`): policy, waivers, drift of generated models;
- the replay's table (`contractkit.replay.rules.REPLAY_RULES`);
- the fuzzer's table (`contractkit.fuzz.rules.FUZZ_RULES`).

SARIF describes rules from here, `docs/ci-rules.md` is generated from here, and waivers and
`[tool.contractkit.severity]` are checked against `known_rule_ids()` (with a "did you mean").
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import lru_cache

from contractkit.compat.catalog import RULES as COMPAT_RULES
from contractkit.fuzz.rules import FUZZ_RULES
from contractkit.gate.rules import GATE_RULES
from contractkit.replay.rules import REPLAY_RULES

__all__ = ["RuleInfo", "all_rules", "describe", "known_rule_ids", "rule_info", "suggest"]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str
    severity: str
    description: str
    example: str
    source: str  # "compat", "gate", "replay" or "fuzz"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


@lru_cache(maxsize=1)
def all_rules() -> tuple[RuleInfo, ...]:
    out = [
        RuleInfo(r.id, r.severity, r.description, f"{_json(r.old)} → {_json(r.new)} ({r.example_direction})", "compat")
        for r in COMPAT_RULES
    ]
    out += [RuleInfo(r.id, r.severity, r.description, r.example, "gate") for r in GATE_RULES]
    out += [RuleInfo(r.id, r.severity, r.description, r.example, "replay") for r in REPLAY_RULES]
    out += [RuleInfo(r.id, r.severity, r.description, r.example, "fuzz") for r in FUZZ_RULES]
    return tuple(out)


@lru_cache(maxsize=1)
def _by_id() -> dict[str, RuleInfo]:
    return {r.id: r for r in all_rules()}


def rule_info(rule_id: str) -> RuleInfo | None:
    return _by_id().get(rule_id)


def describe(rule_id: str) -> str:
    info = rule_info(rule_id)
    return info.description if info is not None else rule_id


def known_rule_ids() -> frozenset[str]:
    return frozenset(_by_id())


def suggest(rule_id: str) -> str:
    """` (did you mean X?)` for an unknown id close to a known one, else ``."""
    close = difflib.get_close_matches(rule_id, sorted(known_rule_ids()), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
