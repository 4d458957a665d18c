"""Local witnesses: a root instance that breaks *because of one change*, found and attributed.

For one keyword change the walk found, candidates are sampled from the source subschema that holds
it (and mutated toward what the target constrains), checked at that subschema, then embedded into a
whole instance through the chain of properties, items and ``$ref`` s that reaches it, and checked at
the roots. A witness is attributed to the change one of two ways, each checked by the validator:

* with only this change undone, the target accepts it (the change is why it is rejected);
* or, for a change masked by another break, the source with only this change applied rejects it
  too (the change would break it on its own).
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from contractkit._json import dumps_sorted, escape, json_equal, unescape
from contractkit.compat import _automata as automata
from contractkit.compat._doc import Doc, schema_objects, subschema_at
from contractkit.compat._model import Direction
from contractkit.compat._regex import top_alternatives
from contractkit.compat._sampler import Sampler, key_for, long_format
from contractkit.compat._verdict import is_witness
from contractkit.compat.walk import MISSING, Change

__all__ = ["View", "applied_alone", "applied_location", "fallback_witness", "local_witness", "overlap_witness"]

View = Callable[[Any], Any]
"""How the reader reads a schema (``contractkit.compat._reader``): the identity for a strict reader."""

_FALLBACK_CANDIDATES = 200


def _same(schema: Any) -> Any:
    return schema


def applied_alone(ch: Change, d: Direction, src: Doc, dst: Doc, view: View = _same) -> Doc | None:
    """The source schema with only this change applied (as the reader reads it), or None when that
    cannot be built soundly. ``source ⊆ applied`` proven means the change is harmless on its own."""
    src_at = ch.old_at if d == "backward" else ch.new_at
    src_parent, dst_parent = (ch.old_parent, ch.new_parent) if d == "backward" else (ch.new_parent, ch.old_parent)
    return _applied(ch, src, dst, src_at, src_parent, dst_parent, view)


def applied_location(ch: Change, d: Direction, src: Doc, dst: Doc, view: View = _same) -> Doc | None:
    """The source schema with the whole subschema that holds this change replaced by the target's (every
    change made there applied at once), or None when that cannot be built soundly. Proven to include the
    source, the changes made there are harmless together (a subschema rewritten into an equivalent form:
    ``{type: array, prefixItems: ...}`` moved under a ``oneOf``)."""
    src_at, dst_at = (ch.old_at, ch.new_at) if d == "backward" else (ch.new_at, ch.old_at)
    brought = subschema_at(dst.root, dst_at)
    if brought is None or subschema_at(src.root, src_at) is None:
        return None
    root = _replace_at(src.root, src_at, brought)
    doc = Doc(view(root), format_assertion=src.format_assertion)
    if not _same_targets(_refs_in(brought), doc, dst):
        return None  # a ref it brings means something else in the source document
    return doc


def fallback_witness(src: Doc, dst: Doc, alone: Doc | None, sampler: Sampler, extra: list[Any]) -> Any:
    """A bounded search over whole-instance candidates (samples of the source schema, then ``extra``)
    for a witness that the source with only this change applied rejects too; else MISSING."""
    if alone is None:
        return MISSING
    for n, x in enumerate(_chain(extra, lambda: sampler.sample(src.root))):
        if n >= _FALLBACK_CANDIDATES:
            break
        if is_witness(src, dst, x) and alone.is_valid("", x) is False:
            return x
    return MISSING


def overlap_witness(ch: Change, d: Direction, src: Doc, dst: Doc, alone: Doc | None, sampler: Sampler) -> Any:
    """A witness for a subschema widened into what a sibling already accepts (a ``oneOf`` branch that now
    overlaps another one): instances the widened subschema newly admits (valid there with only this change
    applied, rejected there by the source), placed into a root instance through the source's chains and
    checked at the roots, attributed as ``fallback_witness`` does; else MISSING. Bounded."""
    if alone is None:
        return MISSING
    src_at = ch.old_at if d == "backward" else ch.new_at
    widened = subschema_at(alone.root, src_at)
    chains = _chains(src, src_at, dst)
    if widened is None or not chains:
        return MISSING
    wide = Sampler(alone)
    plain = wide.sample(widened)
    if ch.keyword in ("enum", "const"):
        plain = [v for v in (ch.old, ch.new) if v is not MISSING] + plain
    admitted: list[Any] = []
    for lw in _chain(plain, lambda: _member(ch, plain, widened, wide)):
        if len(admitted) >= 6:
            break
        if alone.is_valid(src_at, lw) is True and src.is_valid(src_at, lw) is False:
            admitted.append(lw)
    tried = 0
    valid: dict[str, list[Any]] = {}
    for lw in admitted:
        for chain in chains:
            for cand in _place(lw, chain, src, sampler, valid, widened=alone):
                tried += 1
                if tried > _OVERLAP_CANDIDATES:
                    return MISSING
                if is_witness(src, dst, cand) and alone.is_valid("", cand) is False:
                    return cand
    return MISSING


_OVERLAP_CANDIDATES = 80


def local_witness(ch: Change, d: Direction, src: Doc, dst: Doc, sampler: Sampler, view: View = _same) -> Any:
    """A root instance that breaks *because of this change*, confirmed by the validator; else MISSING."""
    src_at, dst_at = (ch.old_at, ch.new_at) if d == "backward" else (ch.new_at, ch.old_at)
    src_parent, dst_parent = (ch.old_parent, ch.new_parent) if d == "backward" else (ch.new_parent, ch.old_parent)
    chains = _chains(src, src_at, dst)
    if not chains:
        return MISSING
    variant_doc: Doc | object | None = MISSING  # built on first need: compiling it is the costly part
    applied_doc: Doc | object | None = MISSING
    valid: dict[str, list[Any]] = {}  # pointer -> samples of the source subschema there, valid ones first
    tried = 0
    seen: set[str] = set()
    qualified: list[tuple[Any, bool]] = []
    seen_local: set[str] = set()
    w: Any = MISSING
    plain = sampler.sample(src_parent)
    if ch.keyword in ("enum", "const"):
        # the value that changed is the natural witness
        plain = [v for v in (ch.old, ch.new) if v is not MISSING] + plain
    for lw in _chain(
        plain,
        lambda: _members_and_mutations(
            # the bases the source accepts first: a large object's valid sample may come late
            ch,
            sorted(plain, key=lambda v: src.is_valid(src_at, v) is not True),
            plain,
            src_parent,
            dst_parent,
            dst,
            sampler,
            src,
        ),
    ):
        if src.is_valid(src_at, lw) is not True or dst.is_valid(dst_at, lw) is not False:
            continue
        # Attribution, first form: with just this change undone, the target subschema accepts the
        # instance (this change alone is why it is rejected).
        if variant_doc is MISSING:
            variant = _revert(dst_parent, src_parent, ch)
            variant_doc = (
                None
                if variant is MISSING
                else Doc(view(_replace_at(dst.root, dst_at, variant)), format_assertion=src.format_assertion)
            )
        alone = not isinstance(variant_doc, Doc) or variant_doc.is_valid(dst_at, lw) is True
        if not alone:
            # Second form, for a change masked by another break: the source schema with just this
            # change applied rejects the instance too (this change would break it on its own).
            if applied_doc is MISSING:
                applied_doc = _applied(ch, src, dst, src_at, src_parent, dst_parent, view)
            if not isinstance(applied_doc, Doc) or applied_doc.is_valid(src_at, lw) is not False:
                continue
        # First pass: a few placements of each local candidate (a later candidate may be the one that
        # carries a member the placement needs); the second pass goes on with the candidates met so far.
        lw_key = dumps_sorted(lw, default_str=True)
        if lw_key in seen_local:
            continue
        seen_local.add(lw_key)
        qualified.append((lw, alone))
        w, tried = _placed_witness(lw, alone, chains, src, dst, sampler, valid, seen, tried, _FIRST_PASS, applied_doc)
        if w is not MISSING or tried > _LOCAL_CANDIDATES:
            break
    if w is not MISSING:
        return w
    for lw, alone in qualified:
        w, tried = _placed_witness(lw, alone, chains, src, dst, sampler, valid, seen, tried, None, applied_doc)
        if w is not MISSING or tried > 2 * _LOCAL_CANDIDATES:
            return w
    return MISSING


_LOCAL_CANDIDATES = 60
_FIRST_PASS = 10


def _placed_witness(
    lw: Any,
    alone: bool,
    chains: list[list[Step]],
    src: Doc,
    dst: Doc,
    sampler: Sampler,
    valid: dict[str, list[Any]],
    seen: set[str],
    tried: int,
    cap: int | None,
    applied_doc: Any,
) -> tuple[Any, int]:
    """Root instances holding ``lw`` (at most ``cap`` new ones), judged at the roots and attributed: the
    witness found or MISSING, and the count of root instances judged so far."""
    per = 0
    for chain in chains:
        for cand in _place(lw, chain, src, sampler, valid, rejecting=dst):
            key = dumps_sorted(cand, default_str=True)
            if key in seen:
                continue  # a placement already judged (the same root instance from another base)
            seen.add(key)
            tried += 1
            per += 1
            if is_witness(src, dst, cand) and (
                alone or (isinstance(applied_doc, Doc) and applied_doc.is_valid("", cand) is False)
            ):
                return cand, tried
            if (cap is not None and per >= cap) or tried > 2 * _LOCAL_CANDIDATES:
                return MISSING, tried
    return MISSING, tried


def _place(
    value: Any,
    chain: list[Step],
    src: Doc,
    sampler: Sampler,
    valid: dict[str, list[Any]],
    widened: Doc | None = None,
    rejecting: Doc | None = None,
) -> Iterator[Any]:
    """Root instances holding ``value`` where ``chain`` says, built from the inside out: at each step the
    instance so far goes into a sample of the enclosing subschema, and only placements that subschema
    still accepts go on to the next step (so a definition used five levels down gets valid parents).

    An object placed where its enclosing subschema is (a branch of its ``oneOf``/``allOf``) is also merged
    into the samples of that subschema (members the branch does not build: a sibling branch's, or the common
    part's). With ``widened`` (the source with one change applied), a placement goes on when either document
    accepts it there: an instance of a sibling branch that the widened one now accepts too. With ``rejecting``
    (the target), the placements it rejects at the enclosing subschema's place go on first: the break already
    shows there (a sibling member that keeps a ``oneOf`` branch of the target from matching instead)."""
    inner = [value]
    repairs = 0
    finals: list[dict[str, Any]] = []
    for i, (container, path) in enumerate(chain):
        if container not in valid:
            node = subschema_at(src.root, container)
            samples = sampler.sample(node) if node is not None else []
            # Valid samples first, then the others: a sample may be invalid only where the inner
            # instance is about to go (a required child the sampler could not build that deep).
            valid[container] = _valid_first(src, container, samples, sampler)
        # Samples that already hold the path's containers first: embedding into a valid array element
        # keeps its siblings valid, where a fresh element would lack them.
        bases = [*sorted(valid[container], key=lambda b: not _holds(b, path))[:10], None]
        if widened is not None and not path:
            # an overlap is with one sibling branch: a base of each branch where the instance goes
            more = _branch_bases(src, container, sampler, valid)
            bases[-1:-1] = [b for b in more if not any(json_equal(b, o) for o in bases[:-1])]
        if len(path) > 1 and not any(_holds(b, path) and src.is_valid(container, b) is True for b in bases[:-1]):
            bases = [*_filled(container, path, src, sampler, valid), *bases]
        last = i == len(chain) - 1
        outer: list[Any] = []
        only_widened: list[Any] = []  # accepted there by the widened document only
        for x in inner:
            if (
                not path
                and isinstance(x, dict)
                and x
                and repairs < _REPAIRED_SAMPLES
                and src.is_valid(container, x) is not True
            ):
                # the instance itself completed into one of the enclosing subschema (its members kept)
                repairs += 1
                for fixed in _keeping(x, _repairs(src, container, x, sampler)):
                    if last:
                        yield fixed
                    else:
                        outer.append(fixed)
            for base in bases:
                placements = [
                    _embed(base, path, x, into_first=into_first)
                    for into_first in ((True, False) if len(path) > 1 and _holds(base, path) else (False,))
                ]
                if not path and isinstance(base, dict) and isinstance(x, dict) and x:
                    merged = {**base, **x}
                    placements.append(merged)
                    if repairs < _REPAIRED_SAMPLES and src.is_valid(container, merged) is not True:
                        repairs += 1
                        placements += _keeping(x, _repairs(src, container, merged, sampler))
                elif len(path) == 1 and path[0][0] == "key" and isinstance(base, dict) and repairs < _REPAIRED_SAMPLES:
                    # a member replaced (a discriminator): the base completed to what that value asks for
                    placed = placements[0]
                    if src.is_valid(container, placed) is not True:
                        repairs += 1
                        placements += _keeping({path[0][1]: x}, _repairs(src, container, placed, sampler))
                for placed in placements:
                    if last:
                        yield placed
                        fresh = not any(json_equal(placed, f) for f in finals)
                        if len(finals) < 2 and isinstance(placed, dict) and fresh:
                            # the same instance made to fail the other branches of an anyOf applied there
                            finals.append(placed)
                            varied = _failing_siblings(src, container, placed)
                            if varied is not None:
                                yield varied
                    elif any(json_equal(placed, o) for o in outer):
                        continue
                    elif src.is_valid(container, placed) is True:
                        outer.append(placed)
                    elif widened is not None and widened.is_valid(container, placed) is True:
                        only_widened.append(placed)
            if len(outer) >= 3:
                break
        if rejecting is not None and len(outer) > 1:
            # placements the target already rejects here first (a local witness)
            outer = sorted(outer, key=lambda y: rejecting.is_valid(container, y) is not False)
        # Placements the source accepts first: above the widened subschema's oneOf, a witness is an
        # instance of a sibling branch that the widened branch now accepts too (valid in the source there).
        inner = (outer + only_widened)[:3]
        if not inner:
            return


def _branches(src: Doc, node: Any, depth: int, leaves: list[Any]) -> None:
    """The branches of ``node``'s ``oneOf``/``anyOf`` into ``leaves``, and theirs one level down (see
    _branch_bases; a function of its own: a nested one would make a reference cycle)."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str) and depth < 3:
        got = src.resolve(node["$ref"])
        if got is not None:
            node = got[0]
    if not isinstance(node, dict):
        return
    for kw in ("oneOf", "anyOf"):
        brs = node.get(kw)
        if isinstance(brs, list) and depth < 2:
            for br in brs[:_BRANCHES]:
                leaves.append(br)
                _branches(src, br, depth + 1, leaves)


