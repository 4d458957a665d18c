"""A proof of ``source ⊆ target`` one change at a time, when the whole-document proof gives up.

The source is turned into the target by applying the walk's changes one by one, deepest first:
``source = S0, S1, …, Sn = target``. Each step ``S(k-1) ⊆ Sk`` is proven on its own, locally where it
happens (``_monotone.included_at``: the one changed subschema, at monotone positions only), or needs no
proof at all (an annotation, a definition added that nothing refers to yet, one removed that nothing
refers to any more). Inclusion is transitive, so the chain proves ``source ⊆ target``; any step that
cannot be proven ends the attempt (no verdict from it). Large real-world schemas are where this pays:
the whole-document proof stops at the first construct it cannot follow, however far from the change.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from contractkit._json import escape, json_equal, unescape, value_at
from contractkit.compat._addressed import addressed, reads, ref_targets
from contractkit.compat._doc import Doc, same_resolution, schema_objects, subschema_at
from contractkit.compat._model import Direction
from contractkit.compat._monotone import NONCANONICAL_INDEX, included_at, monotone_at, plain_refs
from contractkit.compat._scope import schema_places
from contractkit.compat.rules.meta import unknown_keyword
from contractkit.compat.walk import MISSING, Change

_MAX_STEPS = 400
# Annotations that never change what validates (scope keywords such as $id/$anchor are not here).
_INERT = frozenset({"title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly",
                    "$comment", "contentMediaType", "contentEncoding"})  # fmt: skip
_SCOPE = frozenset({"$id", "$anchor"})  # inert only where every $ref still leads where it did
_MEMBER_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs", "definitions"})
_DEFS = frozenset({"$defs", "definitions"})


def included_stepwise(src: Doc, dst: Doc, changes: list[Change], d: Direction) -> bool:
    """Whether ``src ⊆ dst`` is proven by applying ``changes`` one at a time (see the module docstring);
    failing that, one changed subschema at a time (every change inside it at once: a ``$ref`` replaced by
    the enum it named, whose keyword-by-keyword steps pass through a narrower schema)."""
    steps = _steps(changes, d, src, dst)
    if steps is None:
        return False
    return _chain_holds(src, dst, steps) or _chain_holds(src, dst, _grouped(steps, dst))


def _grouped(steps: list[Step], dst: Doc) -> list[Step]:
    """The same chain with the changes of one subschema as one step: that subschema replaced by the
    target's (the outermost only, when one changed subschema holds another)."""
    schema_ats = sorted({at for at, _, _, kind in steps if kind == "schema"}, key=lambda a: (a.count("/"), a))
    outer: list[str] = []
    for at in schema_ats:
        if not any(at == o or at.startswith(o + "/") or o == "" for o in outer):
            outer.append(at)
    out = [s for s in steps if s[3] != "schema"]
    out += [(at, at, value_at(dst.root, at, MISSING), "schema") for at in outer]
    return sorted(out, key=_order)


def _chain_holds(src: Doc, dst: Doc, steps: list[Step]) -> bool:
    if len(steps) > _MAX_STEPS:
        return False
    cur = src
    for at, ptr, value, kind in steps:
        root = _set(cur.root, ptr, value)
        if root is MISSING and kind == "def-added":
            root = _set_in_new_map(cur, ptr, value)
        if root is MISSING:
            return False
        nxt = Doc(root, format_assertion=src.format_assertion)
        if kind == "schema" and value is MISSING and _drops_member(cur, at, ptr):
            pass  # a member removed whose name no other keyword of its object covers: see _drops_member
        elif kind == "schema" and value is MISSING and _drops_conjunct(cur, at, ptr):
            pass  # an assertion no sibling reads, removed at a monotone place: see _drops_conjunct
        elif kind == "inert":
            pass
        elif kind == "scope":
            if not same_resolution(cur, nxt):
                return False  # some $ref is resolved otherwise after this $id or $anchor change
        elif kind in ("def-added", "def-removed") and not (_pointer_refs(cur) and _pointer_refs(nxt)):
            return False  # a definition with its own $id or anchor may be referred to other than by pointer
        elif kind == "def-added":
            # unreachable: the source never refers to it (the definitions added with it may)
            if subschema_at(cur.root, ptr) is not None or _referenced(src, ptr):
                return False
        elif kind == "def-removed":
            if _referenced(nxt, ptr):
                return False
            nxt = _drop_emptied_map(nxt, ptr, dst)
        elif included_at(cur, nxt, at, src.format_assertion) is not True:
            return False
        cur = nxt
    return json_equal(cur.root, dst.root)


Step = tuple[str, str, Any, str]  # (subschema holding the change, pointer set, value or MISSING, kind)


