"""compare(): structural walk → rule families → verdict per direction → report.

The direction rule, decided here and nowhere else::

    backward (old → new): every instance valid under old must stay valid under new, so a change
        that NARROWS the valid set breaks it (new readers reject what old writers send);
    forward  (old → new): every instance valid under new must be valid under old, so a change that
        WIDENS the valid set breaks it (old readers reject what new writers send);
    a change that may do both (CHANGES) is checked in both directions.

An ``error`` is only ever reported with a witness confirmed by the validator; "compatible" needs the
structural proof of ``_prover``; anything else is an ``undecided`` warning, which also blocks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from contractkit import dialects as _dialects
from contractkit.compat import catalog
from contractkit.compat._doc import Doc, escape, schema_objects, subschema_at, unescape
from contractkit.compat._model import (
    MODES,
    UNDECIDED,
    CompatReport,
    Direction,
    Finding,
    Mode,
    Severity,
    Witness,
)
from contractkit.compat._prover import NO, YES, json_equal
from contractkit.compat._sampler import Sampler, _key_for, _long_format
from contractkit.compat._verdict import decide, is_witness, prove
from contractkit.compat.rules import classify
from contractkit.compat.rules._base import ANNOTATION, CHANGES, NARROWS, WIDENS, Effect
from contractkit.compat.walk import MISSING, Change, diff
from contractkit.errors import ContractkitError

INSTANCE_REJECTED = catalog.INSTANCE_REJECTED
INSTANCE_NEWLY_ACCEPTED = catalog.INSTANCE_NEWLY_ACCEPTED


class CompatInputError(ContractkitError, ValueError):
    """A schema handed to compare() is not a valid JSON Schema (or the mode is unknown).

    ``side`` is ``"old"``/``"new"`` (None for a bad mode), ``pointer`` locates the problem inside
    that schema when known, ``reason`` says what is wrong.
    """

    def __init__(self, reason: str, side: str | None = None, pointer: str | None = None) -> None:
        self.side = side
        self.pointer = pointer
        self.reason = reason
        where = (
            "" if side is None else f"{side} schema" + (f" at {pointer or '/'}" if pointer is not None else "") + ": "
        )
        super().__init__(where + reason)


def breaks(effect: Effect, direction: Direction) -> bool:
    """The one place that maps a change's effect to the directions it breaks."""
    if effect == CHANGES:
        return True
    if effect == NARROWS:
        return direction == "backward"
    if effect == WIDENS:
        return direction == "forward"
    return False


def _as_schema(x: Any, name: str) -> Any:
    """The draft 2020-12 schema the engine compares: `x` checked against its own dialect's metaschema
    (`$schema`, else 2020-12) and translated (contractkit.dialects); CompatInputError when it is not one."""
    if hasattr(x, "schema") and not isinstance(x, dict):
        x = x.schema
    if not isinstance(x, dict | bool):
        raise CompatInputError(f"must be a JSON object or boolean, got {type(x).__name__}", name, "")
    try:
        dialect = _dialects.dialect_of(x)
    except _dialects.UnsupportedDialectError as exc:
        raise CompatInputError(str(exc), name, "/$schema") from None
    problem = _dialects.metaschema_problem(x, dialect)
    if problem is not None:
        where, message = problem
        if where == "/$schema":
            raise CompatInputError(f"cannot be checked against its metaschema: {message}", name)
        suffix = "" if dialect == "2020-12" else f" ({dialect})"
        raise CompatInputError(f"not a valid JSON Schema{suffix}: {message}", name, where)
    translation = _dialects.translate(x, dialect)
    for where, pattern in translation.uncompilable:
        raise CompatInputError(
            f"pattern {pattern!r} is not an ECMA-262 regular expression the validator can compile", name, where
        )
    return translation.schema


def compare(
    old: Any,
    new: Any,
    mode: Mode = "backward",
    *,
    format_assertion: bool = True,
    overrides: Mapping[str, Severity] | None = None,
) -> CompatReport:
    """Compare two schemas (dicts, booleans, or objects with a ``.schema``) in ``mode``."""
    if mode not in MODES:
        raise CompatInputError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
    old_s = _as_schema(old, "old")
    new_s = _as_schema(new, "new")
    base = mode.removesuffix("-transitive")
    directions: tuple[Direction, ...] = (
        ("backward",) if base == "backward" else ("forward",) if base == "forward" else ("backward", "forward")
    )
    try:
        findings = _compare_pair(old_s, new_s, directions, format_assertion)
    except RecursionError:
        raise CompatInputError("schemas nested too deeply to compare") from None
    return CompatReport(mode=mode, findings=_apply_overrides(findings, overrides))