def _branch_bases(src: Doc, container: str, sampler: Sampler, valid: dict[str, list[Any]]) -> list[Any]:
    """Instances of the subschema at ``container`` from each branch of its ``oneOf``/``anyOf`` (a ``$ref``
    followed, and the branches of a branch's own ``oneOf``/``anyOf``, one level down): the first few of the
    container's samples may all come from one branch. Each one valid there; at most a few per branch."""
    key = "branches:" + container
    if key in valid:
        return valid[key]
    leaves: list[Any] = []
    _branches(src, subschema_at(src.root, container), 0, leaves)
    out: list[Any] = []
    for br in leaves:
        found = 0
        for x in sampler.sample(br)[:_BRANCH_SAMPLES]:
            if found >= 2 or not isinstance(x, dict) or any(json_equal(x, o) for o in out):
                continue
            if src.is_valid(container, x) is True:
                out.append(x)
                found += 1
    valid[key] = out
    return out


_BRANCHES = 8
_BRANCH_SAMPLES = 6


def _anyof_branches(src: Doc, ptr: str, node: Any, depth: int, branches: list[tuple[str, Any]]) -> None:
    """The ``anyOf`` branches applied in place at ``node`` (through ``$ref`` and ``allOf``, a few levels)
    into ``branches``, with their pointers (see _failing_siblings)."""
    if not isinstance(node, dict) or depth > 2:
        return
    ref = node.get("$ref")
    if isinstance(ref, str):
        got = src.resolve(ref)
        if got is not None:
            _anyof_branches(src, got[1], got[0], depth + 1, branches)
    members = node.get("allOf")
    for k, member in enumerate(members if isinstance(members, list) else []):
        _anyof_branches(src, f"{ptr}/allOf/{k}", member, depth + 1, branches)
    brs = node.get("anyOf")
    if isinstance(brs, list):
        branches.extend((f"{ptr}/anyOf/{k}", br) for k, br in enumerate(brs[:_BRANCHES]))


