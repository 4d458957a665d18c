"""Whether a place in a schema document may be applied as a schema through a reference.

An annotation keyword (``title``, ``examples``) or a keyword draft 2020-12 does not define
(``x-defs``, OpenAPI-style ``components``) does not assert anything where it stands, but a ``$ref``
may point into its value and apply it as a schema from elsewhere (``"$ref": "#/components/schemas/A"``);
so may an ``$id`` or an ``$anchor`` inside it. A change there is then not an annotation: it changes
what the referring subschemas accept. This answers conservatively: any reference whose fragment
points at or under the place, or above it at a place that is no schema, or any identifier inside it.
A fragment is read as the validators read it (an index written "00" or "+0" is index 0) and against
every resource it may be relative to (the root, and the nested ``$id`` resources the ref is written
in or names: ``ref_targets``). ``ref_lands`` is the one rule, shared with the stepwise proof and the
renaming of definitions; ``_doc`` also collects the refs inside data that a ref applies as a schema.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from contractkit._json import escape, value_at
from contractkit._uri import join_split
from contractkit.compat._scope import schema_places

if TYPE_CHECKING:  # _doc reads the refs inside data through ref_targets
    from contractkit.compat._doc import Doc

_REF_KEYS = ("$ref", "$dynamicRef", "$recursiveRef")
_ID_KEYS = frozenset({"$id", "$anchor", "$dynamicAnchor", "$recursiveAnchor"})
_MISSING = object()


def addressed(doc: Doc, ptr: str) -> bool:
    """True when the value at ``ptr`` (a JSON pointer into ``doc``) may be applied through a reference."""
    frags = doc.facts.get("ref-fragments")
    if frags is None:  # every reference of the document, data included, read once per document
        frags = doc.facts["ref-fragments"] = (
            tuple(t for _p, _kw, _ref, ts in ref_targets(doc.root) for t in ts)
            if doc.may_hold(b"$ref", b"$dynamicRef", b"$recursiveRef")
            else ()
        )
    if reads(frags, ptr, doc):
        return True
    node = value_at(doc.root, ptr, _MISSING)
    return node is not _MISSING and _has_ids(node)


def schema_pointers(doc: Doc) -> frozenset[str]:
    """The pointers of every place of ``doc`` 2020-12 applies as a schema (``schema_places``), once per document."""
    places: frozenset[str] | None = doc.facts.get("schema-places")
    if places is None:
        places = doc.facts["schema-places"] = frozenset(p for p, _node in schema_places(doc.root))
    return places


def reads(targets: Sequence[str], ptr: str, doc: Doc) -> bool:
    """Whether a reference leading to one of ``targets`` reads the value at ``ptr`` of ``doc``: at it or
    inside it, or above it at a place that is no schema (a "$defs" or "properties" map applied as a schema
    reads its members' names as keywords: whatever lies under them is applied as a schema). The document's
    schema places are read only when a target lies above ``ptr``."""
    if ref_lands(targets, ptr, (), above=False):
        return True
    return any(ptr.startswith(t + "/") or ANY_TOKEN in t for t in targets) and ref_lands(
        targets, ptr, schema_pointers(doc), into=False
    )


def ref_lands(
    targets: Iterable[str], ptr: str, places: Collection[str], *, into: bool = True, above: bool = True
) -> bool:
    """Whether a reference leading to one of ``targets`` (JSON pointers) reads the value at ``ptr``:
    ``into``, one leads to ``ptr`` itself or inside it; ``above``, one leads above it to a place that is
    not in ``places`` (no schema: a ``$defs`` or ``properties`` map applied as a schema reads its members'
    names as keywords, so whatever lies under them is applied as a schema)."""
    inside = ptr + "/"
    for t in targets:
        if ANY_TOKEN in t:
            if _wild_lands(t, ptr, places, into=into, above=above):
                return True
            continue
        if into and (t == ptr or t.startswith(inside)):
            return True
        if above and ptr.startswith(t + "/") and t not in places:
            return True
    return False


def _wild_lands(t: str, ptr: str, places: Collection[str], *, into: bool, above: bool) -> bool:
    """``ref_lands`` for one target with :data:`ANY_TOKEN` tokens (each matches any token of ``ptr``);
    above ``ptr``, such a target is taken for no schema place."""
    tt, pt = t.split("/"), ptr.split("/")
    n = min(len(tt), len(pt))
    if not all(a in (b, ANY_TOKEN) for a, b in zip(tt[:n], pt[:n], strict=True)):
        return False
    return (into and len(tt) >= len(pt)) or (above and len(tt) < len(pt))


def ref_targets(root: Any) -> list[tuple[str, str, str, list[str]]]:
    """(place, keyword, reference, the pointers it may lead to) of every reference of the document (``$ref``,
    ``$dynamicRef``, ``$recursiveRef``; data included), the pointers conservatively: the fragment as a
    pointer (``pointer_readings``: as written and as the validators read an index), into the root and into
    every resource (an object with an ``$id``, wherever it stands) the reference may name: an enclosing one
    for a fragment-only reference, the one whose URI it resolves to otherwise (every one when none matches)."""
    refs: list[tuple[str, str, str, tuple[str, ...], str]] = []  # (place, keyword, ref, enclosing resources, base)
    resources: dict[str, list[str]] = {}  # absolute URI -> pointers of the objects with that $id
    stack: list[tuple[Any, str, tuple[str, ...], str]] = [(root, "", ("",), "")]
    while stack:
        n, ptr, roots, base = stack.pop()
        if isinstance(n, dict):
            ident = n.get("$id")
            if isinstance(ident, str):
                base = join_split(base, ident)[0]
                resources.setdefault(base, []).append(ptr)
                if ptr:
                    roots = (*roots, ptr)
            for k, v in n.items():
                if k in _REF_KEYS and isinstance(v, str):
                    refs.append((ptr, k, v, roots, base))
                elif isinstance(v, dict | list):
                    stack.append((v, f"{ptr}/{escape(k)}", roots, base))
        elif isinstance(n, list):
            stack.extend((x, f"{ptr}/{i}", roots, base) for i, x in enumerate(n) if isinstance(x, dict | list))
    nested = any(p for ps in resources.values() for p in ps)
    everywhere = ("", *sorted({p for ps in resources.values() for p in ps if p}))
    out: list[tuple[str, str, str, list[str]]] = []
    for site, kw, ref, roots, base in refs:
        uri, _, frag = ref.partition("#")
        frag = unquote(frag)
        if frag and not frag.startswith("/"):
            out.append((site, kw, ref, []))  # an anchor: no pointer (identifiers are looked for apart)
            continue
        frags = pointer_readings(frag)
        if not nested:
            out.append((site, kw, ref, list(frags)))  # one resource: whatever the URI, the fragment is read here
            continue
        if uri == "":
            at: tuple[str, ...] = roots
        else:
            matched = resources.get(join_split(base, uri)[0], [])
            at = ("", *matched) if matched else everywhere
        out.append((site, kw, ref, [r + f for r in at for f in frags]))
    return out


def pointer_readings(frag: str) -> tuple[str, ...]:
    """The places a decoded pointer fragment may name: as written (a token such as "00" or "1_0" is an
    object's member name where the value is an object) and, when it differs, as the validators read it
    where the value is an array (:func:`canonical_pointer`). Both are kept rather than looking at the
    document: a target is a place a ref *may* read, and reading too many places only costs a proof."""
    canon = canonical_pointer(frag)
    return (frag,) if canon == frag else (frag, canon)


def canonical_pointer(frag: str) -> str:
    """A decoded JSON-pointer fragment with each token the validators may read as an array index written
    as the canonical index: "00" and "+0" are index 0 to jsonschema-rs and python-jsonschema alike (both
    read "+1" as 1); python-jsonschema reads any ``int()`` ("-1" from the end, " 1", "1_0"): a negative one
    becomes :data:`ANY_TOKEN`, which ``ref_lands`` matches with every token."""
    if "/" not in frag:
        return frag
    toks = frag.split("/")
    for i in range(1, len(toks)):
        t = toks[i]
        if t.isdigit() and t.isascii() and (t == "0" or t[0] != "0"):
            continue  # already canonical (the common case)
        try:
            n = int(t)
        except ValueError:
            continue
        toks[i] = str(n) if n >= 0 else ANY_TOKEN
    return "/".join(toks)


ANY_TOKEN = "\x00*"  # a pointer token standing for any array index (no JSON key is written so by escape)


def _has_ids(node: Any) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if any(k in _ID_KEYS and isinstance(v, str) for k, v in n.items()):
                return True
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)
    return False
