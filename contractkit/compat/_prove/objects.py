"""Objects: properties, required, additional/pattern properties, propertyNames, counts, dependencies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contractkit._json import escape, is_number
from contractkit.compat import _automata as automata
from contractkit.compat._doc import Doc
from contractkit.compat._prove.dialects import regex_match, regex_safe
from contractkit.compat._prove.nodes import NO, R_YES, UNKNOWN, YES, Node, Res, has_prop_node

if TYPE_CHECKING:
    from contractkit.compat._prove.core import Prover


def a_prop(pr: Prover, pos: list[Node], name: str) -> list[Node] | None:
    """Conjunction constraining property ``name`` in A; None if A may not lack knowledge."""
    out: list[Node] = []
    for n in pos:
        s = n.schema
        if (
            "propertyNames" in s
            and n.doc is not None
            and n.ptr is not None
            and n.doc.is_valid(f"{n.ptr}/propertyNames", name) is False
            and regex_safe(s["propertyNames"], name)
        ):
            return [Node(False, f"{n.ptr}/propertyNames", n.doc)]
        props = s.get("properties")
        if isinstance(props, dict) and name in props:
            out.append(Node(props[name], f"{n.ptr}/properties/{escape(name)}", n.doc))
            continue
        pp = s.get("patternProperties")
        matched = False
        if isinstance(pp, dict):
            for pat, sch in pp.items():
                m = regex_match(pat, name)
                if m is None:
                    return None
                if m:
                    matched = True
                    out.append(Node(sch, f"{n.ptr}/patternProperties/{escape(pat)}", n.doc))
        if not matched and "additionalProperties" in s:
            out.append(Node(s["additionalProperties"], f"{n.ptr}/additionalProperties", n.doc))
    return out


def object_kw(pr: Prover, kw: str, nodes: list[Node], b: Node, ap: str | None, kp: str) -> Res:
    bs: dict[str, Any] = b.schema
    doc = b.doc
    pos = [n for n in nodes if not n.neg]
    required = _required(pos)
    v = bs[kw]
    if kw == "required":
        missing = [p for p in v if p not in required]
        if not missing:
            return R_YES
        # A property that can never be absent? (minProperties + closed object etc.) - rare.
        return Res(NO, kw, ap, kp)
    if kw == "minProperties":
        best = max((n.schema["minProperties"] for n in pos if is_number(n.schema.get("minProperties"))), default=0)
        return R_YES if max(best, len(required)) >= v else Res(NO, kw, ap, kp)
    if kw == "maxProperties":
        vals = [n.schema["maxProperties"] for n in pos if is_number(n.schema.get("maxProperties"))]
        if vals and min(vals) <= v:
            return R_YES
        names = closed_names(pos)
        if names is not None and len(names) <= v:
            return R_YES
        return Res(NO, kw, ap, kp)
    if kw == "properties":
        for name, sch in v.items():
            a_p = a_prop(pr, pos, name)
            if a_p is None:
                return Res(UNKNOWN, "patternProperties", ap, kp)
            r = pr.descend(a_p, Node(sch, f"{kp}/{escape(name)}", doc))
            if r.kind != YES:
                return Res(r.kind, r.keyword, r.a_ptr, r.b_ptr, r.witness, r.has_witness)
        return R_YES
    if kw == "patternProperties":
        for pat, sch in v.items():
            target = Node(sch, f"{kp}/{escape(pat)}", doc)
            for name in declared(pos):
                m = regex_match(pat, name)
                if m is None:
                    return Res(UNKNOWN, "patternProperties", ap, kp)
                if m:
                    a_p = a_prop(pr, pos, name)
                    if a_p is None:
                        return Res(UNKNOWN, "patternProperties", ap, kp)
                    r = pr.descend(a_p, target)
                    if r.kind != YES:
                        return r
            if not undeclared_ok(pr, pos, target, [pat], extra_patterns_ok=[pat]):
                return Res(UNKNOWN, "patternProperties", ap, kp)
        return R_YES
    if kw == "additionalProperties":
        bprops: dict[str, Any] = bs["properties"] if isinstance(bs.get("properties"), dict) else {}
        bpats = list(bs.get("patternProperties", {})) if isinstance(bs.get("patternProperties"), dict) else []
        target = Node(v, kp, doc)
        for name in declared(pos):
            if name in bprops:
                continue
            hit = False
            for pat in bpats:
                m = regex_match(pat, name)
                if m is None:
                    return Res(UNKNOWN, "patternProperties", ap, kp)
                hit = hit or m
            if hit:
                continue
            a_p = a_prop(pr, pos, name)
            if a_p is None:
                return Res(UNKNOWN, "patternProperties", ap, kp)
            r = pr.descend(a_p, target)
            if r.kind != YES:
                return Res(NO, "additionalProperties", ap, kp) if r.kind == NO else r
        finite = _finite_names(pos)
        if finite is not None:
            # A's propertyNames lists every name an instance may hold: check those, and nothing else.
            for name in finite:
                if name in bprops:
                    continue
                hits = [regex_match(pat, name) for pat in bpats]
                if None in hits:
                    return Res(UNKNOWN, "patternProperties", ap, kp)
                if any(hits):
                    continue
                a_p = a_prop(pr, pos, name)
                if a_p is None:
                    return Res(UNKNOWN, "propertyNames", ap, kp)
                r = pr.descend(a_p, target)
                if r.kind != YES:
                    return Res(NO, "additionalProperties", ap, kp) if r.kind == NO else r
            return R_YES
        if undeclared_ok(pr, pos, target, None, extra_patterns_ok=bpats):
            return R_YES
        return Res(NO, "additionalProperties", ap, kp)
    if kw == "propertyNames":
        target = Node(v, kp, doc)
        for n in pos:
            if "propertyNames" in n.schema:
                r = pr.sub((Node(n.schema["propertyNames"], f"{n.ptr}/propertyNames", n.doc),), target)
                if r.kind == YES:
                    return R_YES
        names = closed_names(pos)
        if names is not None and doc is not None and all(doc.is_valid(target.ptr or "", nm) is True for nm in names):
            return R_YES
        if doc is not None and _names_within_pattern(pos, v, doc, target.ptr or ""):
            return R_YES
        return Res(NO, kw, ap, kp)
    if kw == "dependentRequired":
        for p, deps in v.items():
            if never_has(pr, pos, p) or _excluded(nodes, p):
                continue
            need = set(deps) - required
            if not need:
                continue
            ok = False
            for n in pos:
                adr = n.schema.get("dependentRequired")
                if isinstance(adr, dict) and need <= set(adr.get(p, [])) | required:
                    ok = True
            if not ok:
                return Res(NO, kw, ap, kp)
        return R_YES
    if kw == "dependentSchemas":
        for p, sch in v.items():
            if never_has(pr, pos, p) or _excluded(nodes, p):
                continue
            target = Node(sch, f"{kp}/{escape(p)}", doc)
            extra = [
                Node(n.schema["dependentSchemas"][p], f"{n.ptr}/dependentSchemas/{escape(p)}", n.doc)
                for n in pos
                if isinstance(n.schema.get("dependentSchemas"), dict) and p in n.schema["dependentSchemas"]
            ]
            # Restrict A to objects holding p: that adds the dependent schemas A itself has.
            r = pr.sub((*nodes, *extra, has_prop_node(p)), target)
            if r.kind != YES:
                return r
        return R_YES
    return Res(UNKNOWN, kw, ap, kp)


def declared(pos: list[Node]) -> list[str]:
    names: list[str] = []
    for n in pos:
        props = n.schema.get("properties")
        if isinstance(props, dict):
            names += [k for k in props if k not in names]
        req = n.schema.get("required")
        if isinstance(req, list):
            names += [k for k in req if isinstance(k, str) and k not in names]
    return names


def never_has(pr: Prover, pos: list[Node], p: str) -> bool:
    a_p = a_prop(pr, pos, p)
    return a_p is not None and any(x.schema is False for x in a_p)


def closed_names(pos: list[Node]) -> list[str] | None:
    """Names an A object may hold when some conjunct closes it; None when open."""
    for n in pos:
        s = n.schema
        if s.get("additionalProperties") is False and not s.get("patternProperties"):
            props = s.get("properties") if isinstance(s.get("properties"), dict) else {}
            return [k for k, sch in props.items() if sch is not False]
    return None


def undeclared_ok(
    pr: Prover, pos: list[Node], target: Node, only_patterns: list[str] | None, extra_patterns_ok: list[str]
) -> bool:
    """Every value of a property A does not declare validates against ``target``.

    Checked on one A conjunct at a time (any one that suffices proves it). ``only_patterns``
    restricts the keys in question to those matching one of these patterns.
    """
    if pr.sub((), target).kind == YES:
        return True
    if only_patterns is None and extra_patterns_ok:
        # A's propertyNames pattern puts every name under one of the patterns that are not in question.
        for n in pos:
            q = _name_pattern(n.schema.get("propertyNames"))
            if q is not None and any(automata.subset((q,), p) for p in extra_patterns_ok):
                return True
    for n in pos:
        s = n.schema
        pp = s.get("patternProperties") if isinstance(s.get("patternProperties"), dict) else {}

        def ok(pat: str, n: Node = n, pp: dict[str, Any] = pp) -> bool:
            node = Node(pp[pat], f"{n.ptr}/patternProperties/{escape(pat)}", n.doc)
            return pr.descend([node], target).kind == YES

        if only_patterns is not None and all(p in pp for p in only_patterns):
            # Keys matching the pattern match A's own copy of it too (a conjunct for them).
            if all(ok(p) for p in only_patterns):
                return True
            continue
        # Otherwise such a key is governed by whichever of A's patterns it matches - any of
        # them may overlap - or by additionalProperties when it matches none.
        skip = set(extra_patterns_ok) if only_patterns is None else set()
        if not all(ok(p) for p in pp if p not in skip):
            continue
        if "additionalProperties" in s:
            r = pr.descend([Node(s["additionalProperties"], f"{n.ptr}/additionalProperties", n.doc)], target)
            if r.kind == YES:
                return True
    return False


def forbids(s: Any, p: str) -> bool:
    """Whether no object valid under ``s`` holds the member ``p``: ``properties: {p: false}``, or a closed
    object (``additionalProperties: false``) that neither declares ``p`` nor has a ``patternProperties``
    pattern matching it (OpenAPI's objects closed but for ``^x-`` extensions), each pattern's verdict on
    ``p`` taken from the validator where regex dialects read it alike (``regex_match``)."""
    if not isinstance(s, dict):
        return False
    props = s.get("properties")
    if isinstance(props, dict) and props.get(p) is False:
        return True
    if s.get("additionalProperties") is False:
        if isinstance(props, dict) and p in props:
            return False
        pats = s.get("patternProperties")
        if not pats:
            return True
        return isinstance(pats, dict) and all(isinstance(pat, str) and regex_match(pat, p) is False for pat in pats)
    return False


def _required(pos: list[Node]) -> set[str]:
    """Names every A object holds: ``required``, closed under A's ``dependentRequired`` (an object
    holding p holds p's dependents)."""
    required: set[str] = set()
    deps: list[dict[str, Any]] = []
    for n in pos:
        r = n.schema.get("required")
        if isinstance(r, list):
            required.update(x for x in r if isinstance(x, str))
        if isinstance(n.schema.get("dependentRequired"), dict):
            deps.append(n.schema["dependentRequired"])
    grew = bool(deps)
    while grew:
        grew = False
        for d in deps:
            for p, need in d.items():
                if p in required and isinstance(need, list):
                    for q in need:
                        if isinstance(q, str) and q not in required:
                            required.add(q)
                            grew = True
    return required


def _excluded(nodes: list[Node], p: str) -> bool:
    """A has ``not: {required: [p]}`` (an ``else`` case of ``if: {required: [p]}``): objects lack p."""
    return any(n.neg and isinstance(n.schema, dict) and n.schema == {"required": [p]} for n in nodes)


def _name_pattern(names: Any) -> str | None:
    """The pattern of a ``propertyNames`` that is only a pattern (strings are the only names)."""
    if (
        isinstance(names, dict)
        and isinstance(names.get("pattern"), str)
        and set(names) <= {"pattern", "type"}
        and names.get("type", "string") == "string"
    ):
        return str(names["pattern"])
    return None


def _finite_names(pos: list[Node]) -> list[str] | None:
    """The names an A object may hold when a ``propertyNames`` lists them (enum or const)."""
    for n in pos:
        names = n.schema.get("propertyNames")
        if not isinstance(names, dict):
            continue
        if isinstance(names.get("enum"), list) and all(isinstance(x, str) for x in names["enum"]):
            return list(names["enum"])
        if isinstance(names.get("const"), str):
            return [names["const"]]
    return None


def _names_within_pattern(pos: list[Node], target: Any, doc: Doc, ptr: str) -> bool:
    """Every name a closed A object may hold (declared, or matching one of its patternProperties)
    satisfies B's ``propertyNames``, which is a pattern: each of A's patterns is included in it."""
    q = _name_pattern(target)
    if q is None:
        return False
    for n in pos:
        s = n.schema
        if s.get("additionalProperties") is not False:
            continue
        props = s.get("properties") if isinstance(s.get("properties"), dict) else {}
        pats = s.get("patternProperties") if isinstance(s.get("patternProperties"), dict) else {}
        if not all(doc.is_valid(ptr, name) is True for name, sch in props.items() if sch is not False):
            continue
        if all(sch is False or automata.subset((pat,), q) for pat, sch in pats.items()):
            return True
    return False