def _failing_siblings(src: Doc, container: str, x: dict[str, Any]) -> dict[str, Any] | None:
    """``x`` (an object the subschema at ``container`` accepts) with members added that make branches of an
    ``anyOf`` applied in place there reject it, each still accepted by the container: a change inside one
    branch shows only in instances that every other branch rejects (``anyOf: [files, exclude, include,
    references]``, each an optional member: an instance with bad ``files``, ``exclude`` and ``include``
    passes by ``references`` alone). Greedy, a few validator calls per branch; None when nothing changed."""
    if src.is_valid(container, x) is not True:
        return None
    branches: list[tuple[str, Any]] = []
    _anyof_branches(src, container, subschema_at(src.root, container), 0, branches)
    y, changed = dict(x), False
    for ptr, br in branches:
        if src.is_valid(ptr, y) is not True:
            continue  # rejected already
        node = br
        if isinstance(br, dict) and isinstance(br.get("$ref"), str):
            got = src.resolve(br["$ref"])
            if got is not None:
                node = got[0]
        props = node.get("properties") if isinstance(node, dict) else None
        for name in list(props)[:4] if isinstance(props, dict) else []:
            if name in y:
                continue
            tried = next((
                {**y, name: f} for f in _FILLERS
                if src.is_valid(ptr, {**y, name: f}) is False and src.is_valid(container, {**y, name: f}) is True
            ), None)  # fmt: skip
            if tried is not None:
                y, changed = tried, True
                break
    return y if changed else None


def _keeping(x: dict[str, Any], repaired: list[Any]) -> list[Any]:
    """The repairs that keep every member of ``x`` as it is (the value being placed)."""
    return [y for y in repaired if isinstance(y, dict) and all(k in y and json_equal(y[k], v) for k, v in x.items())]


