"""The top-level `contractkit.compare`: the engine, with registry addresses (`cart_item@v1`) resolved.

Configuration (`[tool.contractkit]` of the nearest pyproject.toml) is read through `load_config`'s
cache, and a registry named by its folder is loaded once and reused while its files are unchanged, so
calling `compare` in a loop costs what the engine costs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from contractkit.compat import CompatReport, Mode, Reader, Severity
from contractkit.compat import compare as _engine_compare
from contractkit.config import Config, load_config
from contractkit.lint import require_schema
from contractkit.registry import Registry, load_registry

__all__ = ["compare"]


def compare(
    old: Any,
    new: Any,
    mode: Mode = "backward",
    *,
    registry: Registry | Path | str | None = None,
    format_assertion: bool | None = None,
    overrides: Mapping[str, Severity] | None = None,
    reader: Reader = "strict",
) -> CompatReport:
    """Compare two schemas: dicts, booleans, or registry addresses such as ``"cart_item@v1"``.

    Addresses resolve in `registry` (a Registry or its root folder; default: `[tool.contractkit] schemas`
    from the nearest pyproject.toml, else ./schemas). `format_assertion` and `overrides` default to the
    same configuration. `reader` is how the reading side reads its schema: `strict`, or `tolerant`
    (ignoring properties it does not know). A schema without `$schema` is read in `[tool.contractkit] dialect`
    (default 2020-12); any supported dialect is translated to 2020-12 first (`contractkit.dialects`).
    """
    config = load_config()
    reg: Registry | None = registry if isinstance(registry, Registry) else None
    fa = format_assertion if format_assertion is not None else config.format_assertion
    ov: Mapping[str, Any] = overrides if overrides is not None else config.severity
    old_s, reg = _resolve(old, reg, registry, config)
    new_s, reg = _resolve(new, reg, registry, config)
    for side, s in (("old", old_s), ("new", new_s)):
        if isinstance(s, dict):
            require_schema(s, side)  # `{"name": "John"}` is data, not a schema that accepts everything
    return _engine_compare(old_s, new_s, mode, format_assertion=fa, overrides=ov, reader=reader)


def _resolve(
    x: Any, reg: Registry | None, registry: Registry | Path | str | None, config: Config
) -> tuple[Any, Registry | None]:
    """(the schema `x` names, the registry): an address resolves in `reg`, loaded on first need from
    `registry` (a folder) or the configured one."""
    if isinstance(x, str):
        if reg is None:
            reg = _registry(registry if isinstance(registry, (str, Path)) else config.schemas, config)
        return reg.resolve(x), reg
    return _with_default_dialect(x, config), reg


def _with_default_dialect(x: Any, config: Config) -> Any:
    """A schema without `$schema`, made explicit in the configured dialect (the engine reads 2020-12)."""
    if config.dialect == "2020-12" or not isinstance(x, dict) or "$schema" in x:
        return x
    from contractkit.dialects import DIALECT_URIS, to_2020_12

    uri = DIALECT_URIS.get(config.dialect)
    if uri is None:  # OpenAPI 3.0 has no $schema URI: translate here
        return to_2020_12(x, config.dialect)
    return {**x, "$schema": uri}


# registry folder -> (stamps of its files, the loaded registry)
_Stamp = tuple[str, int, int]
_REGISTRIES: dict[tuple[str, str, tuple[Path, ...]], tuple[tuple[_Stamp, ...], Registry]] = {}


def _stamp(path: str) -> _Stamp:
    try:
        st = os.stat(path)
    except OSError:
        return (path, -1, -1)
    return (path, st.st_mtime_ns, st.st_size)


def _registry(root: Path | str, config: Config) -> Registry:
    key = (os.path.abspath(root), config.dialect, config.catalog)
    hit = _REGISTRIES.get(key)
    if hit is not None and all(_stamp(s[0]) == s for s in hit[0]):
        return hit[1]
    reg = load_registry(root, dialect=config.dialect, catalog=config.catalog)
    watched = [key[0], os.path.join(key[0], "index.toml"), *(str(p) for p in reg.sources)]
    if len(_REGISTRIES) > 16:
        _REGISTRIES.clear()
    _REGISTRIES[key] = (tuple(_stamp(p) for p in watched), reg)
    return reg
