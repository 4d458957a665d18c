"""What changed from v1 to v2: `name` is renamed `display_name`, and a profile carries a required `locale`.

A v1 client cannot send a locale: the upgrade takes the caller's default (`ctx.default_locale`, loaded per
request by the app, a plain value in replay and fuzzing). v1 cannot show a locale: the downgrade drops it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from contractkit.fastapi import VersionChange


def _profile_create_up(body: dict[str, Any], ctx: Any) -> dict[str, Any]:
    out = {k: v for k, v in body.items() if k != "name"}
    return {**out, "display_name": body["name"], "locale": ctx.default_locale}


def _profile_down(body: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in body.items() if k not in ("display_name", "locale")}
    return {**out, "name": body["display_name"]}


NAME_BECOMES_DISPLAY_NAME = VersionChange(
    "A profile's `name` is called `display_name`, and profiles carry a required `locale`.",
    upgrade={"profile_create": _profile_create_up},
    downgrade={"profile": _profile_down},
)

CHANGES: Sequence[VersionChange] = (NAME_BECOMES_DISPLAY_NAME,)