def _filled(container: str, path: Path, src: Doc, sampler: Sampler, valid: dict[str, list[Any]]) -> list[Any]:
    """Valid instances of ``container`` that hold the containers of ``path``: a valid sample of the
    subschema found at the instance location ``path[:-1]`` (through ``properties``/``items`` and ``$ref``)
    placed into a valid sample of ``container`` (the sampler stops short of deep required members: a
    dependabot update inside ``updates``). Only candidates: each is checked by the validator here, and
    every witness again at the root."""
    where = _location(src, container, path[:-1])
    if where is None:
        return []
    key = "loc:" + where
    if key not in valid:
        node = subschema_at(src.root, where)
        samples = sampler.sample(node) if node is not None else []
        valid[key] = [x for x in _valid_first(src, where, samples, sampler) if src.is_valid(where, x) is True]
    outer = [b for b in valid.get(container, []) if src.is_valid(container, b) is True][:3]
    out: list[Any] = []
    for b in outer:
        for inner in valid[key][:3]:
            placed = _embed(b, path[:-1], inner)
            if src.is_valid(container, placed) is True:
                out.append(placed)
    return out[:4]


def _valid_first(doc: Doc, ptr: str, samples: list[Any], sampler: Sampler) -> list[Any]:
    """The samples valid at ``ptr`` first; when none is, a few invalid ones repaired first (members that
    a ``then``/``else`` requires added, undeclared ones a closed object rejects removed)."""
    ok: list[Any] = []
    bad: list[Any] = []
    for x in samples:  # one validator call per sample
        (ok if doc.is_valid(ptr, x) is True else bad).append(x)
    if ok:
        return ok + bad
    fixed: list[Any] = []
    for x in bad[:_REPAIRED_SAMPLES]:
        y = _repaired(doc, ptr, x, sampler)
        if y is not None and not any(json_equal(y, f) for f in fixed):
            fixed.append(y)
    return fixed + bad


_REPAIRED_SAMPLES = 4
_REPAIR_ROUNDS = 6
_REPAIR_STEPS = 48  # rounds of one repair, nested ones included (each: a few validator calls)


def _repaired(
    doc: Doc,
    ptr: str,
    x: Any,
    sampler: Sampler,
    depth: int = 0,
    keep: str | None = None,
    budget: list[int] | None = None,
) -> Any:
    """``x`` made valid at ``ptr`` one validator error at a time, a few rounds: a member reported missing
    added (a valid sample of what the object that requires it declares), one reported unexpected removed,
    a value outside an ``enum``/``const`` replaced by an allowed one, a value of the wrong type by a sample
    of its subschema, and a ``oneOf``/``anyOf`` that no branch matches repaired toward its first branch
    that can be (two levels). None when that fails. Only candidates: each is checked again where used."""
    v = doc.validator(ptr)
    if v is None or not isinstance(x, dict):
        return None
    budget = budget if budget is not None else [_REPAIR_STEPS]
    for _ in range(_REPAIR_ROUNDS):
        budget[0] -= 1
        if budget[0] < 0:
            return None  # the repairs of one instance, all levels together, take this many rounds at most
        try:
            errors = list(itertools.islice(v.iter_errors(x), 8))
        except (ValueError, OverflowError, RecursionError):
            return None
        if not errors:
            return x
        for e in errors:
            y = _fix(doc, v, x, e, len(errors), sampler, depth, keep, budget)
            if y is not None and not json_equal(y, x):
                x = y
                break
        else:
            return None
    return x if doc.is_valid(ptr, x) is True else None


def _repairs(doc: Doc, ptr: str, x: Any, sampler: Sampler) -> list[Any]:
    """Repairs of ``x`` at ``ptr`` (see ``_repaired``): when no branch of a ``oneOf``/``anyOf`` applied to
    the instance itself matches, one repair toward each branch (the instance may belong to any), else the
    one repair."""
    v = doc.validator(ptr)
    if v is None or not isinstance(x, dict):
        return []
    try:
        errors = list(itertools.islice(v.iter_errors(x), 8))
    except (ValueError, OverflowError, RecursionError):
        return []
    if not errors:
        return [x]
    for e in errors:
        kw_path = [str(t) for t in e.schema_path]
        parent = subschema_at(doc.root, "".join("/" + escape(t) for t in kw_path[:-1]))
        branches = parent.get(kw_path[-1]) if isinstance(parent, dict) and kw_path else None
        if type(e.kind).__name__ in ("OneOfNotValid", "AnyOf") and not list(e.instance_path) and branches:
            break
    else:
        y = _repaired(doc, ptr, x, sampler)
        return [y] if y is not None else []
    kw_ptr = "".join("/" + escape(t) for t in kw_path)
    out: list[Any] = []
    for i in range(min(len(branches) if isinstance(branches, list) else 0, _REPAIR_BRANCHES)):
        budget = [_REPAIR_STEPS]
        fixed = _repaired(doc, f"{kw_ptr}/{i}", x, sampler, 1, budget=budget)
        y = _repaired(doc, ptr, fixed, sampler, keep=f"{kw_ptr}/{i}", budget=budget) if fixed is not None else None
        if y is not None and not any(json_equal(y, o) for o in out):
            out.append(y)
    return out


