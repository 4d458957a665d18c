"""Run a replay as configured: `[tool.contractkit.replay]` plus command-line overrides.

[tool.contractkit.replay]
fixtures = "compat_fixtures"
app-factory = "service.app:create_app"      # or app = "service.app:app"; or base-url = "http://..."
conversions = "service.contract:conversions"
models = "service.models"
headers = { Authorization = "Bearer replay-key" }
env = { CART_API_KEYS = "replay:replay-key" }  # set while the in-process app is built and replayed
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from contractkit.config import Config
from contractkit.errors import InputError, UsageError
from contractkit.registry import Registry
from contractkit.replay.fixtures import load_fixtures
from contractkit.replay.runner import ReplayResult, load_object, replay

__all__ = ["ReplaySettings", "applied_env", "gate_step", "run_replay", "settings_from_config"]


@dataclass(frozen=True, slots=True)
class ReplaySettings:
    fixtures: Path = Path("compat_fixtures")
    app: str | None = None
    app_factory: str | None = None
    base_url: str | None = None
    conversions: str | None = None
    models: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict)

    def override(self, **changes: Any) -> ReplaySettings:
        """Replace the fields given a value; None leaves the configured value."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def target(self, *, app: str | None, app_factory: str | None, base_url: str | None) -> ReplaySettings:
        """A target named on the command line replaces the configured one."""
        if app is None and app_factory is None and base_url is None:
            return self
        return replace(self, app=app, app_factory=app_factory, base_url=base_url)

    def offline(self) -> ReplaySettings:
        """Only the schema and model levels: no live service, no conversions."""
        return replace(self, app=None, app_factory=None, base_url=None, conversions=None)


def settings_from_config(config: Config) -> ReplaySettings:
    raw = config.raw.get("replay", {})
    if not isinstance(raw, dict):
        raise InputError(config.base_dir / "pyproject.toml", "/tool/contractkit/replay", "expected a table")
    for key in ("headers", "env"):
        value = raw.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise InputError(config.base_dir / "pyproject.toml", f"/tool/contractkit/replay/{key}", "expected strings")
    return ReplaySettings(
        fixtures=config.base_dir / str(raw.get("fixtures", "compat_fixtures")),
        app=raw.get("app"),
        app_factory=raw.get("app-factory"),
        base_url=raw.get("base-url"),
        conversions=raw.get("conversions"),
        models=raw.get("models"),
        headers=dict(raw.get("headers", {})),
        env=dict(raw.get("env", {})),
    )


@contextlib.contextmanager
def applied_env(values: Mapping[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_replay(
    registry: Registry, settings: ReplaySettings, *, progress: Callable[[str], None] | None = None
) -> ReplayResult:
    fixture_set = load_fixtures(settings.fixtures, registry)
    if settings.base_url and (settings.app or settings.app_factory):
        raise UsageError("replay against either an in-process app or --base-url, not both")
    with applied_env(settings.env):
        conv: Any = None
        if settings.conversions:
            conv = load_object(settings.conversions)
            if not hasattr(conv, "upgrade") and callable(conv):
                conv = conv()

        def go(client: Any) -> ReplayResult:
            return replay(
                registry,
                fixture_set,
                models_package=settings.models,
                conversions=conv,
                client=client,
                headers=settings.headers,
                progress=progress,
            )

        if settings.base_url:
            import httpx

            with httpx.Client(base_url=settings.base_url, timeout=30) as remote:
                return go(remote)
        if settings.app or settings.app_factory:
            from starlette.testclient import TestClient

            asgi = load_object(settings.app) if settings.app else load_object(str(settings.app_factory))()
            with TestClient(asgi, raise_server_exceptions=False) as client:
                return go(client)
        return go(None)


def gate_step(settings: ReplaySettings) -> Callable[[Registry], list[Any]]:
    """The replay as a step of `contractkit check`: each replay failure becomes a gate finding."""

    def step(registry: Registry) -> list[Any]:
        from contractkit.gate.adapters import failure_findings

        return failure_findings(run_replay(registry, settings).failures, registry)

    return step
