"""Read the registry as it is at a git ref, without touching the working tree."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from contractkit.errors import UsageError

__all__ = ["checkout", "default_base", "git_root", "materialise", "resolve_ref"]

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
    """The merge-base of HEAD with the main branch (main, origin/main, master, origin/master).

    In a shallow clone (CI's default `actions/checkout`, `git clone --depth 1`) the branch may exist
    while the merge-base is not in the fetched history; that is said as such, with the fix."""
    found: list[str] = []
    for candidate in _MAIN_CANDIDATES:
        if _git(root, "rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}").returncode == 0:
            found.append(candidate)
            proc = _git(root, "merge-base", "HEAD", candidate)
            if proc.returncode == 0:
                return proc.stdout.decode().strip()
    if found and _is_shallow(root):
        raise UsageError(
            f"merge-base with {found[0]} not in this shallow clone; fetch full history "
            "(actions/checkout: fetch-depth: 0; GitLab: GIT_DEPTH: 0; or `git fetch --unshallow`), "
            f"or pass --base {found[0]} to compare with its tip"
        )
    if found:
        raise UsageError(f"HEAD has no common history with {found[0]}; pass --base REF")
    if _is_shallow(root):
        raise UsageError(
            "no main branch in this shallow clone (tried main, origin/main, master, origin/master); fetch it "
            "(actions/checkout: fetch-depth: 0) or pass --base REF"
        )
    raise UsageError("no main branch to compare with (tried main, origin/main, master, origin/master); pass --base REF")


def _is_shallow(root: Path) -> bool:
    proc = _git(root, "rev-parse", "--is-shallow-repository")
    return proc.returncode == 0 and proc.stdout.decode().strip() == "true"


def checkout(root: Path, commit: str, dest: Path, rel: str = ".") -> str | None:
    """Write the files tracked at `commit` under `rel` (a folder, relative to the repository) into `dest`, as
    `git checkout` would, without touching the working tree or its index: through a throwaway index, so
    `.gitattributes` filters apply (Git LFS objects come through its smudge filter where git-lfs is
    installed) and files marked `export-ignore` are written too (`git archive` leaves them out).
    Submodules are not checked out. Returns git's complaint when the commit cannot be read, else None."""
    with tempfile.TemporaryDirectory(prefix="contractkit-index-") as tmp:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index")}

        def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
            try:
                return subprocess.run(["git", *args], cwd=root, env=env, input=stdin, capture_output=True, check=False)
            except FileNotFoundError:
                raise UsageError("git is not installed; pass --base only inside a git repository") from None

        steps = [("read-tree", commit), ("ls-files", "-z", "--full-name", "--", rel)]
        outs: list[bytes] = []
        for args in steps:
            proc = run(*args)
            if proc.returncode != 0:
                return proc.stderr.decode(errors="replace").strip() or f"git {args[0]} failed"
            outs.append(proc.stdout)
        if not outs[-1]:
            return None
        proc = run("checkout-index", "--force", "-z", "--stdin", f"--prefix={dest}{os.sep}", stdin=outs[-1])
        if proc.returncode != 0:
            return proc.stderr.decode(errors="replace").strip() or "git checkout-index failed"
    return None


def materialise(root: Path, commit: str, rel: Path, dest: Path) -> Path | None:
    """Check `rel` (a folder) out as it is at `commit` into dest; None when it does not exist there."""
    if checkout(root, commit, dest, rel.as_posix().rstrip("/") or ".") is not None:
        return None
    out = dest / rel
    return out if out.is_dir() else None