def _fix(
    doc: Doc, v: Any, x: Any, e: Any, errors: int, sampler: Sampler, depth: int, keep: str | None, budget: list[int]
) -> Any:
    """``x`` with the one error ``e`` repaired (see ``_repaired``), or None."""
    at = list(e.instance_path)
    target = x
    for step in at:
        target = target[step] if isinstance(target, dict | list) else None
    kw_path = [str(t) for t in e.schema_path]
    kw_ptr = "".join("/" + escape(t) for t in kw_path)
    parent_ptr = "".join("/" + escape(t) for t in kw_path[:-1])
    kind = type(e.kind).__name__
    parent = subschema_at(doc.root, parent_ptr)
    keyword_value = parent.get(kw_path[-1]) if isinstance(parent, dict) and kw_path else None
    new: Any = MISSING
    if kind in ("OneOfNotValid", "AnyOf") and depth < 2 and isinstance(target, dict):
        # the branch whose repair keeps most of the instance as it was (the first such)
        kept = -1
        for i in range(min(len(keyword_value), _REPAIR_BRANCHES) if isinstance(keyword_value, list) else 0):
            fixed = _repaired(doc, f"{kw_ptr}/{i}", target, sampler, depth + 1, budget=budget)
            if isinstance(fixed, dict):
                same = sum(1 for k, val in target.items() if k in fixed and json_equal(fixed[k], val))
                if same > kept:
                    new, kept = fixed, same
    elif kind == "Required" and isinstance(target, dict):
        name = getattr(e.kind, "property", None)
        if isinstance(name, str) and name not in target:
            # of the values declared for it, the one that leaves the fewest errors
            best = errors
            for value in _declared_samples(doc, parent_ptr, name, sampler):
                y = {**target, name: value}
                whole = _embed(x, _path_of(at), y) if at else y
                # (and that keeps the instance in the branch it was repaired toward)
                n = _count_errors(v, whole) + (keep is not None and doc.is_valid(keep, whole) is not True)
                if n < best or new is MISSING:
                    new, best = y, n
    elif kind == "AdditionalProperties" and isinstance(target, dict):
        unexpected = getattr(e.kind, "unexpected", None)
        if isinstance(unexpected, list):
            new = {k: val for k, val in target.items() if k not in unexpected}
    elif kind == "Enum":
        new = keyword_value[0] if isinstance(keyword_value, list) and keyword_value else MISSING
    elif kind == "Constant":
        new = parent["const"] if isinstance(parent, dict) and "const" in parent else MISSING
    elif kind == "Type" and parent is not None:
        new = next((y for y in sampler.sample(parent)[:12] if doc.is_valid(parent_ptr, y) is True), MISSING)
    if new is MISSING:
        return None
    return _embed(x, _path_of(at), new) if at else new


def _declared_samples(doc: Doc, obj_ptr: str, name: str, sampler: Sampler) -> list[Any]:
    """A few values the subschema the object at ``obj_ptr`` declares for member ``name`` accepts (["a"]
    when it declares none there)."""
    node = subschema_at(doc.root, obj_ptr)
    props = node.get("properties") if isinstance(node, dict) else None
    if not isinstance(props, dict) or name not in props:
        return ["a"]
    member = f"{obj_ptr}/properties/{escape(name)}"
    return [value for value in sampler.sample(props[name])[:12] if doc.is_valid(member, value) is True][:6]


def _count_errors(v: Any, x: Any) -> int:
    try:
        return sum(1 for _ in itertools.islice(v.iter_errors(x), 8))
    except (ValueError, OverflowError, RecursionError):
        return 8


_REPAIR_BRANCHES = 8


def _path_of(at: list[Any]) -> Path:
    return tuple(("index", k) if isinstance(k, int) else ("key", k) for k in at)


def _location(src: Doc, container: str, path: Path) -> str | None:
    """The pointer of the subschema that describes the instance at ``path`` below an instance of the one at
    ``container``, following ``properties``, ``items`` and ``$ref`` only; None when that is not plain."""
    ptr = container
    for step in [*path, None]:
        for _ in range(16):  # a chain of refs
            node = subschema_at(src.root, ptr)
            if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
                break
            target = src.resolve(node["$ref"])
            if target is None:
                return None
            ptr = target[1]
        if step is None:
            return ptr
        node = subschema_at(src.root, ptr)
        if not isinstance(node, dict):
            return None
        kind, name = step
        if kind == "key" and isinstance(node.get("properties"), dict) and name in node["properties"]:
            ptr = f"{ptr}/properties/{escape(name)}"
        elif kind == "index" and name is None and isinstance(node.get("items"), dict | bool):
            ptr = f"{ptr}/items"
        else:
            return None
    return ptr


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


def _applied(
    ch: Change, src: Doc, dst: Doc, src_at: str, src_parent: Any, dst_parent: Any, view: View = _same
) -> Doc | None:
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
    doc = Doc(view(root), format_assertion=src.format_assertion)
    if doc.validator("") is None:
        return None
    # What the change brings over from the target: its refs must mean there what they mean here.
    brought = dst_parent.get(ch.keyword) if isinstance(dst_parent, dict) else None
    if ch.key is not None and isinstance(brought, dict):
        brought = brought.get(ch.key)
    refs = [brought] if ch.keyword in ("$ref", "$dynamicRef") and isinstance(brought, str) else _refs_in(brought)
    if _same_targets(refs, doc, dst):
        return doc
    if ch.keyword == "$ref" and isinstance(brought, str) and isinstance(variant, dict):
        # The new ref means something else here: bring its target over instead, when it is self-contained.
        target = dst.resolve(brought)
        if target is not None and not _refs_in(target[0]):
            inlined = {k: v for k, v in variant.items() if k != "$ref"}
            inlined["allOf"] = (
                [*(variant.get("allOf") or []), target[0]] if isinstance(variant.get("allOf"), list) else [target[0]]
            )
            doc = Doc(view(_replace_at(src.root, src_at, inlined)), format_assertion=src.format_assertion)
            return doc if doc.validator("") is not None else None
    return None


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


def _chain(first: list[Any], then: Callable[[], Iterable[Any]]) -> Iterator[Any]:
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
        out += [key_for(p) for p in pp if key_for(p) not in out]
    for kw in ("if", "then", "else", "not"):
        _names(schema.get(kw), out, depth + 1)
    for kw in ("allOf", "anyOf", "oneOf"):
        for br in schema.get(kw, []) if isinstance(schema.get(kw), list) else []:
            _names(br, out, depth + 1)
    return out


def _member(ch: Change, values: list[Any], src_parent: Any, sampler: Sampler) -> list[Any]:
    """For a property added or removed: source instances holding that very property, with values the
    source accepts for it (the samples of a large object may never reach it)."""
    if ch.keyword != "properties" or ch.key is None or not isinstance(src_parent, dict):
        return []
    props = src_parent.get("properties")
    member = props.get(ch.key, MISSING) if isinstance(props, dict) else MISSING
    if member is MISSING:
        member = src_parent.get("additionalProperties", True)
    xs = [*sampler.sample(member)[:4], *_FILLERS]
    # each value with each base in turn: the bases may carry what the placement needs (a discriminator)
    return [{**v, ch.key: x} for x in xs for v in values[:4] if isinstance(v, dict)]