def compare_transitive(
    schemas: Sequence[tuple[str, Any]],
    mode: Mode = "backward-transitive",
    *,
    format_assertion: bool = True,
    overrides: Mapping[str, Severity] | None = None,
) -> CompatReport:
    """Compare every version with every earlier one (ordered oldest first)."""
    if mode not in MODES:
        raise CompatInputError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
    base = mode.removesuffix("-transitive")
    directions: tuple[Direction, ...] = (
        ("backward",) if base == "backward" else ("forward",) if base == "forward" else ("backward", "forward")
    )
    out: list[Finding] = []
    items = [(label, _as_schema(s, label)) for label, s in schemas]
    for j in range(1, len(items)):
        for i in range(j):
            try:
                pair = _compare_pair(items[i][1], items[j][1], directions, format_assertion)
            except RecursionError:
                raise CompatInputError(f"{items[i][0]} and {items[j][0]} are nested too deeply to compare") from None
            out += [_with_version(f, f"{items[i][0]}->{items[j][0]}") for f in pair]
    return CompatReport(mode=mode, findings=_apply_overrides(out, overrides))


def _with_version(f: Finding, version: str) -> Finding:
    return Finding(f.rule_id, f.severity, f.direction, f.message, f.old_pointer, f.new_pointer, f.witness, version)


def _apply_overrides(findings: list[Finding], overrides: Mapping[str, Severity] | None) -> tuple[Finding, ...]:
    if not overrides:
        return tuple(findings)
    out = []
    for f in findings:
        sev = overrides.get(f.rule_id)
        if sev is not None and sev != f.severity:
            f = Finding(f.rule_id, sev, f.direction, f.message, f.old_pointer, f.new_pointer, f.witness, f.version)
        out.append(f)
    return tuple(out)


def _compare_pair(old: Any, new: Any, directions: tuple[Direction, ...], format_assertion: bool) -> list[Finding]:
    old_doc = Doc(old, format_assertion=format_assertion)
    new_doc = Doc(new, format_assertion=format_assertion)
    for side, doc in (("old", old_doc), ("new", new_doc)):
        if doc.validator("") is None:
            raise CompatInputError(f"cannot be compiled by the validator: {doc.error}", side)
    changes = diff(old, new)
    classified = [(ch, c) for ch in changes for c in classify(ch, format_assertion)]
    findings: list[Finding] = []
    for ch, c in classified:
        if c.effect == ANNOTATION:
            findings.append(Finding(c.rule_id, _default(c.rule_id), directions[0], c.message, ch.old_ptr, ch.new_ptr))
    for d in directions:
        src, dst = (old_doc, new_doc) if d == "backward" else (new_doc, old_doc)
        proof = prove(src, dst)
        if proof.kind == YES:
            continue  # proven compatible: no witness can exist, so no change needs one
        confirmed: list[Finding] = []
        sampler = Sampler(src)
        for ch, c in classified:
            if not breaks(c.effect, d):
                continue
            w = _local_witness(ch, d, src, dst, sampler)
            if w is not MISSING:
                confirmed.append(_finding(c.rule_id, d, c.message, ch, w))
        if confirmed:
            findings += _dedupe(confirmed)
            continue
        verdict = decide(src, dst, proof=proof)
        if verdict.kind == YES:
            continue
        res = verdict.res
        src_ptr, dst_ptr = res.a_ptr, res.b_ptr
        old_ptr, new_ptr = (src_ptr, dst_ptr) if d == "backward" else (dst_ptr, src_ptr)
        if verdict.kind == NO:
            rule = INSTANCE_REJECTED if d == "backward" else INSTANCE_NEWLY_ACCEPTED
            where = f" (at {dst_ptr or '/'}, {res.keyword})" if res.keyword else ""
            msg = (
                f"an instance valid under the old schema is rejected by the new one{where}"
                if d == "backward"
                else f"an instance valid under the new schema is rejected by the old one{where}"
            )
            wit = Witness(verdict.witness, "old" if d == "backward" else "new")
            findings.append(Finding(rule, _default(rule), d, msg, old_ptr, new_ptr, wit))
        else:
            kw = res.keyword or "schema"
            msg = (
                f"could not decide whether {kw!r} at {dst_ptr or '/'} keeps the change {d}-compatible; "
                "no counter-example found either"
            )
            findings.append(Finding(UNDECIDED, _default(UNDECIDED), d, msg, old_ptr, new_ptr))
    return findings


