"""`[tool.contractkit]` is read once and re-read when it changes; the public compare reuses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import contractkit
from contractkit.config import load_config
from contractkit.errors import InputError


def test_config_is_cached_until_the_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.contractkit]\nschemas = "s1"\n')
    first = load_config()
    assert first is load_config()  # the same object: nothing was parsed again
    assert first.schemas == tmp_path.resolve() / "s1" and first.dialect == "2020-12" and first.catalog == ()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.contractkit]\nschemas = "s2"\ndialect = "draft7"\ncatalog = ["vendor/schemas"]\n'
    )
    second = load_config()
    assert second is not first
    assert (second.schemas.name, second.dialect, second.catalog) == (
        "s2",
        "draft-07",
        (tmp_path.resolve() / "vendor" / "schemas",),
    )


def test_a_pyproject_created_nearer_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.contractkit]\nschemas = "outer"\n')
    inner = tmp_path / "pkg"
    inner.mkdir()
    monkeypatch.chdir(inner)
    assert load_config().schemas.name == "outer"
    (inner / "pyproject.toml").write_text('[tool.contractkit]\nschemas = "inner-schemas"\n')
    assert load_config().schemas.name == "inner-schemas"
    (inner / "pyproject.toml").unlink()
    assert load_config().schemas.name == "outer"


@pytest.mark.parametrize(
    ("text", "pointer"),
    [
        ('dialect = "draft-03"', "/tool/contractkit/dialect"),
        ("dialect = 7", "/tool/contractkit/dialect"),
        ("catalog = [1]", "/tool/contractkit/catalog"),
    ],
)
def test_bad_dialect_or_catalog_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, pointer: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(f"[tool.contractkit]\n{text}\n")
    with pytest.raises(InputError) as info:
        load_config()
    assert info.value.pointer == pointer and "\n" not in str(info.value)


def test_public_compare_follows_config_and_registry_edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "index.toml").write_text(
        '[[versions]]\nname = "v1"\nstatus = "stable"\nreleased = 2026-01-01\n[versions.schemas]\nn = "n1.json"\n'
        '[[versions]]\nname = "v2"\nstatus = "stable"\nreleased = 2026-02-01\n[versions.schemas]\nn = "n2.json"\n'
    )
    (schemas / "n1.json").write_text(json.dumps({"type": "array", "items": [{"type": "string"}]}))
    (schemas / "n2.json").write_text(json.dumps({"type": "array", "items": [{"type": "string"}, {"type": "string"}]}))
    (tmp_path / "pyproject.toml").write_text('[tool.contractkit]\ndialect = "draft-07"\n')
    assert not contractkit.compare({"type": "string"}, {"type": "string", "format": "email"}).compatible
    # files without $schema are draft-07: array-form items is a tuple, and a second position narrows it
    report = contractkit.compare("n@v1", "n@v2")
    assert [f.witness.instance for f in report.findings if f.witness] == [["", None]]
    assert contractkit.compare({"items": [{"type": "string"}]}, {"items": [{"type": "integer"}]}).compatible is False
    (schemas / "n2.json").write_text(json.dumps({"type": "array", "items": [{"type": "string"}], "title": "same"}))
    assert contractkit.compare("n@v1", "n@v2").compatible  # the edited file is read again
    (tmp_path / "pyproject.toml").write_text('[tool.contractkit]\nformat-assertion = false\ndialect = "2020-12"\n')
    # format is an annotation now: adding one is no break (under the earlier configuration it was)
    assert contractkit.compare({"type": "string"}, {"type": "string", "format": "email"}).compatible


def test_public_compare_sees_the_pyproject_of_its_folder_replaced_or_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the stamp of the pyproject.toml found is checked for its own folder: a file renamed over it
    # (same size) or its removal must still be seen on the next call.
    monkeypatch.chdir(tmp_path)
    old, new = {"type": "string"}, {"type": "string", "format": "email"}
    (tmp_path / "pyproject.toml").write_text("[tool.contractkit]\nformat-assertion = false\n")
    assert contractkit.compare(old, new).compatible  # format is an annotation
    (tmp_path / "next.toml").write_text("[tool.contractkit]\nformat-assertion = true \n")  # the same size
    (tmp_path / "next.toml").replace(tmp_path / "pyproject.toml")
    assert not contractkit.compare(old, new).compatible  # format asserted: adding one narrows
    (tmp_path / "pyproject.toml").write_text("[tool.contractkit]\nformat-assertion = false\n")
    assert contractkit.compare(old, new).compatible
    (tmp_path / "pyproject.toml").unlink()
    assert not contractkit.compare(old, new).compatible  # no configuration: format-assertion defaults to true
