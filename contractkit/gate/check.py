"""`contractkit check`: the working tree's registry against the registry at a git base.

Within a published version only compatible changes may land. The direction rule, written down once:
a **request** schema is read by the server, so every payload an existing client sends must stay valid
(`backward`: old ⊆ new); a **response** schema is read by clients, so every payload the server now
sends must be valid for existing clients (`forward`: new ⊆ old). A schema with no role gets `full`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractkit.compat import mode_for_role
from contractkit.errors import ContractkitError, UsageError
from contractkit.gate import rules as R
from contractkit.gate._model import GateFinding, GateReport, Severity, StepResult
from contractkit.gate.gitbase import default_base, git_root, materialise, resolve_ref
from contractkit.gate.locate import json_pointer_line
from contractkit.gate.policy import check_policy, deprecated_property_findings
from contractkit.gate.waivers import apply_waivers, load_waivers
from contractkit.registry import Registry, escape, load_registry

__all__ = ["CheckOptions", "mode_for_role", "run_check"]

UNDECIDED = "undecided"


@dataclass(frozen=True, slots=True)
class CheckOptions:
    schemas: Path
    models: Path | None = None
    base: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    min_deprecation_days: int | None = None
    format_assertion: bool = True
    severity: Mapping[str, Severity] = field(default_factory=dict)
    waivers: Path | None = None
    codegen: bool = True
    # Extra steps (replay, fuzz) plug in here: name -> callable(head registry) -> findings.
    extra_steps: Mapping[str, Callable[[Registry], Iterable[GateFinding]]] = field(default_factory=dict)


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
            report = _compare()(
                old_schema, new_schema, mode=mode, format_assertion=opts.format_assertion, overrides=opts.severity
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
                lead = f"{name}@{new_version.name} ({role or 'schema'}, {mode})"
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


def run_check(opts: CheckOptions) -> GateReport:
    head = load_registry(opts.schemas)
    repo = git_root(opts.schemas.resolve())
    commit = resolve_ref(repo, opts.base) if opts.base else default_base(repo)
    base_label = f"{opts.base or 'merge-base with main'} ({commit[:12]})"
    min_days = opts.min_deprecation_days
    if min_days is None:
        min_days = head.index.policy.min_deprecation_days
    index_rel = _rel(opts.schemas / "index.toml", repo)
    steps: list[_Step] = []

    with tempfile.TemporaryDirectory(prefix="contractkit-base-") as tmp:
        rel_schemas = Path(_rel(opts.schemas, repo))
        base_root = materialise(repo, commit, rel_schemas, Path(tmp))
        base: Registry | None = None
        if base_root is not None and (base_root / "index.toml").is_file():
            try:
                base = load_registry(base_root)
            except ContractkitError as exc:
                raise UsageError(f"the registry at base {commit[:12]} does not load: {exc.one_line()}") from None
        policy = list(check_policy(base, head, opts.today, min_days, index_rel))
        steps.append(_Step("policy", f"{len(head.versions)} versions", policy))
        if base is None:
            steps.append(_Step("compatibility", f"no registry at {commit[:12]}: everything is new", None))
        else:
            compat, checked = _compat_findings(base, head, opts, repo)
            steps.append(_Step("compatibility", f"{len(checked)} schemas checked", compat))

    if opts.codegen and opts.models is not None:
        from contractkit.codegen import check_models

        result = check_models(head, opts.models)
        stale = [
            GateFinding(
                R.MODELS_STALE,
                "error",
                f"generated model {rel} is out of date with the schemas; run `contractkit codegen`",
                file=_rel(opts.models / rel, repo),
                line=1,
            )
            for rel in (*result.stale, *result.missing, *result.extra)
        ]
        steps.append(_Step("codegen", _rel(opts.models, repo), stale))
    else:
        steps.append(_Step("codegen", "switched off", None))

    for step_name, step in opts.extra_steps.items():
        steps.append(_Step(step_name, "", list(step(head))))

    if opts.waivers is not None:
        # Waivers see every finding at once; a step's status then follows from its own unwaived findings.
        flat = [f for st in steps for f in st.findings or ()]
        waived = apply_waivers(flat, load_waivers(opts.waivers), opts.today, _rel(opts.waivers, repo))
        at = 0
        for st in steps:
            if st.findings is not None:
                st.findings, at = waived[at : at + len(st.findings)], at + len(st.findings)
        steps.append(_Step("waivers", _rel(opts.waivers, repo), waived[at:]))

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
