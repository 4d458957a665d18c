"""The version index (`schemas/index.toml`): versions in order, their lifecycle and their schemas."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from contractkit.errors import IndexError_, SchemaFileError

__all__ = ["INDEX_FILE", "Index", "Policy", "Reader", "Role", "Status", "Version", "load_index"]

INDEX_FILE = "index.toml"
Status = Literal["stable", "deprecated", "sunset"]
Role = Literal["request", "response"]
Reader = Literal["strict", "tolerant"]
_STATUSES: tuple[Status, ...] = ("stable", "deprecated", "sunset")
_ROLES: tuple[Role, ...] = ("request", "response")
_READERS: tuple[Reader, ...] = ("strict", "tolerant")


@dataclass(frozen=True, slots=True)
class Version:
    """One published version of the API and its lifecycle."""

    name: str
    status: Status
    released: dt.date
    deprecated: dt.date | None = None
    sunset: dt.date | None = None
    successor: str | None = None
    schemas: Mapping[str, str] = field(default_factory=dict)  # schema name -> path relative to the root

    def is_sunset(self, today: dt.date) -> bool:
        return self.status == "sunset" or (self.sunset is not None and today >= self.sunset)

    def is_deprecated(self, today: dt.date) -> bool:
        return self.status != "stable" or (self.deprecated is not None and today >= self.deprecated)


@dataclass(frozen=True, slots=True)
class Policy:
    """Deprecation and reader policy stated in the index.

    ``readers`` says how the readers of each role read their schemas (``[policy] readers = {request =
    "strict", response = "tolerant"}``): ``strict`` (JSON Schema as written) or ``tolerant`` (unknown
    properties are ignored). Both default to ``strict``.
    """

    min_deprecation_days: int | None = None
    deprecation_policy_url: str | None = None
    readers: Mapping[Role, Reader] = field(default_factory=lambda: {"request": "strict", "response": "strict"})


@dataclass(frozen=True, slots=True)
class Index:
    versions: tuple[Version, ...]
    roles: Mapping[str, Role]
    policy: Policy
    readers: Mapping[str, Reader] = field(default_factory=dict)  # per-schema overrides ([readers])

    def reader_for(self, name: str) -> Reader:
        """How the readers of schema ``name`` read it: the ``[readers]`` override, else its role's
        ``[policy] readers`` entry, else ``strict``."""
        override = self.readers.get(name)
        if override is not None:
            return override
        role = self.roles.get(name)
        return self.policy.readers.get(role, "strict") if role is not None else "strict"


def _date(value: Any, where: str, file: Path, *, required: bool) -> dt.date | None:
    if value is None:
        if required:
            raise IndexError_(file, where, "missing date")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise IndexError_(file, where, f"expected an ISO 8601 date, got {value!r}")


def load_index(root: Path) -> Index:
    """Read and check `root/index.toml`; every problem is an IndexError_ naming the entry."""
    file = root / INDEX_FILE
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemaFileError(file, None, "version index not found") from None
    except OSError as exc:
        raise SchemaFileError(file, None, f"cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemaFileError(file, None, f"invalid TOML: {exc}") from None

    raw_roles = data.get("roles", {})
    if not isinstance(raw_roles, dict):
        raise IndexError_(file, "/roles", "expected a table of schema name -> request|response")
    for name, role in raw_roles.items():
        if role not in _ROLES:
            raise IndexError_(file, f"/roles/{name}", f"role must be one of {', '.join(_ROLES)}, got {role!r}")
    roles = cast(dict[str, Role], dict(raw_roles))

    raw_policy = data.get("policy", {})
    if not isinstance(raw_policy, dict):
        raise IndexError_(file, "/policy", "expected a table")
    days = raw_policy.get("min_deprecation_days")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days < 0):
        raise IndexError_(file, "/policy/min_deprecation_days", f"expected a non-negative integer, got {days!r}")
    url = raw_policy.get("deprecation_policy_url")
    if url is not None and not isinstance(url, str):
        raise IndexError_(file, "/policy/deprecation_policy_url", "expected a string")
    raw_readers = raw_policy.get("readers", {})
    if not isinstance(raw_readers, dict):
        raise IndexError_(file, "/policy/readers", "expected a table of role -> strict|tolerant")
    role_readers: dict[Role, Reader] = {"request": "strict", "response": "strict"}
    for role, reader in raw_readers.items():
        if role not in _ROLES:
            raise IndexError_(file, f"/policy/readers/{role}", f"role must be one of {', '.join(_ROLES)}, got {role!r}")
        if reader not in _READERS:
            raise IndexError_(
                file, f"/policy/readers/{role}", f"reader must be one of {', '.join(_READERS)}, got {reader!r}"
            )
        role_readers[cast(Role, role)] = cast(Reader, reader)
    policy = Policy(min_deprecation_days=days, deprecation_policy_url=url, readers=role_readers)

    raw_schema_readers = data.get("readers", {})
    if not isinstance(raw_schema_readers, dict):
        raise IndexError_(file, "/readers", "expected a table of schema name -> strict|tolerant")
    for name, reader in raw_schema_readers.items():
        if reader not in _READERS:
            raise IndexError_(file, f"/readers/{name}", f"reader must be one of {', '.join(_READERS)}, got {reader!r}")
    schema_readers = cast(dict[str, Reader], dict(raw_schema_readers))

    raw_versions = data.get("versions")
    if not isinstance(raw_versions, list) or not raw_versions:
        raise IndexError_(file, "/versions", "expected at least one [[versions]] entry")
    versions: list[Version] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw_versions):
        where = f"/versions/{i}"
        if not isinstance(entry, dict):
            raise IndexError_(file, where, "expected a table")
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise IndexError_(file, f"{where}/name", "missing version name")
        if name in seen:
            raise IndexError_(file, f"{where}/name", f"duplicate version {name!r}")
        seen.add(name)
        status = entry.get("status")
        if status not in _STATUSES:
            raise IndexError_(file, f"{where}/status", f"status must be one of {', '.join(_STATUSES)}, got {status!r}")
        released = _date(entry.get("released"), f"{where}/released", file, required=True)
        deprecated = _date(entry.get("deprecated"), f"{where}/deprecated", file, required=False)
        sunset = _date(entry.get("sunset"), f"{where}/sunset", file, required=False)
        successor = entry.get("successor")
        if successor is not None and not isinstance(successor, str):
            raise IndexError_(file, f"{where}/successor", "expected a version name")
        schemas = entry.get("schemas", {})
        if not isinstance(schemas, dict) or not all(isinstance(v, str) for v in schemas.values()):
            raise IndexError_(file, f"{where}/schemas", "expected a table of schema name -> file path")
        for schema_name, rel in schemas.items():
            if not (root / rel).is_file():
                raise IndexError_(file, f"{where}/schemas/{schema_name}", f"schema file {rel!r} does not exist")
        assert released is not None
        versions.append(
            Version(
                name=name,
                status=cast(Status, status),
                released=released,
                deprecated=deprecated,
                sunset=sunset,
                successor=successor,
                schemas=dict(schemas),
            )
        )
    names = {v.name for v in versions}
    for i, version in enumerate(versions):
        if version.successor is not None and version.successor not in names:
            raise IndexError_(file, f"/versions/{i}/successor", f"unknown successor version {version.successor!r}")
    for name in schema_readers:
        if not any(name in v.schemas for v in versions):
            raise IndexError_(file, f"/readers/{name}", f"no version has a schema named {name!r}")
    return Index(versions=tuple(versions), roles=roles, policy=policy, readers=schema_readers)
