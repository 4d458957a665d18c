"""Value objects of a fuzz run: failures (each reproducible), drift observations, the run's result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["DriftRejection", "FuzzFailure", "FuzzResult", "VersionRun"]

Direction = Literal["backward", "forward"]


@dataclass(frozen=True, slots=True)
class FuzzFailure:
    """One defect, with what it takes to reproduce it: the payload, the seed, and a curl command."""

    check: str  # the check or rule that failed, e.g. not_a_server_error, lifecycle-headers, engine-missed-break
    version: str  # "v1", or "v1->v2" for drift
    target: str  # "POST /v1/carts" or "cart_item_add" for drift
    message: str
    seed: int
    payload: Any = None
    curl: str | None = None
    status: int | None = None
    rules: tuple[str, ...] = ()  # the engine rules that explain a drift rejection
    response: str | None = None  # the start of the response body

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "check": self.check,
            "version": self.version,
            "target": self.target,
            "message": self.message,
            "seed": self.seed,
        }
        if self.payload is not None:
            out["payload"] = self.payload
        if self.curl is not None:
            out["curl"] = self.curl
        if self.status is not None:
            out["status"] = self.status
        if self.rules:
            out["rules"] = list(self.rules)
        if self.response is not None:
            out["response"] = self.response
        return out


@dataclass(frozen=True, slots=True)
class DriftRejection:
    """An instance valid under one version's schema and rejected by the other's (expected for a break)."""

    schema: str
    old: str
    new: str
    direction: Direction  # backward: old instance rejected by new; forward: new instance rejected by old
    witness: Any
    reason: str  # the validator's first error
    rules: tuple[str, ...]  # the engine findings that explain it
    matched_by: str  # "pointer": a finding on the error's path; "direction": only the direction's errors; "none"
    engine_compatible: bool
    unexplained: tuple[str, ...] = ()  # validation errors on whose path the engine reported no finding

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "old": self.old,
            "new": self.new,
            "direction": self.direction,
            "witness": self.witness,
            "reason": self.reason,
            "rules": list(self.rules),
            "matched_by": self.matched_by,
            "engine_compatible": self.engine_compatible,
            "unexplained": list(self.unexplained),
        }


@dataclass
class VersionRun:
    """What was done against one version (or one version pair for drift)."""

    name: str
    cases: int = 0
    operations: int = 0
    seconds: float = 0.0
    note: str = ""
    unit: str = "operation(s)"  # what `operations` counts: operations, or schemas for drift


@dataclass
class FuzzResult:
    seed: int
    failures: list[FuzzFailure] = field(default_factory=list)
    runs: list[VersionRun] = field(default_factory=list)
    drift: list[DriftRejection] = field(default_factory=list)
    budget_exhausted: bool = False

    @property
    def ok(self) -> bool:
        return not self.failures

    def add(self, failure: FuzzFailure) -> None:
        key = (failure.check, failure.version, failure.target, failure.message.split("\n", 1)[0])
        if not any((f.check, f.version, f.target, f.message.split("\n", 1)[0]) == key for f in self.failures):
            self.failures.append(failure)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "seed": self.seed,
            "budget_exhausted": self.budget_exhausted,
            "runs": [
                {"name": r.name, "targets": r.operations, "cases": r.cases, "seconds": round(r.seconds, 2)}
                | ({"note": r.note} if r.note else {})
                for r in self.runs
            ],
            "failures": [f.to_json() for f in self.failures],
            "drift": [d.to_json() for d in self.drift],
        }
