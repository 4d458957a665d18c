"""Fuzz the served API and the shape drift between versions; every failure comes with a reproducer.

- live (`fuzz(..., target=LiveTarget(app=...) or LiveTarget(base_url=...))`): Schemathesis against each
  version's `/<version>/openapi.json`, built-in checks plus lifecycle headers and request-id echo; a version
  past its sunset must answer 410 Gone everywhere;
- drift (`fuzz(..., drift=True)`): instances of one version's schema against the next version's, through
  the declared conversions, cross-checked with the compatibility engine (`engine-missed-break`).

schemathesis and hypothesis are imported only when a run starts.
"""

from contractkit.fuzz._model import DriftRejection, FuzzFailure, FuzzResult, VersionRun
from contractkit.fuzz.drift import ENGINE_MISSED_BREAK, Verdict, VerdictSource, drift_pair, engine_verdict, generate
from contractkit.fuzz.lifecycle import Expectation, check_lifecycle_headers, check_request_id, expectations
from contractkit.fuzz.live import BUILTIN_CHECKS, SUNSET_NOT_GONE, LiveTarget, as_server
from contractkit.fuzz.runner import fuzz, select_versions

__all__ = [
    "BUILTIN_CHECKS",
    "ENGINE_MISSED_BREAK",
    "SUNSET_NOT_GONE",
    "DriftRejection",
    "Expectation",
    "FuzzFailure",
    "FuzzResult",
    "LiveTarget",
    "Verdict",
    "VerdictSource",
    "VersionRun",
    "as_server",
    "check_lifecycle_headers",
    "check_request_id",
    "drift_pair",
    "engine_verdict",
    "expectations",
    "fuzz",
    "generate",
    "select_versions",
]
