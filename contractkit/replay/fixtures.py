"""Recorded payload fixtures (`compat_fixtures/`): what clients of each version send and receive.

Format (documented in docs/replay.md, checked against `fixtures.schema.json` on load):

    compat_fixtures/
      replay.toml                  # how to reach each request schema on the live service
      requests/<schema>.json       # payloads clients send
      responses/<schema>.json      # payloads the service returns

    {"schema": "cart_item_add",
     "fixtures": [
       {"id": "v1-typical", "origin": "v1", "description": "...",
        "payload": {...},
        "expect": {"v1": "accept", "v2": "reject"},  # a later version not named carries the last one over
        "context": {"cart_currency": "EUR"},        # optional: what a conversion may need
        "upgraded": {"v2": {...}},                   # requests: origin payload upgraded to that version
        "downgraded": {"v1": {...}}}]}               # responses: origin payload downgraded to that version

Expectations carry forward: a version the fixture does not name in `expect` inherits the expectation of the
nearest earlier version it names, so adding a version (`contractkit version add v3`) needs no edit to the
fixtures. A fixture says otherwise by naming the new version (`"v3": "reject"`). Versions earlier than the
first one named have nothing to inherit: that is an error naming the fixture.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import jsonschema_rs

from contractkit.errors import InputError
from contractkit.registry import Registry, escape, load_json_file

__all__ = ["Fixture", "FixtureSet", "Target", "inherit_expectations", "load_fixtures"]

Expectation = Literal["accept", "reject"]

FIXTURE_FILE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["schema", "fixtures"],
    "additionalProperties": False,
    "properties": {
        "$comment": {"type": "string"},
        "schema": {"type": "string", "minLength": 1},
        "fixtures": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "origin", "payload", "expect"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]*$"},
                    "origin": {"type": "string"},
                    "description": {"type": "string"},
                    "payload": True,
                    "expect": {
                        "type": "object",
                        "minProperties": 1,
                        "additionalProperties": {"enum": ["accept", "reject"]},
                    },
                    "context": {"type": "object"},
                    "upgraded": {"type": "object"},
                    "downgraded": {"type": "object"},
                },
            },
        },
    },
}
_VALIDATOR = jsonschema_rs.validator_for(FIXTURE_FILE_SCHEMA)


@dataclass(frozen=True, slots=True)
class Fixture:
    id: str
    schema: str
    origin: str
    payload: Any
    expect: dict[str, Expectation]
    file: Path
    pointer: str
    description: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    upgraded: dict[str, Any] = field(default_factory=dict)
    downgraded: dict[str, Any] = field(default_factory=dict)
    inherited: dict[str, str] = field(default_factory=dict)  # version -> the earlier version its expectation is from

    def expectation(self, version: str) -> str:
        """`accept` / `reject`, saying where an inherited one comes from (for failure messages)."""
        value = self.expect[version]
        source = self.inherited.get(version)
        if source is None:
            return value
        return f'{value} (carried over from {source}; add "{version}" to its expect if {version} differs)'


@dataclass(frozen=True, slots=True)
class Target:
    """How a request schema is sent to the live service."""

    schema: str
    method: str
    path: str
    response: str | None = None
    needs: dict[str, str] = field(default_factory=dict)  # path parameter -> request schema that creates it


@dataclass(frozen=True, slots=True)
class FixtureSet:
    root: Path
    fixtures: tuple[Fixture, ...]
    targets: dict[str, Target]

    def for_schema(self, schema: str) -> list[Fixture]:
        return [f for f in self.fixtures if f.schema == schema]


def _load_targets(path: Path, registry: Registry) -> dict[str, Target]:
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, None, f"invalid TOML: {exc}") from None
    targets: dict[str, Target] = {}
    for schema, spec in data.get("targets", {}).items():
        where = f"/targets/{escape(schema)}"
        if (
            not isinstance(spec, dict)
            or not isinstance(spec.get("method"), str)
            or not isinstance(spec.get("path"), str)
        ):
            raise InputError(path, where, "a target needs `method` and `path`")
        needs = spec.get("needs", {})
        if not isinstance(needs, dict) or not all(isinstance(v, str) for v in needs.values()):
            raise InputError(path, f"{where}/needs", "expected a table of path parameter -> schema")
        if schema not in registry.index.roles:
            raise InputError(path, where, f"unknown schema {schema!r}")
        targets[schema] = Target(schema, spec["method"].upper(), spec["path"], spec.get("response"), dict(needs))
    return targets


def inherit_expectations(
    declared: Mapping[str, Expectation], versions: Sequence[str]
) -> tuple[dict[str, Expectation], dict[str, str], list[str]]:
    """Fill the versions a fixture does not name from the nearest earlier one it does.

    Returns (expectation per version, version -> the version it inherited from, versions with nothing to
    inherit because they come before every version named).
    """
    out: dict[str, Expectation] = {}
    inherited: dict[str, str] = {}
    missing: list[str] = []
    last: str | None = None
    for name in versions:
        if name in declared:
            out[name] = declared[name]
            last = name
        elif last is not None:
            out[name] = declared[last]
            inherited[name] = last
        else:
            missing.append(name)
    return out, inherited, missing


def load_fixtures(root: Path, registry: Registry) -> FixtureSet:
    """Load and check every fixture file; a malformed one is an InputError, never a skipped case."""
    if not root.is_dir():
        raise InputError(root, None, "fixture directory not found")
    order = [v.name for v in registry.versions]
    versions = set(order)
    fixtures: list[Fixture] = []
    seen: dict[str, Path] = {}
    files = sorted(root.glob("requests/*.json")) + sorted(root.glob("responses/*.json"))
    for path in files:
        data = load_json_file(path)
        error = next(iter(_VALIDATOR.iter_errors(data)), None)
        if error is not None:
            pointer = "".join(f"/{escape(str(t))}" for t in error.instance_path)
            raise InputError(path, pointer, error.message)
        schema = data["schema"]
        role = registry.role(schema)
        if role is None:
            raise InputError(path, "/schema", f"unknown schema {schema!r} (not in the index's [roles])")
        expected_role = "request" if path.parent.name == "requests" else "response"
        if role != expected_role:
            raise InputError(path, "/schema", f"{schema} is a {role} schema; move the file to {role}s/")
        for i, raw in enumerate(data["fixtures"]):
            where = f"/fixtures/{i}"
            for key in ("origin",):
                if raw[key] not in versions:
                    raise InputError(path, f"{where}/{key}", f"unknown version {raw[key]!r}")
            for key in ("expect", "upgraded", "downgraded"):
                for v in raw.get(key, {}):
                    if v not in versions:
                        raise InputError(path, f"{where}/{key}/{v}", f"unknown version {v!r}")
            expect, inherited, missing = inherit_expectations(raw["expect"], order)
            if missing:
                raise InputError(
                    path,
                    f"{where}/expect",
                    f"no expectation for version(s) {', '.join(missing)} (an expectation carries over to later "
                    "versions, never to earlier ones)",
                )
            if raw["id"] in seen:
                raise InputError(path, f"{where}/id", f"duplicate fixture id {raw['id']!r} (also in {seen[raw['id']]})")
            seen[raw["id"]] = path
            fixtures.append(
                Fixture(
                    id=raw["id"],
                    schema=schema,
                    origin=raw["origin"],
                    payload=raw["payload"],
                    expect=expect,
                    file=path,
                    pointer=where,
                    description=raw.get("description", ""),
                    context=dict(raw.get("context", {})),
                    upgraded=dict(raw.get("upgraded", {})),
                    downgraded=dict(raw.get("downgraded", {})),
                    inherited=inherited,
                )
            )
    if not fixtures:
        raise InputError(root, None, "no fixtures found (expected requests/*.json or responses/*.json)")
    return FixtureSet(root=root, fixtures=tuple(fixtures), targets=_load_targets(root / "replay.toml", registry))
