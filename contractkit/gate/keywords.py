"""Unknown keywords in the registry's schemas, as warnings of `contractkit check` (`unknown-keyword`).

A validator ignores a keyword it does not know, so `"requried"` or `"maximun"` silently drops a constraint;
`contractkit validate` says so, and the gate says it on every change too, with a "did you mean".
"""

from __future__ import annotations

from pathlib import Path

from contractkit.gate import rules as R
from contractkit.gate._model import GateFinding
from contractkit.gate.locate import json_pointer_line
from contractkit.lint import lint_registry
from contractkit.registry import Registry

__all__ = ["keyword_findings"]


def keyword_findings(registry: Registry, repo: Path) -> list[GateFinding]:
    out = []
    for w in lint_registry(registry):
        path = Path(w.file) if w.file is not None else registry.root / "index.toml"
        path = path if path.is_absolute() else Path.cwd() / path
        try:
            rel = path.resolve().relative_to(repo.resolve()).as_posix()
        except ValueError:
            rel = path.as_posix()
        out.append(
            GateFinding(
                R.UNKNOWN_KEYWORD,
                "warning",
                w.message,
                pointer=w.pointer,
                file=rel,
                line=json_pointer_line(path, w.pointer) if path.suffix == ".json" else None,
            )
        )
    return out
