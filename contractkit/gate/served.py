"""The served contract as a step of `contractkit check`: each published version's OpenAPI document, built
by the app at the git base and by the app in the working tree, compared operation by operation.

Where the documents come from: the app named in `[tool.contractkit.openapi]` (else the one of
`[tool.contractkit.replay]`), imported in a process of its own and asked `GET /<version>/openapi.json`
(`url`) — what `contractkit.fastapi` serves, and what any framework serving a document per version can.
The base's app is imported from a checkout of the base commit (its tracked files in a temporary folder,
first on sys.path), the working tree's from the project folder: two processes, run side by side, so the
two versions of the app never share one (nor share `sys.modules` with the gate).

Which versions: those published at the base that the working tree still lists and that are not past
their sunset — the same as the schema compatibility step (a version's removal is the policy's business).
A version the working tree's app no longer serves is compared with an empty document: every operation
of it was removed. The comparison is `compare_openapi` (requests backward, responses forward, with
witnesses; responses read as the registry's `[policy] readers` says clients read them, so with tolerant
clients a property added to a response body is not a break here either); each of its findings becomes a
gate finding located by its operation (`subject`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractkit._json import value_at
from contractkit.compat import Reader
from contractkit.config import Config
from contractkit.errors import InputError, UsageError
from contractkit.gate._model import GateFinding, Severity
from contractkit.gate.gitbase import checkout
from contractkit.registry import Registry

__all__ = [
    "DEFAULT_URL",
    "ServedDocuments",
    "ServedSettings",
    "served_documents",
    "served_findings",
    "settings_from_config",
]

DEFAULT_URL = "/{version}/openapi.json"
_PROBE = Path(__file__).with_name("_served_probe.py")
_TIMEOUT = 120.0  # seconds an app may take to import and answer its documents


@dataclass(frozen=True, slots=True)
class ServedSettings:
    """Where the served documents come from: an app (`module:attribute`) or an app factory, the path of a
    version's document (`{version}` in it), the environment the app needs, and the project folder."""

    app: str | None = None
    app_factory: str | None = None
    url: str = DEFAULT_URL
    env: Mapping[str, str] = field(default_factory=dict)
    base_dir: Path = Path(".")
    table: str = "[tool.contractkit.openapi]"  # where the app is configured, for messages

    @property
    def spec(self) -> tuple[str, str]:
        if self.app_factory:
            return self.app_factory, "app-factory"
        if self.app:
            return self.app, "app"
        raise UsageError(f"no app to build the OpenAPI documents from: set app or app-factory in {self.table}")

    @property
    def setting(self) -> str:
        """The setting to name when the step cannot run."""
        spec, kind = self.spec
        return f'{self.table} {kind} = "{spec}" in pyproject.toml'


def settings_from_config(config: Config) -> ServedSettings | None:
    """`[tool.contractkit.openapi]` (`app` or `app-factory`, `url`, `env`), each key falling back to
    `[tool.contractkit.replay]`'s; None when neither names an app."""
    pyproject = config.base_dir / "pyproject.toml"
    own = config.raw.get("openapi", {})
    replay = config.raw.get("replay", {})
    for name, table in (("openapi", own), ("replay", replay)):
        if not isinstance(table, dict):
            raise InputError(pyproject, f"/tool/contractkit/{name}", "expected a table")
    for key in ("app", "app-factory", "url"):
        if key in own and not isinstance(own[key], str):
            raise InputError(pyproject, f"/tool/contractkit/openapi/{key}", "expected a string")
    env_table = "openapi" if "env" in own else "replay"
    env = own.get("env", replay.get("env", {}))
    if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
        raise InputError(pyproject, f"/tool/contractkit/{env_table}/env", "expected a table of strings")
    url = own.get("url", DEFAULT_URL)
    if "{version}" not in url or not url.startswith("/"):
        raise InputError(
            pyproject, "/tool/contractkit/openapi/url", 'expected a path with {version}, e.g. "/{version}/openapi.json"'
        )
    source = own if ("app" in own or "app-factory" in own) else replay
    app, factory = source.get("app"), source.get("app-factory")
    if not (isinstance(app, str) and app) and not (isinstance(factory, str) and factory):
        return None
    table = "[tool.contractkit.openapi]" if source is own else "[tool.contractkit.replay]"
    return ServedSettings(
        app=app if isinstance(app, str) else None,
        app_factory=factory if isinstance(factory, str) else None,
        url=url,
        env=dict(env),
        base_dir=config.base_dir,
        table=table,
    )


