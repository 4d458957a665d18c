"""`contractkit check`: the working tree's registry against the registry at a git base.

Within a published version only compatible changes may land. The direction rule, written down once:
a **request** schema is read by the server, so every payload an existing client sends must stay valid
(`backward`: old ⊆ new); a **response** schema is read by clients, so every payload the server now
sends must be valid for existing clients (`forward`: new ⊆ old). A schema with no role gets `full`.

Every step fails alone: a step that cannot run (a fixture without an expectation, a missing extra, a
service that does not start) becomes one `step-cannot-run` finding naming the file or setting to fix,
and the other steps still run and report. A step that does not run is shown as skipped, with the reason.
"""

from __future__ import annotations

import datetime as dt
import importlib
import subprocess
import tempfile
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from contractkit._loading import UserCodeError
from contractkit.compat import mode_for_role
from contractkit.errors import ContractkitError, InputError, UsageError
from contractkit.gate import rules as R
from contractkit.gate._model import GateFinding, GateReport, Severity, StepResult
from contractkit.gate.gitbase import default_base, git_root, materialise, resolve_ref
from contractkit.gate.keywords import keyword_findings
from contractkit.gate.locate import json_pointer_line
from contractkit.gate.policy import check_policy, deprecated_property_findings
from contractkit.gate.served import ServedSettings, published, served_findings
from contractkit.gate.waivers import apply_waivers, load_waivers
from contractkit.registry import Registry, escape, load_registry

__all__ = ["CheckOptions", "ExtraStep", "SkippedStep", "mode_for_role", "run_check"]

UNDECIDED = "undecided"

StepFunction = Callable[[Registry], Iterable[GateFinding]]


@dataclass(frozen=True, slots=True)
class ExtraStep:
    """A pluggable step (replay, fuzz) and what configures it, named when the step cannot run."""

    run: StepFunction
    setting: str = ""  # e.g. '[tool.contractkit.replay] app-factory = "service.app:create_app"'
    file: Path | None = None  # the file holding the setting (pyproject.toml)


@dataclass(frozen=True, slots=True)
class SkippedStep:
    """A step that does not run this time, and why (switched off by a flag, or not configured)."""

    reason: str


# Optional dependencies and the extra that installs them, for "cannot run: X is not installed".
_EXTRAS = {
    "datamodel_code_generator": "codegen",
    "schemathesis": "fuzz",
    "hypothesis": "fuzz",
    "httpx2": "fuzz",
    "httpx": "fuzz",
    "fastapi": "fastapi",
    "starlette": "fastapi",
    "fastapi_offline": "fastapi",
    "orjson": "fastapi",
    "uvicorn": "service",
}


@dataclass(frozen=True, slots=True)
class CheckOptions:
    schemas: Path
    models: Path | None = None  # None: codegen is not configured (a skipped step)
    base: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    min_deprecation_days: int | None = None
    format_assertion: bool = True
    severity: Mapping[str, Severity] = field(default_factory=dict)
    waivers: Path | None = None
    codegen: bool = True
    # Extra steps (replay, fuzz) plug in here, in report order: a step, a SkippedStep, or a bare callable.
    extra_steps: Mapping[str, ExtraStep | SkippedStep | StepFunction] = field(default_factory=dict)
    # Why a built-in step is skipped, as the caller words it (e.g. {"codegen": "switched off (--no-codegen)"}).
    skip_reasons: Mapping[str, str] = field(default_factory=dict)
    # The served OpenAPI documents at the base and in the working tree (gate.served); None: not configured.
    served: ServedSettings | SkippedStep | None = None


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def locate(registry: Registry, name: str, version: str, pointer: str | None) -> tuple[Path, str | None]:
    """Map a pointer into `registry.bundled(name, version)` back to (file, pointer in that file)."""
    root_file = registry.schema_path(name, version)
    if pointer and pointer.startswith("/$defs/"):
        for path in registry.files:
            prefix = "/$defs/" + escape(registry.bundle_key(path))
            if path != root_file and (pointer == prefix or pointer.startswith(prefix + "/")):
                return path, pointer[len(prefix) :] or ""
    return root_file, pointer


def _compare() -> Callable[..., Any]:
    try:
        module = importlib.import_module("contractkit.compat")
    except ImportError as exc:  # pragma: no cover - the engine ships with contractkit
        raise UsageError(f"the compatibility engine is not available: {exc}") from None
    fn: Callable[..., Any] = module.compare
    return fn


