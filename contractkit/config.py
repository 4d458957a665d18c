"""`[tool.contractkit]` in pyproject.toml: where things are and how strict to be.

[tool.contractkit]
schemas = "schemas"              # the registry root (holds index.toml)
models = "service/models"        # where `contractkit codegen` writes (unset: codegen is not configured)
format-assertion = true          # treat `format` as an assertion (the generated models enforce it)
dialect = "2020-12"              # the JSON Schema dialect of schemas without `$schema`
catalog = ["vendor/schemas"]     # folders of schemas that `$ref`s find by `$id` (never the network)
[tool.contractkit.severity]      # per-rule severity overrides
property-became-required = "warning"

`load_config` is cached: the file is parsed again only when it (or a folder between the start folder
and it) changes — checked with a few `stat` calls, so the library's entry points can ask on every call.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from contractkit.dialects import Dialect, UnsupportedDialectError, parse_dialect
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
    dialect: Dialect = "2020-12"
    catalog: tuple[Path, ...] = ()
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


# start folder -> (the stat stamps that must not change, the config read then)
_Stamp = tuple[str, int, int, int]
_CACHE: dict[str, tuple[tuple[_Stamp, ...], Config]] = {}


def _stamp(path: str) -> _Stamp:
    try:
        st = os.stat(path)
    except OSError:
        return (path, -1, -1, -1)
    return (path, st.st_mtime_ns, st.st_size, st.st_ino)


def load_config(start: Path | None = None) -> Config:
    """Read `[tool.contractkit]` from the nearest pyproject.toml; defaults when there is none.

    Cached by start folder; the cache entry holds the modification stamps of the pyproject.toml found
    and of every folder searched before it (a pyproject.toml created in one of them changes its
    folder's stamp), and is used only while they all still match.
    """
    here = os.path.abspath(start) if start is not None else os.getcwd()
    hit = _CACHE.get(here)
    if hit is not None:
        for s in hit[0]:
            if _stamp(s[0]) != s:
                break
        else:
            return hit[1]
    stamps: list[_Stamp] = []
    found: Path | None = None
    folder = os.path.realpath(here)
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            # Its own stamp covers the folder it is in: edited, replaced or removed, the stamp changes
            # (a folder searched on the way is stamped instead, for a pyproject.toml created there).
            found = Path(candidate)
            stamps.append(_stamp(candidate))
            break
        stamps.append(_stamp(folder))
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    config = _read(found, Path(here))
    if len(_CACHE) > 256:
        _CACHE.clear()
    _CACHE[here] = (tuple(stamps), config)
    return config


def _read(path: Path | None, start: Path) -> Config:
    if path is None:
        return Config(base_dir=start.resolve())
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
    dialect_name = section.get("dialect", "2020-12")
    try:
        dialect = parse_dialect(dialect_name) if isinstance(dialect_name, str) else None
    except UnsupportedDialectError as exc:
        raise InputError(path, "/tool/contractkit/dialect", str(exc)) from None
    if dialect is None:
        raise InputError(path, "/tool/contractkit/dialect", 'expected a dialect name such as "draft-07"')
    catalog = section.get("catalog", [])
    if isinstance(catalog, str):
        catalog = [catalog]
    if not isinstance(catalog, list) or not all(isinstance(c, str) for c in catalog):
        raise InputError(path, "/tool/contractkit/catalog", "expected a list of folder paths")
    return Config(
        base_dir=base,
        schemas=base / str(section.get("schemas", "schemas")),
        models=(base / str(models)) if models else None,
        format_assertion=fa,
        severity=cast(dict[str, Severity], dict(severity)),
        min_deprecation_days=days,
        waivers=(base / str(waivers)) if waivers else None,
        dialect=dialect,
        catalog=tuple(base / c for c in catalog),
        raw=section,
    )
