"""Waivers: structured, expiring exceptions that silence exactly the finding they name.

    # schemas/waivers.toml
    [[waiver]]
    rule = "property-became-required"      # the finding's rule id
    version = "v1"                         # the version it is reported on
    schema = "cart_create"                 # optional: the schema it is reported on
    pointer = "/required"                  # the finding's JSON pointer (as the report prints it)
    reason = "no client sends carts without currency (checked in access logs, JIRA-123)"
    expires = 2027-01-31

The pointer may be written as a JSON pointer (`/required`) or as a URI fragment (`#/required`,
percent-encoding allowed); `""`, `"/"` and `"#"` all mean the schema's root. The rule id must be one
contractkit reports (a misspelt one is an input error with a "did you mean"), so a waiver cannot miss
its finding silently.

An expired waiver, or one that matches nothing, is itself a finding that fails the gate; one that
expires within `EXPIRING_WITHIN_DAYS` days is a warning (`waiver-expiring`).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from contractkit.errors import InputError
from contractkit.gate import rules as R
from contractkit.gate._model import GateFinding

__all__ = ["EXPIRING_WITHIN_DAYS", "Waiver", "apply_waivers", "load_waivers", "normalise_pointer"]

EXPIRING_WITHIN_DAYS = 14


def normalise_pointer(pointer: str | None) -> str | None:
    """`#/x`, `#/%24defs/x` and `/x` alike as the JSON pointer `/x`; the root as ``."""
    if pointer is None:
        return None
    p = pointer.strip()
    if p.startswith("#"):
        p = unquote(p[1:])
    return "" if p in ("", "/") else p


@dataclass(frozen=True, slots=True)
class Waiver:
    rule: str
    version: str
    pointer: str | None
    schema: str | None
    reason: str
    expires: dt.date
    index: int

    def matches(self, f: GateFinding) -> bool:
        return (
            f.rule_id == self.rule
            and f.version == self.version
            and (self.pointer is None or normalise_pointer(f.pointer) == self.pointer)
            and (self.schema is None or f.schema == self.schema)
        )


def load_waivers(path: Path) -> list[Waiver]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, None, "waiver file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, None, f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, None, f"invalid TOML: {exc}") from None
    entries = data.get("waiver", [])
    if not isinstance(entries, list):
        raise InputError(path, "/waiver", "expected [[waiver]] tables")
    out: list[Waiver] = []
    for i, e in enumerate(entries):
        where = f"/waiver/{i}"
        if not isinstance(e, dict):
            raise InputError(path, where, "expected a table")
        for key in ("rule", "version", "reason"):
            if not isinstance(e.get(key), str) or not e[key].strip():
                raise InputError(path, f"{where}/{key}", f"a waiver needs a non-empty `{key}`")
        expires = e.get("expires")
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError:
                expires = None
        if not isinstance(expires, dt.date):
            raise InputError(path, f"{where}/expires", "a waiver needs an `expires` date (YYYY-MM-DD)")
        for key in ("pointer", "schema"):
            if key in e and not isinstance(e[key], str):
                raise InputError(path, f"{where}/{key}", "expected a string")
        rule = e["rule"].strip()
        _check_rule_id(path, f"{where}/rule", rule)
        pointer = normalise_pointer(e.get("pointer"))
        out.append(Waiver(rule, e["version"], pointer, e.get("schema"), e["reason"], expires, i))
    return out


def _check_rule_id(path: Path, where: str, rule: str) -> None:
    from contractkit.reporting.formats._rules import known_rule_ids, suggest

    if rule not in known_rule_ids():
        raise InputError(path, where, f"unknown rule id {rule!r}{suggest(rule)}")


def apply_waivers(
    findings: Iterable[GateFinding], waivers: list[Waiver], today: dt.date, file_rel: str
) -> list[GateFinding]:
    """Silence what live waivers match; add a finding for each expired or unused waiver."""
    out: list[GateFinding] = []
    used: set[int] = set()
    live = [w for w in waivers if today <= w.expires]
    for f in findings:
        match = next((w for w in live if w.matches(f)), None)
        if match is not None:
            used.add(match.index)
            out.append(f.waive(f"{match.reason} (waiver #{match.index + 1}, expires {match.expires})"))
        else:
            out.append(f)
    for w in waivers:
        pointer = f"/waiver/{w.index}"
        left = (w.expires - today).days
        if 0 <= left <= EXPIRING_WITHIN_DAYS:
            when = "today" if left == 0 else "tomorrow" if left == 1 else f"in {left} days"
            msg = (
                f"waiver #{w.index + 1} for {w.rule} on {w.version} expires {when} ({w.expires}); "
                "fix the finding or renew the waiver with a reason"
            )
            out.append(
                GateFinding(R.WAIVER_EXPIRING, "warning", msg, version=w.version, pointer=pointer, file=file_rel)
            )
        if today > w.expires:
            msg = f"waiver #{w.index + 1} for {w.rule} on {w.version} expired on {w.expires}"
            out.append(GateFinding(R.WAIVER_EXPIRED, "error", msg, version=w.version, pointer=pointer, file=file_rel))
        elif w.index not in used:
            at = "any pointer" if w.pointer is None else (w.pointer or "/")
            msg = f"waiver #{w.index + 1} for {w.rule} on {w.version} at {at} matches no finding"
            out.append(GateFinding(R.WAIVER_UNUSED, "error", msg, version=w.version, pointer=pointer, file=file_rel))
    return out
