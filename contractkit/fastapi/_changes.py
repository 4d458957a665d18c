"""Declared version changes and the conversions composed from them (Stripe's version change modules).

Business logic speaks only the head (newest) version. Each older version differs from its successor by an
ordered list of `VersionChange`s, its *change set*. A change declares, per registry schema name:

- `upgrade`: how a request body written for the older version becomes a body for the successor
  (requests travel forward: old client -> head logic); it also receives the conversion context;
- `downgrade`: how a response body of the successor becomes the older version's body
  (responses travel backward: head logic -> old client).

`Conversions` composes them once at startup into one tuple of functions per (version, schema name), so a
request pays only for the functions that apply to it: nothing at all on the head version. A conversion that
cannot be done raises `Problem` (422 for a request, 409 for a stored resource the older version cannot
represent).

Change sets live by convention in a package (`[tool.contractkit] changes = "service.changes"`): the step
from version V to its successor is the module `from_<V>` (see `contractkit._loading.change_set_module`),
which defines `CHANGES: Sequence[VersionChange]`; an empty tuple declares "no changes". A mapping
`{version: changes}` (or `"module:ATTRIBUTE"` naming one) is accepted instead.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contractkit._loading import change_set_module, load_object
from contractkit.errors import ContractkitError, UsageError
from contractkit.registry import Registry, Version

if TYPE_CHECKING:
    from contractkit.fastapi._call import Call

__all__ = [
    "ChangeSetError",
    "ConversionContext",
    "Conversions",
    "Downgrade",
    "Upgrade",
    "VersionChange",
    "load_changes",
]


class ChangeSetError(UsageError):
    """A change set is missing or malformed: the message names the module to create or fix."""


class ConversionContext:
    """What a request conversion may read beyond the body, as attributes: `ctx.cart_currency`.

    Served, each fact comes from its loader (`VersionedAPI(context={"cart_currency": loader})`), called
    with the request's `Call` on first read and remembered for the rest of the request; a request that
    needs no fact pays nothing. Replay and drift fuzzing pass plain values instead
    (`[tool.contractkit.replay] context = { cart_currency = "USD" }`).
    """

    __slots__ = ("_call", "_loaders", "_values")

    def __init__(
        self,
        loaders: Mapping[str, Callable[[Call], Any]] | None = None,
        call: Call | None = None,
        **values: Any,
    ) -> None:
        self._loaders = loaders or {}
        self._call = call
        self._values: dict[str, Any] = values

    def __getattr__(self, name: str) -> Any:
        values = self._values
        if name in values:
            return values[name]
        loader = self._loaders.get(name)
        if loader is None or self._call is None:
            known = sorted({*values, *self._loaders})
            raise AttributeError(
                f"the conversion context has no {name!r} (known: {', '.join(known) or 'none'}); "
                "declare a loader for it: VersionedAPI(context={...})"
            )
        value = values[name] = loader(self._call)
        return value

    @classmethod
    def with_loaders(cls, loaders: Mapping[str, Callable[[Call], Any]]) -> type[ConversionContext]:
        """A context class whose facts are properties, made once at startup: reading `ctx.cart_currency`
        then costs no failed attribute lookup (and its exception) before the loader runs."""

        def fact(name: str, loader: Callable[[Call], Any]) -> property:
            def get(self: ConversionContext) -> Any:
                values = self._values
                if name in values:
                    return values[name]
                value = values[name] = loader(self._call)  # type: ignore[arg-type]
                return value

            return property(get)

        namespace: dict[str, Any] = {"__slots__": ()}
        namespace.update({name: fact(name, loader) for name, loader in loaders.items()})
        return type("ConversionContext", (cls,), namespace)


Upgrade = Callable[[dict[str, Any], Any], dict[str, Any]]
Downgrade = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class VersionChange:
    """One documented difference between a version and its successor."""

    description: str
    upgrade: Mapping[str, Upgrade] = field(default_factory=dict)  # request schema name -> function
    downgrade: Mapping[str, Downgrade] = field(default_factory=dict)  # response schema name -> function


ChangeSets = Mapping[str, Sequence[VersionChange]]


@dataclass(frozen=True, slots=True)
class Conversions:
    """Per-version composed conversions; built once, looked up with two dict reads per request.

    `requests[v][name]` upgrades a body of version v to the head; `responses[v][name]` downgrades a head
    body to v. `steps` keeps each version's own change set, for conversions between two older versions.
    """

    head: str
    order: tuple[str, ...]
    requests: Mapping[str, Mapping[str, tuple[Upgrade, ...]]]
    responses: Mapping[str, Mapping[str, tuple[Downgrade, ...]]]
    steps: Mapping[str, tuple[VersionChange, ...]]

    @classmethod
    def build(cls, versions: Sequence[Version], changes: ChangeSets) -> Conversions:
        """`changes[v]` lists the changes from version v to its successor; the head version has none.

        Every older version must reach the head through successors, and every step must be declared (even
        as an empty list): an undeclared step is an error, not a silent identity.
        """
        if not versions:
            raise ChangeSetError("the version index lists no versions")
        by_name = {v.name: v for v in versions}
        head = versions[-1].name
        unknown = set(changes) - set(by_name)
        if unknown:
            raise ChangeSetError(f"version changes declared for unknown versions: {sorted(unknown)}")
        if changes.get(head):
            raise ChangeSetError(f"changes declared from the head version {head}, which has no successor")
        requests: dict[str, dict[str, tuple[Upgrade, ...]]] = {}
        responses: dict[str, dict[str, tuple[Downgrade, ...]]] = {}
        for version in versions:
            steps: list[VersionChange] = []
            current = version
            seen = {current.name}
            while current.name != head:
                if current.name not in changes:
                    raise ChangeSetError(f"no version changes declared from {current.name} to its successor")
                succ = current.successor or _next(versions, current.name)
                if succ in seen or succ not in by_name:
                    raise ChangeSetError(f"version {current.name} does not reach the head version {head}")
                steps.extend(changes[current.name])
                current = by_name[succ]
                seen.add(succ)
            up: dict[str, list[Upgrade]] = {}
            down: dict[str, list[Downgrade]] = {}
            for change in steps:  # oldest first: requests upgrade in this order
                for name, up_fn in change.upgrade.items():
                    up.setdefault(name, []).append(up_fn)
            for change in reversed(steps):  # newest first: responses downgrade in this order
                for name, down_fn in change.downgrade.items():
                    down.setdefault(name, []).append(down_fn)
            requests[version.name] = {k: tuple(v) for k, v in up.items()}
            responses[version.name] = {k: tuple(v) for k, v in down.items()}
        return cls(
            head=head,
            order=tuple(v.name for v in versions),
            requests=requests,
            responses=responses,
            steps={v.name: tuple(changes.get(v.name, ())) for v in versions},
        )

    @classmethod
    def from_registry(cls, registry: Registry, changes: str | ChangeSets) -> Conversions:
        """Compose the change sets of `changes` (a package, `module:ATTRIBUTE`, or a mapping) for the index."""
        sets = changes if isinstance(changes, Mapping) else load_changes(changes, registry.versions)
        return cls.build(registry.versions, sets)

    def upgrade(
        self, version: str, name: str, body: dict[str, Any], ctx: Any, *, to: str | None = None
    ) -> dict[str, Any]:
        """A request body of `version` as a body of `to` (default: the head version)."""
        if to is None or to == self.head:
            for fn in self.requests[version].get(name, ()):
                body = fn(body, ctx)
            return body
        for change in self._between(version, to):
            step_up = change.upgrade.get(name)
            if step_up is not None:
                body = step_up(body, ctx)
        return body

    def downgrade(self, version: str, name: str, body: dict[str, Any], *, source: str | None = None) -> dict[str, Any]:
        """A response body of `source` (default: the head version) as a body of `version`."""
        if source is None or source == self.head:
            for fn in self.responses[version].get(name, ()):
                body = fn(body)
            return body
        for change in reversed(self._between(version, source)):
            step_down = change.downgrade.get(name)
            if step_down is not None:
                body = step_down(body)
        return body

    def _between(self, older: str, newer: str) -> list[VersionChange]:
        order = self.order
        if older not in order or newer not in order or order.index(older) > order.index(newer):
            raise ValueError(f"no conversion path from {older} to {newer}")
        out: list[VersionChange] = []
        for name in order[order.index(older) : order.index(newer)]:
            out.extend(self.steps[name])
        return out


def _next(versions: Sequence[Version], name: str) -> str:
    names = [v.name for v in versions]
    return names[names.index(name) + 1]


def _package_dir(package: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def load_changes(changes: str, versions: Sequence[Version]) -> dict[str, Sequence[VersionChange]]:
    """The change sets for `versions` (index order, head last), from `changes`:

    - a package name (`service.changes`): the step from V to its successor is the module `from_<V>`,
      which defines `CHANGES`;
    - `module:ATTRIBUTE`: a mapping `{version: changes}` in one file.

    A missing step is one ChangeSetError naming the module to create.
    """
    if ":" in changes:
        mapping = load_object(changes)
        if not isinstance(mapping, Mapping):
            raise ChangeSetError(f"{changes} is not a mapping of version name -> changes")
        return {str(k): _checked(f"{changes}[{k!r}]", v) for k, v in mapping.items()}
    where = _package_dir(changes)
    if where is None:
        raise ChangeSetError(
            f"the change-set package {changes!r} cannot be found; create it (a folder with __init__.py) "
            "or set [tool.contractkit] changes"
        )
    sets: dict[str, Sequence[VersionChange]] = {}
    for i, version in enumerate(versions[:-1]):
        successor = version.successor or versions[i + 1].name
        module_name = f"{changes}.{change_set_module(version.name)}"
        path = where / f"{change_set_module(version.name)}.py"
        if importlib.util.find_spec(module_name) is None:
            raise ChangeSetError(
                f"no change set from {version.name} to {successor}: create {path} defining "
                "CHANGES = (...) (an empty tuple declares no changes)"
            )
        try:
            module = importlib.import_module(module_name)
        except ContractkitError:
            raise
        except Exception as exc:  # user code: whatever it raises is reported on one line
            raise ChangeSetError(f"could not import {module_name} ({path}): {type(exc).__name__}: {exc}") from None
        if not hasattr(module, "CHANGES"):
            raise ChangeSetError(f"{path} defines no CHANGES (a sequence of VersionChange; () for none)")
        sets[version.name] = _checked(str(path), module.CHANGES)
    return sets


def _checked(where: str, value: Any) -> tuple[VersionChange, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ChangeSetError(f"{where}: CHANGES must be a sequence of VersionChange, got {type(value).__name__}")
    for item in value:
        if not isinstance(item, VersionChange):
            raise ChangeSetError(f"{where}: {item!r} is not a VersionChange")
    return tuple(value)