@dataclass(frozen=True, slots=True)
class ServedDocuments:
    """Each version's document as the app serves it; `missing`: versions it serves none for, and why."""

    documents: Mapping[str, dict[str, Any]]
    missing: Mapping[str, str]


class ServedAppError(UsageError):
    """The app could not be imported or built; `module` is set when a module was not found at all."""

    def __init__(self, message: str, module: str | None = None) -> None:
        super().__init__(message)
        self.module = module


class _Probe:
    """One app, imported in a subprocess from `root`, asked for each version's document."""

    def __init__(self, settings: ServedSettings, root: Path, versions: Sequence[str], scratch: Path) -> None:
        spec, kind = settings.spec
        self.out = scratch / f"documents-{os.getpid()}-{id(self)}.json"
        env = {**os.environ, **settings.env}
        env.pop("PYTHONSAFEPATH", None)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(_PROBE),
                str(root),
                spec,
                kind,
                settings.url,
                json.dumps(list(versions)),
                str(self.out),
            ],
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def result(self) -> ServedDocuments:
        try:
            _, stderr = self.proc.communicate(timeout=_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            raise ServedAppError(f"the app did not answer its documents within {_TIMEOUT:.0f} s") from None
        try:
            data = json.loads(self.out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            tail = " ".join(stderr.decode("utf-8", "replace").split())[-300:]
            raise ServedAppError(
                f"the app's process ended (exit {self.proc.returncode}) without documents: {tail}"
            ) from None
        if "error" in data:
            at = f" (raised at {data['at']})" if data.get("at") else ""
            raise ServedAppError(str(data["error"]) + at, module=data.get("module"))
        return ServedDocuments(data["documents"], data["missing"])


def served_documents(settings: ServedSettings, versions: Sequence[str], root: Path | None = None) -> ServedDocuments:
    """Each version's document as the app in `root` (default: the project folder) serves it."""
    with tempfile.TemporaryDirectory(prefix="contractkit-openapi-") as scratch:
        return _Probe(settings, (root or settings.base_dir).resolve(), versions, Path(scratch)).result()


def published(base: Registry, head: Registry, today: dt.date) -> list[str]:
    """Versions the working tree must keep serving as the base did: listed at both, not past their sunset."""
    names = {v.name for v in head.versions}
    out = []
    for version in base.versions:
        if version.name not in names:
            continue
        sunset = head.version(version.name).sunset
        if sunset is not None and today >= sunset:
            continue
        out.append(version.name)
    return out


def _extract(repo: Path, commit: str, dest: Path) -> None:
    """The commit's tracked files in `dest`, as a checkout writes them (`gitbase.checkout`: `export-ignore`
    files included, an app module kept out of release archives is still there)."""
    why = checkout(repo, commit, dest)
    if why is not None:
        raise UsageError(f"cannot read commit {commit[:12]}: {why}")


def _unchanged(repo: Path, commit: str) -> bool:
    """The working tree is the commit, file for file (nothing staged, modified or untracked): the same app."""
    same = subprocess.run(["git", "diff", "--quiet", commit, "--"], cwd=repo, capture_output=True, check=False)
    if same.returncode != 0:
        return False
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, check=False)
    return status.returncode == 0 and not status.stdout.strip()


def _is_new_app(exc: ServedAppError, spec: str) -> bool:
    """The base has no such module at all (the app is new on this branch): nothing to compare with."""
    module = spec.partition(":")[0]
    return exc.module is not None and (module == exc.module or module.startswith(exc.module + "."))


def served_findings(
    settings: ServedSettings,
    *,
    repo: Path,
    commit: str,
    versions: Sequence[str],
    today: dt.date,
    format_assertion: bool,
    severity: Mapping[str, Severity],
    head: Registry | None = None,
) -> tuple[list[GateFinding], str]:
    """The served documents at `commit` against the working tree's, version by version: the findings and
    the step's detail line. With the working tree's registry (`head`), responses are read as its `[policy]
    readers` says clients read them, and a body that is a registry schema on both sides (`$ref` to
    `#/components/schemas/<version>.<name>`, as `contractkit.fastapi` publishes them) is left to the
    compatibility step, which judges that schema once, with its own reader, rather than once per operation.
    Raises (a ContractkitError) when the working tree's app cannot be built."""
    from contractkit.openapi import compare_openapi, load_openapi

    if not versions:
        return [], "no published version to compare"
    spec, _ = settings.spec
    label = commit[:12]
    if _unchanged(repo, commit):
        return [], f"the working tree is {label} itself: the same documents"
    with tempfile.TemporaryDirectory(prefix="contractkit-served-") as tmp:
        scratch = Path(tmp)
        _extract(repo, commit, scratch / "base")
        try:
            rel = settings.base_dir.resolve().relative_to(repo.resolve())
        except ValueError:
            rel = Path(".")
        base_root = scratch / "base" / rel
        base_probe = _Probe(settings, base_root, versions, scratch) if base_root.is_dir() else None
        head_probe = _Probe(settings, settings.base_dir.resolve(), versions, scratch)
        try:
            head_docs = head_probe.result()
        except BaseException:
            if base_probe is not None:
                base_probe.proc.kill()
                base_probe.proc.communicate()
            raise
        try:
            base_docs = base_probe.result() if base_probe is not None else None
        except ServedAppError as exc:
            if not _is_new_app(exc, spec):
                raise UsageError(f"the app at base {label} does not load: {exc}") from None
            base_docs = None
    for version in versions:
        if version not in head_docs.documents and (base_docs is None or version not in base_docs.documents):
            why = head_docs.missing.get(version, "")
            raise UsageError(f"the app serves no document for {version} ({why}); check the url")
    if base_docs is None:
        return [], f"no app at base {label}: every operation is new"
    reader: Reader = head.index.policy.readers.get("response", "strict") if head is not None else "strict"
    out: list[GateFinding] = []
    compared: list[str] = []
    for version in versions:
        old = base_docs.documents.get(version)
        new = head_docs.documents.get(version)
        if old is None:
            continue  # not served at the base: every operation is new
        if new is None:  # no longer served: every operation of it was removed
            new = {"openapi": old.get("openapi", "3.1.0"), "info": old.get("info", {}), "paths": {}}
        compared.append(version)
        if old == new:
            continue
        # labelled for the witnesses' `rejected_because` ("v2 served now has no operation DELETE ...")
        before = load_openapi(old, label=f"{version} served at the base")
        after = load_openapi(new, label=f"{version} served now")
        report = compare_openapi(
            before, after, today=today, format_assertion=format_assertion, overrides=severity, reader=reader
        )
        names = frozenset(head.version(version).schemas) if head is not None else frozenset()
        out += [_finding(f, version) for f in report.findings if not _registry_body(f, old, new, version, names)]
    detail = f"{', '.join(compared) or 'no version'}: the documents served at the base and now, compared"
    return out, detail


_BODY_RULES = frozenset({"request-body-schema-narrowed", "response-body-schema-widened"})


def _node(doc: Mapping[str, Any], pointer: str | None) -> Any:
    return value_at(doc, pointer or "")


def _registry_body(f: Any, old: Mapping[str, Any], new: Mapping[str, Any], version: str, names: frozenset[str]) -> bool:
    """A body finding about the same registry schema on both sides: the compatibility step's to judge."""
    if f.rule_id not in _BODY_RULES or not names:
        return False
    before, after = _ref_of(_node(old, f.old_pointer)), _ref_of(_node(new, f.new_pointer))
    prefix = f"#/components/schemas/{version}."
    return before is not None and before == after and before.startswith(prefix) and before[len(prefix) :] in names


def _ref_of(node: Any) -> str | None:
    return node.get("$ref") if isinstance(node, dict) and isinstance(node.get("$ref"), str) else None


def _finding(f: Any, version: str) -> GateFinding:
    """An operation finding as a gate finding: located by its operation, its witness a whole request or
    response (or the schema's instance for a document-wide finding)."""
    severity: Severity = "error" if f.blocking else f.severity
    witness: Any = None
    has_witness = True
    if f.request is not None:
        witness = {"request": f.request.to_json()}
    elif f.response is not None:
        witness = {"response": f.response.to_json()}
    elif f.schema is not None and f.schema.witness is not None:
        witness = f.schema.witness.instance
    else:
        has_witness = False
    what = "breaks" if f.severity == "error" else "cannot prove compatible" if severity == "error" else ""
    lead = f"{f.location} ({version}, {f.direction})"
    message = f"{lead} {what}: {f.message}" if what else f"{lead}: {f.message}"
    return GateFinding(
        f.rule_id,
        severity,
        message,
        version=version,
        direction=f.direction,
        witness=witness,
        has_witness=has_witness,
        subject=f.location,
    )
