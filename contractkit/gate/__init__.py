"""The CI gate: compatibility within published versions, the served OpenAPI documents, deprecation policy,
waivers, drift."""

from contractkit.gate._model import REPORT_SCHEMA_VERSION, GateFinding, GateReport, StepResult
from contractkit.gate.check import CheckOptions, mode_for_role, run_check
from contractkit.gate.rules import GATE_RULES, GateRule
from contractkit.gate.served import ServedSettings

__all__ = [
    "GATE_RULES",
    "REPORT_SCHEMA_VERSION",
    "CheckOptions",
    "GateFinding",
    "GateReport",
    "GateRule",
    "ServedSettings",
    "StepResult",
    "mode_for_role",
    "run_check",
]
