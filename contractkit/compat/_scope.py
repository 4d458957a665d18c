"""Reference resolution with draft 2020-12 scoping: ``$id`` base URIs, ``$anchor``, ``$dynamicAnchor``
and ``$dynamicRef``, for the documents whose refs are not plain pointers (``Doc.sound_refs`` is False).

A ``$ref`` is resolved against the base URI of the place it is written at (the ``$id``s enclosing it,
found the way python-jsonschema's ``referencing`` finds subresources: applicator keywords and
``$defs`` only, never ``enum``/``const`` values nor unknown keywords), from the document's own table
the way ``referencing`` reads it (the resource the ref's URI names, then the fragment as a JSON pointer
into it, or as an anchor of it). Every such resolution is cross-checked against jsonschema-rs's resolver
(the validator the engine judges witnesses with): a ref the two resolve to different subschemas is not
resolved.

A ``$dynamicRef`` depends on the dynamic scope — the schema resources entered on the way from the root
to it. It is resolved only when its target is the same on *every* way the root can reach it (a static
search over all evaluation paths, applicators and refs, ``$defs`` excepted), under both readings of
which resources a ``$ref`` enters (only the target's, as jsonschema-rs does, or also every resource the
JSON pointer passes through, as python-jsonschema does). Then its meaning does not depend on where it is
evaluated from, and the prover may follow it like a ``$ref``. Anything else — a duplicate ``$id``, an
anchor defined twice, a ref to a document that is not this one — leaves the ref unresolved (the prover
then answers ``undecided``, never a guess).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

import jsonschema_rs

from contractkit._json import escape, json_equal, value_at
from contractkit._uri import join_split, split

# The 2020-12 keywords whose values are subschemas (python-jsonschema's ``referencing`` list).
_IN_VALUE = (
    "additionalProperties",
    "contains",
    "contentSchema",
    "else",
    "if",
    "items",
    "not",
    "propertyNames",
    "then",
    "unevaluatedItems",
    "unevaluatedProperties",
)
_IN_ARRAY = ("allOf", "anyOf", "oneOf", "prefixItems")
_IN_MAP = ("$defs", "definitions", "dependentSchemas", "patternProperties", "properties")
_UNAPPLIED = ("$defs", "definitions")  # hold subschemas that are applied only through a ref

_MAX_STATES = 20_000
_UNSET: Any = object()
_PLAIN = re.compile(r"[A-Za-z0-9_/$.\-]*")


def _children(node: dict[str, Any], ptr: str) -> list[tuple[str, str, Any]]:
    """(keyword, pointer, subschema) for every subschema directly inside ``node``."""
    out: list[tuple[str, str, Any]] = []
    for kw in _IN_VALUE:
        if kw in node:
            out.append((kw, f"{ptr}/{kw}", node[kw]))
    for kw in _IN_ARRAY:
        v = node.get(kw)
        if isinstance(v, list):
            out += [(kw, f"{ptr}/{kw}/{i}", x) for i, x in enumerate(v)]
    for kw in _IN_MAP:
        v = node.get(kw)
        if isinstance(v, dict):
            out += [(kw, f"{ptr}/{escape(kw)}/{escape(k)}", x) for k, x in v.items()]
    return [c for c in out if isinstance(c[2], dict | bool)]


def schema_places(doc: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every subschema object of a document at a place 2020-12 applies as a schema (document order), with its
    pointer: maps such as ``$defs`` or ``properties`` themselves are not places, their members are."""
    out: list[tuple[str, dict[str, Any]]] = []
    todo: list[tuple[str, Any]] = [("", doc)]
    while todo:
        ptr, node = todo.pop()
        if isinstance(node, dict):
            out.append((ptr, node))
            todo += [(cp, child) for _kw, cp, child in _children(node, ptr)[::-1]]
    return out


