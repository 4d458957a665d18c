"""Shape drift between consecutive versions, found by generating instances and cross-checked with the engine.

For every schema present in two consecutive versions (old, new):

- backward: instances generated from old's schema are validated against new's; each rejection is a witness
  that the change narrows what is valid (expected for a declared break; the engine's finding that explains
  it is attached by pointer);
- forward: the same from new's schema against old's;
- a direction the engine calls compatible that a validator-confirmed witness refutes is an engine bug:
  `engine-missed-break`, a failure;
- through the declared conversions, step by step between adjacent versions: an old request that is valid
  must upgrade to a valid new request (`upgrade-invalid`), a new response must downgrade to a valid old one
  (`downgrade-invalid`); a conversion that raises is `conversion-raised`, unless it refuses on purpose with
  a 4xx status. When `new` is not the head, the step is asked for explicitly (`upgrade(old, ..., to=new)`,
  `downgrade(old, ..., source=new)`, as `contractkit.fastapi.Conversions` offers); a pair ending at the
  head calls `upgrade(old, name, body, ctx)` / `downgrade(old, name, body)`, so any object with those two
  methods can be checked on a two-version registry.

The verdict source is a parameter (`verdicts`), so the cross-check can be exercised with any verdict; the
default is `contractkit.compat.compare`. Instances come from Schemathesis's generator: the bare JSON Schema
is wrapped as the request body of a one-operation OpenAPI 3.1 document.
"""

from __future__ import annotations

import copy
import itertools
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any, Protocol

import jsonschema_rs

from contractkit.fuzz._model import Direction, DriftRejection, FuzzFailure, FuzzResult, VersionRun
from contractkit.fuzz.rules import ENGINE_MISSED_BREAK  # the ids' table: FUZZ_RULES (and REPLAY_RULES)
from contractkit.registry import Registry, escape
from contractkit.replay.rules import CONVERSION_RAISED, DOWNGRADE_INVALID, UPGRADE_INVALID

__all__ = [
    "CONVERSION_RAISED",
    "DOWNGRADE_INVALID",
    "ENGINE_MISSED_BREAK",
    "UPGRADE_INVALID",
    "FindingLike",
    "Verdict",
    "VerdictSource",
    "drift_pair",
    "drift_registry",
    "engine_verdict",
    "generate",
]

_ROOT = "#/components/schemas/root"
_MAX_REJECTIONS = 3  # drift witnesses kept per schema, version pair and direction


