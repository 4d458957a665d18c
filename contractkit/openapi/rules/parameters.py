"""Parameters (path, query, header, cookie): added, removed, made required, renamed, schema narrowed.

Requests are read by the server: parameter changes are judged backward, and a schema that now rejects a
value old clients could send is decided by the engine, whose witness value is put in a whole request.
Header names are case-insensitive (a change of case is no change); query and cookie names are not.
Path parameters pair by position: their names never travel.
"""

from __future__ import annotations

from collections.abc import Iterator

from contractkit.openapi._diff import OperationPair, pair_parameters
from contractkit.openapi._load import Parameter
from contractkit.openapi._model import OperationFinding
from contractkit.openapi.rules._context import Context

REQUIRED_PARAMETER_ADDED = "required-parameter-added"
OPTIONAL_PARAMETER_ADDED = "optional-parameter-added"
PARAMETER_BECAME_REQUIRED = "parameter-became-required"
PARAMETER_BECAME_OPTIONAL = "parameter-became-optional"
PARAMETER_REMOVED = "parameter-removed"
PARAMETER_RENAMED_CASE = "parameter-renamed-case"
HEADER_PARAMETER_CASE_CHANGED = "header-parameter-case-changed"
PATH_PARAMETER_RENAMED = "path-parameter-renamed"
PARAMETER_SCHEMA_NARROWED = "parameter-schema-narrowed"


def check(ctx: Context, pair: OperationPair) -> Iterator[OperationFinding]:
    old, new = pair.old, pair.new
    if old is None or new is None:
        return
    pairs = pair_parameters(old, new)
    removed = [o for o, n in pairs if n is None and o is not None]
    added = [n for o, n in pairs if o is None and n is not None]
    for gone in list(removed):
        twin = next((a for a in added if a.location == gone.location and a.name.lower() == gone.name.lower()), None)
        if twin is None:
            continue
        removed.remove(gone)
        added.remove(twin)
        ok, value = ctx.witnesses.example(ctx.old, gone.schema, gone.examples)
        yield ctx.emit(
            PARAMETER_RENAMED_CASE,
            new.label,
            f"{gone.label} is now {twin.name!r}: {gone.location} names are case-sensitive, "
            f"old clients send {gone.name!r}",
            old_pointer=gone.pointer,
            new_pointer=twin.pointer,
            request=ctx.request_with(old, gone, value) if ok else None,
        )
    for o, n in pairs:
        if o is None or n is None:
            continue
        if o.name != n.name:
            rule = PATH_PARAMETER_RENAMED if o.location == "path" else HEADER_PARAMETER_CASE_CHANGED
            yield ctx.emit(
                rule, new.label, f"{o.label} is now named {n.name!r}", old_pointer=o.pointer, new_pointer=n.pointer
            )
        if n.required and not o.required:
            yield ctx.emit(
                PARAMETER_BECAME_REQUIRED,
                new.label,
                f"{n.label} is now required",
                old_pointer=o.pointer,
                new_pointer=f"{n.pointer}/required",
                request=ctx.old_request(old),
            )
        elif o.required and not n.required:
            yield ctx.emit(PARAMETER_BECAME_OPTIONAL, new.label, f"{n.label} is now optional", new_pointer=n.pointer)
        yield from _schema(ctx, pair, o, n)
    for n in added:
        if n.required:
            yield ctx.emit(
                REQUIRED_PARAMETER_ADDED,
                new.label,
                f"new required {n.label}",
                new_pointer=n.pointer,
                request=ctx.old_request(old),
            )
        else:
            yield ctx.emit(OPTIONAL_PARAMETER_ADDED, new.label, f"new optional {n.label}", new_pointer=n.pointer)
    for o in removed:
        yield ctx.emit(
            PARAMETER_REMOVED, new.label, f"{o.label} was removed; old clients still send it", old_pointer=o.pointer
        )


def _schema(ctx: Context, pair: OperationPair, o: Parameter, n: Parameter) -> Iterator[OperationFinding]:
    assert pair.old is not None and pair.new is not None
    for f in ctx.schema_changes(o.schema, n.schema, "backward"):
        request = ctx.request_with(pair.old, o, f.witness.instance) if f.witness is not None else None
        yield ctx.emit(
            PARAMETER_SCHEMA_NARROWED,
            pair.new.label,
            f"{n.label}: {f.rule_id}: {f.message}",
            old_pointer=o.schema.pointer if o.schema is not None else o.pointer,
            new_pointer=n.schema.pointer if n.schema is not None else n.pointer,
            schema=f,
            request=request,
        )
