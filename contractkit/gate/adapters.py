"""Replay and fuzz failures as gate findings: the one adapter both `check` steps use.

A failure keeps its rule id (the rows are in `contractkit.replay.rules.REPLAY_RULES` and
`contractkit.fuzz.rules.FUZZ_RULES`; Schemathesis's check names become ids with `-` for `_`), gets the
severity its table gives, a message that says where it came from (fixture and level, or version,
target and seed, and a curl command to reproduce it), its payload as the witness, and a `subject`
(the fixture id or the fuzz target) that keeps its fingerprint stable across runs. A drift failure
names a schema; it is located at that schema's file in the newer version.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from contractkit.gate._model import GateFinding, Severity
from contractkit.registry import Registry

__all__ = ["failure_findings"]


def failure_findings(failures: Iterable[Any], registry: Registry | None = None) -> list[GateFinding]:
    """Each ReplayFailure or FuzzFailure as a GateFinding (in the order given)."""
    return [_finding(f, registry) for f in failures]


def _severity(rule_id: str) -> Severity:
    from contractkit.reporting.formats._rules import rule_info

    info = rule_info(rule_id)
    sev = info.severity if info is not None else "error"
    return sev if sev in ("error", "warning", "info") else "error"  # type: ignore[return-value]


def _finding(f: Any, registry: Registry | None) -> GateFinding:
    if hasattr(f, "fixture"):  # a ReplayFailure
        rule_id = str(f.rule_id)
        return GateFinding(
            rule_id,
            _severity(rule_id),
            f"replay [{f.fixture} @ {f.version}, {f.level}]: {f.message}",
            version=f.version,
            witness=f.payload,
            has_witness=f.payload is not None,
            subject=f"{f.fixture} {f.level}",
        )
    from contractkit.fuzz.rules import rule_id_of_check

    rule_id = rule_id_of_check(str(f.check))
    file: str | None = None
    schema: str | None = None
    if registry is not None and "->" in str(f.version):
        newer = str(f.version).split("->", 1)[1]
        try:
            if f.target in registry.version(newer).schemas:
                schema = f.target
                file = _rel(registry.schema_path(f.target, newer))
        except Exception:  # a version or schema the registry does not know: no location, not a crash
            schema = file = None
    message = f"fuzz [{f.version} {f.target}, seed {f.seed}]: {f.message}"
    if f.curl:
        message += f"\n  reproduce: {f.curl}"
    return GateFinding(
        rule_id,
        _severity(rule_id),
        message,
        version=f.version,
        schema=schema,
        file=file,
        line=1 if file else None,
        witness=f.payload,
        has_witness=f.payload is not None,
        subject=None if schema else str(f.target) or None,
    )


def _rel(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
