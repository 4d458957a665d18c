"""Deprecation-window policy through `contractkit check` on throwaway git repositories."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from typing import Any

from tests.gate.conftest import Repo


def check(cli: Callable[..., Any], *args: str) -> tuple[int, dict[str, Any]]:
    result = cli("check", "--no-codegen", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def rule_ids(report: dict[str, Any], *, blocking_only: bool = True) -> set[str]:
    return {
        f["rule_id"]
        for f in report["findings"]
        if not blocking_only or (f["severity"] == "error" and f["waived"] is None)
    }


def remove_v1(repo: Repo) -> None:
    text = (repo.schemas / "index.toml").read_text()
    start = text.index("[[versions]]")
    end = text.index("[[versions]]", start + 1)
    (repo.schemas / "index.toml").write_text(text[:start] + text[end:])
    shutil.rmtree(repo.schemas / "v1")
    repo.commit("remove v1")


def test_unchanged_registry_passes(repo: Repo, cli: Callable[..., Any]) -> None:
    code, report = check(cli)
    assert code == 0 and report["passed"] is True and rule_ids(report) == set()


def test_removing_v1_before_sunset_fails(repo: Repo, cli: Callable[..., Any]) -> None:
    remove_v1(repo)
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 1
    assert rule_ids(report) == {"version-removed-before-sunset"}
    [finding] = [f for f in report["findings"] if f["rule_id"] == "version-removed-before-sunset"]
    assert finding["version"] == "v1" and finding["file"] == "schemas/index.toml"


def test_removing_v1_after_sunset_passes(repo: Repo, cli: Callable[..., Any]) -> None:
    remove_v1(repo)
    code, report = check(cli, "--today", "2027-04-01")
    assert code == 0, report
    assert rule_ids(report) == set()


def test_sunset_moved_earlier_fails(repo: Repo, cli: Callable[..., Any]) -> None:
    repo.edit_text("index.toml", "sunset = 2027-03-31", "sunset = 2027-03-30")
    repo.commit("move the sunset earlier")
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 1 and rule_ids(report) == {"sunset-moved-earlier"}
    [f] = [f for f in report["findings"] if f["rule_id"] == "sunset-moved-earlier"]
    assert f["line"] is not None and "sunset" in (repo.schemas / "index.toml").read_text().splitlines()[f["line"] - 1]


def test_sunset_moved_later_passes(repo: Repo, cli: Callable[..., Any]) -> None:
    repo.edit_text("index.toml", "sunset = 2027-03-31", "sunset = 2027-06-30")
    repo.commit("give clients more time")
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 0 and rule_ids(report) == set()


def test_deprecation_window_shorter_than_policy_fails(repo: Repo, cli: Callable[..., Any]) -> None:
    repo.edit_text("index.toml", "deprecated = 2026-09-01", "deprecated = 2027-01-01")
    repo.commit("deprecate later")
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 1 and rule_ids(report) == {"deprecation-window-too-short"}
    [f] = [f for f in report["findings"] if f["rule_id"] == "deprecation-window-too-short"]
    assert "89 days" in f["message"] and "180" in f["message"]


def test_deprecated_without_sunset_or_successor_fails(repo: Repo, cli: Callable[..., Any]) -> None:
    repo.edit_text("index.toml", 'status = "stable"', 'status = "deprecated"')
    repo.commit("deprecate v2 carelessly")
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 1 and rule_ids(report) == {"deprecated-without-sunset", "deprecated-without-successor"}


def test_outside_git_and_unknown_ref_exit_2(repo: Repo, cli: Callable[..., Any], tmp_path: Any) -> None:
    result = cli("check", "--no-codegen", "--base", "no-such-ref")
    assert result.exit_code == 2 and result.stderr.strip() == "error: unknown git ref 'no-such-ref'"
    shutil.rmtree(repo.path / ".git")
    result = cli("check", "--no-codegen")
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr and result.stderr.count("\n") == 1