def _members_and_mutations(
    ch: Change,
    ordered: list[Any],
    plain: list[Any],
    src_parent: Any,
    dst_parent: Any,
    dst: Doc,
    sampler: Sampler,
    src: Doc | None = None,
) -> Iterator[Any]:
    yield from _member(ch, ordered, src_parent, sampler)
    yield from _mutations(plain, dst_parent, src_parent, sampler)
    yield from _rejected_member(ch, ordered, dst_parent, dst)
    if src is not None:
        yield from _unmet_dependencies(ordered, src_parent, dst_parent, src, dst, sampler)
        yield from _each_member(src_parent, src, sampler)


_EACH_MEMBER_NAMES = 64


def _each_member(src_parent: Any, src: Doc, sampler: Sampler) -> Iterator[Any]:
    """One-member objects for every name the source's object schemas declare (reached through its ``$ref`` s
    and branches), each with the first values the source declares for it: a large object's samples stop
    before its last members (OpenAPI 2.0's file schema, told apart from the schema object by its ``type``
    alone). Candidates only; each is judged by the validator."""
    seen: list[tuple[str, Any]] = []  # a name declared alike by two of them is sampled once
    for node in _reached(src_parent, src):
        props = node.get("properties")
        if not isinstance(props, dict):
            continue
        for name, sch in props.items():
            if any(name == n and json_equal(sch, s) for n, s in seen):
                continue
            seen.append((name, sch))
            if len(seen) > _EACH_MEMBER_NAMES:
                return
            for x in sampler.sample(sch)[:2]:
                yield {name: x}


def _unmet_dependencies(
    values: list[Any], src_parent: Any, dst_parent: Any, src: Doc, dst: Doc, sampler: Sampler
) -> Iterator[Any]:
    """Objects of the source holding a name the target's ``dependentRequired`` makes need others, without
    those others (the target reached through its ``$ref`` s and branches: a draft-04 meta-schema's
    ``exclusiveMaximum`` needing ``maximum``, where the source's own object schema has no such dependency),
    each with the values the source declares for that name. Candidates only; each is judged by the validator."""
    groups: list[tuple[str, list[str]]] = []
    for node in _reached(dst_parent, dst):
        deps = node.get("dependentRequired")
        if isinstance(deps, dict):
            for name, need in deps.items():
                if isinstance(need, list) and need and (name, need) not in groups:
                    groups.append((name, need))
    if not groups:
        return
    reached = _reached(src_parent, src)
    bases = [v for v in values[:4] if isinstance(v, dict)] or [{}]
    for name, need in groups[:8]:
        declared = [
            n["properties"][name] for n in reached if isinstance(n.get("properties"), dict) and name in n["properties"]
        ]
        xs = [*(x for sch in declared[:1] for x in sampler.sample(sch)[:3]), *_FILLERS[:4]]
        for v in bases:
            base = {k: x for k, x in v.items() if k not in need}
            for x in xs:
                yield {**base, name: x}


def _reached(schema: Any, doc: Doc, limit: int = 24) -> list[dict[str, Any]]:
    """The object schemas ``schema`` reaches through ``$ref`` s and ``allOf``/``anyOf``/``oneOf`` branches
    (breadth first, at most ``limit``)."""
    out: list[dict[str, Any]] = []
    todo = deque([schema])
    while todo and len(out) < limit:
        s = todo.popleft()
        if not isinstance(s, dict) or any(s is o for o in out):
            continue
        out.append(s)
        ref = s.get("$ref")
        if isinstance(ref, str):
            got = doc.resolve(ref)
            if got is not None:
                todo.append(got[0])
        for kw in ("allOf", "anyOf", "oneOf"):
            branches = s.get(kw)
            if isinstance(branches, list):
                todo.extend(branches)
    return out


def _rejected_member(ch: Change, values: list[Any], dst_parent: Any, dst: Doc) -> list[Any]:
    """For a property (or pattern property) the target adds or constrains: source instances holding it with
    an object value that puts a wrong-typed value in one of the names the target's member declares (its
    ``$ref`` followed once): the member's own rejection may sit one level down (an enum inside the object
    a new ``$ref`` names). For an ``allOf`` branch the target adds: source instances with a wrong-typed value
    in one of the names that branch declares. Candidates only; each is judged by the validator."""
    kw = ch.keyword
    if kw not in ("properties", "patternProperties", "allOf") or ch.key is None or not isinstance(dst_parent, dict):
        return []
    members = dst_parent.get(kw)
    if kw == "allOf":
        member = (
            members[int(ch.key)]
            if isinstance(members, list) and ch.key.isdigit() and int(ch.key) < len(members)
            else None
        )
    else:
        member = members.get(ch.key) if isinstance(members, dict) else None
    if isinstance(member, dict) and isinstance(member.get("$ref"), str):
        got = dst.resolve(member["$ref"])
        member = got[0] if got is not None else None
    names = member.get("properties") if isinstance(member, dict) else None
    if not isinstance(names, dict):
        return []
    bases = [v for v in values[:4] if isinstance(v, dict)] or [{}]
    if kw == "allOf":
        return [{**b, p: f} for p in list(names)[:6] for f in _FILLERS[:6] for b in bases[:2]]
    key = ch.key if kw == "properties" else key_for(ch.key)
    return [{**b, key: {p: f}} for p in list(names)[:6] for f in _FILLERS[:6] for b in bases[:2]]


