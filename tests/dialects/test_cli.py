"""`contractkit diff` and `validate` on schemas of older drafts, with a catalogue for remote refs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

D7 = "http://json-schema.org/draft-07/schema#"


def _write(path: Path, doc: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))


def test_diff_of_a_draft07_pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., Any]) -> None:
    monkeypatch.chdir(tmp_path)
    old = {
        "$schema": D7,
        "type": "object",
        "properties": {"tags": {"type": "array", "items": [{"type": "string"}], "additionalItems": False}},
        "dependencies": {"tags": ["owner"]},
    }
    new = json.loads(json.dumps(old))
    new["properties"]["tags"]["items"].append({"type": "integer"})
    _write(tmp_path / "a.json", old)
    _write(tmp_path / "b.json", new)
    same = cli("diff", "a.json", "a.json", "--mode", "full")
    assert same.exit_code == 0, same.stdout + same.stderr
    result = cli("diff", "a.json", "b.json", "--mode", "full", "--format", "json")
    assert result.exit_code == 1, result.stdout + result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert {(f["rule_id"], f["direction"]) for f in findings} == {("prefix-item-added", "forward")}
    (witness,) = [f["witness"]["instance"] for f in findings]
    assert witness["tags"][1] == 0 and "owner" in witness  # the witness honours `dependencies`


def test_diff_resolves_remote_refs_from_the_configured_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., Any]
) -> None:
    monkeypatch.chdir(tmp_path)
    uri = "https://json.schemastore.org/base.json"
    _write(tmp_path / "a.json", {"$schema": D7, "properties": {"port": {"$ref": f"{uri}#/definitions/port"}}})
    _write(tmp_path / "b.json", {"$schema": D7, "properties": {"port": {"type": "integer", "maximum": 1024}}})
    missing = cli("diff", "a.json", "b.json")
    assert missing.exit_code == 2
    line = missing.stderr.strip()
    assert "\n" not in line and "a.json#/properties/port/$ref" in line and "not in the local catalogue" in line
    _write(tmp_path / "vendor" / "base.json", {"$schema": D7, "$id": uri, "definitions": {"port": {"type": "integer"}}})
    (tmp_path / "pyproject.toml").write_text('[tool.contractkit]\ncatalog = ["vendor"]\n')
    result = cli("diff", "a.json", "b.json")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "maximum" in result.stdout


def test_validate_counts_files_of_every_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., Any]
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "schemas" / "a.json", {"$schema": "http://json-schema.org/draft-04/schema#", "type": "string"})
    _write(tmp_path / "schemas" / "b.json", {"type": "array", "items": [{"type": "string"}]})
    (tmp_path / "schemas" / "index.toml").write_text(
        '[[versions]]\nname = "v1"\nstatus = "stable"\nreleased = 2026-01-01\n'
        '[versions.schemas]\na = "a.json"\nb = "b.json"\n'
    )
    (tmp_path / "pyproject.toml").write_text('[tool.contractkit]\ndialect = "draft-07"\n')
    assert cli("validate").exit_code == 0
    (tmp_path / "pyproject.toml").write_text('[tool.contractkit]\ndialect = "draft-5"\n')
    bad = cli("validate")
    assert bad.exit_code == 2 and "pyproject.toml#/tool/contractkit/dialect: unknown dialect 'draft-5'" in bad.stderr
