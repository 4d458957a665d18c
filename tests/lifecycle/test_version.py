"""`contractkit version add` and `contractkit version deprecate`, each leaving `contractkit check` green."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.lifecycle.conftest import blocking, commit, git

TODAY = dt.date.today()


@pytest.fixture
def project(empty_repo: Path, cli: Callable[..., Any]) -> Path:
    """An initialised project with its first commit on main, working on a branch."""
    assert cli("init", "--changes", "app.changes").exit_code == 0
    commit(empty_repo, "contracts v1")
    git(empty_repo, "checkout", "-q", "-b", "change")
    return empty_repo


def index(project: Path) -> dict[str, Any]:
    return tomllib.loads((project / "schemas" / "index.toml").read_text())


def check(cli: Callable[..., Any], *args: str) -> tuple[int, dict[str, Any]]:
    result = cli("check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def test_version_add_copies_the_head_and_scaffolds_its_change_set(project: Path, cli: Callable[..., Any]) -> None:
    result = cli("version", "add", "v2")
    assert result.exit_code == 0, result.stderr
    [v1, v2] = index(project)["versions"]
    assert v2 == {"name": "v2", "status": "stable", "released": TODAY, "schemas": {"example": "v2/example.json"}}
    assert v1["status"] == "stable" and "successor" not in v1
    assert (project / "schemas/v2/example.json").read_bytes() == (project / "schemas/v1/example.json").read_bytes()
    change_set = project / "app" / "changes" / "from_v1.py"
    assert (project / "app" / "changes" / "__init__.py").is_file()
    source = change_set.read_text()
    assert "from contractkit.fastapi import VersionChange" in source
    assert "CHANGES: Sequence[VersionChange] = ()" in source
    compile(source, str(change_set), "exec")
    code, report = check(cli)
    assert code == 0 and blocking(report) == [] and report["versions"] == ["v1", "v2"]


def test_version_add_names_the_change_set_module_after_any_version_name(project: Path, cli: Callable[..., Any]) -> None:
    assert cli("version", "add", "2027-01.beta").exit_code == 0
    assert cli("version", "add", "v3").exit_code == 0
    assert sorted(p.name for p in (project / "app" / "changes").iterdir()) == [
        "__init__.py",
        "from_2027_01_beta.py",
        "from_v1.py",
    ]
    assert [v["name"] for v in index(project)["versions"]] == ["v1", "2027-01.beta", "v3"]


def test_version_add_keeps_the_index_layout(project: Path, cli: Callable[..., Any]) -> None:
    path = project / "schemas" / "index.toml"
    before = path.read_text()
    assert cli("version", "add", "v2").exit_code == 0
    after = path.read_text()
    assert after.startswith(before)  # comments and order kept; the new entry is appended
    assert after[len(before) :] == (
        f'\n[[versions]]\nname = "v2"\nstatus = "stable"\nreleased = {TODAY}\n\n'
        '[versions.schemas]\nexample = "v2/example.json"\n'
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("v1",), "version v1 already exists"),
        (("v 2",), "version name 'v 2'"),
        (("../v2",), "version name '../v2'"),
    ],
)
def test_version_add_refuses_bad_names(
    project: Path, cli: Callable[..., Any], args: tuple[str, ...], needle: str
) -> None:
    before = (project / "schemas" / "index.toml").read_text()
    result = cli("version", "add", *args)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and needle in result.stderr
    assert (project / "schemas" / "index.toml").read_text() == before


def test_version_add_refuses_a_change_set_module_where_a_package_is_expected(
    project: Path, cli: Callable[..., Any]
) -> None:
    (project / "app").mkdir()
    (project / "app" / "changes.py").write_text("VERSION_CHANGES = {}\n")
    result = cli("version", "add", "v2")
    assert result.exit_code == 2
    assert "app/changes.py" in result.stderr and "live in a package" in result.stderr
    assert not (project / "schemas" / "v2").exists()  # refused before writing anything


def test_deprecate_writes_status_dates_and_successor(project: Path, cli: Callable[..., Any]) -> None:
    assert cli("version", "add", "v2").exit_code == 0
    sunset = TODAY + dt.timedelta(days=200)
    result = cli("version", "deprecate", "v1", "--sunset", sunset.isoformat())
    assert result.exit_code == 0, result.stderr
    assert "200 days of notice" in result.stdout
    v1 = index(project)["versions"][0]
    assert (v1["status"], v1["deprecated"], v1["sunset"], v1["successor"]) == ("deprecated", TODAY, sunset, "v2")
    text = (project / "schemas" / "index.toml").read_text()
    assert "# Minimum number of days between" in text  # comments kept
    code, report = check(cli)
    assert code == 0 and blocking(report) == []


def test_deprecate_refuses_a_short_window_and_writes_nothing(project: Path, cli: Callable[..., Any]) -> None:
    assert cli("version", "add", "v2").exit_code == 0
    path = project / "schemas" / "index.toml"
    before = path.read_text()
    sunset = TODAY + dt.timedelta(days=15)
    backdated = TODAY - dt.timedelta(days=300)
    result = cli("version", "deprecate", "v1", "--sunset", sunset.isoformat(), "--deprecated", backdated.isoformat())
    assert result.exit_code == 1
    rules = {line.rsplit("(", 1)[1].rstrip(")") for line in result.stderr.splitlines() if line.startswith("error:")}
    assert rules == {"deprecation-window-too-short", "deprecated-before-released"}
    assert "15 days of notice" in result.stderr and "is unchanged" in result.stderr
    assert path.read_text() == before


def test_deprecate_the_newest_version_needs_a_successor(project: Path, cli: Callable[..., Any]) -> None:
    result = cli("version", "deprecate", "v1", "--sunset", (TODAY + dt.timedelta(days=365)).isoformat())
    assert result.exit_code == 2 and "v1 is the newest version" in result.stderr
    assert cli("version", "add", "v2").exit_code == 0
    result = cli("version", "deprecate", "v2", "--sunset", "2030-01-01", "--successor", "v1")
    assert result.exit_code == 2 and "must be a later version" in result.stderr


def test_version_add_keeps_shared_schema_files_shared(project: Path, cli: Callable[..., Any]) -> None:
    (project / "schemas" / "common").mkdir()
    (project / "schemas" / "common" / "problem.json").write_text(
        json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"})
    )
    path = project / "schemas" / "index.toml"
    text = path.read_text().replace('example = "request"', 'example = "request"\nproblem = "response"')
    path.write_text(text + 'problem = "common/problem.json"\n')
    result = cli("version", "add", "v2")
    assert result.exit_code == 0, result.stderr
    assert "shared common/problem.json" in result.stdout
    assert index(project)["versions"][1]["schemas"] == {"example": "v2/example.json", "problem": "common/problem.json"}
    assert sorted(p.name for p in (project / "schemas").iterdir()) == ["common", "index.toml", "v1", "v2"]
    assert check(cli)[0] == 0
