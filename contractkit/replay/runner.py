"""Replay every fixture against every version: its schema, its generated model, the live service, and the
declared conversions between versions. Each disagreement is a ReplayFailure with a rule id.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Literal, Protocol

import jsonschema_rs

from contractkit._loading import load_object
from contractkit.models import model_for, validate_with_model
from contractkit.registry import Registry
from contractkit.replay.fixtures import Fixture, FixtureSet, Target
from contractkit.replay.rules import (  # the ids, their descriptions and examples: REPLAY_RULES
    CONVERSION_RAISED,
    DOWNGRADE_DIFFERS,
    DOWNGRADE_INVALID,
    ECHO_DIFFERS,
    MODEL_MISMATCH,
    RESPONSE_INVALID,
    SCHEMA_MISMATCH,
    SCHEMA_MODEL_DISAGREE,
    SERVICE_ERROR,
    SERVICE_MISMATCH,
    UPGRADE_DIFFERS,
    UPGRADE_INVALID,
)

__all__ = ["Cell", "Conversions", "ReplayFailure", "ReplayResult", "iter_rows", "load_object", "replay"]

Level = Literal["schema", "model", "service", "upgrade", "downgrade"]


class Conversions(Protocol):
    """The service's declared conversions, reached by `module:attr` (the library never imports the service)."""

    def upgrade(self, version: str, name: str, body: dict[str, Any], ctx: Any) -> dict[str, Any]: ...

    def downgrade(self, version: str, name: str, body: dict[str, Any]) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Cell:
    fixture: str
    version: str
    level: Level
    ok: bool
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ReplayFailure:
    rule_id: str
    fixture: str
    version: str
    level: Level
    message: str
    payload: Any = None
    diff: str = ""


