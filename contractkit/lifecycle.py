"""The version lifecycle as library functions: start a registry, add a version, deprecate one.

Each function leaves the repository in a state `contractkit check` accepts; the CLI (`contractkit init`,
`contractkit version add`, `contractkit version deprecate`) parses, calls one of them and prints the result.

- `init_project`: a minimal `schemas/index.toml` (one version, one schema) and `[tool.contractkit]` in
  pyproject.toml (created, or edited with its comments and layout kept).
- `add_version`: a new head version. Copies the head's schema folder and index entry (status stable,
  released today, no lifecycle dates), scaffolds the empty change set `from_<old head>.py` in the package
  `[tool.contractkit] changes` names, and regenerates the models when `[tool.contractkit] models` is set.
  Replay fixtures need no edit: a version a fixture does not name inherits the expectation of the
  nearest earlier one (see `contractkit.replay.fixtures`).
- `deprecate_version`: status, dates and successor in index.toml, refused (nothing written) when the gate
  would reject the result: the same rules as `contractkit check`'s policy step, measured the same way.

index.toml and pyproject.toml are edited with tomlkit, so comments and formatting survive.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

import tomlkit
import tomlkit.items

from contractkit._loading import change_set_module, change_set_source
from contractkit.config import Config
from contractkit.errors import ContractkitError, InputError, UsageError
from contractkit.registry import INDEX_FILE, Version, load_registry

__all__ = [
    "DeprecationRefused",
    "Initialised",
    "VersionAdded",
    "VersionDeprecated",
    "add_version",
    "change_set_module",
    "deprecate_version",
    "init_project",
]

_VERSION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")  # a folder name and a URL path segment
_SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")  # a bare TOML key and a file name
_PACKAGE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


class DeprecationRefused(ContractkitError):
    """`deprecate_version` would leave an index the gate rejects; nothing was written."""

    def __init__(self, index: Path, violations: Sequence[tuple[str, str]]) -> None:
        self.index = index
        self.violations = tuple(violations)  # (rule id, message)
        super().__init__(f"{index}: " + "; ".join(f"{msg} ({rule})" for rule, msg in self.violations))


@dataclass(frozen=True, slots=True)
class Initialised:
    index: Path
    schema: Path
    pyproject: Path
    pyproject_created: bool


@dataclass(frozen=True, slots=True)
class VersionAdded:
    name: str
    previous: str
    copied: tuple[tuple[Path, Path], ...]  # (head's folder, new folder)
    shared: tuple[str, ...]  # schema files outside the head's folder, now used by both versions
    index: Path
    change_set: Path | None  # None: `[tool.contractkit] changes` is not set
    change_set_created: bool
    models: Path | None  # None: codegen is not configured or was not asked for
    models_written: tuple[str, ...] = ()
    models_error: str | None = None  # codegen failed (e.g. the extra is missing); everything else was done


@dataclass(frozen=True, slots=True)
class VersionDeprecated:
    name: str
    deprecated: dt.date
    sunset: dt.date
    successor: str
    notice_days: int
    index: Path


# -- init ---------------------------------------------------------------------------------------------

_INDEX_TEMPLATE = """\
# The version index: which versions exist, their lifecycle and their schemas (docs/reference.md).
# Dates are ISO 8601. Status is one of: stable, deprecated, sunset.

[policy]
# Minimum number of days between a version's deprecation and its sunset; `contractkit check` enforces it.
min_deprecation_days = {min_days}

# What each schema is used for. Request schemas are read by the server (checked backward),
# response schemas are read by clients (checked forward).
[roles]
{schema} = "request"

[[versions]]
name = "{version}"
status = "stable"
released = {today}