def _default(rule_id: str) -> Severity:
    return catalog.BY_ID[rule_id].severity


def _finding(rule_id: str, d: Direction, message: str, ch: Change, w: Any) -> Finding:
    return Finding(
        rule_id,
        _default(rule_id),
        d,
        message,
        ch.old_ptr if ch.old is not MISSING or ch.key is not None else ch.old_at,
        ch.new_ptr,
        Witness(w, "old" if d == "backward" else "new"),
    )


def _dedupe(fs: list[Finding]) -> list[Finding]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in fs:
        k = (f.rule_id, f.old_pointer, f.new_pointer, f.direction, f.message)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


# ------------------------------------------------------------------ local witnesses
def _local_witness(ch: Change, d: Direction, src: Doc, dst: Doc, sampler: Sampler) -> Any:
    """A root instance that breaks *because of this change*, confirmed by the validator; else MISSING."""
    src_at, dst_at = (ch.old_at, ch.new_at) if d == "backward" else (ch.new_at, ch.old_at)
    src_parent, dst_parent = (ch.old_parent, ch.new_parent) if d == "backward" else (ch.new_parent, ch.old_parent)
    chains = _chains(src, src_at)
    if not chains:
        return MISSING
    variant_doc: Doc | object | None = MISSING  # built on first need: compiling it is the costly part
    applied_doc: Doc | object | None = MISSING
    valid: dict[str, list[Any]] = {}  # pointer -> samples of the source subschema there, valid ones first
    tried = 0
    plain = sampler.sample(src_parent)
    if ch.keyword in ("enum", "const"):
        # the value that changed is the natural witness
        plain = [v for v in (ch.old, ch.new) if v is not MISSING] + plain
    for lw in _chain(plain, lambda: _mutations(plain, dst_parent, src_parent)):
        if src.is_valid(src_at, lw) is not True or dst.is_valid(dst_at, lw) is not False:
            continue
        # Attribution, first form: with just this change undone, the target subschema accepts the
        # instance (this change alone is why it is rejected).
        if variant_doc is MISSING:
            variant = _revert(dst_parent, src_parent, ch)
            variant_doc = (
                None
                if variant is MISSING
                else Doc(_replace_at(dst.root, dst_at, variant), format_assertion=src.format_assertion)
            )
        alone = not isinstance(variant_doc, Doc) or variant_doc.is_valid(dst_at, lw) is True
        if not alone:
            # Second form, for a change masked by another break: the source schema with just this
            # change applied rejects the instance too (this change would break it on its own).
            if applied_doc is MISSING:
                applied_doc = _applied(ch, src, dst, src_at, src_parent, dst_parent)
            if not isinstance(applied_doc, Doc) or applied_doc.is_valid(src_at, lw) is not False:
                continue
        for chain in chains:
            for cand in _place(lw, chain, src, sampler, valid):
                tried += 1
                if tried > 60:
                    return MISSING
                if not is_witness(src, dst, cand):
                    continue
                if alone or (isinstance(applied_doc, Doc) and applied_doc.is_valid("", cand) is False):
                    return cand
    return MISSING


