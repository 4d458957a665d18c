"""Security requirements and servers.

Security is judged backward (the server reads the credentials): an old request must stay acceptable,
so every alternative old clients could satisfy must still be enough. Servers removed strand the clients
configured with them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from contractkit.openapi._diff import OperationPair
from contractkit.openapi._load import Document, Operation, Requirement
from contractkit.openapi._model import OperationFinding
from contractkit.openapi.rules._context import Context

SECURITY_REQUIREMENT_ADDED = "security-requirement-added"
SECURITY_REQUIREMENT_CHANGED = "security-requirement-changed"
SECURITY_SCHEME_CHANGED = "security-scheme-changed"
SECURITY_REQUIREMENT_RELAXED = "security-requirement-relaxed"
SERVER_REMOVED = "server-removed"
SERVER_ADDED = "server-added"

_ANONYMOUS: Requirement = ()


def _scheme(doc: Document, name: str) -> tuple[Any, ...]:
    """What a client must send for a scheme: its kind and where (descriptions and URLs aside)."""
    s = doc.security_schemes.get(name, {})
    return (s.get("type"), str(s.get("scheme", "")).lower(), s.get("in"), s.get("name"))


def _alternatives(op: Operation) -> tuple[Requirement, ...]:
    return op.security if op.security else (_ANONYMOUS,)


def _enough(ctx: Context, needed: Requirement, needed_doc: Document, given: Requirement, given_doc: Document) -> bool:
    """Credentials satisfying `given` also satisfy `needed`: same schemes, same kind, scopes included."""
    have = dict(given)
    for name, scopes in needed:
        if name not in have or _scheme(needed_doc, name) != _scheme(given_doc, name):
            return False
        if not set(scopes) <= set(have[name]):
            return False
    return True


def check(ctx: Context, pair: OperationPair) -> Iterator[OperationFinding]:
    old, new = pair.old, pair.new
    if old is None or new is None:
        return
    olds, news = _alternatives(old), _alternatives(new)
    lost = [a for a in olds if not any(_enough(ctx, b, ctx.new, a, ctx.old) for b in news)]
    old_ptr, new_ptr = old.security_pointer, new.security_pointer
    if lost:
        names = sorted({name for alt in lost for name, _ in alt})
        if _ANONYMOUS in lost:
            rule, message = SECURITY_REQUIREMENT_ADDED, "credentials are now required; old clients send none"
        elif any(_scheme(ctx.old, n) != _scheme(ctx.new, n) and n in ctx.new.security_schemes for n in names):
            changed = [n for n in names if _scheme(ctx.old, n) != _scheme(ctx.new, n)]
            rule = SECURITY_SCHEME_CHANGED
            message = f"security scheme {', '.join(changed)} now expects other credentials"
        else:
            rule = SECURITY_REQUIREMENT_CHANGED
            message = f"credentials old clients send ({', '.join(names)}) are no longer enough"
        yield ctx.emit(rule, new.label, message, old_pointer=old_ptr, new_pointer=new_ptr, request=ctx.old_request(old))
    elif any(not any(_enough(ctx, a, ctx.old, b, ctx.new) for a in olds) for b in news):
        message = "more kinds of credentials are accepted"
        yield ctx.emit(SECURITY_REQUIREMENT_RELAXED, new.label, message, old_pointer=old_ptr, new_pointer=new_ptr)
    if old.servers != ctx.old.servers or new.servers != ctx.new.servers:
        yield from _servers(ctx, new.label, old.servers, new.servers, old.servers_pointer, new.servers_pointer)


def check_document(ctx: Context) -> Iterator[OperationFinding]:
    yield from _servers(ctx, None, ctx.old.servers, ctx.new.servers, "/servers", "/servers")


def _servers(
    ctx: Context, where: str | None, old: tuple[str, ...], new: tuple[str, ...], old_ptr: str, new_ptr: str
) -> Iterator[OperationFinding]:
    for url in old:
        if url not in new:
            yield ctx.emit(
                SERVER_REMOVED,
                where,
                f"server {url} was removed; clients configured with it lose it",
                old_pointer=old_ptr,
            )
    for url in new:
        if url not in old:
            yield ctx.emit(SERVER_ADDED, where, f"new server {url}", new_pointer=new_ptr)
