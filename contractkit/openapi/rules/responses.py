"""Responses: statuses, media types, body schemas and headers per status.

Read by the client, so judged forward: everything the new server may send must be something old clients
accept. A success status removed means a call old clients make no longer ends the way they expect.
"""

from __future__ import annotations

from collections.abc import Iterator

from contractkit.openapi._diff import OperationPair, pair_keys
from contractkit.openapi._load import Response
from contractkit.openapi._model import OperationFinding
from contractkit.openapi.rules._context import Context

SUCCESS_STATUS_REMOVED = "success-status-removed"
NON_SUCCESS_STATUS_REMOVED = "non-success-status-removed"
RESPONSE_STATUS_ADDED = "response-status-added"
RESPONSE_MEDIA_TYPE_REMOVED = "response-media-type-removed"
RESPONSE_MEDIA_TYPE_ADDED = "response-media-type-added"
RESPONSE_BODY_SCHEMA_WIDENED = "response-body-schema-widened"
RESPONSE_HEADER_REMOVED = "response-header-removed"
OPTIONAL_RESPONSE_HEADER_REMOVED = "optional-response-header-removed"
RESPONSE_HEADER_BECAME_OPTIONAL = "response-header-became-optional"
RESPONSE_HEADER_SCHEMA_WIDENED = "response-header-schema-widened"


def check(ctx: Context, pair: OperationPair) -> Iterator[OperationFinding]:
    old, new = pair.old, pair.new
    if old is None or new is None:
        return
    for status, o, n in pair_keys(old.responses, new.responses):
        if o is not None and n is None:
            if status.startswith("2"):
                yield ctx.emit(
                    SUCCESS_STATUS_REMOVED,
                    new.label,
                    f"success status {status} is no longer documented; old clients expect it",
                    old_pointer=o.pointer,
                )
            else:
                yield ctx.emit(
                    NON_SUCCESS_STATUS_REMOVED,
                    new.label,
                    f"status {status} is no longer documented",
                    old_pointer=o.pointer,
                )
        elif o is None and n is not None:
            yield ctx.emit(RESPONSE_STATUS_ADDED, new.label, f"new status {status}", new_pointer=n.pointer)
        elif o is not None and n is not None:
            yield from _content(ctx, pair, status, o, n)
            yield from _headers(ctx, pair, status, o, n)


def _content(ctx: Context, pair: OperationPair, status: str, o: Response, n: Response) -> Iterator[OperationFinding]:
    assert pair.new is not None
    op = pair.new
    for media, om, nm in pair_keys(o.content, n.content):
        if om is not None and nm is None:
            yield ctx.emit(
                RESPONSE_MEDIA_TYPE_REMOVED,
                op.label,
                f"{status} response media type {media} was removed; clients accepting only it get another",
                old_pointer=om.pointer,
            )
        elif om is None and nm is not None:
            yield ctx.emit(
                RESPONSE_MEDIA_TYPE_ADDED,
                op.label,
                f"{status} response media type {media} was added",
                new_pointer=nm.pointer,
            )
        elif om is not None and nm is not None:
            for f in ctx.schema_changes(om.schema, nm.schema, "forward"):
                witness = (
                    ctx.new_response(op, status, media=media, body=f.witness.instance)
                    if f.witness is not None
                    else None
                )
                yield ctx.emit(
                    RESPONSE_BODY_SCHEMA_WIDENED,
                    op.label,
                    f"{status} {media} response body: {f.rule_id}: {f.message}",
                    old_pointer=om.schema.pointer if om.schema is not None else om.pointer,
                    new_pointer=nm.schema.pointer if nm.schema is not None else nm.pointer,
                    schema=f,
                    response=witness,
                )


def _headers(ctx: Context, pair: OperationPair, status: str, o: Response, n: Response) -> Iterator[OperationFinding]:
    assert pair.new is not None
    op = pair.new
    for _, oh, nh in pair_keys(o.headers, n.headers):
        if oh is None:
            continue
        if nh is None:
            if oh.required:
                yield ctx.emit(
                    RESPONSE_HEADER_REMOVED,
                    op.label,
                    f"required {status} response header {oh.name} was removed",
                    old_pointer=oh.pointer,
                    response=ctx.new_response(op, status),
                )
            else:
                yield ctx.emit(
                    OPTIONAL_RESPONSE_HEADER_REMOVED,
                    op.label,
                    f"optional {status} response header {oh.name} was removed",
                    old_pointer=oh.pointer,
                )
            continue
        if oh.required and not nh.required:
            yield ctx.emit(
                RESPONSE_HEADER_BECAME_OPTIONAL,
                op.label,
                f"{status} response header {nh.name} is no longer required",
                new_pointer=nh.pointer,
                response=ctx.new_response(op, status),
            )
        for f in ctx.schema_changes(oh.schema, nh.schema, "forward"):
            witness = ctx.new_response(op, status, headers={nh.name: f.witness.instance}) if f.witness else None
            yield ctx.emit(
                RESPONSE_HEADER_SCHEMA_WIDENED,
                op.label,
                f"{status} response header {nh.name}: {f.rule_id}: {f.message}",
                old_pointer=oh.schema.pointer if oh.schema is not None else oh.pointer,
                new_pointer=nh.schema.pointer if nh.schema is not None else nh.pointer,
                schema=f,
                response=witness,
            )