class FindingLike(Protocol):
    """The parts of an engine finding the cross-check reads (contractkit.compat.Finding has them)."""

    @property
    def rule_id(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def old_pointer(self) -> str | None: ...
    @property
    def new_pointer(self) -> str | None: ...


class Verdict(Protocol):
    """What the cross-check needs from a compatibility verdict (contractkit.compat's CompatReport has it)."""

    @property
    def compatible(self) -> bool: ...
    @property
    def findings(self) -> Sequence[FindingLike]: ...


VerdictSource = Callable[[Any, Any, Direction], Verdict]


def engine_verdict(old: Any, new: Any, direction: Direction) -> Verdict:
    from contractkit.compat import compare

    return compare(old, new, mode=direction, format_assertion=True)


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _rewrite_refs(v) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            out["$ref"] = _ROOT + ref[1:]
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node


def _as_openapi(schema: Any) -> dict[str, Any]:
    """A bundled JSON Schema as the request body of `POST /x` in an OpenAPI 3.1 document; its local `$ref`s
    are moved under `#/components/schemas/root`, where the schema now lives."""
    root = _rewrite_refs(copy.deepcopy(schema))
    if isinstance(root, dict):
        root.pop("$id", None)
        root.pop("$schema", None)
    return {
        "openapi": "3.1.0",
        "info": {"title": "drift", "version": "0"},
        "paths": {
            "/x": {
                "post": {
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": _ROOT}}}},
                    "responses": {"200": {"description": "OK"}},
                }
            }
        },
        "components": {"schemas": {"root": root}},
    }


def generate(schema: Any, count: int, seed: int) -> list[Any]:
    """Up to `count` instances of a JSON Schema, reproducibly for a seed (Schemathesis's generator)."""
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    operation = schemathesis.openapi.from_dict(_as_openapi(schema))["/x"]["POST"]
    out: list[Any] = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(operation.as_strategy())
    def collect(case: Any) -> None:
        out.append(json.loads(json.dumps(case.body)))

    collect()
    return out


def _pointer(path: Iterable[Any]) -> str:
    return "".join(f"/{escape(str(p))}" for p in path)


def _related(a: str, b: str) -> bool:
    return a == b or a.startswith(b + "/") or (a != "" and b.startswith(a + "/"))


def _explain(verdict: Verdict, direction: Direction, errors: list[Any]) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """The engine findings (in this direction) whose pointer lies on the path of a validation error, how they
    were matched, and the errors no finding lies on."""
    # evaluation_path walks through `$ref`s the way the engine's pointers do (schema_path jumps to `$defs`)
    paths = [_pointer(getattr(e, "evaluation_path", None) or e.schema_path) for e in errors]
    rules: list[str] = []
    explained: set[int] = set()
    for finding in verdict.findings:
        if finding.direction != direction or finding.severity == "info":
            continue
        # the errors come from the schema that rejects: new for backward, old for forward
        pointer = finding.new_pointer if direction == "backward" else finding.old_pointer
        if pointer is None:
            continue
        hits = {i for i, p in enumerate(paths) if _related(p, pointer)}
        explained |= hits
        if hits and finding.rule_id not in rules:
            rules.append(finding.rule_id)
    unexplained = tuple(
        dict.fromkeys(f"{e.message} (at {paths[i] or '/'})" for i, e in enumerate(errors) if i not in explained)
    )
    if rules:
        return tuple(rules), "pointer", unexplained
    # No finding sits on the error's path: name the errors the engine raised in this direction, if any.
    fallback = tuple(
        dict.fromkeys(f.rule_id for f in verdict.findings if f.direction == direction and f.severity == "error")
    )
    return fallback, "direction" if fallback else "none", unexplained


def _declared_refusal(exc: Exception) -> bool:
    status = getattr(exc, "status", None) or getattr(exc, "status_code", None)
    return isinstance(status, int) and 400 <= status < 500


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 300 else text[:297] + "..."


def drift_pair(
    name: str,
    old_version: str,
    new_version: str,
    old_schema: Any,
    new_schema: Any,
    *,
    result: FuzzResult,
    seed: int,
    max_examples: int,
    role: str | None = None,
    conversions: Any = None,
    context: Mapping[str, Any] | None = None,
    verdicts: VerdictSource = engine_verdict,
    head: str | None = None,
) -> int:
    """Drift-fuzz one schema across one version pair; returns how many instances were checked. `head` is the
    version the conversions convert to and from by default (None: `new_version`)."""
    step = None if head is None or head == new_version else new_version
    pair = f"{old_version}->{new_version}"
    old_v = jsonschema_rs.validator_for(old_schema, validate_formats=True)
    new_v = jsonschema_rs.validator_for(new_schema, validate_formats=True)
    checked = 0
    sides: list[tuple[Direction, Any, Any, Any]] = [
        ("backward", old_schema, old_v, new_v),
        ("forward", new_schema, new_v, old_v),
    ]
    for direction, source, src_v, dst_v in sides:
        verdict = verdicts(old_schema, new_schema, direction)
        instances = [x for x in generate(source, max_examples, seed) if src_v.is_valid(x)]
        checked += len(instances)
        kept = 0
        missed = False
        seen: set[str] = set()
        for instance in instances:
            key = json.dumps(instance, sort_keys=True)
            if key in seen or dst_v.is_valid(instance):
                continue
            seen.add(key)
            errors = list(dst_v.iter_errors(instance))
            reason = errors[0].message if errors else "rejected"
            if kept < _MAX_REJECTIONS:
                kept += 1
                rules, matched_by, unexplained = _explain(verdict, direction, errors)
                result.drift.append(
                    DriftRejection(
                        name,
                        old_version,
                        new_version,
                        direction,
                        instance,
                        reason,
                        rules,
                        matched_by,
                        verdict.compatible,
                        unexplained,
                    )
                )
            if verdict.compatible and not missed:
                missed = True
                valid_under, rejected_by = (
                    (old_version, new_version) if direction == "backward" else (new_version, old_version)
                )
                result.add(
                    FuzzFailure(
                        ENGINE_MISSED_BREAK,
                        pair,
                        name,
                        f"the engine calls {name} {pair} {direction}-compatible, but this instance is valid under "
                        f"{valid_under} and rejected by {rejected_by} ({reason})",
                        seed,
                        payload=instance,
                    )
                )
        if conversions is None:
            continue
        if direction == "backward" and role == "request":
            _check_conversion(
                "upgrade", name, old_version, new_version, instances, dst_v, conversions, context, seed, result, step
            )
        if direction == "forward" and role == "response":
            _check_conversion(
                "downgrade", name, old_version, new_version, instances, dst_v, conversions, context, seed, result, step
            )
    return checked


def _check_conversion(
    kind: str,
    name: str,
    old_version: str,
    new_version: str,
    instances: Sequence[Any],
    target_validator: Any,
    conversions: Any,
    context: Mapping[str, Any] | None,
    seed: int,
    result: FuzzResult,
    step: str | None = None,
) -> None:
    """`step`: the newer version of the pair when it is not the head (the conversion is asked for that one
    step); None converts to and from the head."""
    pair = f"{old_version}->{new_version}"
    to = new_version if kind == "upgrade" else old_version
    for instance in instances:
        body = copy.deepcopy(instance)
        try:
            if kind == "upgrade":
                ctx = SimpleNamespace(**(context or {}))
                if step is None:
                    converted = conversions.upgrade(old_version, name, body, ctx)
                else:
                    converted = conversions.upgrade(old_version, name, body, ctx, to=step)
            elif step is None:
                converted = conversions.downgrade(old_version, name, body)
            else:
                converted = conversions.downgrade(old_version, name, body, source=step)
        except Exception as exc:  # user code: any exception is a finding, unless a declared 4xx refusal
            if _declared_refusal(exc):
                continue
            result.add(
                FuzzFailure(
                    CONVERSION_RAISED,
                    pair,
                    name,
                    f"{kind} of {name} to {to} raised {type(exc).__name__}: {exc}",
                    seed,
                    payload=instance,
                )
            )
            return
        if not target_validator.is_valid(converted):
            errors = list(target_validator.iter_errors(converted))
            reason = errors[0].message if errors else "rejected"
            result.add(
                FuzzFailure(
                    UPGRADE_INVALID if kind == "upgrade" else DOWNGRADE_INVALID,
                    pair,
                    name,
                    f"{kind} of a valid {name} gives {_short(converted)}, which {to}'s schema rejects ({reason})",
                    seed,
                    payload=instance,
                )
            )
            return


def drift_registry(
    registry: Registry,
    versions: Sequence[str],
    *,
    result: FuzzResult,
    seed: int,
    max_examples: int,
    conversions: Any = None,
    context: Mapping[str, Any] | None = None,
    deadline: float | None = None,
    verdicts: VerdictSource = engine_verdict,
    done: Callable[[VersionRun], None] | None = None,
) -> None:
    """Drift-fuzz every schema shared by consecutive selected versions of the index (conversions are checked
    one step at a time, towards the registry's head)."""
    head = registry.versions[-1].name
    names = [v.name for v in registry.versions if v.name in versions]
    for old, new in itertools.pairwise(names):
        run = VersionRun(f"drift {old}->{new}", unit="schema(s)")
        started = time.monotonic()
        shared = sorted(set(registry.version(old).schemas) & set(registry.version(new).schemas))
        for name in shared:
            if deadline is not None and time.monotonic() > deadline:
                result.budget_exhausted = True
                run.note = "stopped: time budget exhausted"
                break
            run.cases += drift_pair(
                name,
                old,
                new,
                registry.bundled(name, old),
                registry.bundled(name, new),
                result=result,
                seed=seed,
                max_examples=max_examples,
                role=registry.role(name),
                conversions=conversions,
                context=context,
                verdicts=verdicts,
                head=head,
            )
            run.operations += 1
        run.seconds = time.monotonic() - started
        result.runs.append(run)
        if done is not None:
            done(run)
