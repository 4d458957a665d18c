"""Codegen is deterministic, committed, checked for drift, and the models agree with the schemas."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from contractkit.codegen import check_models
from contractkit.registry import load_registry

pytestmark = pytest.mark.slow


def test_committed_models_are_fresh(cli: Callable[..., object], repo_root: Path) -> None:
    result = cli("codegen", "--check", "--schemas", repo_root / "schemas", "--out", repo_root / "service" / "models")
    assert result.exit_code == 0, result.stdout


def test_generated_files_carry_do_not_edit_header(repo_root: Path) -> None:
    files = sorted((repo_root / "service" / "models").rglob("*.py"))
    assert len(files) > 10
    for path in files:
        head = path.read_text().splitlines()[0:3]
        assert any("by `contractkit codegen` — do not edit" in line for line in head), path


def test_hand_edit_is_detected(cli: Callable[..., object], repo_root: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    shutil.copytree(repo_root / "service" / "models", models)
    target = models / "v2" / "cart_item_add.py"
    target.write_text(target.read_text().replace("le=999", "le=1000"))
    result = cli("codegen", "--check", "--schemas", repo_root / "schemas", "--out", models)
    assert result.exit_code == 1
    assert f"stale: {target}" in result.stdout
    assert result.stdout.count("stale:") == 1


def test_schema_change_not_regenerated_is_detected(
    cli: Callable[..., object], repo_root: Path, schemas_copy: Path
) -> None:
    path = schemas_copy / "v1" / "cart_item_add.json"
    path.write_text(path.read_text().replace('"maximum": 99', '"maximum": 50'))
    result = cli("codegen", "--check", "--schemas", schemas_copy, "--out", repo_root / "service" / "models")
    assert result.exit_code == 1
    assert "v1/cart_item_add.py" in result.stdout


def test_codegen_is_deterministic_and_writes_then_checks(repo_root: Path, schemas_copy: Path, tmp_path: Path) -> None:
    from contractkit.codegen import write_models

    registry = load_registry(schemas_copy)
    out = tmp_path / "models"
    write_models(registry, out)
    assert check_models(registry, out).ok
    # identical to the committed output, byte for byte
    committed = repo_root / "service" / "models"
    for path in out.rglob("*.py"):
        assert path.read_text() == (committed / path.relative_to(out)).read_text(), path
