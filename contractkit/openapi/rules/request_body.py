"""Request bodies: added or made required, media types removed or added, schemas per media type.

Read by the server, so judged backward: every body an old client could send must stay acceptable.
"""

from __future__ import annotations

from collections.abc import Iterator

from contractkit.openapi._diff import OperationPair, pair_keys
from contractkit.openapi._model import OperationFinding
from contractkit.openapi.rules._context import Context

REQUEST_BODY_ADDED_REQUIRED = "request-body-added-required"
REQUEST_BODY_ADDED_OPTIONAL = "request-body-added-optional"
REQUEST_BODY_BECAME_REQUIRED = "request-body-became-required"
REQUEST_BODY_BECAME_OPTIONAL = "request-body-became-optional"
REQUEST_BODY_REMOVED = "request-body-removed"
REQUEST_MEDIA_TYPE_REMOVED = "request-media-type-removed"
REQUEST_MEDIA_TYPE_ADDED = "request-media-type-added"
REQUEST_BODY_SCHEMA_NARROWED = "request-body-schema-narrowed"


def check(ctx: Context, pair: OperationPair) -> Iterator[OperationFinding]:
    old, new = pair.old, pair.new
    if old is None or new is None:
        return
    ob, nb = old.request_body, new.request_body
    if ob is None and nb is not None:
        if nb.required:
            yield ctx.emit(
                REQUEST_BODY_ADDED_REQUIRED,
                new.label,
                "a required request body was added; old clients send none",
                new_pointer=nb.pointer,
                request=ctx.old_request(old),
            )
        else:
            yield ctx.emit(
                REQUEST_BODY_ADDED_OPTIONAL, new.label, "an optional request body was added", new_pointer=nb.pointer
            )
        return
    if ob is not None and nb is None:
        yield ctx.emit(
            REQUEST_BODY_REMOVED,
            new.label,
            "the request body was removed; old clients still send one",
            old_pointer=ob.pointer,
        )
        return
    if ob is None or nb is None:
        return
    if nb.required and not ob.required:
        yield ctx.emit(
            REQUEST_BODY_BECAME_REQUIRED,
            new.label,
            "the request body is now required",
            new_pointer=f"{nb.pointer}/required",
            request=ctx.old_request(old, with_body=False),
        )
    elif ob.required and not nb.required:
        yield ctx.emit(
            REQUEST_BODY_BECAME_OPTIONAL, new.label, "the request body is now optional", new_pointer=nb.pointer
        )
    for media, om, nm in pair_keys(ob.content, nb.content):
        if om is not None and nm is None:
            ok, body = ctx.witnesses.example(ctx.old, om.schema, om.examples)
            yield ctx.emit(
                REQUEST_MEDIA_TYPE_REMOVED,
                new.label,
                f"request media type {media} is no longer accepted",
                old_pointer=om.pointer,
                request=ctx.request_with_body(old, media, body) if ok else None,
            )
        elif om is None and nm is not None:
            yield ctx.emit(
                REQUEST_MEDIA_TYPE_ADDED, new.label, f"request media type {media} is accepted", new_pointer=nm.pointer
            )
        elif om is not None and nm is not None:
            for f in ctx.schema_changes(om.schema, nm.schema, "backward"):
                yield ctx.emit(
                    REQUEST_BODY_SCHEMA_NARROWED,
                    new.label,
                    f"{media} request body: {f.rule_id}: {f.message}",
                    old_pointer=om.schema.pointer if om.schema is not None else om.pointer,
                    new_pointer=nm.schema.pointer if nm.schema is not None else nm.pointer,
                    schema=f,
                    request=ctx.request_with_body(old, media, f.witness.instance) if f.witness is not None else None,
                )
