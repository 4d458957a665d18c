"""Run a replay as configured: `[tool.contractkit.replay]` plus command-line overrides.

[tool.contractkit]
changes = "service.changes"                 # the change sets: the conversions are composed from them
[tool.contractkit.replay]
fixtures = "compat_fixtures"
app-factory = "service.app:create_app"      # or app = "service.app:app"; or base-url = "http://..."
# conversions = "pkg.module:attr"           # instead of `changes`: an object with upgrade()/downgrade()
models = "service.models"
context = { cart_currency = "USD" }         # what conversions read beyond the body (a fixture's own wins)
headers = { Authorization = "Bearer replay-key" }
env = { CART_API_KEYS = "replay:replay-key" }  # set while the in-process app is built and replayed

User code (the app, the conversions) is reached through contractkit._loading, with the project folder
(where pyproject.toml is) importable.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from contractkit._loading import load_app, load_conversions, on_path
from contractkit.config import Config
from contractkit.errors import InputError, UsageError
from contractkit.registry import Registry
from contractkit.replay.fixtures import load_fixtures
from contractkit.replay.runner import ReplayResult, replay

__all__ = ["ReplaySettings", "applied_env", "conversions_for", "gate_step", "run_replay", "settings_from_config"]


@dataclass(frozen=True, slots=True)
class ReplaySettings:
    fixtures: Path = Path("compat_fixtures")
    app: str | None = None
    app_factory: str | None = None
    base_url: str | None = None
    conversions: str | None = None
    changes: str | None = None
    models: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict)
    context: Mapping[str, Any] = field(default_factory=dict)
    base_dir: Path | None = None
    echo_request_id: bool = False  # the live fuzz checks that every response echoes X-Request-ID
    # problem types with which the API may refuse schema-valid data (business rules); the live fuzz accepts them
    accepted_problems: tuple[str, ...] = ()

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
        return replace(self, app=None, app_factory=None, base_url=None, conversions=None, changes=None)


def settings_from_config(config: Config) -> ReplaySettings:
    raw = config.raw.get("replay", {})
    if not isinstance(raw, dict):
        raise InputError(config.base_dir / "pyproject.toml", "/tool/contractkit/replay", "expected a table")
    for key in ("headers", "env"):
        value = raw.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise InputError(config.base_dir / "pyproject.toml", f"/tool/contractkit/replay/{key}", "expected strings")
    context = raw.get("context", {})
    if not isinstance(context, dict):
        raise InputError(config.base_dir / "pyproject.toml", "/tool/contractkit/replay/context", "expected a table")
    echo = raw.get("echo-request-id", False)
    if not isinstance(echo, bool):
        raise InputError(
            config.base_dir / "pyproject.toml", "/tool/contractkit/replay/echo-request-id", "expected true or false"
        )
    accepted = raw.get("accepted-problems", [])
    if not isinstance(accepted, list) or not all(isinstance(v, str) for v in accepted):
        raise InputError(
            config.base_dir / "pyproject.toml",
            "/tool/contractkit/replay/accepted-problems",
            "expected a list of problem type URIs",
        )
    changes = config.raw.get("changes")
    if changes is not None and not isinstance(changes, str):
        raise InputError(
            config.base_dir / "pyproject.toml", "/tool/contractkit/changes", "expected a package name (or module:attr)"
        )
    return ReplaySettings(
        fixtures=config.base_dir / str(raw.get("fixtures", "compat_fixtures")),
        app=raw.get("app"),
        app_factory=raw.get("app-factory"),
        base_url=raw.get("base-url"),
        conversions=raw.get("conversions"),
        changes=changes,
        models=raw.get("models"),
        headers=dict(raw.get("headers", {})),
        env=dict(raw.get("env", {})),
        context=dict(context),
        base_dir=config.base_dir,
        echo_request_id=echo,
        accepted_problems=tuple(accepted),
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


class _WithContext:
    """Conversions whose upgrades see the configured context values wherever the fixture states none."""

    def __init__(self, conversions: Any, defaults: Mapping[str, Any]) -> None:
        self.conversions = conversions
        self.defaults = dict(defaults)

    def upgrade(self, version: str, name: str, body: dict[str, Any], ctx: Any, **options: Any) -> dict[str, Any]:
        merged = SimpleNamespace(**{**self.defaults, **getattr(ctx, "__dict__", {})})
        result: dict[str, Any] = self.conversions.upgrade(version, name, body, merged, **options)
        return result

    def downgrade(self, version: str, name: str, body: dict[str, Any], **options: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.conversions.downgrade(version, name, body, **options)
        return result


def conversions_for(registry: Registry, settings: ReplaySettings) -> Any:
    """The declared conversions as configured (`conversions`, else composed from `changes`), or None."""
    on_path(settings.base_dir)
    conv = load_conversions(registry, spec=settings.conversions, changes=settings.changes)
    if conv is not None and settings.context:
        conv = _WithContext(conv, settings.context)
    return conv


def run_replay(
    registry: Registry, settings: ReplaySettings, *, progress: Callable[[str], None] | None = None
) -> ReplayResult:
    fixture_set = load_fixtures(settings.fixtures, registry)
    if settings.base_url and (settings.app or settings.app_factory):
        raise UsageError("replay against either an in-process app or --base-url, not both")
    with applied_env(settings.env):
        conv = conversions_for(registry, settings)

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

            asgi = load_app(settings.app, settings.app_factory)
            with TestClient(asgi, raise_server_exceptions=False) as client:
                return go(client)
        return go(None)


def gate_step(settings: ReplaySettings) -> Callable[[Registry], list[Any]]:
    """The replay as a step of `contractkit check`: each replay failure becomes a gate finding."""

    def step(registry: Registry) -> list[Any]:
        from contractkit.gate.adapters import failure_findings

        return failure_findings(run_replay(registry, settings).failures, registry)

    return step
