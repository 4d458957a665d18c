"""`fuzz()`: the one entry point the CLI calls — live fuzzing of each served version, or drift fuzzing."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from contractkit.errors import UsageError
from contractkit.fuzz._model import FuzzResult, VersionRun
from contractkit.fuzz.drift import VerdictSource, drift_registry, engine_verdict
from contractkit.fuzz.lifecycle import expectations
from contractkit.fuzz.live import LiveTarget, fuzz_versions
from contractkit.registry import Registry

__all__ = ["fuzz", "select_versions"]


def select_versions(registry: Registry, wanted: Sequence[str] | None) -> list[str]:
    """The versions to fuzz, in index order; every one must be in the index."""
    known = [v.name for v in registry.versions]
    if not wanted:
        return known
    for name in wanted:
        registry.version(name)  # UsageError naming the known versions
    return [v for v in known if v in wanted]


def fuzz(
    registry: Registry,
    *,
    target: LiveTarget | None = None,
    versions: Sequence[str] | None = None,
    today: dt.date | None = None,
    headers: Mapping[str, str] | None = None,
    max_examples: int = 20,
    seed: int = 0,
    time_budget: float | None = None,
    drift: bool = False,
    conversions: Any = None,
    context: Mapping[str, Any] | None = None,
    verdicts: VerdictSource = engine_verdict,
    progress: Callable[[str], None] | None = None,
    done: Callable[[VersionRun], None] | None = None,
    request_id: bool = False,
    accepted_problems: Sequence[str] = (),
) -> FuzzResult:
    """Live: fuzz each selected version of `target` (past its sunset: probe for 410). Drift: fuzz the shape
    of every schema shared by consecutive selected versions, through `conversions` when given."""
    if max_examples < 1:
        raise UsageError(f"--max-examples must be at least 1, got {max_examples}")
    if time_budget is not None and time_budget <= 0:
        raise UsageError(f"--time-budget must be positive, got {time_budget}")
    chosen = select_versions(registry, versions)
    deadline = time.monotonic() + time_budget if time_budget is not None else None
    result = FuzzResult(seed=seed)
    if drift:
        if len(chosen) < 2:
            raise UsageError("drift fuzzing needs at least two versions")
        drift_registry(
            registry,
            chosen,
            result=result,
            seed=seed,
            max_examples=max_examples,
            conversions=conversions,
            context=context,
            deadline=deadline,
            verdicts=verdicts,
            done=done,
        )
        return result
    if target is None:
        raise UsageError("live fuzzing needs an app or a base URL")
    fuzz_versions(
        target,
        chosen,
        expectations(registry, today or dt.datetime.now(dt.UTC).date()),
        headers=dict(headers or {}),
        max_examples=max_examples,
        seed=seed,
        deadline=deadline,
        result=result,
        progress=progress,
        done=done,
        request_id=request_id,
        accepted_problems=accepted_problems,
    )
    return result
