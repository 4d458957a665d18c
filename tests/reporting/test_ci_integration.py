"""The packaged CI integration, run for real: action.yml's and the GitLab template's shell steps execute
locally in a throwaway clone (inputs and CI variables substituted), the sticky-comment script runs in node
against a stand-in for GitHub's API, and a shallow clone gets the explanation it needs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
GITLAB = yaml.safe_load((ROOT / "ci" / "gitlab" / "contractkit.gitlab-ci.yml").read_text())
GIT = ["git", "-c", "user.email=ci@example.com", "-c", "user.name=CI", "-c", "init.defaultBranch=main"]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bare "origin": `main` with the cart schemas, `feature` making v1's currency required (a break)."""
    tmp = tmp_path_factory.mktemp("origin")
    seed = tmp / "seed"
    seed.mkdir()
    git(seed, "init", "-q")
    shutil.copytree(ROOT / "schemas", seed / "schemas")
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "cart schemas")
    git(seed, "checkout", "-qb", "feature")
    path = seed / "schemas" / "v1" / "cart_create.json"
    doc = json.loads(path.read_text())
    doc["required"] = [*doc.get("required", []), "currency"]
    path.write_text(json.dumps(doc, indent=2) + "\n")
    git(seed, "commit", "-qam", "v1 requires currency")
    bare = tmp / "origin.git"
    git(tmp, "clone", "-q", "--bare", str(seed), str(bare))
    return bare


def clone(origin: Path, dest: Path, *extra: str) -> Path:
    git(dest.parent, "clone", "-q", *extra, "--branch", "feature", f"file://{origin}", str(dest))
    return dest


