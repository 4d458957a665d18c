"""Deprecation-window policy: what the version index may and may not do between two commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from contractkit.gate import rules as R
from contractkit.gate._model import GateFinding, Severity
from contractkit.gate.locate import index_line
from contractkit.registry import Registry, Version, subschemas

__all__ = ["check_policy", "deprecated_property_findings"]


class _Index:
    """Makes findings located at a version's key in index.toml."""

    def __init__(self, path: Path, rel: str) -> None:
        self.path, self.rel = path, rel

    def finding(self, rule_id: str, severity: Severity, message: str, v: Version, key: str) -> GateFinding:
        line = index_line(self.path, v.name, key)
        return GateFinding(rule_id, severity, message, version=v.name, file=self.rel, line=line)


def check_policy(
    base: Registry | None,
    head: Registry,
    today: dt.date,
    min_days: int | None,
    index_rel: str,
) -> Iterator[GateFinding]:
    idx = _Index(head.root / "index.toml", index_rel)
    for v in head.versions:
        retired = v.status in ("deprecated", "sunset")
        if v.status == "deprecated" and v.sunset is None:
            msg = f"{v.name} is deprecated but has no sunset date"
            yield idx.finding(R.DEPRECATED_WITHOUT_SUNSET, "error", msg, v, "status")
        if retired and v.successor is None:
            msg = f"{v.name} is {v.status} but names no successor"
            yield idx.finding(R.DEPRECATED_WITHOUT_SUCCESSOR, "error", msg, v, "status")
        if v.deprecated and v.sunset:
            days = (v.sunset - v.deprecated).days
            if days <= 0:
                msg = f"{v.name} sunset {v.sunset} is not after its deprecation {v.deprecated}"
                yield idx.finding(R.SUNSET_BEFORE_DEPRECATION, "error", msg, v, "sunset")
            elif min_days is not None and days < min_days:
                msg = (
                    f"{v.name} is deprecated for {days} days ({v.deprecated} to {v.sunset}); "
                    f"the policy requires at least {min_days}"
                )
                yield idx.finding(R.DEPRECATION_WINDOW_TOO_SHORT, "error", msg, v, "sunset")
        if v.sunset is not None and today >= v.sunset:
            msg = f"{v.name} passed its sunset {v.sunset}; it may be removed from the index"
            yield idx.finding(R.VERSION_SUNSET_PASSED, "info", msg, v, "sunset")
    if base is None:
        return
    head_by_name = {v.name: v for v in head.versions}
    for old in base.versions:
        new = head_by_name.get(old.name)
        if new is None:
            if old.sunset is None or today < old.sunset:
                when = f"before its sunset {old.sunset}" if old.sunset else "without ever being given a sunset date"
                msg = f"{old.name} was removed from the index {when}"
                yield GateFinding(R.VERSION_REMOVED_BEFORE_SUNSET, "error", msg, version=old.name, file=index_rel)
            continue
        if old.sunset is not None and new.sunset is not None and new.sunset < old.sunset:
            msg = f"{new.name} sunset moved earlier, from {old.sunset} to {new.sunset}"
            yield idx.finding(R.SUNSET_MOVED_EARLIER, "error", msg, new, "sunset")


def deprecated_property_findings(
    base: Registry, head: Registry, version: str, schema: str, today: dt.date, file_rel: str
) -> Iterator[GateFinding]:
    """A property marked deprecated in base may disappear only after its version's or its own sunset."""
    head_version = head.version(version)
    old = base.bundled(schema, version)
    new = head.bundled(schema, version)
    new_pointers = {ptr for ptr, _ in subschemas(new)}
    for ptr, node in subschemas(old):
        if not (isinstance(node, dict) and node.get("deprecated") is True and "/properties/" in ptr):
            continue
        if ptr in new_pointers:
            continue
        own = node.get("x-sunset")
        own_sunset: dt.date | None = None
        if isinstance(own, str):
            try:
                own_sunset = dt.date.fromisoformat(own)
            except ValueError:
                own_sunset = None
        allowed = [d for d in (head_version.sunset, own_sunset) if d is not None]
        if any(today >= d for d in allowed):
            continue
        until = " or ".join(str(d) for d in allowed) or "a sunset date is set"
        yield GateFinding(
            R.DEPRECATED_PROPERTY_REMOVED_EARLY,
            "error",
            f"deprecated property {ptr} of {schema}@{version} was removed before {until}",
            version=version,
            schema=schema,
            pointer=ptr,
            file=file_rel,
        )
