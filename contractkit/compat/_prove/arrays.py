"""Arrays: items, prefixItems, minItems/maxItems, uniqueItems, contains with min/maxContains."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contractkit._json import is_number
from contractkit.compat._prove.nodes import NO, R_YES, UNKNOWN, YES, Node, Res

if TYPE_CHECKING:
    from contractkit.compat._prove.core import Prover


def array_kw(pr: Prover, kw: str, nodes: list[Node], b: Node, ap: str | None, kp: str) -> Res:
    bs: dict[str, Any] = b.schema
    bp = b.ptr or ""
    doc = b.doc
    pos = [n for n in nodes if not n.neg]
    min_items = max((n.schema["minItems"] for n in pos if is_number(n.schema.get("minItems"))), default=0)
    maxes = [n.schema["maxItems"] for n in pos if is_number(n.schema.get("maxItems"))]
    # items: false admits nothing past prefixItems, so the array is at most that long
    maxes += [
        len(n.schema["prefixItems"]) if isinstance(n.schema.get("prefixItems"), list) else 0
        for n in pos
        if n.schema.get("items") is False
    ]
    max_items = min(maxes) if maxes else None
    if kw == "minItems":
        return R_YES if min_items >= bs[kw] else Res(NO, kw, ap, kp)
    if kw == "maxItems":
        if max_items is not None and max_items <= bs[kw]:
            return R_YES
        return Res(NO, kw, ap, kp)
    if kw == "uniqueItems":
        if bs[kw] is not True:
            return R_YES
        if (max_items is not None and max_items <= 1) or any(n.schema.get("uniqueItems") is True for n in pos):
            return R_YES
        return Res(NO, kw, ap, kp)
    if kw == "prefixItems":
        for i, sch in enumerate(bs[kw]):
            if max_items is not None and i >= max_items:
                break
            r = pr.descend(a_item(pos, i), Node(sch, f"{kp}/{i}", doc))
            if r.kind != YES:
                return r
        return R_YES
    if kw == "items":
        start = len(bs.get("prefixItems", [])) if isinstance(bs.get("prefixItems"), list) else 0
        longest = max(
            (len(n.schema.get("prefixItems", [])) for n in pos if isinstance(n.schema.get("prefixItems"), list)),
            default=0,
        )
        for i in range(start, max(start, longest) + 1):
            if max_items is not None and i >= max_items:
                break
            r = pr.descend(a_item(pos, i), Node(bs[kw], kp, doc))
            if r.kind != YES:
                return r
        return R_YES
    # contains (with minContains / maxContains)
    sch = Node(bs[kw], kp, doc)
    mn = bs.get("minContains", 1)
    mx = bs.get("maxContains")
    if not is_number(mn) or (mx is not None and not is_number(mx)):
        return Res(UNKNOWN, kw, ap, kp)
    if mx is not None and not (max_items is not None and max_items <= mx):
        ok = False
        for n in pos:
            amx = n.schema.get("maxContains")
            if "contains" in n.schema and is_number(amx) and amx <= mx:
                r = pr.descend([Node(bs[kw], kp, doc)], Node(n.schema["contains"], f"{n.ptr}/contains", n.doc))
                if r.kind == YES:
                    ok = True
                    break
        if not ok:
            return Res(UNKNOWN, "maxContains", ap, f"{bp}/maxContains")
    if mn == 0:
        return R_YES
    for n in pos:
        s = n.schema
        if "contains" in s:
            amn = s.get("minContains", 1)
            if is_number(amn) and amn >= mn:
                r = pr.descend([Node(s["contains"], f"{n.ptr}/contains", n.doc)], sch)
                if r.kind == YES:
                    return R_YES
    # Every element matches and there are enough of them.
    if min_items >= mn:
        ok = True
        longest = max(
            (len(n.schema.get("prefixItems", [])) for n in pos if isinstance(n.schema.get("prefixItems"), list)),
            default=0,
        )
        for i in range(0, longest + 1):
            if max_items is not None and i >= max_items:
                break
            if pr.descend(a_item(pos, i), sch).kind != YES:
                ok = False
                break
        if ok:
            return R_YES
    # The first mn guaranteed prefix items match.
    if min_items >= mn and all(pr.descend(a_item(pos, i), sch).kind == YES for i in range(int(mn))):
        return R_YES
    return Res(NO, kw, ap, kp)


def a_item(pos: list[Node], i: int) -> list[Node]:
    out: list[Node] = []
    for n in pos:
        s = n.schema
        pre = s.get("prefixItems")
        if isinstance(pre, list) and i < len(pre):
            out.append(Node(pre[i], f"{n.ptr}/prefixItems/{i}", n.doc))
        elif "items" in s:
            out.append(Node(s["items"], f"{n.ptr}/items", n.doc))
    return out
