"""The layering of docs/architecture.md where it matters most: the foundations import nothing above them, and
the versioned runtime (`contractkit.fastapi`) none of the tooling, at module level or inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "contractkit"

# unit -> the contractkit units it may import (anything, anywhere in its files)
FOUNDATIONS = {
    "errors": set(),
    "_json": {"errors"},
    "_files": {"errors"},
    "_uri": set(),
    "dialects": {"errors", "_json", "_uri"},
    # config checks [tool.contractkit.severity] against reporting's rule tables inside a function: the one
    # known upward import of the foundations (docs/architecture.md)
    "config": {"errors", "dialects", "reporting"},
    "registry": {"errors", "_json", "_files", "dialects", "config"},
    "compat": {"errors", "_json", "_uri", "_files", "dialects", "config", "registry"},
}
RUNTIME_NEVER = {"gate", "replay", "fuzz", "reporting", "lifecycle", "openapi", "cli", "codegen", "lint"}


def _unit(path: Path) -> str:
    parts = path.relative_to(LIBRARY).parts
    return parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    """Every contractkit unit a file imports, at any depth (functions and TYPE_CHECKING blocks included)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module == "contractkit":
            names = [f"contractkit.{a.name}" for a in node.names]  # from contractkit import errors
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        out |= {n.split(".")[1] for n in names if n.startswith("contractkit.")}
    return out


def _edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in LIBRARY.rglob("*.py"):
        unit = _unit(path)
        edges.setdefault(unit, set()).update(_imports(path) - {unit})
    return edges


def test_the_foundations_import_nothing_above_them() -> None:
    edges = _edges()
    wrong = {unit: sorted(edges.get(unit, set()) - allowed) for unit, allowed in FOUNDATIONS.items()}
    assert {unit: bad for unit, bad in wrong.items() if bad} == {}


def test_the_runtime_imports_none_of_the_tooling() -> None:
    assert sorted(_edges()["fastapi"] & RUNTIME_NEVER) == []


def test_the_checker_sees_imports_inside_functions() -> None:
    """The walk is not fooled by a function-level import (the way the CLI imports everything)."""
    assert {"gate", "lifecycle", "fuzz"} <= _edges()["cli"]


def _dataclasses_with_written_init() -> list[type]:
    import dataclasses
    import importlib
    import inspect

    found: list[type] = []
    for path in sorted((ROOT / "contractkit").rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            for deco in node.decorator_list:
                if (
                    isinstance(deco, ast.Call)
                    and getattr(deco.func, "id", None) == "dataclass"
                    and any(k.arg == "init" and getattr(k.value, "value", True) is False for k in deco.keywords)
                ):
                    module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                    cls = getattr(importlib.import_module(module), node.name)
                    assert dataclasses.is_dataclass(cls) and inspect.isclass(cls)
                    found.append(cls)
    return found


def test_a_written_dataclass_init_takes_the_fields_in_order_with_their_defaults() -> None:
    """Classes of the engine whose __init__ is written by hand (init=False, so that the compiled build
    compiles it) must still be the dataclass they declare: `Finding(...)`, `dataclasses.replace` and the
    repr read the same fields, in the same order, with the same defaults."""
    import dataclasses
    import inspect

    classes = _dataclasses_with_written_init()
    names = {c.__name__ for c in classes}
    assert {"Finding", "Witness", "CompatReport", "Translation", "Node", "Change", "Candidate", "Res"} <= names
    for cls in classes:
        params = list(inspect.signature(cls).parameters.values())
        fields = dataclasses.fields(cls)
        assert [p.name for p in params] == [f.name for f in fields], cls
        for p, f in zip(params, fields, strict=True):
            expected = f.default if f.default is not dataclasses.MISSING else inspect.Parameter.empty
            if f.default_factory is not dataclasses.MISSING:
                expected = f.default_factory()
            assert p.default == expected, (cls, f.name)
            assert p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, (cls, f.name)
