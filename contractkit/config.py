"""`[tool.contractkit]` in pyproject.toml: where things are and how strict to be.

[tool.contractkit]
schemas = "schemas"              # the registry root (holds index.toml)
models = "service/models"        # where `contractkit codegen` writes (unset: codegen is not configured)
format-assertion = true          # treat `format` as an assertion (the generated models enforce it)
[tool.contractkit.severity]      # per-rule severity overrides
property-became-required = "warning"
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from contractkit.errors import InputError

__all__ = ["Config", "find_pyproject", "load_config"]

Severity = Literal["error", "warning", "info"]
_SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Config:
    base_dir: Path = Path(".")
    schemas: Path = Path("schemas")
    models: Path | None = None  # unset: codegen is not configured, and `check` skips its step
    format_assertion: bool = True
    severity: Mapping[str, Severity] = field(default_factory=dict)
    min_deprecation_days: int | None = None
    waivers: Path | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)


def find_pyproject(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _check_rule_ids(path: Path, severity: Mapping[str, Any]) -> None:
    """A misspelt rule id under [tool.contractkit.severity] would silently override nothing."""
    if not severity:
        return
    from contractkit.reporting.formats._rules import known_rule_ids, suggest

    known = known_rule_ids()
    for rule in severity:
        if rule not in known:
            where = f"/tool/contractkit/severity/{rule}"
            raise InputError(path, where, f"unknown rule id {rule!r}{suggest(rule)}")


def load_config(start: Path | None = None) -> Config:
    """Read `[tool.contractkit]` from the nearest pyproject.toml; defaults when there is none."""
    path = find_pyproject(start)
    if path is None:
        return Config(base_dir=(start or Path.cwd()).resolve())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, None, f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, None, f"invalid TOML: {exc}") from None
    section = data.get("tool", {}).get("contractkit", {})
    if not isinstance(section, dict):
        raise InputError(path, "/tool/contractkit", "expected a table")
    base = path.parent
    severity = section.get("severity", {})
    if not isinstance(severity, dict):
        raise InputError(path, "/tool/contractkit/severity", "expected a table of rule id -> severity")
    for rule, sev in severity.items():
        if sev not in _SEVERITIES:
            raise InputError(
                path, f"/tool/contractkit/severity/{rule}", f"severity must be one of {', '.join(_SEVERITIES)}"
            )
    _check_rule_ids(path, severity)
    fa = section.get("format-assertion", True)
    if not isinstance(fa, bool):
        raise InputError(path, "/tool/contractkit/format-assertion", "expected true or false")
    days = section.get("min-deprecation-days")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days < 0):
        raise InputError(path, "/tool/contractkit/min-deprecation-days", "expected a non-negative integer")
    waivers = section.get("waivers")
    models = section.get("models")
    return Config(
        base_dir=base,
        schemas=base / str(section.get("schemas", "schemas")),
        models=(base / str(models)) if models else None,
        format_assertion=fa,
        severity=cast(dict[str, Severity], dict(severity)),
        min_deprecation_days=days,
        waivers=(base / str(waivers)) if waivers else None,
        raw=section,
    )