def _mutations(values: list[Any], dst_parent: Any, src_parent: Any, sampler: Sampler) -> Iterator[Any]:
    """Variations of src instances that target what the other side constrains: keys it names,
    extra and long keys (with values the source accepts for them), more properties than its
    maxProperties, names outside its propertyNames, repeated and additional array items, strings past
    its maxLength, strings outside its pattern. Lazily, the cheap ones first: the candidates that need
    a pattern's automaton come last (building it costs more than judging every other candidate)."""
    dst = dst_parent if isinstance(dst_parent, dict) else {}
    src = src_parent if isinstance(src_parent, dict) else {}
    max_len = dst.get("maxLength")
    if isinstance(max_len, int) and 0 <= max_len < 10_000:
        fmt = src.get("format")
        if isinstance(fmt, str):
            yield from long_format(fmt, max_len + 1)
        yield from [v + "a" * (max_len + 1 - len(v)) for v in values[:6] if isinstance(v, str) and len(v) <= max_len]
    yield from _shortened(values, dst)
    yield from _forbidden_together(values, dst, src, sampler)
    pat = dst.get("pattern")
    mine = tuple(p for p in (src.get("pattern"),) if isinstance(p, str)) or ("",)
    if isinstance(pat, str) and mine == ("",):
        yield from ("", "a", "0", " ", "-", "A", "a b", "_")  # an unconstrained source: a few plain strings
    # Values the source accepts for a property it does not declare (a map's values), and names the
    # target's propertyNames rejects.
    objects = any(isinstance(v, dict) for v in values[:6])
    names = _names(dst_parent, []) if objects else []  # (names for patterns may need an automaton)
    extra = (sampler.sample(src.get("additionalProperties", True))[:2] or [0]) if objects else [0]
    max_props = dst.get("maxProperties")
    for v in values[:6]:
        if isinstance(v, dict):
            for name in names[:8]:
                for f in _FILLERS:
                    yield {**v, name: f}
            if names:
                yield {**v, **{n: 0 for n in names[:8]}}
            for x in extra:
                yield {**v, **{f"k{i}": x for i in range(1, 5)}}
                if isinstance(max_props, int) and 0 <= max_props < 100:
                    yield {**v, **{f"k{i}": x for i in range(max_props + 1)}}
            yield {**v, "k1": 0, "k2": 0, "k3": 0, "k4": 0}
            yield {**v, "a_rather_long_property_name": extra[0]}
        elif isinstance(v, list) and v:
            yield v + v
            yield (v * 8)[:12]
            yield [*v, *_FILLERS]
    if isinstance(dst.get("enum"), list) and mine != ("",):
        # strings of the source's pattern where the target lists values: those past the list
        yield from automata.examples_all(mine, 6)
    if isinstance(pat, str):
        yield from automata.difference(mine, pat, 3)
        # an alternative the source's pattern has and the target's lacks: strings of it alone
        theirs = top_alternatives(pat) or []
        for p in mine:
            for alt in (top_alternatives(p) or []) if p else []:
                if alt not in theirs:
                    yield from automata.examples(alt, 2)
    yield from _unmatched_names(values, dst, extra)
    pn = dst.get("propertyNames")
    if isinstance(pn, dict) and isinstance(pn.get("pattern"), str):
        bad_names = automata.difference(("",), pn["pattern"], 2)
        for v in values[:6]:
            if isinstance(v, dict):
                for x in extra:
                    for name in bad_names:
                        yield {**v, name: x}


def _unmatched_names(values: list[Any], dst: dict[str, Any], extra: list[Any]) -> Iterator[Any]:
    """Objects of the source with a member whose name none of the target's ``patternProperties`` matches
    (nor its ``properties`` lists), when the target also has ``additionalProperties``: such a name falls to
    it (``false``, or a narrower schema than the source's) — the empty name when every pattern is ``.+``.
    Names from the automata's difference; candidates only, each judged by the validator."""
    pats = dst.get("patternProperties")
    if not isinstance(pats, dict) or not pats or "additionalProperties" not in dst:
        return
    declared = dst.get("properties")
    listed = declared if isinstance(declared, dict) else {}
    # a few plain names first (the automata cost more than the whole rest of a small comparison)
    names = [n for n in _PLAIN_NAMES if not _covered(n, pats, listed)][:2]
    if not names:
        for pat in sorted(pats)[:4]:
            for name in automata.difference(("",), pat, 2):
                if name not in listed and name not in names:
                    names.append(name)
    for v in values[:6]:
        if isinstance(v, dict):
            for name in names[:6]:
                for x in extra:
                    yield {**v, name: x}


def _forbidden_together(values: list[Any], dst: dict[str, Any], src: dict[str, Any], sampler: Sampler) -> Iterator[Any]:
    """Objects of the source holding every name a ``not: {required: [...]}`` of the target forbids together
    (directly or in a branch of its ``anyOf``/``oneOf``/``allOf``: package.json's ``bundledDependencies``
    and ``bundleDependencies``), each with a value the source declares for it."""
    nots = [dst.get("not")] + [
        br.get("not") for kw in ("anyOf", "oneOf", "allOf") for br in dst.get(kw) or [] if isinstance(br, dict)
    ]
    groups = [n["required"] for n in nots if isinstance(n, dict) and isinstance(n.get("required"), list)]
    declared = src.get("properties")
    props: dict[str, Any] = declared if isinstance(declared, dict) else {}
    for names in groups[:4]:
        if not all(isinstance(n, str) for n in names):
            continue
        fill = {n: (sampler.sample(props[n])[:1] or [0])[0] if n in props else 0 for n in names}
        for v in values[:4]:
            if isinstance(v, dict):
                yield {**fill, **v} if all(n in v for n in names) else {**v, **fill}


def _shortened(values: list[Any], dst: dict[str, Any]) -> Iterator[Any]:
    """Arrays and strings of the source cut one short of the target's ``minItems`` / ``minLength`` (the
    samples fill every ``prefixItems`` slot, so a lowered minimum is not met by them as they are)."""
    lo_items, lo_len = dst.get("minItems"), dst.get("minLength")
    for v in values[:6]:
        if isinstance(v, list) and isinstance(lo_items, int) and 0 < lo_items <= len(v):
            yield v[: lo_items - 1]
        if isinstance(v, str) and isinstance(lo_len, int) and 0 < lo_len <= len(v):
            yield v[: lo_len - 1]


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
    return _replaced_in(root, [unescape(t) for t in ptr.split("/")[1:]], 0, value)


def _replaced_in(node: Any, toks: list[str], i: int, value: Any) -> Any:
    """`_replace_at` from the `i`-th token on (not a nested function: a recursive one is a reference cycle)."""
    if i == len(toks):
        return value
    t = toks[i]
    if isinstance(node, dict):
        out = dict(node)
        out[t] = _replaced_in(node.get(t), toks, i + 1, value)
        return out
    if isinstance(node, list) and t.isdigit() and int(t) < len(node):
        lst = list(node)
        lst[int(t)] = _replaced_in(node[int(t)], toks, i + 1, value)
        return lst
    return node


Path = tuple[tuple[str, Any], ...]