[versions.schemas]
{schema} = "{version}/{schema}.json"
"""


def _title(schema: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_-]+", schema) if part) or "Example"


def _starter_schema(schema: str, version: str) -> str:
    doc = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": _title(schema),
        "description": f"A request body of {version}: replace it with yours, and list more schemas in index.toml.",
        "type": "object",
        "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 100}},
        "required": ["name"],
        "additionalProperties": False,
        "examples": [{"name": "first"}],
    }
    return json.dumps(doc, indent=2) + "\n"


def _read_toml(path: Path) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror}") from None
    except tomlkit.exceptions.ParseError as exc:
        raise InputError(path, None, f"invalid TOML: {exc}") from None


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(path, None, f"cannot write: {exc.strerror}") from None


def init_project(
    root: Path,
    *,
    schemas: str | None = None,
    version: str = "v1",
    schema: str = "example",
    models: str | None = None,
    changes: str | None = None,
    min_deprecation_days: int = 180,
    today: dt.date | None = None,
) -> Initialised:
    """Start a registry in `root`: index.toml, one schema, and `[tool.contractkit]` in root/pyproject.toml.

    `schemas` defaults to the folder pyproject.toml already configures, else `schemas`. Refuses (UsageError)
    when the registry already has an index, or `schemas` contradicts the configured folder.
    """
    today = today or dt.date.today()
    if not _VERSION_NAME.match(version):
        raise UsageError(f"version name {version!r}: use letters, digits, '.', '_' or '-' (it is a URL segment)")
    if not _SCHEMA_NAME.match(schema):
        raise UsageError(f"schema name {schema!r}: use letters, digits, '_' or '-'")
    if changes is not None and not _PACKAGE.match(changes):
        raise UsageError(f"--changes {changes!r}: expected a dotted package name such as app.changes")
    pyproject = root / "pyproject.toml"
    created = not pyproject.exists()
    doc = tomlkit.document() if created else _read_toml(pyproject)
    tool = doc.get("tool")
    if tool is None:
        tool = tomlkit.table(is_super_table=True)
        doc.add("tool", tool)
    section = tool.get("contractkit")
    if section is None:
        section = tomlkit.table()
        section.add(tomlkit.comment("contractkit's settings; every key is described in its docs/reference.md."))
        tool.add("contractkit", section)
    configured = section.get("schemas")
    if configured is not None and schemas is not None and str(configured) != schemas:
        raise UsageError(
            f"{pyproject} already sets [tool.contractkit] schemas = {str(configured)!r}; "
            f"edit it there, or run init without --schemas"
        )
    schemas = str(configured) if configured is not None else schemas or "schemas"
    registry_root = root / schemas
    index = registry_root / INDEX_FILE
    if index.exists():
        raise UsageError(f"{index} already exists: this project already has a version index")
    if configured is None:
        section["schemas"] = schemas
    for key, value, hint in (
        ("models", models, 'models = "app/models"     # where `contractkit codegen` writes Pydantic models'),
        ("changes", changes, 'changes = "app.changes"   # the package of version change sets (contractkit.fastapi)'),
    ):
        if value is not None:
            section[key] = value
        elif key not in section:
            section.add(tomlkit.comment(hint))
    schema_file = registry_root / version / f"{schema}.json"
    _write(schema_file, _starter_schema(schema, version))
    _write(
        index,
        _INDEX_TEMPLATE.format(min_days=min_deprecation_days, schema=schema, version=version, today=today.isoformat()),
    )
    load_registry(registry_root)  # what was written must load
    _write(pyproject, tomlkit.dumps(doc))
    return Initialised(index=index, schema=schema_file, pyproject=pyproject, pyproject_created=created)


# -- version add ----------------------------------------------------------------------------------------


def _changes_package(config: Config) -> Path | None:
    """The folder of the `[tool.contractkit] changes` package (plain or src layout); None when it is not set."""
    package = config.raw.get("changes")
    if package is None:
        return None
    if not isinstance(package, str) or not _PACKAGE.match(package):
        raise InputError(
            config.base_dir / "pyproject.toml",
            "/tool/contractkit/changes",
            'expected a dotted package name such as "service.changes"',
        )
    parts = package.split(".")
    candidates = [config.base_dir.joinpath(*parts), config.base_dir.joinpath("src", *parts)]
    folder = next((c for c in candidates if c.is_dir()), None)
    if folder is None:
        folder = next((c for c in candidates if c.parent.is_dir()), candidates[0])
    module = folder.with_suffix(".py")
    if not folder.is_dir() and module.is_file():
        raise InputError(
            module,
            None,
            f"[tool.contractkit] changes = {package!r} is a module, but change sets live in a package "
            f"(one module per step): move it to {folder.name}/__init__.py",
        )
    return folder


_PACKAGE_INIT = '''\
"""Version change sets: `from_<V>.py` declares what changed from version V to its successor."""
'''


def _own_folder(rel: str, head: str) -> int | None:
    """Where in `rel` the head's own folder is (the last path component named after it), or None: shared."""
    parts = PurePosixPath(rel).parts
    at = [i for i, part in enumerate(parts[:-1]) if part == head]
    return at[-1] if at else None


