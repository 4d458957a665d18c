"""`contractkit diff`: files, registry refs and git refs; exit codes 0/1/2; text/json/markdown."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

OLD = {"type": "object", "properties": {"a": {"type": "integer"}}}
NEW = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}


def _write(tmp_path: Path, name: str, doc: Any) -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(doc))
    return p


def test_files_breaking_exit_1_with_json_witness(cli: Callable[..., Any], tmp_path: Path) -> None:
    old, new = _write(tmp_path, "old.json", OLD), _write(tmp_path, "new.json", NEW)
    r = cli("diff", old, new, "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["compatible"] is False and doc["mode"] == "backward"
    (f,) = doc["findings"]
    assert f["rule_id"] == "property-became-required" and f["witness"]["valid_under"] == "old"


def test_files_compatible_exit_0(cli: Callable[..., Any], tmp_path: Path) -> None:
    old, new = _write(tmp_path, "old.json", OLD), _write(tmp_path, "new.json", NEW)
    r = cli("diff", old, new, "--mode", "forward")
    assert r.exit_code == 0 and "compatible" in r.stdout


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_other_formats(cli: Callable[..., Any], tmp_path: Path, fmt: str) -> None:
    old, new = _write(tmp_path, "old.json", OLD), _write(tmp_path, "new.json", NEW)
    r = cli("diff", old, new, "--format", fmt)
    assert r.exit_code == 1 and "property-became-required" in r.stdout


def test_bad_json_is_one_line_exit_2(cli: Callable[..., Any], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    good = _write(tmp_path, "old.json", OLD)
    r = cli("diff", bad, good)
    assert r.exit_code == 2
    assert str(bad) in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_missing_file_exit_2(cli: Callable[..., Any], tmp_path: Path) -> None:
    r = cli("diff", tmp_path / "nope.json", tmp_path / "nope2.json")
    assert r.exit_code == 2 and "nope.json" in r.stderr


def test_registry_refs(cli: Callable[..., Any], repo_root: Path) -> None:
    r = cli("diff", "cart_item@v1", "cart_item@v1", "--schemas", repo_root / "schemas", "--mode", "full")
    assert r.exit_code == 0
    r2 = cli("diff", "cart_item@v1", "cart_item@v2", "--schemas", repo_root / "schemas", "--format", "json")
    assert r2.exit_code == 1
    assert json.loads(r2.stdout)["findings"]


def test_git_refs(cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "schemas").mkdir(parents=True)
    run = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True)  # noqa: E731
    run("init", "-q")
    run("config", "user.email", "t@example.com")
    run("config", "user.name", "t")
    (repo / "s.json").write_text(json.dumps(OLD))
    run("add", "s.json")
    run("commit", "-qm", "one")
    (repo / "s.json").write_text(json.dumps(NEW))
    monkeypatch.chdir(repo)
    r = cli("diff", "HEAD:s.json", "s.json")
    assert r.exit_code == 1 and "property-became-required" in r.stdout
    r2 = cli("diff", "NOSUCHREF:s.json", "s.json")
    assert r2.exit_code == 2 and "NOSUCHREF:s.json" in r2.stderr


def test_file_with_cross_file_refs_is_bundled(cli: Callable[..., Any], repo_root: Path) -> None:
    schemas = repo_root / "schemas"
    r = cli("diff", schemas / "v1" / "cart.json", schemas / "v1" / "cart.json", "--schemas", schemas, "--mode", "full")
    assert r.exit_code == 0, r.stdout + r.stderr


def test_invalid_schema_is_one_line_with_pointer(cli: Callable[..., Any], tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.json", {"type": "object", "properties": {"a": {"minimum": "zero"}}})
    good = _write(tmp_path, "old.json", OLD)
    r = cli("diff", good, bad)
    assert r.exit_code == 2
    line = r.stderr.strip()
    assert len(line.splitlines()) == 1 and str(bad) in line and "/properties/a/minimum" in line
