"""The contract report over a registry: lifecycle of each version and the changes between them."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import itertools
from dataclasses import dataclass
from typing import Any

from contractkit.config import Config
from contractkit.registry import Registry, Version

__all__ = ["ContractReport", "VersionPair", "build_contract_report", "render_contract_report"]


@dataclass(frozen=True, slots=True)
class SchemaChange:
    schema: str
    role: str | None
    mode: str
    compatible: bool
    findings: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class VersionPair:
    old: str
    new: str
    changes: tuple[SchemaChange, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ContractReport:
    today: dt.date
    versions: tuple[Version, ...]
    files: int
    pairs: tuple[VersionPair, ...]
    engine: bool


def _mode_for(role: str | None) -> str:
    # Requests are read by the server: old clients' payloads must stay valid (backward).
    # Responses are read by clients: new payloads must be valid for old clients (forward).
    return {"request": "backward", "response": "forward"}.get(role or "", "full")


def build_contract_report(registry: Registry, config: Config, today: dt.date) -> ContractReport:
    compare: Any = None
    with contextlib.suppress(ImportError):  # the engine is optional until it lands
        compare = getattr(importlib.import_module("contractkit.compat"), "compare", None)
    pairs: list[VersionPair] = []
    versions = registry.versions
    for old, new in itertools.pairwise(versions):
        common = sorted(set(old.schemas) & set(new.schemas))
        changes: list[SchemaChange] = []
        if compare is not None:
            for name in common:
                role = registry.role(name)
                mode = _mode_for(role)
                result = compare(
                    registry.bundled(name, old.name),
                    registry.bundled(name, new.name),
                    mode=mode,
                    format_assertion=config.format_assertion,
                    overrides=config.severity,
                )
                changes.append(SchemaChange(name, role, mode, result.compatible, tuple(result.findings)))
        pairs.append(
            VersionPair(
                old=old.name,
                new=new.name,
                changes=tuple(changes),
                added=tuple(sorted(set(new.schemas) - set(old.schemas))),
                removed=tuple(sorted(set(old.schemas) - set(new.schemas))),
            )
        )
    return ContractReport(
        today=today, versions=versions, files=len(registry.files), pairs=tuple(pairs), engine=compare is not None
    )


def _lifecycle(v: Version, today: dt.date) -> str:
    parts = [f"released {v.released}"]
    if v.deprecated:
        parts.append(f"deprecated {v.deprecated}")
    if v.sunset:
        left = (v.sunset - today).days
        when = f"in {left} days" if left > 0 else "passed"
        parts.append(f"sunset {v.sunset} ({when})")
    if v.successor:
        parts.append(f"successor {v.successor}")
    return ", ".join(parts)


def render_contract_report(report: ContractReport) -> str:
    lines = [f"Contract report ({report.files} schema files, as of {report.today})", ""]
    lines.append("Versions")
    for v in report.versions:
        status = "sunset" if v.is_sunset(report.today) else v.status
        lines.append(f"  {v.name:<6} {status:<10} {_lifecycle(v, report.today)}")
        lines.append(f"         schemas: {', '.join(sorted(v.schemas))}")
    for pair in report.pairs:
        lines += ["", f"{pair.old} -> {pair.new}"]
        if pair.added:
            lines.append(f"  added schemas: {', '.join(pair.added)}")
        if pair.removed:
            lines.append(f"  removed schemas: {', '.join(pair.removed)}")
        if not report.engine:
            lines.append("  (compatibility engine not installed)")
            continue
        for change in pair.changes:
            verdict = "compatible" if change.compatible else "BREAKING"
            errors = sum(1 for f in change.findings if str(getattr(f, "severity", "")) == "error")
            lines.append(
                f"  {change.schema:<18} {change.role or '-':<9} {change.mode:<9} {verdict}"
                + (f" ({errors} breaking change(s))" if errors else "")
            )
            for f in change.findings:
                if str(getattr(f, "severity", "")) != "error":
                    continue
                ptr = getattr(f, "old_pointer", None) or getattr(f, "new_pointer", None) or ""
                lines.append(f"      {f.rule_id} at {ptr or '/'}: {f.message}")
    return "\n".join(lines)
