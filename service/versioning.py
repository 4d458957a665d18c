"""Declared version changes and the conversion chains built from them (Stripe's version change modules).

The business logic speaks only the newest version. Each older version differs from its successor by an
ordered list of `VersionChange` objects (see service.changes). A change declares, per schema name:

- `upgrade`: how a request body written for the older version becomes a body for the successor
  (requests travel forward: old client -> head logic);
- `downgrade`: how a response body of the successor becomes the older version's body
  (responses travel backward: head logic -> old client).

`Chains` composes them once at startup into one tuple of functions per (version, schema name), so a
request pays only for the functions that apply to it: nothing at all on the head version.
A conversion that cannot be done raises `service.problems.Problem` (422 for a request, 409 for a stored
resource the older version cannot represent).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from contractkit.registry import Version

__all__ = ["Chains", "ConversionContext", "Downgrade", "Upgrade", "VersionChange"]


class ConversionContext:
    """What a request conversion may need beyond the body: lazily loaded facts about the target resource."""

    __slots__ = ("_cart_currency", "_loader")

    def __init__(self, cart_currency_loader: Callable[[], str]) -> None:
        self._loader = cart_currency_loader
        self._cart_currency: str | None = None

    @property
    def cart_currency(self) -> str:
        if self._cart_currency is None:
            self._cart_currency = self._loader()
        return self._cart_currency


Upgrade = Callable[[dict[str, Any], ConversionContext], dict[str, Any]]
Downgrade = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class VersionChange:
    """One documented difference between a version and its successor."""

    description: str
    upgrade: Mapping[str, Upgrade] = field(default_factory=dict)  # request schema name -> function
    downgrade: Mapping[str, Downgrade] = field(default_factory=dict)  # response schema name -> function


@dataclass(frozen=True, slots=True)
class Chains:
    """Per-version composed conversions; built once, looked up with two dict reads per request."""

    head: str
    requests: Mapping[str, Mapping[str, tuple[Upgrade, ...]]]
    responses: Mapping[str, Mapping[str, tuple[Downgrade, ...]]]

    @classmethod
    def build(cls, versions: Sequence[Version], changes: Mapping[str, Sequence[VersionChange]]) -> Chains:
        """`changes[v]` lists the changes from version v to v.successor; the head version has none.

        Every non-head version must reach the head through successors, and every step must be declared
        (even as an empty list): an undeclared step is a startup error, not a silent identity.
        """
        by_name = {v.name: v for v in versions}
        head = versions[-1].name
        unknown = set(changes) - set(by_name)
        if unknown:
            raise ValueError(f"version changes declared for unknown versions: {sorted(unknown)}")
        requests: dict[str, dict[str, tuple[Upgrade, ...]]] = {}
        responses: dict[str, dict[str, tuple[Downgrade, ...]]] = {}
        for version in versions:
            steps: list[VersionChange] = []
            current = version
            seen = {current.name}
            while current.name != head:
                if current.name not in changes:
                    raise ValueError(f"no version changes declared from {current.name} to its successor")
                succ = current.successor or _next(versions, current.name)
                if succ in seen or succ not in by_name:
                    raise ValueError(f"version {current.name} does not reach the head version {head}")
                steps.extend(changes[current.name])
                current = by_name[succ]
                seen.add(succ)
            up: dict[str, list[Upgrade]] = {}
            down: dict[str, list[Downgrade]] = {}
            for change in steps:  # oldest first: requests upgrade in this order
                for name, fn in change.upgrade.items():
                    up.setdefault(name, []).append(fn)
            for change in reversed(steps):  # newest first: responses downgrade in this order
                for name, fn in change.downgrade.items():
                    down.setdefault(name, []).append(fn)
            requests[version.name] = {k: tuple(v) for k, v in up.items()}
            responses[version.name] = {k: tuple(v) for k, v in down.items()}
        return cls(head=head, requests=requests, responses=responses)

    def upgrade(self, version: str, name: str, body: dict[str, Any], ctx: ConversionContext) -> dict[str, Any]:
        for fn in self.requests[version].get(name, ()):
            body = fn(body, ctx)
        return body

    def downgrade(self, version: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        for fn in self.responses[version].get(name, ()):
            body = fn(body)
        return body


def _next(versions: Sequence[Version], name: str) -> str:
    names = [v.name for v in versions]
    return names[names.index(name) + 1]