Step = tuple[str, Path]  # (pointer of a subschema, where the inner instance goes in an instance of it)


def _chains(doc: Doc, ptr: str, other: Doc | None = None) -> list[list[Step]]:
    """Ways to place an instance of the subschema at ``ptr`` in a root instance (a few), innermost step
    first; the last step's subschema is the root. Inside a definition, through the refs to it. With
    ``other`` (the target), a member placed under ``additionalProperties`` gets a name neither document's
    object there covers otherwise (``_additional_name``)."""
    docs = [doc] if other is None else [doc, other]
    return [[_additional_name(docs, step) for step in chain] for chain in _chains_by_path(doc, ptr)]


_EXTRA = "zz_extra"  # the name an instance placed under ``additionalProperties`` gets (``_local_path``)


def _additional_name(docs: list[Doc], step: Step) -> Step:
    """The step with the name it gives a member placed under ``additionalProperties`` changed to one
    that none of the object's ``properties``/``patternProperties`` covers, when ``zz_extra`` is covered
    (a ``.+`` pattern beside ``additionalProperties``: under that name the member is the pattern's, and
    ``additionalProperties`` is never applied). The empty name, or one from the patterns' automata."""
    container, path = step
    if path != (("key", _EXTRA),):
        return step
    pats: dict[str, Any] = {}
    listed: dict[str, Any] = {}
    for doc in docs:
        holder = subschema_at(doc.root, container)
        if not isinstance(holder, dict):
            continue
        mine, declared = holder.get("patternProperties"), holder.get("properties")
        if isinstance(mine, dict) and "additionalProperties" in holder:
            pats.update(mine)
        if isinstance(declared, dict):
            listed.update(declared)
    if not pats or not _covered(_EXTRA, pats, listed):
        return step
    for name in _PLAIN_NAMES:
        if not _covered(name, pats, listed):
            return container, (("key", name),)
    for name in (n for pat in sorted(pats)[:4] for n in automata.difference(("",), pat, 2)):
        if not _covered(name, pats, listed):
            return container, (("key", name),)
    return step


_PLAIN_NAMES = ("", "0", "-", "~", " ")


def _covered(name: str, pats: dict[str, Any], listed: dict[str, Any]) -> bool:
    """Whether ``name`` is listed or matched by a pattern (Python's reading; True when one does not compile:
    the name is only a candidate, each witness is judged by the validator)."""
    if name in listed:
        return True
    for pat in pats:
        try:
            if re.search(pat, name):
                return True
        except (re.error, TypeError):
            return True
    return False


def _chains_by_path(doc: Doc, ptr: str) -> list[list[Step]]:
    toks = [unescape(t) for t in ptr.split("/")[1:]] if ptr else []
    if len(toks) >= 2 and toks[0] in ("$defs", "definitions"):
        # the innermost definition holding the change (OpenAPI 3.1 nests them: a parameter's
        # ``dependentSchemas/schema/$defs/styles-for-path``), reached through the refs to it
        k = max(i for i in range(len(toks) - 1) if toks[i] in ("$defs", "definitions"))
        definition = "".join("/" + escape(t) for t in toks[: k + 2])
        tails = _ways(definition, toks[k + 2 :])
        chains = [[*tail, *outward] for outward in _definition_chains(doc, definition) for tail in tails]
        if chains or k == 0:
            return chains
        definition = "/" + escape(toks[0]) + "/" + escape(toks[1])
        tails = _ways(definition, toks[2:])
        return [[*tail, *outward] for outward in _definition_chains(doc, definition) for tail in tails]
    return _ways("", toks)


def _definition_prefix(toks: list[str]) -> int:
    """How many tokens of a schema path name its definition: ``$defs/x``, or a definition nested in one
    (``$defs/pre-commit-hooks/definitions/stage``: a bundled schema's own definitions); 0 for none."""
    n = 0
    while len(toks) >= n + 2 and toks[n] in ("$defs", "definitions"):
        n += 2
    return n


def _ways(container: str, toks: list[str]) -> list[list[Step]]:
    """The steps from the subschema at ``container`` + ``toks`` out to ``container``: one step per
    level (each level's instance is built from a sample of its own subschema, so required siblings
    on the way are there), then the whole path in one step as a fallback."""
    local = _local_path(toks)
    if local is None:
        return []
    fine = _levels(container, toks)
    coarse: list[Step] = [(container, local)]
    if fine is None or len(fine) <= 1:
        return [coarse]
    if fine[-1][0] != container:
        # the outermost level reached through allOf/anyOf/oneOf/then/else: its samples describe a branch,
        # not the whole instance; the same level placed into samples of the container itself goes first
        return [[*fine[:-1], (container, fine[-1][1])], coarse, fine]
    return [fine, coarse]


_DESCENDS = {"properties": 2, "patternProperties": 2, "prefixItems": 2, "additionalProperties": 1, "items": 1,
             "contains": 1}  # fmt: skip


def _levels(container: str, toks: list[str]) -> list[Step] | None:
    """One step per instance level on the schema path ``toks`` below ``container``, innermost first."""
    steps: list[Step] = []
    here = container  # the subschema holding the keyword that descends next
    i = 0
    while i < len(toks):
        t = toks[i]
        width = _DESCENDS.get(t)
        if width is not None and (width == 1 or i + 1 < len(toks)):
            part = _local_path(toks[i : i + width])
            if part is None:
                return None
            steps.append((here, part))
            here = here + "".join("/" + escape(x) for x in toks[i : i + width])
            i += width
            continue
        step = 2 if t in ("allOf", "anyOf", "oneOf", "dependentSchemas") else 1
        here = here + "".join("/" + escape(x) for x in toks[i : i + step])
        i += step
    return list(reversed(steps))


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
            out.append(("key", key_for(nxt)))
            i += 2
        elif t == "additionalProperties":
            out.append(("key", _EXTRA))
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
            n = _definition_prefix(toks)
            if n:
                outer = "".join("/" + escape(t) for t in toks[:n])
                inner = _ways(outer, toks[n:])
                if inner and outer not in seen and len(seen) < max_defs:
                    seen.add(outer)
                    queue.append((outer, [*outward, *inner[0]]))
                continue
            for local in _ways("", toks):
                found.append([*outward, *local])
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
