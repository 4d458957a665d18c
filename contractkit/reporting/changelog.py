"""A changelog for API consumers, rendered from the engine's findings between two versions."""

from __future__ import annotations

import importlib
import json
from typing import Any

from contractkit.config import Config
from contractkit.gate.check import mode_for_role
from contractkit.registry import Registry

__all__ = ["render_changelog"]

_AUDIENCE = {
    "request": "what your client sends",
    "response": "what the API returns",
}


def render_changelog(registry: Registry, old: str, new: str, config: Config) -> str:
    compare: Any = importlib.import_module("contractkit.compat").compare
    a, b = registry.version(old), registry.version(new)
    out = [f"# Changes from {old} to {new}", ""]
    lifecycle = [f"- **{new}** released {b.released}."]
    if a.deprecated:
        lifecycle.append(
            f"- **{old}** deprecated since {a.deprecated}" + (f", sunset on **{a.sunset}**." if a.sunset else ".")
        )
    out += [*lifecycle, ""]
    added = sorted(set(b.schemas) - set(a.schemas))
    removed = sorted(set(a.schemas) - set(b.schemas))
    if added:
        out += ["## New payloads", ""] + [f"- `{n}`" for n in added] + [""]
    if removed:
        out += ["## Removed payloads", ""] + [f"- `{n}`" for n in removed] + [""]
    breaking: list[str] = []
    other: list[str] = []
    for name in sorted(set(a.schemas) & set(b.schemas)):
        role = registry.role(name)
        mode = mode_for_role(role)
        report = compare(
            registry.bundled(name, old),
            registry.bundled(name, new),
            mode=mode,
            format_assertion=config.format_assertion,
            overrides=config.severity,
        )
        label = f"`{name}` ({_AUDIENCE.get(role or '', 'payload')})"
        for f in report.findings:
            where = f.new_pointer if f.new_pointer is not None else f.old_pointer
            line = f"- {label} at `{where or '/'}`: {f.message}"
            if f.severity == "error" or f.rule_id == "undecided":
                if f.witness is not None:
                    side = "accepted" if f.witness.valid_under == "old" else "rejected"
                    line += f" — e.g. `{json.dumps(f.witness.instance, ensure_ascii=False)[:120]}` was {side} by {old}"
                breaking.append(line)
            else:
                other.append(line)
    out += ["## Breaking changes", ""] + (breaking or ["None."]) + [""]
    out += ["## Other changes", ""] + (other or ["None."]) + [""]
    return "\n".join(out)
