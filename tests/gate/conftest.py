from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Repo:
    """A throwaway git repository holding a copy of schemas/, committed on `main`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schemas = path / "schemas"

    def git(self, *args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=self.path, capture_output=True, text=True, check=True)
        return proc.stdout

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def edit_json(self, rel: str, fn: Callable[[Any], None]) -> None:
        path = self.schemas / rel
        data = json.loads(path.read_text())
        fn(data)
        path.write_text(json.dumps(data, indent=2) + "\n")

    def edit_text(self, rel: str, old: str, new: str) -> None:
        path = self.schemas / rel
        text = path.read_text()
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    path = tmp_path / "repo"
    path.mkdir()
    shutil.copytree(ROOT / "schemas", path / "schemas")
    r = Repo(path)
    r.git("init", "-q", "-b", "main")
    r.git("config", "user.email", "ci@example.com")
    r.git("config", "user.name", "CI")
    r.commit("baseline")
    r.git("checkout", "-q", "-b", "change")
    monkeypatch.chdir(path)
    return r
