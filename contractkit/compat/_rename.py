"""Definitions renamed between two schemas, with every ref to them following: not a change of the valid set.

A document that moves ``$defs/a`` to ``$defs/b`` and rewrites every ``$ref`` into it validates exactly as
before: a definition's name asserts nothing, only where the refs lead does. :func:`align` renames such
definitions in the *old* document to the names the new one uses (and rewrites the old document's refs
alike), so the rest of the engine compares the two at one pointer: the walk pairs the renamed
definitions' contents, the stepwise proof and the local proofs see one place (the walk alone pairs
renamed definitions only in documents without scoping keywords, and the later stages not at all).

Soundness rests on one check, made on the two old documents (as written and renamed), never on a guess
about the new one: every ``$ref`` / ``$dynamicRef`` of each resolves (``Doc.resolution``, the scoped
reading of ``_scope``: base URIs, anchors, dynamic anchors, and a dynamic ref only where it means one
subschema on every way in), and the renamed document's table is exactly the original's with places,
ref strings and targets renamed. The documents then differ only in the key of a ``$defs`` member and in
the spelling of refs that lead to the same (renamed) places: the same instances are valid under both.
Which definitions are paired is only a heuristic (refs at one place of both documents that differ in
one name of a ``$defs`` map, the most such refs winning); a wrong pairing is still an equivalent document,
only a less useful one.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, unquote

from contractkit._json import escape, holds, unescape
from contractkit.compat._addressed import pointer_readings, ref_lands
from contractkit.compat._doc import Doc, schema_objects
from contractkit.compat._scope import schema_places

_MAPS = ("$defs", "definitions")
_SAFE = "/!$&'()*+,;=:@~"
_ROUNDS = 3  # a definition renamed inside a renamed one is paired on the next round


class Alignment:
    """The old document with definitions renamed, and the way back from its pointers to the original's."""

    __slots__ = ("id_changed", "renames", "schema")

    def __init__(self, schema: Any, renames: list[tuple[str, str]], id_changed: tuple[Any, Any] | None = None) -> None:
        self.schema = schema
        self.renames = renames  # (original pointer, renamed pointer) of each renamed definition, in order
        self.id_changed = id_changed  # (old, new) root $id, when the old one was replaced by the new one

    def original_pointer(self, ptr: str | None) -> str | None:
        """The pointer of the original old document for a pointer of the renamed one."""
        if ptr is None:
            return None
        for before, after in reversed(self.renames):
            if ptr == after or ptr.startswith(after + "/"):
                ptr = before + ptr[len(after) :]
        return ptr