def _steps(changes: list[Change], d: Direction, src: Doc, dst: Doc) -> list[Step] | None:
    out: dict[str, Step] = {}
    for ch in changes:
        src_at, dst_at = (ch.old_at, ch.new_at) if d == "backward" else (ch.new_at, ch.old_at)
        if src_at != dst_at:
            return None  # a definition compared under another name: its refs differ too
        kw = ch.keyword
        if kw == "$schema-value":
            ptr, kind = src_at, "schema"
        elif ch.key is not None and kw in _MEMBER_MAPS:
            ptr = f"{src_at}/{escape(kw)}/{escape(ch.key)}"
            if kw in _DEFS:
                added = (ch.new if d == "backward" else ch.old) is not MISSING
                kind = "def-added" if added else "def-removed"
            else:
                kind = "schema"
        else:
            ptr = f"{src_at}/{escape(kw)}"
            inert = kw in _INERT or (unknown_keyword(kw) and kw not in _SCOPE)
            if inert and (addressed(dst, ptr) or addressed(src, ptr)):
                return None  # a $ref applies this value as a schema: not inert, and not provable here
            kind = "scope" if kw in _SCOPE else "inert" if inert else "schema"
        value = value_at(dst.root, ptr, MISSING)
        out[ptr] = (src_at, ptr, value, kind)

    return sorted(out.values(), key=_order)


def _order(s: Step) -> tuple[int, int, str]:
    # definitions added first (nothing refers to them yet), removed last; otherwise deepest first
    rank = {"def-added": 0, "def-removed": 2}.get(s[3], 1)
    return (rank, -s[1].count("/"), s[1])


def _set_in_new_map(doc: Doc, ptr: str, value: Any) -> Any:
    """The root with the definition at ``ptr`` added in a ``$defs``/``definitions`` map the document
    does not have yet (created with it: an absent map and an empty one hold the same, no schema, unless
    a ``$ref`` names the map itself); MISSING otherwise."""
    parent, _, name = ptr.rpartition("/")
    if value_at(doc.root, parent, MISSING) is not MISSING or any(r == "#" + parent for r in doc.ref_strings()):
        return MISSING
    return _set(doc.root, parent, {unescape(name): value})


def _drop_emptied_map(doc: Doc, ptr: str, dst: Doc) -> Doc:
    """``doc`` without the ``$defs``/``definitions`` map its last definition at ``ptr`` was just removed
    from, when the target has no such map there (the walk reports ``$defs`` removed as a whole as its
    definitions removed one by one). An empty map of definitions holds no schema: dropping it changes
    what validates only for a ``$ref`` to the map itself, which is then left in place."""
    parent = ptr.rsplit("/", 1)[0]
    if value_at(doc.root, parent, MISSING) != {} or value_at(dst.root, parent, MISSING) is not MISSING:
        return doc
    if any(ref == "#" + parent for ref in doc.ref_strings()):
        return doc
    root = _set(doc.root, parent, MISSING)
    return doc if root is MISSING else Doc(root, format_assertion=doc.format_assertion)


# Assertions evaluated on their own: no sibling keyword reads them or their annotations (``unevaluated*``,
# the one reader of in-place applicators' annotations, is ruled out by ``monotone_at``).
_CONJUNCTS = frozenset({"allOf", "anyOf", "oneOf", "not", "enum", "const", "required", "dependentRequired",
                        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
                        "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "minProperties",
                        "maxProperties", "propertyNames", "type", "format", "$ref"})  # fmt: skip


def _drops_conjunct(cur: Doc, at: str, ptr: str) -> bool:
    """Whether removing the keyword at ``ptr`` from the subschema at ``at`` is proven to widen ``cur``.
    A subschema is the conjunction of its keywords; one of :data:`_CONJUNCTS` is evaluated on its own (no
    sibling reads it: not ``additionalProperties`` reading ``properties``, ``then`` reading ``if``, ``items``
    reading ``prefixItems``, ``maxContains`` reading ``contains``), so dropping it leaves a superset:
    ``H ∧ K ⊆ H``. When every place the subschema is applied from the root is monotone (``monotone_at``:
    plain refs, no ``unevaluated*``, no ``not``/``oneOf``/``if`` on the way), the root widens too.
    No ``$ref`` may point into the removed value (it would apply that part elsewhere)."""
    tok = ptr[len(at) + 1 :] if ptr.startswith(at + "/") else "/"
    kw = None if "/" in tok else unescape(tok)
    holder = subschema_at(cur.root, at)
    if kw not in _CONJUNCTS or not isinstance(holder, dict) or kw not in holder:
        return False
    if _referenced(cur, ptr):
        return False
    return monotone_at(cur, at)


