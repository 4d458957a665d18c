"""Value objects of a gate run. The JSON form of a GateReport is a contract: see docs/report.md."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

__all__ = ["REPORT_SCHEMA_VERSION", "CheckStatus", "GateFinding", "GateReport", "StepResult"]

# Bump on any incompatible change to GateReport.to_json(); additive fields keep the number.
REPORT_SCHEMA_VERSION = 1

Severity = Literal["error", "warning", "info"]
CheckStatus = Literal["passed", "failed", "skipped"]


@dataclass(frozen=True, slots=True)
class GateFinding:
    """One thing the gate has to say, located as precisely as it can be."""

    rule_id: str
    severity: Severity
    message: str
    version: str | None = None
    schema: str | None = None
    pointer: str | None = None  # JSON pointer inside `file`
    file: str | None = None  # path relative to the repository root
    line: int | None = None  # 1-based line of `pointer` in `file`, when found
    direction: str | None = None
    witness: Any = None
    has_witness: bool = False
    waived: str | None = None  # the waiver's reason when a waiver silences this finding
    witness_at: str | None = None  # where in `witness` the break shows (a JSON pointer into the instance)
    subject: str | None = None  # what a finding with no schema pointer is about: a fixture, an operation

    @property
    def blocking(self) -> bool:
        return self.severity == "error" and self.waived is None

    def waive(self, reason: str) -> GateFinding:
        return replace(self, waived=reason)

    @property
    def identity(self) -> str:
        """What names this finding across runs: rule, version, schema, pointer, file and subject — never
        the message or the line, which move when unrelated text changes. See GateReport.fingerprints."""
        parts = (self.rule_id, self.version, self.schema, self.pointer, self.file, self.subject)
        key = "\x1f".join(x or "" for x in parts)
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]

    def to_json(self, fingerprint: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "message": self.message,
            "version": self.version,
            "schema": self.schema,
            "pointer": self.pointer,
            "file": self.file,
            "line": self.line,
            "direction": self.direction,
            "waived": self.waived,
        }
        if self.subject is not None:
            out["subject"] = self.subject
        if self.has_witness:
            out["witness"] = self.witness
            if self.witness_at is not None:
                out["witness_at"] = self.witness_at
        if fingerprint is not None:
            out["fingerprint"] = fingerprint
        return out


@dataclass(frozen=True, slots=True)
class StepResult:
    name: str
    status: CheckStatus
    detail: str = ""


@dataclass(frozen=True, slots=True)
class GateReport:
    base: str
    today: dt.date
    findings: tuple[GateFinding, ...]
    steps: tuple[StepResult, ...] = field(default=())
    versions: tuple[str, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return not any(f.blocking for f in self.findings) and all(s.status != "failed" for s in self.steps)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def fingerprints(self) -> list[str]:
        """A stable fingerprint per finding, in order: `identity:n` for the n-th finding with that identity
        (two findings can share one, e.g. two properties that became required at the same `/required`).
        Code scanning (SARIF `partialFingerprints`) uses it to recognise a finding across runs."""
        seen: Counter[str] = Counter()
        out = []
        for f in self.findings:
            seen[f.identity] += 1
            out.append(f"{f.identity}:{seen[f.identity]}")
        return out

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> GateReport:
        """The report back from its JSON form (`contractkit check --format json`), to render it again.

        Raises ValueError (KeyError, TypeError) when `doc` is not such a report."""
        if doc.get("tool") != "contractkit" or doc.get("schema_version") != REPORT_SCHEMA_VERSION:
            raise ValueError(f"not a contractkit check report (schema_version {REPORT_SCHEMA_VERSION})")
        findings = tuple(
            GateFinding(
                rule_id=f["rule_id"],
                severity=f["severity"],
                message=f["message"],
                version=f.get("version"),
                schema=f.get("schema"),
                pointer=f.get("pointer"),
                file=f.get("file"),
                line=f.get("line"),
                direction=f.get("direction"),
                witness=f.get("witness"),
                has_witness="witness" in f,
                waived=f.get("waived"),
                witness_at=f.get("witness_at"),
                subject=f.get("subject"),
            )
            for f in doc["findings"]
        )
        steps = tuple(StepResult(s["name"], s["status"], s.get("detail", "")) for s in doc["steps"])
        return cls(
            base=str(doc["base"]),
            today=dt.date.fromisoformat(doc["today"]),
            findings=findings,
            steps=steps,
            versions=tuple(doc.get("versions", ())),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": REPORT_SCHEMA_VERSION,
            "tool": "contractkit",
            "passed": self.passed,
            "base": self.base,
            "today": self.today.isoformat(),
            "versions": list(self.versions),
            "steps": [{"name": s.name, "status": s.status, "detail": s.detail} for s in self.steps],
            "summary": {
                "errors": sum(1 for f in self.findings if f.blocking),
                "warnings": sum(1 for f in self.findings if f.severity == "warning" and f.waived is None),
                "waived": sum(1 for f in self.findings if f.waived is not None),
                "total": len(self.findings),
            },
            "findings": [f.to_json(fp) for f, fp in zip(self.findings, self.fingerprints(), strict=True)],
        }