def _place(value: Any, chain: list[Step], src: Doc, sampler: Sampler, valid: dict[str, list[Any]]) -> Iterator[Any]:
    """Root instances holding ``value`` where ``chain`` says, built from the inside out: at each step the
    instance so far goes into a sample of the enclosing subschema, and only placements that subschema
    still accepts go on to the next step (so a definition used five levels down gets valid parents)."""
    inner = [value]
    for i, (container, path) in enumerate(chain):
        if container not in valid:
            node = subschema_at(src.root, container)
            samples = sampler.sample(node) if node is not None else []
            # Valid samples first, then the others: a sample may be invalid only where the inner
            # instance is about to go (a required child the sampler could not build that deep).
            valid[container] = sorted(samples, key=lambda x: src.is_valid(container, x) is not True)
        # Samples that already hold the path's containers first: embedding into a valid array element
        # keeps its siblings valid, where a fresh element would lack them.
        bases = [*sorted(valid[container], key=lambda b: not _holds(b, path))[:10], None]
        last = i == len(chain) - 1
        outer: list[Any] = []
        for x in inner:
            for base in bases:
                for into_first in (True, False) if len(path) > 1 and _holds(base, path) else (False,):
                    placed = _embed(base, path, x, into_first=into_first)
                    if last:
                        yield placed
                    elif src.is_valid(container, placed) is True:
                        outer.append(placed)
            if len(outer) >= 3:
                break
        inner = outer[:3]
        if not inner:
            return


def _holds(base: Any, path: Path) -> bool:
    """Whether ``base`` has every container on ``path`` (a non-empty array where any index goes)."""
    node = base
    for kind, key in path[:-1]:
        if kind == "key":
            if not isinstance(node, dict) or key not in node:
                return False
            node = node[key]
        else:
            if not isinstance(node, list) or not node or (key is not None and key >= len(node)):
                return False
            node = node[key if key is not None else 0]
    return bool(path)


def _applied(ch: Change, src: Doc, dst: Doc, src_at: str, src_parent: Any, dst_parent: Any) -> Doc | None:
    """The source schema with just this change applied, or None when that cannot be built soundly.

    The changed subschema may point into the target's ``$defs`` (a new ``$ref``); those definitions
    are carried over, unless a name is already taken by a different definition on the source side.
    """
    variant = _revert(src_parent, dst_parent, ch)
    if variant is MISSING:
        return None
    root = _replace_at(src.root, src_at, variant)
    src_defs = root.get("$defs") if isinstance(root, dict) else None
    dst_defs = dst.root.get("$defs") if isinstance(dst.root, dict) else None
    if isinstance(dst_defs, dict) and dst_defs and isinstance(root, dict):
        merged = dict(src_defs) if isinstance(src_defs, dict) else {}
        for name, sub in dst_defs.items():
            merged.setdefault(name, sub)
        root = {**root, "$defs": merged}
    doc = Doc(root, format_assertion=src.format_assertion)
    if doc.validator("") is None:
        return None
    # What the change brings over from the target: its refs must mean there what they mean here.
    brought = dst_parent.get(ch.keyword) if isinstance(dst_parent, dict) else None
    if ch.key is not None and isinstance(brought, dict):
        brought = brought.get(ch.key)
    refs = [brought] if ch.keyword in ("$ref", "$dynamicRef") and isinstance(brought, str) else _refs_in(brought)
    return doc if _same_targets(refs, doc, dst) else None


def _same_targets(refs: list[str], here: Doc, there: Doc) -> bool:
    """Whether every ref in ``refs``, and every ref reachable from their targets, resolves to the same
    subschema in both documents."""
    pending, seen = list(refs), set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        a, b = here.resolve(ref), there.resolve(ref)
        if a is None or b is None or not json_equal(a[0], b[0]):
            return False
        pending += _refs_in(a[0])
    return True


def _refs_in(node: Any) -> list[str]:
    return [r for _, obj in schema_objects(node) for k in ("$ref", "$dynamicRef") if isinstance(r := obj.get(k), str)]


def _chain(first: list[Any], then: Callable[[], list[Any]]) -> Iterator[Any]:
    yield from first
    yield from then()


_FILLERS: tuple[Any, ...] = (0, "a", None, True, -1, 1.5, "", [], {})