def _compat_findings(
    base: Registry, head: Registry, opts: CheckOptions, repo: Path
) -> tuple[list[GateFinding], list[str]]:
    out: list[GateFinding] = []
    checked: list[str] = []
    head_names = {v.name for v in head.versions}
    for old_version in base.versions:
        if old_version.name not in head_names:
            continue  # removal is the policy's business
        new_version = head.version(old_version.name)
        if new_version.sunset is not None and opts.today >= new_version.sunset:
            continue  # past its sunset the version is gone; nothing to protect
        for name in sorted(old_version.schemas):
            if name not in new_version.schemas:
                rel = _rel(head.root / "index.toml", repo)
                msg = f"schema {name} was removed from published version {old_version.name}"
                out.append(
                    GateFinding(
                        R.SCHEMA_REMOVED_FROM_VERSION, "error", msg, version=old_version.name, schema=name, file=rel
                    )
                )
                continue
            old_schema = base.bundled(name, old_version.name)
            new_schema = head.bundled(name, new_version.name)
            if old_schema == new_schema:
                checked.append(f"{name}@{new_version.name}")
                continue
            role = head.role(name)
            mode = mode_for_role(role)
            reader = head.index.reader_for(name)
            report = _compare()(
                old_schema,
                new_schema,
                mode=mode,
                format_assertion=opts.format_assertion,
                overrides=opts.severity,
                reader=reader,
            )
            checked.append(f"{name}@{new_version.name}")
            for f in report.findings:
                pointer = f.new_pointer if f.new_pointer is not None else f.old_pointer
                reg = head if f.new_pointer is not None else base
                path, inner = locate(reg, name, new_version.name, pointer)
                if reg is base:
                    # the old file may not exist in the working tree; report the head's file of the same name
                    path = head.root / path.relative_to(base.root.resolve())
                severity: Severity = "error" if f.rule_id == UNDECIDED else f.severity
                what = "cannot prove compatible" if f.rule_id == UNDECIDED else "breaks"
                how = f"{role or 'schema'}, {mode}" + (", tolerant reader" if reader == "tolerant" else "")
                lead = f"{name}@{new_version.name} ({how})"
                message = f"{lead}: {f.message}" if severity != "error" else f"{lead} {what}: {f.message}"
                witness = f.witness.instance if f.witness is not None else None
                out.append(
                    GateFinding(
                        f.rule_id,
                        severity,
                        message,
                        version=new_version.name,
                        schema=name,
                        pointer=inner,
                        file=_rel(path, repo),
                        line=json_pointer_line(path, inner),
                        direction=f.direction,
                        witness=witness,
                        has_witness=f.witness is not None,
                        witness_at=f.witness.at if f.witness is not None else None,
                    )
                )
            out.extend(
                deprecated_property_findings(
                    base,
                    head,
                    new_version.name,
                    name,
                    opts.today,
                    _rel(head.schema_path(name, new_version.name), repo),
                )
            )
    return out, checked


@dataclass
class _Step:
    name: str
    detail: str
    findings: list[GateFinding] | None  # None: the step was skipped


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _git_out(repo: Path, *args: str) -> str | None:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    return proc.stdout.strip() if proc.returncode == 0 else None


def _base_commit(repo: Path, base: str | None) -> str | None:
    """The commit to compare with; None in a repository with no commit yet (nothing to compare with)."""
    if base is not None:
        return resolve_ref(repo, base)
    if _git_out(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}") is None:
        return None
    return default_base(repo)


def _commit_date(repo: Path, commit: str) -> dt.date | None:
    out = _git_out(repo, "show", "-s", "--format=%cs", commit)
    try:
        return dt.date.fromisoformat(out) if out else None
    except ValueError:
        return None


