"""The tooling side of change sets: replay and fuzz compose the conversions from configuration alone, and a
missing step or a bad option is one line naming what to fix (run as a user would, in a project folder)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "profiles"


def _contractkit(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "contractkit.cli", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the profiles example: a project of its own, with its pyproject.toml."""
    dest = tmp_path / "project"
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("tests", "__pycache__", "conftest.py"))
    return dest


@pytest.mark.parametrize("command", [("replay",), ("fuzz", "--drift", "--max-examples", "2", "--seed", "1")])
def test_a_missing_change_set_is_one_line_naming_the_file(project: Path, command: tuple[str, ...]) -> None:
    (project / "profiles" / "changes" / "from_v1.py").unlink()
    result = _contractkit(project, *command)
    assert result.returncode == 2, result.stdout + result.stderr
    expected = (
        f"error: no change set from v1 to v2: create {project / 'profiles' / 'changes' / 'from_v1.py'} "
        "defining CHANGES = (...) (an empty tuple declares no changes)"
    )
    assert result.stderr.strip() == expected


def test_the_context_option(project: Path) -> None:
    no_drift = _contractkit(project, "fuzz", "--context", "default_locale=it")
    assert (no_drift.returncode, no_drift.stderr.strip()) == (2, "error: --context only applies with --drift")
    bad = _contractkit(project, "fuzz", "--drift", "--context", "no-equals-sign")
    assert bad.returncode == 2 and bad.stderr.startswith("error: --context expects 'name=value'")
    # a context value the conversion cannot use is a conversion failure, named
    wrong = _contractkit(
        project, "fuzz", "--drift", "--max-examples", "5", "--seed", "1", "--context", "default_locale=7"
    )
    assert wrong.returncode == 1 and "upgrade-invalid" in wrong.stdout


def test_nothing_to_fuzz_without_an_app(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('app-factory = "profiles.app:create_app"\n', ""))
    result = _contractkit(project, "fuzz")
    assert result.returncode == 2
    assert result.stderr.startswith("error: nothing to fuzz: pass --app, --app-factory or --base-url")