def _names(schema: Any, out: list[str], depth: int = 0) -> list[str]:
    """Property names a schema mentions (declared, required, dependent, patterns' keys)."""
    if depth > 3 or not isinstance(schema, dict):
        return out
    for kw in ("properties", "dependentRequired", "dependentSchemas"):
        v = schema.get(kw)
        if isinstance(v, dict):
            out += [k for k in v if k not in out]
    for k in schema.get("required", []) if isinstance(schema.get("required"), list) else []:
        if isinstance(k, str) and k not in out:
            out.append(k)
    pp = schema.get("patternProperties")
    if isinstance(pp, dict):
        out += [_key_for(p) for p in pp if _key_for(p) not in out]
    for kw in ("if", "then", "else", "not"):
        _names(schema.get(kw), out, depth + 1)
    for kw in ("allOf", "anyOf", "oneOf"):
        for br in schema.get(kw, []) if isinstance(schema.get(kw), list) else []:
            _names(br, out, depth + 1)
    return out


def _mutations(values: list[Any], dst_parent: Any, src_parent: Any = None) -> list[Any]:
    """Variations of src instances that target what the other side constrains: keys it names,
    extra and long keys, repeated and additional array items, strings past its maxLength."""
    out: list[Any] = []
    names = _names(dst_parent, [])
    max_len = dst_parent.get("maxLength") if isinstance(dst_parent, dict) else None
    if isinstance(max_len, int) and 0 <= max_len < 10_000:
        fmt = src_parent.get("format") if isinstance(src_parent, dict) else None
        if isinstance(fmt, str):
            out += _long_format(fmt, max_len + 1)
        out += [v + "a" * (max_len + 1 - len(v)) for v in values[:6] if isinstance(v, str) and len(v) <= max_len]
    for v in values[:6]:
        if isinstance(v, dict):
            for name in names[:8]:
                for f in _FILLERS:
                    out.append({**v, name: f})
            if names:
                out.append({**v, **{n: 0 for n in names[:8]}})
            out.append({**v, "k1": 0, "k2": 0, "k3": 0, "k4": 0})
            out.append({**v, "a_rather_long_property_name": 0})
        elif isinstance(v, list) and v:
            out.append(v + v)
            out.append((v * 8)[:12])
            out.append([*v, *_FILLERS])
    return out


def _revert(dst_parent: Any, src_parent: Any, ch: Change) -> Any:
    """The target subschema with just this change undone (the attribution check's reference)."""
    kw = ch.keyword
    if not isinstance(dst_parent, dict) or not isinstance(src_parent, dict) or kw == "$schema-value":
        return MISSING
    v = dict(dst_parent)
    src_val, dst_val = src_parent.get(kw, MISSING), dst_parent.get(kw, MISSING)
    if ch.key is not None and kw in ("properties", "patternProperties", "dependentSchemas"):
        members = dict(dst_val) if isinstance(dst_val, dict) else {}
        if isinstance(src_val, dict) and ch.key in src_val:
            members[ch.key] = src_val[ch.key]
        else:
            members.pop(ch.key, None)
        v[kw] = members
        return v
    if ch.key is not None and kw in ("required", "enum"):
        items = list(dst_val) if isinstance(dst_val, list) else []
        member = ch.old if ch.old is not MISSING else ch.new
        in_src = isinstance(src_val, list) and any(json_equal(member, x) for x in src_val)
        items = [x for x in items if not json_equal(member, x)] + ([member] if in_src else [])
        v[kw] = items
        return v
    if src_val is not MISSING:
        v[kw] = src_val
    else:
        v.pop(kw, None)
    if kw in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        # Reverting one of a pair of bounds must not leave the sibling form behind.
        twin = {"minimum": "exclusiveMinimum", "exclusiveMinimum": "minimum",
                "maximum": "exclusiveMaximum", "exclusiveMaximum": "maximum"}[kw]  # fmt: skip
        # Only when the bound changes form (minimum <-> exclusiveMinimum): a twin present on both sides
        # is a change of its own, attributed on its own.
        if (twin in src_parent) != (twin in dst_parent):
            if twin in src_parent:
                v[twin] = src_parent[twin]
            else:
                v.pop(twin, None)
    return v


def _replace_at(root: Any, ptr: str, value: Any) -> Any:
    """A copy of ``root`` with the node at ``ptr`` replaced (only the path is copied)."""
    if not ptr:
        return value
    toks = [unescape(t) for t in ptr.split("/")[1:]]

    def go(node: Any, i: int) -> Any:
        if i == len(toks):
            return value
        t = toks[i]
        if isinstance(node, dict):
            out = dict(node)
            out[t] = go(node.get(t), i + 1)
            return out
        if isinstance(node, list) and t.isdigit() and int(t) < len(node):
            lst = list(node)
            lst[int(t)] = go(node[int(t)], i + 1)
            return lst
        return node

    return go(root, 0)