def _cannot_run(step: str, exc: Exception, repo: Path, setting: str = "", file: Path | None = None) -> GateFinding:
    """One finding for a step that could not run, naming the file or setting to fix; never a traceback."""
    if isinstance(exc, UserCodeError):  # the user's own exception says more: where it was raised
        exc = exc.error
    pointer: str | None = None
    where: Path | None = file
    if isinstance(exc, InputError):
        reason, where, pointer = exc.one_line(), Path(exc.file), exc.pointer
    elif isinstance(exc, ContractkitError):
        reason = exc.one_line()
    elif isinstance(exc, ImportError) and exc.name:
        root = exc.name.partition(".")[0]
        extra = _EXTRAS.get(root)
        reason = f"{root} is not installed" + (
            f" (pip install 'contractkit-http[{extra}]', or switch the step off)" if extra else ""
        )
    else:
        frames = traceback.extract_tb(exc.__traceback__)
        at = ""
        if frames:
            origin = Path(frames[-1].filename)
            at = f" (raised at {_rel(origin, repo)}:{frames[-1].lineno})"
        reason = f"{type(exc).__name__}: {' '.join(str(exc).split())}{at}"
    if setting and not isinstance(exc, InputError):
        reason += f"; check {setting}"
    rel = _rel(where, repo) if where is not None else None
    line = json_pointer_line(where, pointer) if where is not None and pointer and where.suffix == ".json" else None
    return GateFinding(R.STEP_CANNOT_RUN, "error", f"{step} cannot run: {reason}", file=rel, pointer=pointer, line=line)


def _run_step(
    name: str, fn: Callable[[], list[GateFinding]], repo: Path, setting: str = "", file: Path | None = None
) -> list[GateFinding]:
    try:
        return fn()
    except RecursionError:
        return [_cannot_run(name, UsageError("input nested too deeply to process"), repo, setting, file)]
    except Exception as exc:  # a step runs user code (an app factory, conversions): any failure is one finding
        return [_cannot_run(name, exc, repo, setting, file)]


def _collect(fn: StepFunction, head: Registry) -> list[GateFinding]:
    return list(fn(head))


def run_check(opts: CheckOptions) -> GateReport:
    head = load_registry(opts.schemas)
    repo = git_root(opts.schemas.resolve())
    commit = _base_commit(repo, opts.base)
    min_days = opts.min_deprecation_days
    if min_days is None:
        min_days = head.index.policy.min_deprecation_days
    index_rel = _rel(opts.schemas / "index.toml", repo)
    steps: list[_Step] = []

    if commit is None:
        base_label = "nothing (no commit yet)"
        policy = _run_step("policy", lambda: list(check_policy(None, head, opts.today, min_days, index_rel)), repo)
        steps.append(_Step("policy", _plural(len(head.versions), "version"), policy))
        steps.append(_Step("compatibility", "no commit yet: nothing to compare with", None))
        steps.append(_served_step(opts, repo, None, None, head))
    else:
        base_label = f"{opts.base or 'merge-base with main'} ({commit[:12]})"
        with tempfile.TemporaryDirectory(prefix="contractkit-base-") as tmp:
            rel_schemas = Path(_rel(opts.schemas, repo))
            base_root = materialise(repo, commit, rel_schemas, Path(tmp))
            base: Registry | None = None
            base_error: GateFinding | None = None
            if base_root is not None and (base_root / "index.toml").is_file():
                try:
                    base = load_registry(base_root)
                except ContractkitError as exc:
                    msg = (
                        f"compatibility cannot run: the registry at base {commit[:12]} does not load: {exc.one_line()}"
                    )
                    base_error = GateFinding(R.STEP_CANNOT_RUN, "error", msg, file=index_rel)
            base_date = _commit_date(repo, commit)
            policy = _run_step(
                "policy",
                lambda: list(check_policy(base, head, opts.today, min_days, index_rel, base_date=base_date)),
                repo,
            )
            steps.append(_Step("policy", _plural(len(head.versions), "version"), policy))
            if base_error is not None:
                steps.append(_Step("compatibility", f"the registry at {commit[:12]} does not load", [base_error]))
            elif base is None:
                steps.append(_Step("compatibility", f"no registry at {commit[:12]}: everything is new", None))
            else:
                loaded = base
                checked: list[str] = []

                def compat() -> list[GateFinding]:
                    found, names = _compat_findings(loaded, head, opts, repo)
                    checked.extend(names)
                    return found

                compat_findings = _run_step("compatibility", compat, repo)
                steps.append(_Step("compatibility", _plural(len(checked), "schema") + " checked", compat_findings))
            steps.append(_served_step(opts, repo, commit, base, head))

    keywords = _run_step("lint", lambda: keyword_findings(head, repo), repo)
    unknown = _plural(sum(1 for f in keywords if f.rule_id == R.UNKNOWN_KEYWORD), "unknown keyword")
    steps.append(_Step("lint", f"{_plural(len(head.files), 'schema file')}, {unknown}", keywords))
    steps.append(_codegen_step(head, opts, repo))

    for step_name, step in opts.extra_steps.items():
        if isinstance(step, SkippedStep):
            steps.append(_Step(step_name, step.reason, None))
            continue
        extra = step if isinstance(step, ExtraStep) else ExtraStep(step)
        found = _run_step(step_name, partial(_collect, extra.run, head), repo, extra.setting, extra.file)
        steps.append(_Step(step_name, "", found))

    if opts.waivers is not None:
        # Waivers see every finding at once; a step's status then follows from its own unwaived findings.
        flat = [f for st in steps for f in st.findings or ()]
        waived = apply_waivers(flat, load_waivers(opts.waivers), opts.today, _rel(opts.waivers, repo))
        at = 0
        for st in steps:
            if st.findings is not None:
                st.findings, at = waived[at : at + len(st.findings)], at + len(st.findings)
        steps.append(_Step("waivers", _rel(opts.waivers, repo), waived[at:]))
    else:
        reason = opts.skip_reasons.get("waivers", "no waiver file")
        steps.append(_Step("waivers", reason, None))

    order = {"error": 0, "warning": 1, "info": 2}
    findings = [f for st in steps for f in st.findings or ()]
    findings.sort(key=lambda f: (f.waived is not None, order[f.severity], f.version or "", f.schema or "", f.rule_id))
    results = tuple(
        StepResult(
            st.name,
            "skipped" if st.findings is None else "failed" if any(f.blocking for f in st.findings) else "passed",
            st.detail,
        )
        for st in steps
    )
    return GateReport(
        base=base_label,
        today=opts.today,
        findings=tuple(findings),
        steps=results,
        versions=tuple(v.name for v in head.versions),
    )


