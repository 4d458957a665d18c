"""Lifecycle of an operation: `deprecated: true` and `x-sunset` (RFC 3339 date) set, cleared or moved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from contractkit.openapi._diff import OperationPair
from contractkit.openapi._model import OperationFinding
from contractkit.openapi.rules._context import Context, sunset_date

OPERATION_DEPRECATED = "operation-deprecated"
OPERATION_REACTIVATED = "operation-reactivated"
OPERATION_SUNSET_MOVED_EARLIER = "operation-sunset-moved-earlier"
SUNSET_INVALID = "sunset-invalid"


def check(ctx: Context, pair: OperationPair) -> Iterator[OperationFinding]:
    old, new = pair.old, pair.new
    if old is None or new is None:
        return
    if new.deprecated and not old.deprecated:
        when = f", x-sunset {new.sunset}" if new.sunset is not None else ", with no x-sunset"
        yield ctx.emit(OPERATION_DEPRECATED, new.label, f"deprecated{when}", new_pointer=f"{new.pointer}/deprecated")
    elif old.deprecated and not new.deprecated:
        yield ctx.emit(
            OPERATION_REACTIVATED, new.label, "no longer deprecated", old_pointer=f"{old.pointer}/deprecated"
        )
    if new.sunset == old.sunset:
        return
    before, after = sunset_date(old.sunset), sunset_date(new.sunset)
    if isinstance(after, str):
        yield ctx.emit(
            SUNSET_INVALID,
            new.label,
            f"x-sunset {after!r} is not an RFC 3339 date",
            new_pointer=f"{new.pointer}/x-sunset",
        )
    elif isinstance(before, dt.date) and isinstance(after, dt.date) and after < before:
        yield ctx.emit(
            OPERATION_SUNSET_MOVED_EARLIER,
            new.label,
            f"x-sunset moved earlier, from {before} to {after}: clients planned for the old date",
            old_pointer=f"{old.pointer}/x-sunset",
            new_pointer=f"{new.pointer}/x-sunset",
        )