Path = tuple[tuple[str, Any], ...]


Step = tuple[str, Path]  # (pointer of a subschema, where the inner instance goes in an instance of it)


def _chains(doc: Doc, ptr: str) -> list[list[Step]]:
    """Ways to place an instance of the subschema at ``ptr`` in a root instance (a few), innermost step
    first; the last step's subschema is the root. Inside a definition, through the refs to it."""
    toks = [unescape(t) for t in ptr.split("/")[1:]] if ptr else []
    if len(toks) >= 2 and toks[0] in ("$defs", "definitions"):
        tail = _local_path(toks[2:])
        if tail is None:
            return []
        definition = "/" + escape(toks[0]) + "/" + escape(toks[1])
        return [[(definition, tail), *outward] for outward in _definition_chains(doc, definition)]
    local = _local_path(toks)
    return [] if local is None else [[("", local)]]


def _local_path(toks: list[str]) -> Path | None:
    """The instance path a schema path leads to, without crossing a definition; None when not located."""
    out: list[tuple[str, Any]] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t == "properties" and nxt is not None:
            out.append(("key", nxt))
            i += 2
        elif t == "patternProperties" and nxt is not None:
            out.append(("key", _key_for(nxt)))
            i += 2
        elif t == "additionalProperties":
            out.append(("key", "zz_extra"))
            i += 1
        elif t == "prefixItems" and nxt is not None and nxt.isdigit():
            out.append(("index", int(nxt)))
            i += 2
        elif t in ("items", "contains"):
            out.append(("index", None))
            i += 1
        elif t in ("allOf", "anyOf", "oneOf") and nxt is not None:
            i += 2
        elif t in ("then", "else", "if"):
            i += 1
        elif t == "dependentSchemas" and nxt is not None:
            i += 2
        else:
            return None  # a nested definition, a `not`, ...: not located
    return tuple(out)


def _definition_chains(doc: Doc, target: str, limit: int = 3, max_defs: int = 256) -> list[list[Step]]:
    """The steps from the definition at ``target`` out to the root, shortest first: a breadth-first
    search backwards over the sites that ``$ref`` it, through other definitions."""
    found: list[list[Step]] = []
    queue: deque[tuple[str, list[Step]]] = deque([(target, [])])
    seen = {target}
    while queue and len(found) < limit:
        definition, outward = queue.popleft()
        for site in _referrers(doc, "#" + definition)[:8]:
            toks = [unescape(t) for t in site.split("/")[1:]]
            if len(toks) >= 2 and toks[0] in ("$defs", "definitions"):
                inner = _local_path(toks[2:])
                outer = "/" + escape(toks[0]) + "/" + escape(toks[1])
                if inner is not None and outer not in seen and len(seen) < max_defs:
                    seen.add(outer)
                    queue.append((outer, [*outward, (outer, inner)]))
                continue
            local = _local_path(toks)
            if local is not None:
                found.append([*outward, ("", local)])
                if len(found) >= limit:
                    break
    return found


def _referrers(doc: Doc, ref: str) -> list[str]:
    return [p for p in doc.ref_sites(ref) if not p.startswith(ref[1:] + "/") and p != ref[1:]]


def _embed(base: Any, path: Path, value: Any, *, into_first: bool = False) -> Any:
    """``base`` with ``value`` placed at ``path``; an any-index step appends a new element, or with
    ``into_first`` (and more path to go) places it inside the first existing element."""
    if not path:
        return value
    kind, key = path[0]
    if kind == "key":
        obj = dict(base) if isinstance(base, dict) else {}
        obj[key] = _embed(obj.get(key), path[1:], value, into_first=into_first)
        return obj
    arr = list(base) if isinstance(base, list) else []
    if key is not None:
        idx = key
    elif into_first and arr and len(path) > 1:
        idx = 0
    else:
        idx = len(arr)
    while len(arr) <= idx:
        arr.append(_embed(None, path[1:], value))
    arr[idx] = _embed(arr[idx], path[1:], value, into_first=into_first)
    return arr