def _version_folders(head: Version) -> tuple[list[Path], list[str]]:
    """The folders (relative to the registry root) holding the head version's own schema files, and the
    schema files it shares with other versions (not in a folder named after it), which stay shared."""
    folders: set[PurePosixPath] = set()
    shared: list[str] = []
    for rel in head.schemas.values():
        at = _own_folder(rel, head.name)
        if at is None:
            shared.append(rel)
        else:
            folders.add(PurePosixPath(*PurePosixPath(rel).parts[: at + 1]))
    return [Path(f) for f in sorted(folders)], sorted(set(shared))


def _renamed(rel: str, head: str, new: str) -> str:
    at = _own_folder(rel, head)
    if at is None:
        return rel
    parts = list(PurePosixPath(rel).parts)
    parts[at] = new
    return PurePosixPath(*parts).as_posix()


def _append_version(doc: tomlkit.TOMLDocument, text: str, head: Version, name: str, released: dt.date) -> None:
    versions = doc.get("versions")
    if not isinstance(versions, tomlkit.items.AoT):
        raise UsageError("index.toml: [[versions]] must be an array of tables to add a version to it")
    source = next((t for t in versions if t.get("name") == head.name), None)
    entry = tomlkit.table()
    entry.add("name", name)
    entry.add("status", "stable")
    entry.add("released", released)
    inline = source is not None and isinstance(source.get("schemas"), tomlkit.items.InlineTable)
    mapping = tomlkit.inline_table() if inline else tomlkit.table()
    for schema, rel in head.schemas.items():
        mapping.add(schema, _renamed(rel, head.name, name))
    if not inline:
        entry.add(tomlkit.nl())
    entry.add("schemas", mapping)
    if not text.endswith("\n\n"):
        entry.trivia.indent = "\n"
    versions.append(entry)


def add_version(
    config: Config,
    name: str,
    *,
    released: dt.date | None = None,
    codegen: bool = True,
) -> VersionAdded:
    """Add `name` as the new head version; see the module docstring for everything it does."""
    released = released or dt.date.today()
    registry = load_registry(config.schemas)
    head = registry.versions[-1]
    if not _VERSION_NAME.match(name):
        raise UsageError(f"version name {name!r}: use letters, digits, '.', '_' or '-' (it is a URL segment)")
    if any(v.name == name for v in registry.versions):
        raise UsageError(f"version {name} already exists in {registry.root / INDEX_FILE}")
    folders, shared = _version_folders(head)
    copies = [(registry.root / f, registry.root / f.parent / name) for f in folders]
    for _, dest in copies:
        if dest.exists():
            raise UsageError(f"{dest} already exists; remove it or choose another version name")
    changes = _changes_package(config)
    change_set = changes / f"{change_set_module(head.name)}.py" if changes is not None else None
    index_path = registry.root / INDEX_FILE
    text = index_path.read_text(encoding="utf-8")
    doc = _read_toml(index_path)
    _append_version(doc, text, head, name, released)

    # Everything is checked: write.
    for src, dest in copies:
        shutil.copytree(src, dest)
    _write(index_path, tomlkit.dumps(doc))
    new_registry = load_registry(config.schemas)
    created = False
    if change_set is not None and not change_set.exists():
        if not (change_set.parent / "__init__.py").exists():
            _write(change_set.parent / "__init__.py", _PACKAGE_INIT)
        _write(change_set, change_set_source(head.name, name))
        created = True
    written: tuple[str, ...] = ()
    error: str | None = None
    models = config.models if codegen else None
    if models is not None:
        from contractkit.codegen import write_models

        try:
            written = tuple(write_models(new_registry, models))
        except ContractkitError as exc:
            error = exc.one_line()
    return VersionAdded(
        name=name,
        previous=head.name,
        copied=tuple(copies),
        shared=tuple(shared),
        index=index_path,
        change_set=change_set,
        change_set_created=created,
        models=models,
        models_written=written,
        models_error=error,
    )