def _drops_member(cur: Doc, at: str, ptr: str) -> bool:
    """Whether removing the member at ``ptr`` (``…/properties/p``, ``…/patternProperties/r`` or
    ``…/dependentSchemas/p`` of the object schema at ``at``) is proven to widen ``cur``. It is the same as
    replacing the member by ``true`` (a widening, proven locally like any other: ``S ⊆ true`` at a monotone
    position), then dropping a ``true`` member, which changes nothing when the name it covers falls to no
    other keyword: no ``additionalProperties`` in that object (``patternProperties`` apply to a name
    whether ``properties`` lists it or not); no ``unevaluatedProperties`` anywhere in the document (it would
    read the name as unevaluated once no member covers it, wherever it applies the holder in place: through
    ``allOf``/``anyOf``, a ``$ref`` or a scoped one); and no ``$ref`` names the member (or a part of it)."""
    toks = ptr[len(at) :].split("/") if ptr.startswith(at + "/") else []
    kw = unescape(toks[1]) if len(toks) == 3 else None
    holder = subschema_at(cur.root, at)
    if kw not in ("properties", "patternProperties", "dependentSchemas") or not isinstance(holder, dict):
        return False
    if kw != "dependentSchemas" and "additionalProperties" in holder:
        return False
    if _referenced(cur, ptr) or addressed(cur, ptr):
        return False
    if any("unevaluatedProperties" in node for _, node in schema_objects(cur.root)):
        return False
    mid = _set(cur.root, ptr, True)
    if mid is MISSING:
        return False
    return included_at(cur, Doc(mid, format_assertion=cur.format_assertion), ptr, cur.format_assertion) is True


def scope_change_inert(doc: Doc, ptr: str, value: Any) -> bool:
    """Whether setting the ``$id`` or ``$anchor`` at ``ptr`` to ``value`` (removing it, for MISSING) leaves
    every ref of ``doc`` leading where it did."""
    root = _set(doc.root, ptr, value)
    return root is not MISSING and same_resolution(doc, Doc(root, format_assertion=doc.format_assertion))


def _pointer_refs(doc: Doc) -> bool:
    """Whether a definition is applied only by a ``$ref`` naming its pointer, as written: every ref a plain
    pointer into the one resource (no nested ``$id``, anchors unused, no dynamic refs), none percent-encoded.
    ``unevaluated*`` may be anywhere: they read the annotations of applicators, and ``$defs`` is none."""
    return plain_refs(doc) or (doc.ids_inert and not any("%" in r for r in doc.ref_strings()))


def _referenced(doc: Doc, ptr: str) -> bool:
    """Whether a ``$ref`` leads to ``ptr``, into it, or above it to a place that is no schema (the ``$defs``
    map itself, say: applied as a schema, its members' names are keywords)."""
    placed = schema_places(doc.root)
    dynamic = {r for _p, node in placed if isinstance(r := node.get("$dynamicRef"), str)}
    targets: list[str] = []
    for ref in sorted(dynamic | set(doc.ref_strings())):
        target = unquote(ref[1:]) if ref[:1] == "#" and ref[1:2] in ("", "/") else None
        if target is None or NONCANONICAL_INDEX.search(target):
            return True  # a ref by URI or anchor, or an index written "00" or "+0": not read here
        targets.append(target)
    if not doc.sound_refs:
        # a nested resource: a fragment written inside it is read against its $id ("#/$defs/a" there is
        # "/$defs/lib/$defs/a" here), and the ref may also stand in data some ref applies
        targets += [t for _p, _kw, _ref, ts in ref_targets(doc.root) for t in ts]
    return reads(targets, ptr, doc)


def _set(root: Any, ptr: str, value: Any) -> Any:
    """A copy of ``root`` with the value at ``ptr`` set (or removed, for MISSING); only the path is
    copied. MISSING when the path does not lead through objects."""
    if not ptr:
        return value
    return _set_in(root, [unescape(t) for t in ptr.split("/")[1:]], 0, value)


def _set_in(node: Any, toks: list[str], i: int, value: Any) -> Any:
    """`_set` from the `i`-th token on (a function of its own: a nested one would make a reference cycle
    that only the garbage collector frees)."""
    t = toks[i]
    if isinstance(node, dict):
        out = dict(node)
        if i == len(toks) - 1:
            if value is MISSING:
                out.pop(t, None)
            else:
                out[t] = value
            return out
        if t not in node:
            return MISSING
        inner = _set_in(node[t], toks, i + 1, value)
        if inner is MISSING:
            return MISSING
        out[t] = inner
        return out
    if isinstance(node, list) and t.isdigit() and int(t) < len(node) and i == len(toks) - 1:
        if value is MISSING:
            return MISSING  # removing an item would renumber its siblings
        lst = list(node)
        lst[int(t)] = value  # a whole subschema replaced (a step of `_grouped`)
        return lst
    if isinstance(node, list) and t.isdigit() and int(t) < len(node) and i < len(toks) - 1:
        inner = _set_in(node[int(t)], toks, i + 1, value)
        if inner is MISSING:
            return MISSING
        lst = list(node)
        lst[int(t)] = inner
        return lst
    return MISSING
