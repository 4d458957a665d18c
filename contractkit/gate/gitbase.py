"""Read the registry as it is at a git ref, without touching the working tree."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from contractkit.errors import UsageError

__all__ = ["default_base", "git_root", "materialise", "resolve_ref"]

_MAIN_CANDIDATES = ("main", "origin/main", "master", "origin/master")


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed; pass --base only inside a git repository") from None


def git_root(cwd: Path) -> Path:
    proc = _git(cwd, "rev-parse", "--show-toplevel")
    if proc.returncode != 0:
        raise UsageError(f"{cwd} is not inside a git repository; `contractkit check` compares against a git ref")
    return Path(proc.stdout.decode().strip())


def resolve_ref(root: Path, ref: str) -> str:
    proc = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if proc.returncode != 0:
        raise UsageError(f"unknown git ref {ref!r}")
    return proc.stdout.decode().strip()


def default_base(root: Path) -> str:
    """The merge-base of HEAD with the main branch (main, origin/main, master, origin/master)."""
    for candidate in _MAIN_CANDIDATES:
        if _git(root, "rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}").returncode == 0:
            proc = _git(root, "merge-base", "HEAD", candidate)
            if proc.returncode == 0:
                return proc.stdout.decode().strip()
    raise UsageError("no main branch to compare with (tried main, origin/main, master); pass --base REF")


def materialise(root: Path, commit: str, rel: Path, dest: Path) -> Path | None:
    """Extract `rel` (a folder) as it is at `commit` into dest; None when it does not exist there."""
    spec = rel.as_posix().rstrip("/") or "."
    proc = _git(root, "archive", "--format=tar", commit, "--", spec)
    if proc.returncode != 0:
        return None
    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
        tar.extractall(dest, filter="data")
    out = dest / rel
    return out if out.is_dir() else None
