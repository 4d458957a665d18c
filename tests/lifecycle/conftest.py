"""Throwaway projects for the lifecycle commands: an empty git repository, and a clone of this repository."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def git(path: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=path, capture_output=True, text=True, check=True)
    return proc.stdout


def commit(path: Path, message: str) -> None:
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", message)


def new_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "ci@example.com")
    git(path, "config", "user.name", "CI")
    return path


@pytest.fixture
def empty_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git repository (no commit yet), as the current directory."""
    path = new_repo(tmp_path / "project")
    monkeypatch.chdir(path)
    return path


class Cart:
    """A clone of this repository's committed HEAD, on a branch; commands run in a subprocess inside it, so
    that the clone's own `service` package and `contractkit` are the ones imported."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def run(self, *args: str, check: int | None = 0) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [sys.executable, "-m", "contractkit.cli", *args],
            cwd=self.path,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        if check is not None:
            assert proc.returncode == check, f"{args}: rc {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc

    def check_json(self, *args: str) -> tuple[int, dict[str, Any]]:
        proc = self.run("check", "--base", "HEAD", "--format", "json", *args, check=None)
        assert proc.returncode in (0, 1), proc.stderr
        return proc.returncode, json.loads(proc.stdout)


@pytest.fixture
def cart(tmp_path: Path) -> Cart:
    path = tmp_path / "cart"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(path)], check=True, capture_output=True)
    git(path, "config", "user.email", "ci@example.com")
    git(path, "config", "user.name", "CI")
    git(path, "checkout", "-q", "-b", "next-version")
    return Cart(path)


def steps(report: dict[str, Any]) -> dict[str, str]:
    return {s["name"]: s["status"] for s in report["steps"]}


def blocking(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["severity"] == "error" and f["waived"] is None]