def align(old: Any, new: Any, keys: tuple[bytes | None, bytes | None] = (None, None)) -> Alignment | None:
    """``old`` with the definitions the new document renamed renamed alike, proven to validate as
    ``old`` does; None when no definition is renamed or the renaming cannot be proven harmless. ``keys``:
    the documents' content keys, when the caller has them."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return None
    if not (_holds_maps(old, keys[0]) and _holds_maps(new, keys[1])):
        return None
    current = old
    renames: list[tuple[str, str]] = []
    for _ in range(_ROUNDS):
        pairs = _pairs(current, new)
        if not pairs:
            break
        renamed = current
        step: list[tuple[str, str]] = []
        for at, a, b in pairs:
            got = _rename(renamed, at, a, b)
            if got is None:
                break
            renamed = got
            step.append((f"{at}/{escape(a)}", f"{at}/{escape(b)}"))
        else:
            attempt = Alignment(renamed, renames + step)
            if _equivalent(old, renamed, attempt):
                current, renames = renamed, renames + step
                continue
        break  # keep what was proven in the rounds before
    if not renames:
        return None
    # the root's own $id, renamed with the definitions (a dated id): harmless when no ref reads it
    oid, nid = current.get("$id"), new.get("$id")
    if isinstance(oid, str) and isinstance(nid, str) and oid != nid:
        moved = dict(current)
        moved["$id"] = nid
        attempt = Alignment(moved, renames, (oid, nid))
        if _equivalent(old, moved, attempt):
            return attempt
    return Alignment(current, renames)


def _holds_maps(doc: Any, key: bytes | None = None) -> bool:
    """Whether any object of the document has a ``$defs`` / ``definitions`` member (a cheap first test).
    ``key``: the document's content key (``_memo.content_key``), which holds the text of every string of
    the document: without either name in it, no object has such a member."""
    if key is not None and not holds(key, b"$defs") and not holds(key, b"definitions"):
        return False
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "$defs" in node or "definitions" in node:
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _maps(doc: Any) -> dict[str, dict[str, Any]]:
    """pointer -> the ``$defs`` / ``definitions`` map at that pointer (schema positions only)."""
    out: dict[str, dict[str, Any]] = {}
    for ptr, node in schema_places(doc):  # a property named "$defs" holds no definitions
        for kw in _MAPS:
            m = node.get(kw)
            if isinstance(m, dict):
                out[f"{ptr}/{escape(kw)}"] = m
    return out


def _tokens(ref: Any) -> list[str] | None:
    """The reference tokens of a plain-pointer fragment ref (``#/...``), decoded as the validators decode it
    (the fragment percent-decoded first, then split: ``%2F`` is a separator); None for any other ref."""
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return None
    return [unescape(t) for t in unquote(ref[2:]).split("/")]


def _ptr_tokens(ptr: str) -> list[str]:
    return [unescape(t) for t in ptr.split("/")[1:]]


def _pairs(old: Any, new: Any) -> list[tuple[str, str, str]]:
    """(map pointer, old name, new name) of the definitions to rename, in a deterministic order."""
    old_maps, new_maps = _maps(old), _maps(new)
    removed: dict[str, list[str]] = {}
    added: dict[str, list[str]] = {}
    for at, om in old_maps.items():
        nm = new_maps.get(at)
        if nm is None:
            continue
        gone = [k for k in om if k not in nm]
        came = [k for k in nm if k not in om]
        if gone and came:
            removed[at], added[at] = gone, came
    if not removed:
        return []
    votes: dict[tuple[str, str, str], int] = {}
    new_nodes = dict(schema_objects(new))
    for ptr, node in schema_objects(old):
        other = new_nodes.get(ptr)
        if other is None:
            continue
        to, tn = _tokens(node.get("$ref")), _tokens(other.get("$ref"))
        if to is None or tn is None or to == tn:
            continue
        for i in range(1, min(len(to), len(tn))):
            if to[i] == tn[i]:
                continue
            if to[:i] != tn[:i] or to[i + 1 :] != tn[i + 1 :]:
                break
            at = "".join("/" + escape(t) for t in to[:i])
            if to[i] in removed.get(at, ()) and tn[i] in added.get(at, ()):
                key = (at, to[i], tn[i])
                votes[key] = votes.get(key, 0) + 1
            break
    chosen: dict[tuple[str, str], str] = {}
    for at in sorted(removed):
        gone, came = removed[at], added[at]
        taken: set[str] = set()
        for a in gone:
            ranked = sorted(
                ((n, b) for (m, x, b), n in votes.items() if m == at and x == a), key=lambda v: (-v[0], v[1])
            )
            if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
                continue  # two names as likely: pair neither
            if ranked and ranked[0][1] not in taken:
                chosen[(at, a)] = ranked[0][1]
                taken.add(ranked[0][1])
    # outer maps first: a rename changes the pointers of the maps inside it (they pair on the next round)
    out = [(at, a, b) for (at, a), b in chosen.items()]
    out.sort(key=lambda p: (p[0].count("/"), p))
    seen: list[str] = []
    kept: list[tuple[str, str, str]] = []
    for at, a, b in out:
        inner = f"{at}/{escape(a)}"
        if any(at.startswith(s + "/") for s in seen):
            continue  # inside a definition renamed this round: next round
        seen.append(inner)
        kept.append((at, a, b))
    return kept


def _rename(doc: Any, at: str, a: str, b: str) -> Any | None:
    """``doc`` with member ``a`` of the map at ``at`` renamed ``b`` and every plain-pointer ``$ref`` into it
    rewritten; None when that is not a plain renaming (no such member, or ``b`` taken)."""
    out = copy.deepcopy(doc)
    m: Any = out
    for t in _ptr_tokens(at):
        m = m.get(t) if isinstance(m, dict) else None
    if not isinstance(m, dict) or a not in m or b in m:
        return None
    items = [(b if k == a else k, v) for k, v in m.items()]
    m.clear()
    m.update(items)
    prefix = [*_ptr_tokens(at), a]
    n = len(prefix)
    for _ptr, node in schema_places(out):
        toks = _tokens(node.get("$ref"))
        if toks is not None and toks[:n] == prefix:
            node["$ref"] = "#" + "".join("/" + quote(escape(t), safe=_SAFE) for t in [*prefix[:-1], b, *toks[n:]])
    return out


def _equivalent(old: Any, renamed: Any, alignment: Alignment) -> bool:
    """Whether every ref of both documents resolves, and the renamed one's lead where the original's do."""
    da, db = Doc(old, format_assertion=False), Doc(renamed, format_assertion=False)
    a, b = da.resolution(), db.resolution()
    if a is None or b is None:
        return _equivalent_unscoped(da, db, alignment)
    if len(a) != len(b):
        return False
    if _reads_a_map(old, a.values(), alignment):
        return False
    forward: Callable[[str], str] = _forward(alignment)
    ref_at = dict(schema_objects(renamed))
    for (place, kw, _ref), target in a.items():
        moved = forward(place)
        node = ref_at.get(moved)
        if node is None:
            return False
        now = node.get(kw)
        if not isinstance(now, str) or b.get((moved, kw, now)) != forward(target):
            return False
    # every ref the renaming rewrote is one the tables compared (no ref outside a schema position moved)
    refs = sum(1 for (_p, kw, _r) in b if kw == "$ref")
    same = refs == sum(1 for (_p, kw, _r) in a if kw == "$ref")
    return same and _refs_count(old) == _refs_count(renamed) == refs >= 0


def _refs_count(doc: Any) -> int:
    """The ``$ref`` strings of a document at schema places; -1 when one is written elsewhere (inside a
    keyword 2020-12 does not define), where the renaming would not rewrite it."""
    placed = {p for p, node in schema_places(doc) if isinstance(node.get("$ref"), str)}
    anywhere = {p for p, node in schema_objects(doc) if isinstance(node.get("$ref"), str)}
    return len(placed) if anywhere <= placed else -1


def _forward(alignment: Alignment) -> Callable[[str], str]:
    def move(ptr: str) -> str:
        for before, after in alignment.renames:
            if ptr == before or ptr.startswith(before + "/"):
                ptr = after + ptr[len(before) :]
        return ptr

    return move


def _equivalent_unscoped(old: Doc, renamed: Doc, alignment: Alignment) -> bool:
    """The same conclusion for a document whose scoped reading gives up (a dynamic anchor named twice in
    one resource, as bundling several metaschemas into one leaves it): with no ``$id`` below the root there
    is one resource, every ``$ref`` is a plain pointer resolved in it, and a ``$dynamicRef`` (left as
    written) resolves by an anchor name among the same anchors. Which of two anchors of one name an
    implementation takes can only depend on the order it meets them in: each renamed member keeps its
    place among its siblings, both in the map's own order and sorted, so every traversal meets the same
    subschemas in the same order."""
    if not _order_kept(old.root, alignment):
        return False
    forward = _forward(alignment)
    placed = renamed.scopes.schemas
    for doc in (old, renamed):
        if list(doc.scopes.resource) != [""]:
            return False  # a nested resource: refs inside it resolve against its own base
        for node in doc.scopes.schemas.values():
            if not isinstance(node, dict):
                continue
            if "$recursiveRef" in node:
                return False
            dyn = node.get("$dynamicRef")
            if dyn is not None and not (isinstance(dyn, str) and dyn.startswith("#") and not dyn.startswith("#/")):
                return False  # a dynamic ref naming a URI (the root's $id may be what it reads) or a pointer
    if len(old.scopes.schemas) != len(placed):
        return False
    # Only refs at schema places are applied (one inside a keyword 2020-12 does not define is inert, and no
    # ref checked here leads into one): each is a plain pointer to a schema place, and its rewritten self
    # leads to that place renamed.
    targets = [_plain_target(n["$ref"]) for n in old.scopes.schemas.values() if isinstance(n, dict) and "$ref" in n]
    if _reads_a_map(old.root, [t for t in targets if t is not None], alignment):
        return False
    for ptr, node in old.scopes.schemas.items():
        if not isinstance(node, dict) or "$ref" not in node:
            continue
        target = _plain_target(node["$ref"])
        if target is None or target not in old.scopes.schemas:
            return False
        now = placed.get(forward(ptr))
        if not isinstance(now, dict) or _plain_target(now.get("$ref")) != forward(target):
            return False
    return True


def _reads_a_map(old: Any, targets: Any, alignment: Alignment) -> bool:
    """Whether a ref leads above a renamed member to a place that is no schema (the ``$defs`` map itself,
    say): applied as a schema, its members' names are read as keywords, and renaming one changes what
    validates."""
    places = {p for p, _node in schema_places(old)}
    forward = _forward(alignment)
    renamed = [p for pair in alignment.renames for p in pair]  # later rounds' pointers are of the renamed one
    # the original pointer and its renamed self, of each target that is no schema place
    # (a token such as "00" read both as written and as the validators read an array index)
    above = [
        r for target in targets if target not in places for t in (target, forward(target)) for r in pointer_readings(t)
    ]
    return any(ref_lands(above, p, (), into=False) for p in renamed)


def _plain_target(ref: Any) -> str | None:
    """The pointer a plain-pointer ref (``#`` or ``#/...``) names; None for any other ref."""
    if ref == "#":
        return ""
    toks = _tokens(ref)
    return None if toks is None else "".join("/" + escape(t) for t in toks)


def _order_kept(old: Any, alignment: Alignment) -> bool:
    """Whether each renamed member sorts among its siblings where the original name did (the map's own
    order is kept by the renaming itself)."""
    doc = old
    for before, after in alignment.renames:
        toks = _ptr_tokens(before)
        m: Any = doc
        for t in toks[:-1]:
            m = m.get(t) if isinstance(m, dict) else None
        if not isinstance(m, dict):
            return False
        a, b = toks[-1], unescape(after.rsplit("/", 1)[1])
        for k in m:
            if k == a:
                continue
            for key in (_plain_key, _pointer_key):
                if (key(a) < key(k)) != (key(b) < key(k)):
                    return False
        doc = _rename(doc, before.rsplit("/", 1)[0], a, b)
        if doc is None:
            return False
    return True


def _plain_key(k: str) -> str:
    return k


def _pointer_key(k: str) -> str:
    return escape(k) + "/"