class Scopes:
    """Base URIs, resources and dynamic anchors of one document, and the refs resolved in it."""

    def __init__(self, root: Any, uri: str) -> None:
        self.root = root
        self.uri = uri
        self.ok = True  # False: a duplicate $id or anchor, or a document the libraries refuse
        self.schemas: dict[str, Any] = {}  # pointer -> subschema (schema positions only)
        self.base: dict[str, str] = {}  # pointer -> base URI (without fragment)
        self.resource: dict[str, str] = {}  # pointer of a resource root -> its URI
        self.parent: dict[str, str] = {}  # pointer -> pointer of the enclosing schema
        self._dyn: dict[tuple[str, str], str] = {}  # (resource URI, name) -> pointer of that $dynamicAnchor
        self._static: dict[tuple[str, str], str | None] = {}
        self._dynamic: dict[tuple[str, str], str | None] = {}
        seen_uris: set[str] = set()
        self._anchors: dict[tuple[str, str], str] = {}  # (resource URI, name) -> pointer ($anchor or $dynamicAnchor)
        self._plain: set[str] = set()  # pointers with an $anchor
        # resource URI -> pointer of its root, for the resources a ref can name (what ``referencing``'s
        # registry holds: the document under its own URI, every $id without a fragment)
        self._resources: dict[str, str] = {uri: ""}
        todo: list[tuple[str, Any, str, str | None]] = [("", root, uri, None)]
        while todo:
            ptr, node, base, parent = todo.pop()
            if isinstance(node, dict) and isinstance(node.get("$id"), str):
                base = join_split(base, node["$id"])[0]
                if base in seen_uris:
                    self.ok = False
                seen_uris.add(base)
                self.resource[ptr] = base
                if "#" not in node["$id"]:
                    # an $id with a fragment (even an empty one) is registered by `referencing` under that
                    # fragment, where no lookup of a base URI (fragment removed) finds it
                    self._resources[base] = ptr
            elif ptr == "":
                seen_uris.add(base)
                self.resource[ptr] = base
            self.schemas[ptr] = node
            self.base[ptr] = base
            if parent is not None:
                self.parent[ptr] = parent
            if not isinstance(node, dict):
                continue
            for kw in ("$anchor", "$dynamicAnchor"):
                name = node.get(kw)
                if isinstance(name, str):
                    if (base, name) in self._anchors and self._anchors[(base, name)] != ptr:
                        self.ok = False  # one name, two places
                    self._anchors[(base, name)] = ptr
                    if kw == "$dynamicAnchor":
                        self._dyn[(base, name)] = ptr
                    else:
                        self._plain.add(ptr)
            for _, cp, child in _children(node, ptr):
                todo.append((cp, child, base, ptr))
        self._all: bool | None = None
        self._negated: dict[str, bool] = {}
        self._static_root: Any = _UNSET
        self._rs_registry: Any = None
        if self.ok:
            try:
                self._rs_registry = jsonschema_rs.Registry([(uri, root)], retriever=_no_retrieval)
            except Exception:  # a document jsonschema-rs refuses is not resolved
                self.ok = False

    # -- static refs -------------------------------------------------------------------------

    def resolve(self, ptr: str, ref: str) -> str | None:
        """The pointer of the subschema the ``$ref`` written at ``ptr`` means, or None."""
        key = (ptr, ref)
        if key not in self._static:
            self._static[key] = self._resolve(ptr, ref)
        return self._static[key]

    def _resolve(self, ptr: str, ref: str, *, dynamic: bool = False) -> str | None:
        if not self.ok or ptr not in self.base:
            return None
        base = self.base[ptr]
        uri, frag = split(base + ref) if ref.startswith("#") else join_split(base, ref)
        name = unquote(frag)
        if name and not name.startswith("/"):
            # A plain name: the anchor of that resource, from the document's own table (both libraries
            # resolve a name made by $dynamicAnchor through their dynamic scope even for a $ref, where
            # the spec reads it statically: such a $ref is resolved only when no other resource
            # defines that dynamic anchor).
            target = self._anchors.get((uri, name))
            if target is None or self._resolve(ptr, uri) is None:
                return None  # no such anchor, or a resource the libraries do not find there
            if not dynamic and target not in self._plain and any(n == name and u != uri for u, n in self._dyn):
                return None
            return target
        if frag and not frag.startswith("/"):
            return None  # a pointer only once percent-decoded: `referencing` reads it as an anchor's name
        target = self._pointer_target(uri, name)
        if target is None:
            return None  # no such resource, or not a schema position of this document
        got = self.schemas[target]
        try:  # the validator must read the ref the same way: the same subschema, in the same resource
            other = self._rs_registry.resolver(base).lookup(ref)
            if not json_equal(other.contents, got) or other.resolver.base_uri != self.base[target]:
                return None
        except Exception:  # jsonschema-rs cannot resolve it: neither do we
            return None
        return target

    def _pointer_target(self, uri: str, fragment: str) -> str | None:
        """The pointer of the schema position the JSON pointer ``fragment`` (percent-decoded, "" for the
        whole resource) names in the resource ``uri``; None when there is none."""
        top = self._resources.get(uri)
        if top is None:
            return None
        if not fragment:
            return top
        node = self.schemas.get(top)
        out = [top]
        for token in fragment[1:].split("/"):
            if isinstance(node, list):
                if not (token.isdigit() and token.isascii() and str(int(token)) == token and int(token) < len(node)):
                    return None
                node = node[int(token)]
                out.append(f"/{token}")
            elif isinstance(node, dict):
                key = token.replace("~1", "/").replace("~0", "~")
                if key not in node:
                    return None
                node = node[key]
                out.append(f"/{escape(key)}")
            else:
                return None
        target = "".join(out)
        # a schema position (not inside enum, const or an unknown keyword), and that very subschema
        return target if target in self.schemas and self.schemas[target] is node else None

    # -- dynamic refs ------------------------------------------------------------------------

    def resolve_dynamic(self, ptr: str, ref: str) -> str | None:
        """The pointer of the subschema the ``$dynamicRef`` written at ``ptr`` means on every way the root
        reaches it, or None when that is not one subschema."""
        key = (ptr, ref)
        if key not in self._dynamic:
            self._dynamic[key] = self._resolve_dynamic(ptr, ref)
        return self._dynamic[key]

    def _resolve_dynamic(self, ptr: str, ref: str) -> str | None:
        initial = self._resolve(ptr, ref, dynamic=True)
        if initial is None:
            return None
        name = unquote(split(ref)[1])
        target = self.schemas[initial]
        if not name or name.startswith("/") or not (isinstance(target, dict) and target.get("$dynamicAnchor") == name):
            return initial  # not a dynamic anchor: it behaves as a $ref
        found: set[str] = set()
        # python-jsonschema does not search a root without $id (its URI is empty), jsonschema-rs does
        anonymous_root = not (isinstance(self.root, dict) and isinstance(self.root.get("$id"), str))
        readings = [(tp, skip) for tp in (False, True) for skip in ((False, True) if anonymous_root else (False,))]
        for through_pointer, skip_root in readings:
            got = self._outermost(ptr, name, through_pointer, skip_root)
            if got is None:
                return None
            found |= {initial if g == "" else g for g in got}
            if len(found) > 1:
                return None
        return found.pop() if len(found) == 1 else None

    def _entered(self, target: str, ref: str, site: str, through_pointer: bool) -> list[str]:
        """The resource URIs a ref from ``site`` to ``target`` enters, outermost first."""
        out: list[str] = []
        if through_pointer:
            # python-jsonschema enters the resource the ref's URI names, then every resource the JSON
            # pointer passes through on the way to the target
            doc_uri = join_split(self.base[site], ref)[0]
            chain: list[str] = []
            p: str | None = target
            while p is not None:
                chain.append(p)
                p = self.parent.get(p)
            started = False
            for q in reversed(chain):
                if self.resource.get(q) == doc_uri:
                    started = True
                if started and q in self.resource:
                    out.append(self.resource[q])
        out.append(self.base[target])
        return out

    def _outermost(self, site: str, name: str, through_pointer: bool, skip_root: bool) -> set[str] | None:
        """For every evaluation path from the root to ``site``, the pointer of the ``$dynamicAnchor``
        ``name`` of the outermost resource entered on the way ("" when none defines it); None when a
        path cannot be followed."""
        start = self._declares("", [self.base[""]], name, skip_root)
        states: set[tuple[str, str]] = {("", start)}
        todo = [("", start)]
        while todo:
            if len(states) > _MAX_STATES:
                return None
            ptr, first = todo.pop()
            node = self.schemas[ptr]
            if not isinstance(node, dict):
                continue
            nxt: list[tuple[str, list[str]]] = []
            for kw, cp, _ in _children(node, ptr):
                if kw in _UNAPPLIED:
                    continue
                nxt.append((cp, [self.base[cp]] if cp in self.resource else []))
            r = node.get("$ref")
            if isinstance(r, str):
                t = self.resolve(ptr, r)
                if t is None:
                    return None
                nxt.append((t, self._entered(t, r, ptr, through_pointer)))
            d = node.get("$dynamicRef")
            if isinstance(d, str):
                t = self._resolve(ptr, d, dynamic=True)
                if t is None:
                    return None
                dname = unquote(split(d)[1])
                # wherever it may land: its initial target and every $dynamicAnchor of that name
                for q in [t, *(q for (_, n), q in self._dyn.items() if n == dname)]:
                    nxt.append((q, self._entered(q, d, ptr, through_pointer)))
            for q, entered in nxt:
                f = first or self._declares(q, entered, name, skip_root)
                if (q, f) not in states:
                    states.add((q, f))
                    todo.append((q, f))
        return {f for p, f in states if p == site} or None

    def negated_ref_reached(self, ptr: str) -> bool:
        """Whether validating the subschema at ``ptr`` may pass a ``$ref``/``$dynamicRef`` under a ``not``
        (or in ``if``/``oneOf``, read both ways); True as well when a ref on the way does not resolve."""
        got = self._negated.get(ptr)
        if got is None:
            got = self._negated[ptr] = self._negated_ref_reached(ptr)
        return got

    def _negated_ref_reached(self, ptr: str) -> bool:
        todo, seen = [(ptr, False)], set()
        while todo:
            at, neg = todo.pop()
            if (at, neg) in seen:
                continue
            seen.add((at, neg))
            node = self.schemas.get(at)
            if node is None:
                return True
            if not isinstance(node, dict):
                continue
            for kw, resolve in (("$ref", self.resolve), ("$dynamicRef", self.resolve_dynamic)):
                if kw in node:
                    target = resolve(at, node[kw]) if isinstance(node[kw], str) else None
                    if neg or target is None:
                        return True
                    todo.append((target, neg))
            for kw, cp, _ in _children(node, at):
                if kw in _UNAPPLIED:
                    continue
                if kw in ("if", "oneOf"):
                    todo += [(cp, True), (cp, False)]
                else:
                    todo.append((cp, not neg if kw == "not" else neg))
        return False

    # -- the document with its dynamic refs made static ----------------------------------------

    def all_resolved(self) -> bool:
        """Every ``$ref`` resolves (both libraries agreeing) and every ``$dynamicRef`` means one subschema."""
        got = self._all
        if got is None:
            got = self.ok and all(self._node_resolved(ptr, node) for ptr, node in self.schemas.items())
            self._all = got
        return got

    def _node_resolved(self, ptr: str, node: Any) -> bool:
        if not isinstance(node, dict):
            return True
        r, d = node.get("$ref"), node.get("$dynamicRef")
        if isinstance(r, str) and self.resolve(ptr, r) is None:
            return False
        return not (isinstance(d, str) and self.resolve_dynamic(ptr, d) is None)

    def static_root(self) -> Any:
        """The document with every ``$dynamicRef`` replaced by a ``$ref`` to the one subschema it means
        (a validator compiled on a subschema of it reads each as the whole document does), or None."""
        if self._static_root is _UNSET:
            self._static_root = self._make_static() if self.all_resolved() else None
        return self._static_root

    def _make_static(self) -> Any:
        copy = json.loads(json.dumps(self.root))
        for ptr, node in self.schemas.items():
            if not isinstance(node, dict) or not isinstance(node.get("$dynamicRef"), str):
                continue
            target = self.resolve_dynamic(ptr, node["$dynamicRef"])
            assert target is not None
            top = target
            while top not in self.resource:
                top = self.parent[top]
            rel = target[len(top) :]
            if not _PLAIN.fullmatch(rel):
                return None
            here = value_at(copy, ptr)
            del here["$dynamicRef"]
            ref = f"{self.resource[top]}#{rel}"
            if "$ref" in here:
                here["allOf"] = [*here.get("allOf", []), {"$ref": ref}]
            else:
                here["$ref"] = ref
        return copy

    def _declares(self, _ptr: str, entered: list[str], name: str, skip_root: bool) -> str:
        for uri in entered:
            if skip_root and uri == self.uri:
                continue
            got = self._dyn.get((uri, name))
            if got is not None:
                return got
        return ""


def _no_retrieval(uri: str) -> Any:
    raise ValueError(f"contractkit never fetches remote schemas ({uri})")