@pytest.fixture(scope="module")
def runner_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What actions/setup-python provides: a fresh Python environment on PATH. Without network access,
    its packages come from this project's environment (a .pth file), so pip installs only contractkit."""
    env = tmp_path_factory.mktemp("runner") / "python"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    purelib = Path(sysconfig.get_paths(vars={"base": str(env), "platbase": str(env)})["purelib"])
    (purelib / "_project_packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env / "bin"


def expand(text: str, context: Mapping[str, Any]) -> str:
    """`${{ a.b.c }}` -> the value in `context` ('' when absent), as the runner would substitute it."""

    def value(m: re.Match[str]) -> str:
        node: Any = context
        for part in m.group(1).strip().split("."):
            node = node.get(part, "") if isinstance(node, Mapping) else ""
        return str(node)

    return re.sub(r"\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}", value, text)


def run_shell(script: str, cwd: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


class ActionRun:
    """Runs action.yml's `run:` steps in order, like the runner: inputs, github context, step outputs."""

    def __init__(self, workdir: Path, bin_dir: Path, tmp: Path, **inputs: str) -> None:
        defaults = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
        self.context: dict[str, Any] = {
            "inputs": {**defaults, **inputs},
            "github": {"action_path": str(ROOT), "base_ref": "", "token": "t"},
            "steps": {},
        }
        self.workdir, self.tmp = workdir, tmp
        self.env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
        self.env.pop("VIRTUAL_ENV", None)
        self.summary = tmp / "summary.md"
        self.results: dict[str, subprocess.CompletedProcess[str]] = {}

    def run(self, name: str) -> subprocess.CompletedProcess[str]:
        step = next(s for s in ACTION["runs"]["steps"] if s.get("name") == name)
        assert step.get("shell") == "bash" and "run" in step, step
        output = self.tmp / f"output-{len(self.results)}"
        output.write_text("")
        env = {**self.env, "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(self.summary)}
        env.update({k: expand(str(v), self.context) for k, v in step.get("env", {}).items()})
        cwd = self.workdir / expand(step.get("working-directory", "."), self.context)
        proc = run_shell(expand(step["run"], self.context), cwd, env)
        if "id" in step:
            pairs = (line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
            self.context["steps"][step["id"]] = {"outputs": dict(pairs)}
        self.results[name] = proc
        return proc


def test_action_metadata() -> None:
    assert ACTION["runs"]["using"] == "composite"
    steps = ACTION["runs"]["steps"]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses == ["actions/setup-python", "github/codeql-action/upload-sarif", "actions/github-script"]
    assert {"base-ref", "format", "schemas", "python-version", "install"} <= set(ACTION["inputs"])
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            # inputs reach the shell through env, never spliced into the script (no injection)
            assert "${{" not in step["run"], step["name"]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"].endswith("contractkit.sarif") and upload["continue-on-error"] is True


@pytest.fixture(scope="module")
def installed(runner_bin: Path, tmp_path_factory: pytest.TempPathFactory, origin: Path) -> Path:
    tmp = tmp_path_factory.mktemp("install")
    work = clone(origin, tmp / "work")
    proc = ActionRun(work, runner_bin, tmp).run("Install contractkit")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert re.match(r"contractkit \d", proc.stdout.strip().splitlines()[-1])
    installed = subprocess.run(
        [str(runner_bin / "python"), "-c", "import contractkit; print(contractkit.__file__)"],
        cwd=tmp,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert installed.startswith(str(runner_bin.parent)), installed  # the action's checkout, freshly installed
    return runner_bin


def test_action_steps_on_a_breaking_branch(installed: Path, origin: Path, tmp_path: Path) -> None:
    work = clone(origin, tmp_path / "work")
    action = ActionRun(work, installed, tmp_path, **{"base-ref": "origin/main", "args": "--no-codegen"})
    check = action.run("contractkit check")
    assert check.returncode == 0, check.stderr[-2000:]
    outputs = action.context["steps"]["check"]["outputs"]
    assert outputs["exit-code"] == "1" and outputs["report"] == f"{work}/contractkit-report.md"
    # the job log carries GitHub annotations (the default format)
    annotation = next(line for line in check.stdout.splitlines() if line.startswith("::error "))
    assert "file=schemas/v1/cart_create.json" in annotation and "title=property-became-required" in annotation
    sarif = json.loads((work / "contractkit.sarif").read_text())
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "property-became-required"]
    assert result["partialFingerprints"]["contractkit/v1"].endswith(":1")
    report = (work / "contractkit-report.md").read_text()
    assert report.startswith("## ❌ contractkit: failed") and report in action.summary.read_text()
    final = action.run("Exit with contractkit check's code")
    assert final.returncode == 1


def test_action_steps_when_nothing_breaks(installed: Path, origin: Path, tmp_path: Path) -> None:
    work = clone(origin, tmp_path / "work")
    git(work, "checkout", "-q", "origin/main", "--", "schemas")
    git(work, "commit", "-qam", "revert the break")
    action = ActionRun(work, installed, tmp_path, **{"base-ref": "origin/main", "args": "--no-codegen"})
    assert action.run("contractkit check").returncode == 0
    assert action.context["steps"]["check"]["outputs"]["exit-code"] == "0"
    assert (work / "contractkit-report.md").read_text().startswith("## ✅ contractkit: passed")
    assert action.run("Exit with contractkit check's code").returncode == 0


def test_action_steps_on_a_usage_error(installed: Path, origin: Path, tmp_path: Path) -> None:
    """A shallow clone without fetch-depth 0: exit 2, and the comment says why (no traceback)."""
    work = clone(origin, tmp_path / "work", "--depth", "1", "--no-single-branch")
    action = ActionRun(work, installed, tmp_path, **{"args": "--no-codegen"})
    assert action.run("contractkit check").returncode == 0
    assert action.context["steps"]["check"]["outputs"]["exit-code"] == "2"
    report = (work / "contractkit-report.md").read_text()
    assert report.startswith("## ⚠️ contractkit could not run") and "fetch-depth: 0" in report
    assert "Traceback" not in report and not (work / "contractkit.sarif").exists()
    assert action.run("Exit with contractkit check's code").returncode == 2


STICKY_HARNESS = """
const fs = require("fs");
const script = fs.readFileSync(process.argv[2], "utf8");
const comments = [{ id: 1, body: "an unrelated review comment" }];
let next = 2;
const github = {
  paginate: async (fn, args) => fn(args),
  rest: { issues: {
    listComments: (args) => comments.map((c) => ({ ...c })),
    createComment: async ({ body }) => { comments.push({ id: next, body }); return { data: { id: next++ } }; },
    updateComment: async ({ comment_id, body }) => { comments.find((c) => c.id === comment_id).body = body; },
  } },
};
const context = { repo: { owner: "o", repo: "r" }, payload: { pull_request: { number: 7 } } };
const core = { info: () => {} };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const run = new AsyncFunction("require", "github", "context", "core", script);
(async () => {
  await run(require, github, context, core);
  fs.writeFileSync(process.env.CK_REPORT, "## second run\\n");
  await run(require, github, context, core);
  console.log(JSON.stringify(comments));
})();
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_sticky_comment_is_created_once_then_updated(tmp_path: Path) -> None:
    step = next(s for s in ACTION["runs"]["steps"] if s.get("uses", "").startswith("actions/github-script"))
    (tmp_path / "script.js").write_text(step["with"]["script"])
    (tmp_path / "harness.js").write_text(STICKY_HARNESS)
    report = tmp_path / "report.md"
    report.write_text("## first run\n")
    proc = subprocess.run(
        ["node", str(tmp_path / "harness.js"), str(tmp_path / "script.js")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CK_REPORT": str(report)},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    comments = json.loads(proc.stdout)
    assert [c["id"] for c in comments] == [1, 2]
    assert comments[0]["body"] == "an unrelated review comment"
    assert comments[1]["body"] == "<!-- contractkit-report -->\n## second run\n"


def test_gitlab_template_script_runs(installed: Path, origin: Path, tmp_path: Path) -> None:
    job = GITLAB["contractkit"]
    assert job["artifacts"]["reports"]["junit"] == "contractkit-junit.xml" and job["variables"]["GIT_DEPTH"] == "0"
    work = clone(origin, tmp_path / "work")
    env = {
        **os.environ,
        "PATH": f"{installed}{os.pathsep}{os.environ['PATH']}",
        **GITLAB["variables"],
        **job["variables"],
        "CONTRACTKIT_ARGS": "--no-codegen",
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
    }
    # before_script installs contractkit; the action's test has run that very command already
    assert any("pip install" in line and "$CONTRACTKIT_INSTALL" in line for line in job["before_script"])
    proc = run_shell("\n".join(job["script"]), work, env)
    assert proc.returncode == 1, proc.stderr[-2000:]
    junit = (work / "contractkit-junit.xml").read_text()
    assert 'type="property-became-required"' in junit and '"customer_id"' in junit  # the witness
    assert "FAILED" in proc.stdout and (work / "contractkit-report.md").is_file()


def test_shallow_clone_is_explained(origin: Path, tmp_path: Path) -> None:
    work = clone(origin, tmp_path / "work", "--depth", "1", "--no-single-branch")
    assert git(work, "rev-parse", "--is-shallow-repository").strip() == "true"
    proc = subprocess.run(
        [sys.executable, "-m", "contractkit.cli", "check", "--no-codegen"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == (
        "error: merge-base with origin/main not in this shallow clone; fetch full history "
        "(actions/checkout: fetch-depth: 0; GitLab: GIT_DEPTH: 0; or `git fetch --unshallow`), "
        "or pass --base origin/main to compare with its tip"
    )
    git(work, "fetch", "-q", "--unshallow")
    fixed = subprocess.run(
        [sys.executable, "-m", "contractkit.cli", "check", "--no-codegen"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert fixed.returncode == 1 and "property-became-required" in fixed.stdout
