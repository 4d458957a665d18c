"""Every gate step fails alone: a step that cannot run is one finding naming what to fix; the others still
report; skipped steps are always shown with the reason; never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.gate.conftest import ROOT, Repo

REPLAY = """
[tool.contractkit]
schemas = "schemas"
changes = "service.changes"

[tool.contractkit.replay]
fixtures = "fixtures"
app-factory = "{factory}"
context = {{ cart_currency = "USD" }}
"""


def configure(repo: Repo, factory: str = "tests.gate.apps:fails_to_start", *, drop_v1_expectation: bool) -> None:
    (repo.path / "pyproject.toml").write_text(REPLAY.format(factory=factory))
    shutil.copytree(ROOT / "compat_fixtures", repo.path / "fixtures")
    if drop_v1_expectation:
        path = repo.path / "fixtures" / "requests" / "cart_create.json"
        data = json.loads(path.read_text())
        del data["fixtures"][0]["expect"]["v1"]
        path.write_text(json.dumps(data, indent=2))


def report_of(result: Any) -> dict[str, Any]:
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def steps(report: dict[str, Any]) -> dict[str, str]:
    return {s["name"]: s["status"] for s in report["steps"]}


def test_a_step_that_cannot_run_is_one_finding_and_the_others_still_report(repo: Repo, cli: Callable[..., Any]) -> None:
    configure(repo, drop_v1_expectation=True)
    result = cli("check", "--format", "json", "--fuzz-budget", "2", "--no-openapi")
    report = report_of(result)
    assert result.exit_code == 1
    assert steps(report) == {
        "policy": "passed",
        "compatibility": "passed",
        "openapi": "skipped",
        "lint": "passed",
        "codegen": "skipped",
        "replay": "failed",
        "fuzz": "failed",
        "waivers": "skipped",
    }
    assert [f["rule_id"] for f in report["findings"]] == ["step-cannot-run", "step-cannot-run"]
    by_step = {f["message"].split(" ", 1)[0]: f for f in report["findings"]}
    replay, fuzz = by_step["replay"], by_step["fuzz"]
    assert (replay["file"], replay["pointer"]) == ("fixtures/requests/cart_create.json", "/fixtures/0/expect")
    assert "no expectation for version(s) v1" in replay["message"] and replay["line"] is not None
    assert fuzz["message"].startswith("fuzz cannot run: RuntimeError: database unreachable: connection refused")
    assert "raised at" in fuzz["message"] and "tests/gate/apps.py" in fuzz["message"]
    assert 'app-factory = "tests.gate.apps:fails_to_start"' in fuzz["message"] and fuzz["file"] == "pyproject.toml"


def test_a_service_that_cannot_start_fails_replay_alone(repo: Repo, cli: Callable[..., Any]) -> None:
    configure(repo, drop_v1_expectation=False)
    report = report_of(cli("check", "--format", "json", "--no-fuzz", "--no-openapi"))
    assert steps(report)["replay"] == "failed" and steps(report)["compatibility"] == "passed"
    [f] = report["findings"]
    assert f["rule_id"] == "step-cannot-run" and f["file"] == "pyproject.toml"
    assert f["message"].startswith("replay cannot run: RuntimeError: database unreachable")


def test_bad_replay_settings_fail_both_steps_naming_the_key(repo: Repo, cli: Callable[..., Any]) -> None:
    (repo.path / "pyproject.toml").write_text('[tool.contractkit.replay]\nheaders = "Bearer x"\n')
    report = report_of(cli("check", "--format", "json"))
    assert steps(report)["replay"] == "failed" and steps(report)["fuzz"] == "failed"
    assert steps(report)["policy"] == "passed"
    assert {(f["rule_id"], f["file"], f["pointer"]) for f in report["findings"]} == {
        ("step-cannot-run", "pyproject.toml", "/tool/contractkit/replay/headers")
    }
    assert len(report["findings"]) == 2


def test_a_missing_extra_names_what_to_install(repo: Repo) -> None:
    # A real missing module: schemathesis blocked in the interpreter that runs `contractkit check`.
    configure(repo, "service.app:create_app", drop_v1_expectation=False)
    code = "import sys; sys.modules['schemathesis'] = None; from contractkit.cli import main; main()"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", code, "check", "--format", "json", "--no-replay", "--fuzz-budget", "2"],
        cwd=repo.path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    report = json.loads(proc.stdout)
    [f] = report["findings"]
    assert f["rule_id"] == "step-cannot-run"
    assert f["message"].startswith(
        "fuzz cannot run: schemathesis is not installed (pip install 'contractkit-http[fuzz]'"
    )
    assert steps(report)["policy"] == "passed" and steps(report)["replay"] == "skipped"


def test_skipped_steps_are_shown_with_their_reason(repo: Repo, cli: Callable[..., Any]) -> None:
    configure(repo, drop_v1_expectation=False)
    result = cli("check", "--no-codegen", "--no-replay", "--no-fuzz", "--no-openapi")
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.splitlines()
    for line in (
        "  pass policy — 2 versions",
        "  pass compatibility — 12 schemas checked",
        "  skip openapi — switched off (--no-openapi)",
        "  skip codegen — switched off (--no-codegen)",
        "  skip replay — switched off (--no-replay)",
        "  skip fuzz — switched off (--no-fuzz)",
        "  skip waivers — no waiver file (schemas/waivers.toml or [tool.contractkit] waivers)",
    ):
        assert line in lines, (line, lines)


def test_a_report_that_cannot_be_written_is_printed(repo: Repo, cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "dir" / "report.md"
    result = cli("check", "--no-replay", "--no-fuzz", "--format", "markdown", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "cannot write the report" in result.stderr
    assert "policy" in result.stdout  # the finished report is not lost


def test_the_fuzz_step_runs_on_change_sets_alone(repo: Repo, cli: Callable[..., Any]) -> None:
    """No app, only `[tool.contractkit] changes`: drift fuzzing still checks the declared conversions. An
    empty change set from v1 to v2 leaves v1's cart_create without the currency v2 requires: a finding."""
    package = repo.path / "notes_changes_only"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "from_v1.py").write_text("CHANGES = ()\n")
    (repo.path / "pyproject.toml").write_text(
        '[tool.contractkit]\nschemas = "schemas"\nchanges = "notes_changes_only"\n'
    )
    report = report_of(cli("check", "--format", "json", "--no-replay", "--fuzz-budget", "20"))
    assert steps(report)["fuzz"] == "failed" and steps(report)["replay"] == "skipped"
    upgrades = {f["schema"] for f in report["findings"] if f["rule_id"] == "upgrade-invalid"}
    assert "cart_create" in upgrades
