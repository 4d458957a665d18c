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


def test_head_re_exports_the_last_version_and_follows_a_new_head(schemas_copy: Path, tmp_path: Path) -> None:
    from contractkit.codegen import head_module

    registry = load_registry(schemas_copy)
    head = head_module(registry)
    assert 'VERSION = "v2"' in head
    assert "from .v2.cart_item_add import CartItemAdd\n" in head and ".v1." not in head
    # a v3 at the end of the index: head.py moves to it, with no other edit
    shutil.copytree(schemas_copy / "v2", schemas_copy / "v3")
    index = schemas_copy / "index.toml"
    v2_entry = index.read_text().split("[[versions]]")[-1]
    index.write_text(index.read_text() + "\n[[versions]]" + v2_entry.replace('"v2', '"v3').replace("v2/", "v3/"))
    moved = head_module(load_registry(schemas_copy))
    assert 'VERSION = "v3"' in moved and "from .v3.cart import Cart\n" in moved and ".v2." not in moved


def test_head_module_imports_the_head_models(repo_root: Path) -> None:
    import service.models.head as head
    import service.models.v2.cart_create as v2_cart_create

    assert head.VERSION == "v2"
    assert head.CartCreate is v2_cart_create.CartCreate
    assert set(head.__all__) == {
        "Cart",
        "CartCreate",
        "CartItem",
        "CartItemAdd",
        "CartItemUpdate",
        "ProblemV2",
        "VERSION",
    }


def test_two_head_schemas_with_one_title_are_refused(schemas_copy: Path) -> None:
    from contractkit.codegen import CodegenError, head_module

    path = schemas_copy / "v2" / "cart_item.json"
    path.write_text(path.read_text().replace('"title": "CartItem"', '"title": "Cart"', 1))
    with pytest.raises(CodegenError, match="both generate a model named Cart"):
        head_module(load_registry(schemas_copy))
