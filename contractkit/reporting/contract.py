"""The contract report over a registry: lifecycle of each version and the changes between them."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from contractkit.compat import Finding, compare_in_registry, mode_for_role
from contractkit.compat.renderers import location
from contractkit.config import Config
from contractkit.registry import Registry, Version

__all__ = ["ContractReport", "VersionPair", "build_contract_report", "render_contract_report"]


@dataclass(frozen=True, slots=True)
class SchemaChange:
    schema: str
    role: str | None
    mode: str
    reader: str
    compatible: bool
    findings: tuple[Finding, ...]


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
    tolerant: tuple[str, ...] = ()  # schemas whose readers ignore properties they do not know


def build_contract_report(registry: Registry, config: Config, today: dt.date) -> ContractReport:
    pairs: list[VersionPair] = []
    for old, new in itertools.pairwise(registry.versions):
        changes: list[SchemaChange] = []
        for name in sorted(set(old.schemas) & set(new.schemas)):
            role = registry.role(name)
            reader = registry.index.reader_for(name)
            result = compare_in_registry(
                registry,
                registry,
                name,
                old.name,
                new.name,
                format_assertion=config.format_assertion,
                overrides=config.severity,
            )
            changes.append(SchemaChange(name, role, mode_for_role(role), reader, result.compatible, result.findings))
        pairs.append(
            VersionPair(
                old=old.name,
                new=new.name,
                changes=tuple(changes),
                added=tuple(sorted(set(new.schemas) - set(old.schemas))),
                removed=tuple(sorted(set(old.schemas) - set(new.schemas))),
            )
        )
    names = sorted({name for v in registry.versions for name in v.schemas})
    tolerant = tuple(n for n in names if registry.index.reader_for(n) == "tolerant")
    return ContractReport(
        today=today, versions=registry.versions, files=len(registry.files), pairs=tuple(pairs), tolerant=tolerant
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
        if pair.changes:
            lines.append(f"  {'schema':<18} {'role':<9} {'mode':<9} {'reader':<9} verdict")
        if pair.added:
            lines.append(f"  added schemas: {', '.join(pair.added)}")
        if pair.removed:
            lines.append(f"  removed schemas: {', '.join(pair.removed)}")
        for change in pair.changes:
            verdict = "compatible" if change.compatible else "BREAKING"
            errors = sum(1 for f in change.findings if f.severity == "error")
            lines.append(
                f"  {change.schema:<18} {change.role or '-':<9} {change.mode:<9} {change.reader:<9} {verdict}"
                + (f" ({errors} breaking change(s))" if errors else "")
            )
            for f in change.findings:
                if f.severity != "error":
                    continue
                lines.append(f"      {f.rule_id} at {location(f)}: {f.message}")
    if report.tolerant:
        lines += [
            "",
            f"Tolerant readers ({', '.join(report.tolerant)}): a property added to these schemas is not a break;",
            "their readers must ignore properties and enum values they do not know (docs/compat.md, Reader policy).",
        ]
    return "\n".join(lines)