def _served_step(opts: CheckOptions, repo: Path, commit: str | None, base: Registry | None, head: Registry) -> _Step:
    settings = opts.served
    if isinstance(settings, SkippedStep):
        return _Step("openapi", settings.reason, None)
    if settings is None:
        why = "not configured: set [tool.contractkit.openapi] app-factory (or app) to compare the served documents"
        return _Step("openapi", why, None)
    if commit is None or base is None:
        return _Step("openapi", "no published version at the base: nothing to compare with", None)
    served = settings
    versions = published(base, head, opts.today)
    detail: list[str] = []

    def run() -> list[GateFinding]:
        found, line = served_findings(
            served,
            repo=repo,
            commit=commit,
            versions=versions,
            today=opts.today,
            format_assertion=opts.format_assertion,
            severity=opts.severity,
            head=head,
        )
        detail.append(line)
        return found

    pyproject = settings.base_dir / "pyproject.toml"
    findings = _run_step("openapi", run, repo, settings.setting, pyproject)
    return _Step("openapi", detail[0] if detail else "", findings)


def _codegen_step(head: Registry, opts: CheckOptions, repo: Path) -> _Step:
    if "codegen" in opts.skip_reasons:
        return _Step("codegen", opts.skip_reasons["codegen"], None)
    if not opts.codegen:
        return _Step("codegen", "switched off", None)
    models = opts.models
    if models is None:
        return _Step("codegen", "not configured: set [tool.contractkit] models to check the generated models", None)

    def run() -> list[GateFinding]:
        from contractkit.codegen import check_models

        result = check_models(head, models)
        out = []
        for rel, what in (
            *((r, "is out of date with the schemas") for r in result.stale),
            *((r, "does not exist yet") for r in result.missing),
            *((r, "belongs to no schema any more (codegen deletes it)") for r in result.extra),
        ):
            out.append(
                GateFinding(
                    R.MODELS_STALE,
                    "error",
                    f"generated model {rel} {what}; run `contractkit codegen`",
                    file=_rel(models / rel, repo),
                    line=1,
                )
            )
        from contractkit._extras import missing_extras

        out += [
            GateFinding(
                R.MODEL_NEEDS_EXTRA,
                "warning",
                need.message(_rel(need.file, repo)),
                file=_rel(need.file, repo),
                line=need.line,
            )
            for need in missing_extras(models)
        ]
        return out

    setting = f'[tool.contractkit] models = "{_rel(models, repo)}"'
    return _Step("codegen", _rel(models, repo), _run_step("codegen", run, repo, setting, None))
