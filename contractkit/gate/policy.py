"""Deprecation-window policy: what the version index may and may not do between two commits.

The notice clients get is measured from the day a deprecation **first appears**, never from a date someone
typed: a deprecation that this change introduces counts from `today` (it reaches clients when it lands), or
from its declared `deprecated` date when that is later. A deprecation the base already announced and that
this change re-dates counts from the base's `deprecated` date (or the base commit's date when the base
gave none), again or from the new declared date when that is later. A deprecation the base already
had, unchanged, was measured when it landed; only its declared dates are checked again. With no registry
at the base (a project adopting contractkit) there is nothing to tell when a deprecation appeared, so the
declared dates are taken as they are.

`lifecycle_violations` works on plain `Version` sequences so that `contractkit version deprecate` refuses
exactly what the gate would reject; `check_policy` locates the same violations in index.toml.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from contractkit.gate import rules as R
from contractkit.gate._model import GateFinding, Severity
from contractkit.gate.locate import index_line
from contractkit.registry import Registry, Version, subschemas

__all__ = ["Violation", "check_policy", "deprecated_property_findings", "lifecycle_violations", "notice_start"]


@dataclass(frozen=True, slots=True)
class Violation:
    """One lifecycle rule broken by a version entry; `key` is the index.toml key to point at."""

    rule_id: str
    severity: Severity
    message: str
    version: str
    key: str | None = None


def _announced(v: Version) -> bool:
    """Whether the entry tells clients the version is going away."""
    return v.status != "stable" or v.deprecated is not None or v.sunset is not None


def notice_start(
    old: Version | None, new: Version, today: dt.date, *, has_base: bool, base_date: dt.date | None = None
) -> tuple[dt.date, str] | None:
    """The day `new`'s deprecation notice counts from, and why; None when only the declared dates can be used."""
    declared = new.deprecated
    if not has_base:
        return None
    if old is None or not _announced(old):
        start, why = today, "the day this change introduces the deprecation"
    elif (old.deprecated, old.sunset, old.status) == (new.deprecated, new.sunset, new.status):
        return None  # measured when it landed
    elif old.deprecated is not None:
        start, why = old.deprecated, "the deprecation date announced at the base"
    else:
        start, why = base_date or today, "the base commit, where the deprecation already appears"
    if declared is not None and declared > start:
        return declared, "its declared deprecation date"
    return start, why


def lifecycle_violations(
    base: Sequence[Version] | None,
    head: Sequence[Version],
    today: dt.date,
    min_days: int | None,
    *,
    base_date: dt.date | None = None,
) -> Iterator[Violation]:
    """Every lifecycle rule the head index breaks, on its own or against the base (None: no registry there)."""
    base_by_name = {v.name: v for v in base or ()}
    head_by_name = {v.name: v for v in head}
    for v in head:
        retired = v.status in ("deprecated", "sunset")
        if v.status == "deprecated" and v.sunset is None:
            yield Violation(
                R.DEPRECATED_WITHOUT_SUNSET, "error", f"{v.name} is deprecated but has no sunset date", v.name, "status"
            )
        if retired and v.successor is None:
            msg = f"{v.name} is {v.status} but names no successor"
            yield Violation(R.DEPRECATED_WITHOUT_SUCCESSOR, "error", msg, v.name, "status")
        if v.deprecated is not None and v.deprecated < v.released:
            msg = f"{v.name} is deprecated on {v.deprecated}, before its own release on {v.released}"
            yield Violation(R.DEPRECATED_BEFORE_RELEASED, "error", msg, v.name, "deprecated")
        yield from _window(base_by_name.get(v.name), v, today, min_days, base is not None, base_date)
        if v.successor is not None and v.sunset is not None:
            succ = head_by_name.get(v.successor)
            if succ is not None and succ.sunset is not None and succ.sunset < v.sunset:
                msg = (
                    f"{succ.name} sunsets on {succ.sunset}, before {v.name} ({succ.name}'s predecessor) on {v.sunset}:"
                    f" clients told to migrate to {succ.name} would lose it first"
                )
                yield Violation(R.SUCCESSOR_SUNSETS_BEFORE_PREDECESSOR, "error", msg, succ.name, "sunset")
        if v.sunset is not None and today >= v.sunset:
            msg = f"{v.name} passed its sunset {v.sunset}; it may be removed from the index"
            yield Violation(R.VERSION_SUNSET_PASSED, "info", msg, v.name, "sunset")
    if base is None:
        return
    for old in base:
        new = head_by_name.get(old.name)
        if new is None:
            if old.sunset is None or today < old.sunset:
                when = f"before its sunset {old.sunset}" if old.sunset else "without ever being given a sunset date"
                msg = f"{old.name} was removed from the index {when}"
                yield Violation(R.VERSION_REMOVED_BEFORE_SUNSET, "error", msg, old.name)
            continue
        if old.sunset is not None and new.sunset is not None and new.sunset < old.sunset:
            msg = f"{new.name} sunset moved earlier, from {old.sunset} to {new.sunset}"
            yield Violation(R.SUNSET_MOVED_EARLIER, "error", msg, new.name, "sunset")


def _window(
    old: Version | None,
    v: Version,
    today: dt.date,
    min_days: int | None,
    has_base: bool,
    base_date: dt.date | None,
) -> Iterator[Violation]:
    if v.sunset is None:
        return
    if v.deprecated is not None and v.sunset <= v.deprecated:
        msg = f"{v.name} sunset {v.sunset} is not after its deprecation {v.deprecated}"
        yield Violation(R.SUNSET_BEFORE_DEPRECATION, "error", msg, v.name, "sunset")
        return
    if min_days is None:
        return
    measured = notice_start(old, v, today, has_base=has_base, base_date=base_date)
    if measured is None:
        if v.deprecated is None:
            return
        start, why = v.deprecated, "its declared deprecation date"
    else:
        start, why = measured
    days = (v.sunset - start).days
    if days < min_days:
        msg = (
            f"{v.name} gives clients {max(days, 0)} days of notice ({start}, {why}, to its sunset {v.sunset}); "
            f"the policy requires at least {min_days}"
        )
        yield Violation(R.DEPRECATION_WINDOW_TOO_SHORT, "error", msg, v.name, "sunset")


def check_policy(
    base: Registry | None,
    head: Registry,
    today: dt.date,
    min_days: int | None,
    index_rel: str,
    *,
    base_date: dt.date | None = None,
) -> Iterator[GateFinding]:
    """The lifecycle violations as gate findings, located at the version's key in index.toml."""
    path = head.root / "index.toml"
    in_head = {v.name for v in head.versions}
    base_versions = base.versions if base is not None else None
    for x in lifecycle_violations(base_versions, head.versions, today, min_days, base_date=base_date):
        line = index_line(path, x.version, x.key) if x.version in in_head else None
        yield GateFinding(x.rule_id, x.severity, x.message, version=x.version, file=index_rel, line=line)


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
