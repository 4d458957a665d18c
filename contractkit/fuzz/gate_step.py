"""A bounded fuzz as a step of `contractkit check`: live Schemathesis plus shape drift, as configured."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contractkit._loading import load_app, on_path
from contractkit.gate._model import GateFinding
from contractkit.gate.adapters import failure_findings
from contractkit.registry import Registry
from contractkit.replay.session import ReplaySettings, applied_env, conversions_for

__all__ = ["gate_step"]


def gate_step(settings: ReplaySettings, *, budget: float, seed: int = 0) -> Callable[[Registry], list[GateFinding]]:
    """Half the budget for the live service (when one is configured), half for drift; each failure a finding."""

    def step(registry: Registry) -> list[GateFinding]:
        from contractkit.fuzz.live import LiveTarget
        from contractkit.fuzz.runner import fuzz

        failures: list[Any] = []
        on_path(settings.base_dir)
        with applied_env(settings.env):
            target = None
            if settings.base_url:
                target = LiveTarget(base_url=settings.base_url.rstrip("/"))
            elif settings.app_factory or settings.app:
                target = LiveTarget(app=load_app(settings.app, settings.app_factory))
            if target is not None:
                live = fuzz(
                    registry,
                    target=target,
                    headers=dict(settings.headers),
                    max_examples=5,
                    seed=seed,
                    time_budget=budget / 2,
                    request_id=settings.echo_request_id,
                    accepted_problems=settings.accepted_problems,
                )
                failures += live.failures
            conv = conversions_for(registry, settings)
            if len(registry.versions) > 1:
                drift = fuzz(
                    registry,
                    drift=True,
                    conversions=conv,
                    max_examples=20,
                    seed=seed,
                    time_budget=budget / 2,
                    context=dict(settings.context),
                )
                failures += drift.failures
        return failure_findings(failures, registry)

    return step
