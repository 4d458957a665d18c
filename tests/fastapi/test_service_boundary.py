"""The cart reaches the versioning machinery only through contractkit.fastapi's public API, and keeps none
of it: no private contractkit imports, no module of its own doing routing, gating or lifecycle headers."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import contractkit.fastapi

ROOT = Path(__file__).resolve().parents[2]
SERVICE = ROOT / "service"
# What the runtime machinery is made of: a service module defining one of these has re-grown it.
MACHINERY = {
    "VersionRoutes",
    "VersionGate",
    "GatedRoute",
    "Chains",
    "Conversions",
    "ConversionContext",
    "VersionChange",
    "Lifecycle",
    "finish_openapi",
    "registry_components",
}
MACHINERY_NAMES = ("Deprecation", "Sunset", "successor-version")


def _sources() -> list[Path]:
    return sorted(p for p in SERVICE.rglob("*.py") if "models" not in p.relative_to(SERVICE).parts)


def _contractkit_imports(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "contractkit":
            found += [f"{node.module}:{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "contractkit"]
    return found


def test_service_imports_only_public_contractkit_names() -> None:
    public = {f"contractkit.fastapi:{name}" for name in contractkit.fastapi.__all__}
    allowed_modules = {"contractkit.registry", "contractkit.errors"}  # public, not versioning machinery
    bad = []
    for path in _sources():
        for imported in _contractkit_imports(ast.parse(path.read_text(encoding="utf-8"))):
            module = imported.split(":")[0]
            private = any(part.startswith("_") for part in module.split("."))
            unlisted = imported not in public if module == "contractkit.fastapi" else module not in allowed_modules
            if private or unlisted:
                bad.append((path.name, imported))
    assert bad == []


def test_no_versioning_machinery_left_in_the_service() -> None:
    defined = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.name in MACHINERY:
                defined.append((path.name, node.name))
            # lifecycle headers are the library's to send (service/openapi.py only documents its own)
            if isinstance(node, ast.Constant) and node.value in MACHINERY_NAMES:
                defined.append((path.name, node.value))
    assert defined == []


def test_the_domain_names_no_version() -> None:
    for name in ("domain.py", "endpoints.py"):
        text = (SERVICE / name).read_text(encoding="utf-8")
        assert "models.head" in text
        for version in ("v1", "v2"):
            assert f"models.{version}" not in text and f'"{version}"' not in text, (name, version)


EXAMPLE = ROOT / "examples" / "profiles"


def test_the_example_uses_only_public_contractkit_and_nothing_of_the_cart() -> None:
    bad = []
    sources = sorted(p for p in EXAMPLE.rglob("*.py") if "models" not in p.relative_to(EXAMPLE).parts)
    assert len(sources) >= 6
    for path in sources:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "service" or (parts[0] == "contractkit" and any(p.startswith("_") for p in parts)):
                    bad.append((path.relative_to(EXAMPLE).as_posix(), name))
    assert bad == []


def test_the_library_does_not_know_the_example() -> None:
    mentions = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "contractkit").rglob("*.py")
        if re.search(r"\bprofiles\b|examples/profiles", p.read_text(encoding="utf-8"))
    ]
    assert mentions == []
