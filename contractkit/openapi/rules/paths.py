"""Paths and operations: removed (with the deprecation and x-sunset it had) or added.

Removal breaks requests (backward): the new server answers nothing for what old clients send. A
deprecated operation may go once its `x-sunset` has passed; before, it still breaks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from contractkit.openapi._diff import OperationPair
from contractkit.openapi._model import OperationFinding
from contractkit.openapi.rules._context import Context, sunset_date

PATH_REMOVED = "path-removed"
OPERATION_REMOVED = "operation-removed"
DEPRECATED_OPERATION_REMOVED = "deprecated-operation-removed"
OPERATION_REMOVED_BEFORE_SUNSET = "operation-removed-before-sunset"
OPERATION_REMOVED_AFTER_SUNSET = "operation-removed-after-sunset"
PATH_ADDED = "path-added"
OPERATION_ADDED = "operation-added"


def check(ctx: Context, pair: OperationPair) -> Iterator[OperationFinding]:
    if pair.old is not None and pair.new is None:
        op = pair.old
        what = "the operation" if pair.path_on_new else "the operation and its whole path"
        witness = ctx.old_request(op)
        if not op.deprecated:
            rule = OPERATION_REMOVED if pair.path_on_new else PATH_REMOVED
            message = f"{what} was removed without being deprecated first"
        else:
            sunset = sunset_date(op.sunset)
            if sunset is None:
                rule, message = DEPRECATED_OPERATION_REMOVED, f"{what} was removed; it was deprecated, with no x-sunset"
            elif isinstance(sunset, dt.date) and sunset <= ctx.today:
                rule, message = OPERATION_REMOVED_AFTER_SUNSET, f"{what} was removed after its x-sunset {sunset}"
            else:
                rule = OPERATION_REMOVED_BEFORE_SUNSET
                message = f"{what} was removed before its x-sunset {op.sunset} (today is {ctx.today})"
        yield ctx.emit(rule, op.label, message, old_pointer=op.pointer, request=witness)
    elif pair.old is None and pair.new is not None:
        op = pair.new
        if pair.path_on_old:
            yield ctx.emit(OPERATION_ADDED, op.label, "a new operation", new_pointer=op.pointer)
        else:
            yield ctx.emit(PATH_ADDED, op.label, "a new path", new_pointer=op.pointer)
