"""Deprecation-window policy through `contractkit check` on throwaway git repositories."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from typing import Any

from tests.gate.conftest import ROOT, Repo


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


# -- the deprecation is measured from the day it first appears ------------------------------------------------


def add_v3(repo: Repo) -> None:
    """v3 after v2, committed on main's side so that only the deprecation is new on the branch."""
    shutil.copytree(repo.schemas / "v2", repo.schemas / "v3")
    index = (repo.schemas / "index.toml").read_text()
    v3 = index[index.index('name = "v2"') - len("[[versions]]\n") :].replace('"v2"', '"v3"').replace("v2/", "v3/")
    (repo.schemas / "index.toml").write_text(index + "\n" + v3.replace("2026-09-01", "2026-11-01"))
    repo.git("checkout", "-q", "main")
    repo.commit("v3")
    repo.git("checkout", "-q", "change")
    repo.git("merge", "-q", "main")


def deprecate_v2(repo: Repo, lines: str) -> None:
    repo.edit_text("index.toml", 'name = "v2"\nstatus = "stable"\nreleased = 2026-09-01\n', lines)
    repo.commit("deprecate v2")


V2 = 'name = "v2"\nstatus = "deprecated"\nreleased = 2026-09-01\n'


def test_backdated_deprecation_fails_as_in_the_review(repo: Repo, cli: Callable[..., Any]) -> None:
    # min_deprecation_days = 180; v2 stable at the base, released 2026-09-01; today 2026-11-30.
    add_v3(repo)
    deprecate_v2(repo, V2 + 'deprecated = 2026-01-01\nsunset = 2026-12-15\nsuccessor = "v3"\n')
    code, report = check(cli, "--today", "2026-11-30")
    assert code == 1
    assert rule_ids(report) == {
        "deprecated-before-released",
        "deprecation-window-too-short",
        "successor-sunsets-before-predecessor",  # v1 (successor v2) sunsets 2027-03-31
    }
    [window] = [f for f in report["findings"] if f["rule_id"] == "deprecation-window-too-short"]
    assert "15 days of notice (2026-11-30" in window["message"] and window["version"] == "v2"


def test_a_deprecation_counts_from_today_not_from_its_declared_date(repo: Repo, cli: Callable[..., Any]) -> None:
    # Declared: 2026-10-01 -> 2027-04-15 is 196 days; but clients learn of it today: 136 days.
    add_v3(repo)
    deprecate_v2(repo, V2 + 'deprecated = 2026-10-01\nsunset = 2027-04-15\nsuccessor = "v3"\n')
    code, report = check(cli, "--today", "2026-11-30")
    assert code == 1 and rule_ids(report) == {"deprecation-window-too-short"}
    [f] = report["findings"]
    assert "136 days" in f["message"] and f["line"] is not None
    # The same entry with enough notice from today passes; a later declared date counts from itself.
    repo.edit_text("index.toml", "sunset = 2027-04-15", "sunset = 2027-05-29")
    repo.commit("more notice")
    assert check(cli, "--today", "2026-11-30")[0] == 0


def test_a_deprecation_without_a_date_counts_from_today(repo: Repo, cli: Callable[..., Any]) -> None:
    add_v3(repo)
    deprecate_v2(repo, V2 + 'sunset = 2027-04-15\nsuccessor = "v3"\n')
    code, report = check(cli, "--today", "2026-11-30")
    assert code == 1 and rule_ids(report) == {"deprecation-window-too-short"}


def test_deprecated_before_released_fails_alone(repo: Repo, cli: Callable[..., Any]) -> None:
    add_v3(repo)
    deprecate_v2(repo, V2 + 'deprecated = 2026-08-01\nsunset = 2027-09-01\nsuccessor = "v3"\n')
    code, report = check(cli, "--today", "2026-11-30")
    assert code == 1 and rule_ids(report) == {"deprecated-before-released"}
    [f] = report["findings"]
    line = (repo.schemas / "index.toml").read_text().splitlines()[f["line"] - 1]
    assert line == "deprecated = 2026-08-01"


def test_successor_sunsetting_before_its_predecessor_fails_alone(repo: Repo, cli: Callable[..., Any]) -> None:
    add_v3(repo)
    repo.edit_text("index.toml", "sunset = 2027-03-31", "sunset = 2028-01-31")  # v1: later is allowed
    deprecate_v2(repo, V2 + 'deprecated = 2026-11-30\nsunset = 2027-12-31\nsuccessor = "v3"\n')
    code, report = check(cli, "--today", "2026-11-30")
    assert code == 1 and rule_ids(report) == {"successor-sunsets-before-predecessor"}
    [f] = report["findings"]
    assert f["version"] == "v2" and "before v1" in f["message"]


def test_sunset_before_deprecation_fails_alone(repo: Repo, cli: Callable[..., Any]) -> None:
    repo.edit_text("index.toml", "deprecated = 2026-09-01", "deprecated = 2027-04-01")
    repo.commit("v1 deprecated after its sunset")
    code, report = check(cli, "--today", "2026-11-30")
    assert code == 1 and rule_ids(report) == {"sunset-before-deprecation"}


def test_a_deprecation_already_at_the_base_is_not_measured_again(repo: Repo, cli: Callable[..., Any]) -> None:
    # v1 (deprecated 2026-09-01, sunset 2027-03-31: 211 days) landed before; today only 121 days are left.
    code, report = check(cli, "--today", "2026-11-30")
    assert code == 0 and rule_ids(report) == set()
    # Re-dating it earlier buys nothing: the notice still counts from the base's 2026-09-01.
    repo.edit_text(
        "index.toml", "deprecated = 2026-09-01\nsunset = 2027-03-31", "deprecated = 2026-06-01\nsunset = 2027-03-31"
    )
    repo.commit("backdate v1")
    code, report = check(cli, "--today", "2026-11-30")
    assert code == 0 and rule_ids(report) == set()
    repo.edit_text("index.toml", "deprecated = 2026-06-01", "deprecated = 2026-10-15")
    repo.commit("v1 deprecated later")
    code, report = check(cli, "--today", "2026-11-30")
    assert code == 1 and rule_ids(report) == {"deprecation-window-too-short"}  # 167 days from 2026-10-15


def test_adopting_a_registry_takes_its_declared_dates(repo: Repo, cli: Callable[..., Any]) -> None:
    # No registry at the base (a project adopting contractkit): nothing says when v1's deprecation appeared,
    # so its declared dates count (211 days), not today (121 days left).
    repo.git("checkout", "-q", "main")
    repo.git("rm", "-rq", "schemas")
    repo.commit("main without a registry")
    repo.git("checkout", "-q", "-b", "adopt")
    shutil.copytree(ROOT / "schemas", repo.schemas)
    repo.commit("adopt contractkit")
    code, report = check(cli, "--today", "2026-11-30")
    assert code == 0 and rule_ids(report) == set()
    assert {s["name"]: s["status"] for s in report["steps"]}["compatibility"] == "skipped"