@dataclass
class ReplayResult:
    cells: list[Cell] = field(default_factory=list)
    failures: list[ReplayFailure] = field(default_factory=list)
    versions: tuple[str, ...] = ()
    levels: tuple[Level, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures

    def add(self, cell: Cell, failure: ReplayFailure | None = None) -> None:
        self.cells.append(cell)
        if failure is not None:
            self.failures.append(failure)


def _verb(accepted: bool) -> str:
    return "accepts" if accepted else "rejects"


def _diff(expected: Any, actual: Any) -> str:
    from deepdiff import DeepDiff

    d = DeepDiff(expected, actual, ignore_order=False, verbose_level=2)
    return d.to_json() if d else ""


class _Validators:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._cache: dict[tuple[str, str], Any] = {}

    def valid(self, schema: str, version: str, instance: Any) -> bool:
        key = (schema, version)
        if key not in self._cache:
            self._cache[key] = jsonschema_rs.validator_for(
                self.registry.bundled(schema, version), validate_formats=True
            )
        return bool(self._cache[key].is_valid(instance))

    def properties(self, schema: str, version: str) -> set[str]:
        bundled = self.registry.bundled(schema, version)
        props = bundled.get("properties", {}) if isinstance(bundled, dict) else {}
        return set(props)


def _offline_levels(
    fx: Fixture, registry: Registry, validators: _Validators, models_package: str | None, result: ReplayResult
) -> None:
    for version, expectation in sorted(fx.expect.items()):
        if fx.schema not in registry.version(version).schemas:
            continue
        want = expectation == "accept"
        by_schema = validators.valid(fx.schema, version, fx.payload)
        failure: ReplayFailure | None = None
        if by_schema != want:
            failure = ReplayFailure(
                SCHEMA_MISMATCH,
                fx.id,
                version,
                "schema",
                f"{fx.schema}@{version} schema {_verb(by_schema)} it; the fixture expects {fx.expectation(version)}",
                fx.payload,
            )
        result.add(Cell(fx.id, version, "schema", failure is None), failure)
        if models_package is None:
            continue
        model = model_for(registry, models_package, fx.schema, version)
        error = validate_with_model(model, json.loads(json.dumps(fx.payload)))
        by_model = error is None
        failure = None
        if by_model != by_schema:
            failure = ReplayFailure(
                SCHEMA_MODEL_DISAGREE,
                fx.id,
                version,
                "model",
                f"{fx.schema}@{version}: the schema {'accepts' if by_schema else 'rejects'} it but the generated model "
                f"{'accepts' if by_model else 'rejects'} it"
                + (f" ({error})" if error else "")
                + " — regenerate the models (`contractkit codegen`)",
                fx.payload,
            )
        elif by_model != want:
            failure = ReplayFailure(
                MODEL_MISMATCH,
                fx.id,
                version,
                "model",
                f"{fx.schema}@{version} model {_verb(by_model)} it; the fixture expects {fx.expectation(version)}",
                fx.payload,
            )
        result.add(Cell(fx.id, version, "model", failure is None), failure)


def _conversion_levels(
    fx: Fixture, registry: Registry, validators: _Validators, conversions: Conversions, head: str, result: ReplayResult
) -> None:
    role = registry.role(fx.schema)
    accepted_at_origin = fx.expect.get(fx.origin) == "accept"
    if role == "request" and accepted_at_origin and fx.origin != head and fx.schema in registry.version(head).schemas:
        ctx = SimpleNamespace(**fx.context)
        try:
            upgraded = conversions.upgrade(fx.origin, fx.schema, json.loads(json.dumps(fx.payload)), ctx)
        except Exception as exc:  # the conversion is user code: any exception is a finding, not a crash
            early = ReplayFailure(
                CONVERSION_RAISED,
                fx.id,
                head,
                "upgrade",
                f"upgrading {fx.schema} from {fx.origin} to {head} raised {type(exc).__name__}: {exc}",
                fx.payload,
            )
            result.add(Cell(fx.id, head, "upgrade", False), early)
            return
        failure: ReplayFailure | None = None
        if not validators.valid(fx.schema, head, upgraded):
            failure = ReplayFailure(
                UPGRADE_INVALID,
                fx.id,
                head,
                "upgrade",
                f"{fx.schema} upgraded from {fx.origin} does not validate against {head}",
                upgraded,
            )
        elif head in fx.upgraded and fx.upgraded[head] != upgraded:
            failure = ReplayFailure(
                UPGRADE_DIFFERS,
                fx.id,
                head,
                "upgrade",
                f"{fx.schema} upgraded from {fx.origin} differs from the recorded expectation",
                upgraded,
                _diff(fx.upgraded[head], upgraded),
            )
        result.add(Cell(fx.id, head, "upgrade", failure is None), failure)
    if role == "response" and fx.origin == head:
        for version, expected in sorted(fx.downgraded.items()):
            _check_downgrade(fx.id, fx.schema, fx.payload, version, expected, validators, conversions, result)


def _declared_refusal(exc: Exception) -> int | None:
    """A conversion may refuse on purpose (a resource the older version cannot represent): a 4xx status."""
    status = getattr(exc, "status", None) or getattr(exc, "status_code", None)
    return status if isinstance(status, int) and 400 <= status < 500 else None


def _check_downgrade(
    fixture_id: str,
    schema: str,
    payload: Any,
    version: str,
    expected: Any,
    validators: _Validators,
    conversions: Conversions,
    result: ReplayResult,
    *,
    refusal_ok: bool = False,
) -> None:
    try:
        down = conversions.downgrade(version, schema, json.loads(json.dumps(payload)))
    except Exception as exc:  # user code
        status = _declared_refusal(exc)
        if refusal_ok and status is not None:
            result.add(Cell(fixture_id, version, "downgrade", True, f"not representable in {version}: {status}"))
            return
        early = ReplayFailure(
            CONVERSION_RAISED,
            fixture_id,
            version,
            "downgrade",
            f"downgrading {schema} to {version} raised {type(exc).__name__}: {exc}",
            payload,
        )
        result.add(Cell(fixture_id, version, "downgrade", False), early)
        return
    failure: ReplayFailure | None = None
    if not validators.valid(schema, version, down):
        failure = ReplayFailure(
            DOWNGRADE_INVALID,
            fixture_id,
            version,
            "downgrade",
            f"{schema} downgraded to {version} does not validate against {version}",
            down,
        )
    elif expected is not None and expected != down:
        failure = ReplayFailure(
            DOWNGRADE_DIFFERS,
            fixture_id,
            version,
            "downgrade",
            f"{schema} downgraded to {version} differs from the recorded expectation",
            down,
            _diff(expected, down),
        )
    result.add(Cell(fixture_id, version, "downgrade", failure is None), failure)


class _Live:
    """Sends fixtures to the live service (in-process ASGI app or a deployment) and records what it said."""

    def __init__(self, client: Any, fixtures: FixtureSet, headers: Mapping[str, str]) -> None:
        self.client = client
        self.fixtures = fixtures
        self.headers = dict(headers)
        self.head_responses: list[tuple[str, str, Any]] = []  # (fixture id, response schema, body)

    def send(self, target: Target, version: str, payload: Any, params: Mapping[str, str]) -> Any:
        path = target.path.format(version=version, **params)
        return self.client.request(target.method, path, json=payload, headers=self.headers)

    def setup(self, target: Target, version: str, depth: int = 0) -> dict[str, str] | None:
        """Create what the target's path needs (a cart, an item) from the first fixture this version accepts."""
        params: dict[str, str] = {}
        for param, schema in target.needs.items():
            needed = self.fixtures.targets.get(schema)
            accepted = [f for f in self.fixtures.for_schema(schema) if f.expect.get(version) == "accept"]
            source = next((f for f in accepted if not f.context), accepted[0] if accepted else None)
            if needed is None or source is None or depth > 5:
                return None
            inner = self.setup(needed, version, depth + 1)
            if inner is None:
                return None
            params.update(inner)
            response = self.send(needed, version, source.payload, params)
            if not 200 <= response.status_code < 300:
                return None
            params[param] = str(response.json()["id"])
        return params


def _service_level(fx: Fixture, registry: Registry, validators: _Validators, live: _Live, result: ReplayResult) -> None:
    target = live.fixtures.targets.get(fx.schema)
    if target is None:
        return
    head = registry.versions[-1].name
    for version, expectation in sorted(fx.expect.items()):
        if fx.schema not in registry.version(version).schemas:
            continue
        params = live.setup(target, version)
        if params is None:
            early = ReplayFailure(
                SERVICE_MISMATCH,
                fx.id,
                version,
                "service",
                f"could not create what {target.method} {target.path} needs on {version} (setup request failed)",
            )
            result.add(Cell(fx.id, version, "service", False), early)
            continue
        response = live.send(target, version, fx.payload, params)
        status = response.status_code
        curl = f"{target.method} {target.path.format(version=version, **params)}"
        failure: ReplayFailure | None = None
        if status >= 500:
            failure = ReplayFailure(
                SERVICE_ERROR,
                fx.id,
                version,
                "service",
                f"{curl} answered {status}: a server error",
                fx.payload,
                response.text[:500],
            )
        elif (expectation == "accept") != (200 <= status < 300):
            failure = ReplayFailure(
                SERVICE_MISMATCH,
                fx.id,
                version,
                "service",
                f"{curl} answered {status}; the fixture expects {fx.expectation(version)}",
                fx.payload,
                _diff(
                    {"status": "2xx" if expectation == "accept" else "4xx"}, {"status": status, "body": _body(response)}
                ),
            )
        elif 200 <= status < 300 and target.response:
            body = _body(response)
            if not validators.valid(target.response, version, body):
                failure = ReplayFailure(
                    RESPONSE_INVALID,
                    fx.id,
                    version,
                    "service",
                    f"{curl} returned a body that does not validate against {target.response}@{version}",
                    body,
                )
            elif isinstance(fx.payload, dict) and isinstance(body, dict) and version == fx.origin:
                # what was sent comes back, for every field the response schema has
                props = validators.properties(target.response, version)
                sent = {k: v for k, v in fx.payload.items() if k in props}
                echoed = {k: body.get(k) for k in sent}
                if echoed != sent:
                    failure = ReplayFailure(
                        ECHO_DIFFERS,
                        fx.id,
                        version,
                        "service",
                        f"{curl} returned fields that differ from what was sent",
                        body,
                        _diff(sent, echoed),
                    )
            if failure is None and version == head:
                live.head_responses.append((fx.id, target.response, body))
        elif expectation == "reject" and status not in (400, 409, 422):
            failure = ReplayFailure(
                SERVICE_MISMATCH,
                fx.id,
                version,
                "service",
                f"{curl} rejected it with {status}; a refused payload must get 400 or 422",
                fx.payload,
            )
        result.add(Cell(fx.id, version, "service", failure is None), failure)


def _body(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:500]


def replay(
    registry: Registry,
    fixtures: FixtureSet,
    *,
    models_package: str | None = None,
    conversions: Conversions | None = None,
    client: Any = None,
    headers: Mapping[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReplayResult:
    """Replay at the levels that have something to replay against (client=None skips the live service)."""
    validators = _Validators(registry)
    head = registry.versions[-1].name
    levels: list[Level] = ["schema"]
    if models_package:
        levels.append("model")
    if client is not None:
        levels.append("service")
    if conversions is not None:
        levels += ["upgrade", "downgrade"]
    result = ReplayResult(versions=tuple(v.name for v in registry.versions), levels=tuple(levels))
    live = _Live(client, fixtures, headers or {}) if client is not None else None
    for fx in fixtures.fixtures:
        if progress:
            progress(fx.id)
        _offline_levels(fx, registry, validators, models_package, result)
        if conversions is not None:
            _conversion_levels(fx, registry, validators, conversions, head, result)
        if live is not None and registry.role(fx.schema) == "request":
            _service_level(fx, registry, validators, live, result)
    if live is not None and conversions is not None:
        # Every response the head version really sent must survive the trip back to each older version.
        for fixture_id, schema, body in live.head_responses:
            for v in registry.versions[:-1]:
                if schema in v.schemas:
                    _check_downgrade(
                        f"{fixture_id}->{schema}",
                        schema,
                        body,
                        v.name,
                        None,
                        validators,
                        conversions,
                        result,
                        refusal_ok=True,
                    )
    return result


def iter_rows(result: ReplayResult) -> Iterator[tuple[str, dict[tuple[str, str], Cell]]]:
    rows: dict[str, dict[tuple[str, str], Cell]] = {}
    for cell in result.cells:
        rows.setdefault(cell.fixture, {})[(cell.version, cell.level)] = cell
    yield from rows.items()
