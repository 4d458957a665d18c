"""The top-level `contractkit.compare`: the engine, with registry addresses (`cart_item@v1`) resolved."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from contractkit.compat import CompatReport, Mode, Reader, Severity
from contractkit.compat import compare as _engine_compare
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
    (ignoring properties it does not know).
    """
    need_config = registry is None or format_assertion is None or overrides is None
    config = None
    if need_config:
        from contractkit.config import load_config

        config = load_config()
    reg: Registry | None = registry if isinstance(registry, Registry) else None

    def resolve(x: Any) -> Any:
        nonlocal reg
        if not isinstance(x, str):
            return x
        if reg is None:
            root = registry if isinstance(registry, (str, Path)) else (config.schemas if config else "schemas")
            reg = load_registry(root)
        return reg.resolve(x)

    fa = format_assertion if format_assertion is not None else (config.format_assertion if config else True)
    ov: Mapping[str, Any] = overrides if overrides is not None else (config.severity if config else {})
    old_s, new_s = resolve(old), resolve(new)
    for side, s in (("old", old_s), ("new", new_s)):
        if isinstance(s, dict):
            require_schema(s, side)  # `{"name": "John"}` is data, not a schema that accepts everything
    return _engine_compare(old_s, new_s, mode, format_assertion=fa, overrides=ov, reader=reader)