# -- version deprecate ------------------------------------------------------------------------------------


def deprecate_version(
    config: Config,
    name: str,
    *,
    sunset: dt.date,
    deprecated: dt.date | None = None,
    successor: str | None = None,
    today: dt.date | None = None,
) -> VersionDeprecated:
    """Mark `name` deprecated with its dates and successor, or raise DeprecationRefused and write nothing.

    The deprecation is measured as the gate measures it: from the day it first appears (today, for a
    version the working tree does not deprecate yet), or from `deprecated` when that is later.
    """
    from contractkit.gate.policy import lifecycle_violations, notice_start

    today = today or dt.date.today()
    registry = load_registry(config.schemas)
    current = registry.version(name)
    names = [v.name for v in registry.versions]
    if current.status == "sunset":
        raise UsageError(f"{name} is already sunset")
    if successor is None:
        successor = current.successor
    if successor is None:
        later = names[names.index(name) + 1 :]
        if not later:
            raise UsageError(
                f"{name} is the newest version: add its successor first (`contractkit version add NAME`), "
                "or name one with --successor"
            )
        successor = later[0]
    if successor not in names:
        raise UsageError(f"unknown successor {successor!r} (known: {', '.join(names)})")
    if names.index(successor) <= names.index(name):
        raise UsageError(f"the successor of {name} must be a later version than {name}, not {successor}")
    deprecated = deprecated or current.deprecated or today
    new = replace(current, status="deprecated", deprecated=deprecated, sunset=sunset, successor=successor)
    proposed = tuple(new if v.name == name else v for v in registry.versions)
    min_days = config.min_deprecation_days
    if min_days is None:
        min_days = registry.index.policy.min_deprecation_days

    def errors(versions: Sequence[Version]) -> list[tuple[str, str, str]]:
        found = lifecycle_violations(registry.versions, versions, today, min_days)
        return [(x.rule_id, x.version, x.message) for x in found if x.severity == "error"]

    before = {(rule, version) for rule, version, _ in errors(registry.versions)}
    refused = [(rule, msg) for rule, version, msg in errors(proposed) if (rule, version) not in before]
    index_path = registry.root / INDEX_FILE
    if refused:
        raise DeprecationRefused(index_path, refused)

    doc = _read_toml(index_path)
    entry = next(t for t in doc["versions"] if t.get("name") == name)
    for key, value in (
        ("status", "deprecated"),
        ("deprecated", deprecated),
        ("sunset", sunset),
        ("successor", successor),
    ):
        entry[key] = value
    _write(index_path, tomlkit.dumps(doc))
    load_registry(config.schemas)
    start = notice_start(current, new, today, has_base=True)
    days = (sunset - (start[0] if start else deprecated)).days
    return VersionDeprecated(
        name=name, deprecated=deprecated, sunset=sunset, successor=successor, notice_days=days, index=index_path
    )
