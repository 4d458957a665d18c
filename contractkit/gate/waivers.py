"""Waivers: structured, expiring exceptions that silence exactly the finding they name.

    # schemas/waivers.toml
    [[waiver]]
    rule = "property-became-required"      # the finding's rule id
    version = "v1"                         # the version it is reported on
    schema = "cart_create"                 # optional: the schema it is reported on
    pointer = "/required"                  # the finding's JSON pointer (as the report prints it)
    reason = "no client sends carts without currency (checked in access logs, JIRA-123)"
    expires = 2027-01-31

An expired waiver, or one that matches nothing, is itself a finding that fails the gate.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from contractkit.errors import InputError
from contractkit.gate import rules as R
from contractkit.gate._model import GateFinding

__all__ = ["Waiver", "apply_waivers", "load_waivers"]


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
            and (self.pointer is None or f.pointer == self.pointer)
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
        out.append(Waiver(e["rule"], e["version"], e.get("pointer"), e.get("schema"), e["reason"], expires, i))
    return out


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
        if today > w.expires:
            msg = f"waiver #{w.index + 1} for {w.rule} on {w.version} expired on {w.expires}"
            out.append(GateFinding(R.WAIVER_EXPIRED, "error", msg, version=w.version, pointer=pointer, file=file_rel))
        elif w.index not in used:
            msg = f"waiver #{w.index + 1} for {w.rule} on {w.version} at {w.pointer or '*'} matches no finding"
            out.append(GateFinding(R.WAIVER_UNUSED, "error", msg, version=w.version, pointer=pointer, file=file_rel))
    return out
