"""`contractkit init` in an empty git repository: then `contractkit check` passes, unconfigured steps shown."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.lifecycle.conftest import commit, steps

SKIPPED = {"openapi", "codegen", "replay", "fuzz", "waivers"}


def test_init_then_check_passes_with_every_unconfigured_step_shown(empty_repo: Path, cli: Callable[..., Any]) -> None:
    result = cli("init")
    assert result.exit_code == 0, result.stderr
    index = tomllib.loads((empty_repo / "schemas" / "index.toml").read_text())
    assert [(v["name"], v["status"], v["released"]) for v in index["versions"]] == [("v1", "stable", dt.date.today())]
    assert index["versions"][0]["schemas"] == {"example": "v1/example.json"}
    assert index["roles"] == {"example": "request"}
    config = tomllib.loads((empty_repo / "pyproject.toml").read_text())["tool"]["contractkit"]
    assert config == {"schemas": "schemas"}  # models and changes are offered as comments only

    text = cli("check")
    assert text.exit_code == 0, text.stdout + text.stderr
    lines = text.stdout.splitlines()
    assert "  skip compatibility — no commit yet: nothing to compare with" in lines
    assert "  skip codegen — not configured: set [tool.contractkit] models to check the generated models" in lines
    assert any(line.startswith("  skip replay — not configured: no fixtures at compat_fixtures/") for line in lines)
    assert any(line.startswith("  skip fuzz — not configured: no app, app-factory") for line in lines)
    assert "  pass policy — 1 version" in lines  # singular

    commit(empty_repo, "contracts")
    report = json.loads(cli("check", "--format", "json").stdout)
    assert report["passed"] is True and report["findings"] == []
    assert steps(report) == {"policy": "passed", "compatibility": "passed", "lint": "passed"} | dict.fromkeys(
        SKIPPED, "skipped"
    )


def test_init_keeps_an_existing_pyproject(empty_repo: Path, cli: Callable[..., Any]) -> None:
    original = '[project]\nname = "orders"  # our API\nversion = "1.0"\n\n# tools\n[tool.ruff]\nline-length = 100\n'
    (empty_repo / "pyproject.toml").write_text(original)
    assert cli("init", "--schemas", "contracts", "--schema", "order_create").exit_code == 0
    text = (empty_repo / "pyproject.toml").read_text()
    assert text.startswith(original)  # nothing before it changed: comments, order, spacing
    data = tomllib.loads(text)
    assert data["project"]["name"] == "orders" and data["tool"]["ruff"] == {"line-length": 100}
    assert data["tool"]["contractkit"] == {"schemas": "contracts"}
    schema = json.loads((empty_repo / "contracts" / "v1" / "order_create.json").read_text())
    assert schema["title"] == "OrderCreate"
    assert cli("check").exit_code == 0


def test_init_uses_the_configured_schemas_folder_and_refuses_a_second_time(
    empty_repo: Path, cli: Callable[..., Any]
) -> None:
    (empty_repo / "pyproject.toml").write_text('[tool.contractkit]\nschemas = "api/schemas"\n')
    contradiction = cli("init", "--schemas", "contracts")
    assert contradiction.exit_code == 2 and "already sets [tool.contractkit] schemas = 'api/schemas'" in (
        contradiction.stderr
    )
    assert cli("init").exit_code == 0
    assert (empty_repo / "api" / "schemas" / "index.toml").is_file()
    again = cli("init")
    assert again.exit_code == 2
    assert again.stderr.count("\n") == 1 and "index.toml already exists" in again.stderr


def test_init_with_changes_configures_the_package(empty_repo: Path, cli: Callable[..., Any]) -> None:
    assert cli("init", "--changes", "app.changes").exit_code == 0
    config = tomllib.loads((empty_repo / "pyproject.toml").read_text())["tool"]["contractkit"]
    assert config == {"schemas": "schemas", "changes": "app.changes"}
    bad = cli("init", "--schemas", "other", "--changes", "app/changes")
    assert bad.exit_code == 2 and "dotted package name" in bad.stderr


def test_a_fresh_directory_gets_a_hint(empty_repo: Path, cli: Callable[..., Any]) -> None:
    for command in ("validate", "check", "report"):
        result = cli(command)
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and "run `contractkit init`" in result.stderr, (command, result.stderr)


def test_init_with_models_generates_them_and_version_add_regenerates(empty_repo: Path, cli: Callable[..., Any]) -> None:
    result = cli("init", "--models", "app/models")
    assert result.exit_code == 0, result.stderr
    assert (empty_repo / "app" / "models" / "v1" / "example.py").is_file()
    report = json.loads(cli("check", "--format", "json").stdout)
    assert report["passed"] is True and steps(report)["codegen"] == "passed"
    added = cli("version", "add", "v2")
    assert added.exit_code == 0 and "regenerated the models in app/models" in added.stdout
    assert "replay fixtures" not in added.stdout  # a project with no fixtures is not told about them
    assert (empty_repo / "app" / "models" / "v2" / "example.py").is_file()
    report = json.loads(cli("check", "--format", "json").stdout)
    assert report["passed"] is True and steps(report)["codegen"] == "passed"
