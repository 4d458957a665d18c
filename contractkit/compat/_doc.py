"""Schema documents: local ``$ref`` resolution (memoised) and the validator that judges witnesses.

A :class:`Doc` wraps one root schema. Every subschema is addressed by a JSON pointer into that root,
so findings can point at it and the validator can check an instance against exactly that subschema
(through a ``jsonschema_rs.Registry`` holding the root under a private URN).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote

import jsonschema_rs

from contractkit._json import DATA_KEYWORDS, escape, has_keyword, holds, unescape, value_at
from contractkit.compat._addressed import ANY_TOKEN, ref_lands, ref_targets
from contractkit.compat._memo import ContentMemo, content_key
from contractkit.compat._scope import Scopes, schema_places

_COUNTER = itertools.count()
# content key -> {word: whether the text holds it}, for Doc.may_hold (facts of the content alone)
_WORDS: ContentMemo[dict[bytes, bool]] = ContentMemo(max_entries=4096, max_bytes=1 << 20)
_FRAGMENT_SAFE = "/!$&'()*+,;=:@"


# What a document may keep about other documents at once (Doc.pair_cache): facts recomputed when dropped.
MAX_PAIRS = 64


class Doc:
    """One root schema, its refs, and validators for its subschemas.

    A native class in the compiled build (no weak references to it: its pair cache is keyed by the other
    document's URI, unique in the process, and bounded)."""

    __slots__ = (
        "_content",
        "_ref_sites",
        "_scoped_data",
        "_scopes",
        "_sound_refs",
        "_text",
        "_validators",
        "error",
        "facts",
        "format_assertion",
        "pair_cache",
        "registry",
        "root",
        "uri",
    )

    def __init__(self, root: Any, *, format_assertion: bool, content: bytes | None = None) -> None:
        self.root = root
        self._content = content  # content_key(root), when the caller has it already
        self._text: bytes | None = None  # the content key (b"" when the root has none), for may_hold
        self.format_assertion = format_assertion
        self.uri = f"urn:contractkit:doc{next(_COUNTER)}"
        self.registry: jsonschema_rs.Registry | None = None
        self._validators: dict[str, Any] = {}
        self._sound_refs: bool | None = None
        self._ref_sites: dict[str, list[str]] | None = None
        self._scoped_data = False  # a data value applied through a ref holds $dynamicRef / $id / ... (ref_sites)
        self._scopes: Scopes | None = None
        self.error: str | None = None  # why the root validator could not be built
        # per other document (by its URI, never reused): facts about the pair, at most MAX_PAIRS at once (a
        # comparison meets many variant documents, and a fact dropped is recomputed)
        self.pair_cache: dict[str, Any] = {}
        self.facts: dict[str, Any] = {}  # facts about this document alone, computed once (by name)

    def may_hold(self, *words: bytes) -> bool:
        """False only when no string of the document contains any of ``words`` (ASCII): a walk looking
        for such a keyword finds nothing. Read from the document's content key (marshal writes every
        string's text whole at its first occurrence); True when it has none (too big, too deep, or not
        plain builtins)."""
        text = self._text
        if text is None:
            text = self._content if self._content is not None else content_key(self.root)
            text = self._text = text if text is not None else b""
        if not text:
            return True
        # each word looked for once per content (a document's walks ask for the same few words, and the
        # same documents come back comparison after comparison)
        found = _WORDS.get((text, None))
        if found is None:
            found = {}
            _WORDS.put((text, None), found)
        for w in words:
            hit = found.get(w)
            if hit is None:
                hit = found[w] = holds(text, w)
            if hit:
                return True
        return False

    @property
    def sound_refs(self) -> bool:
        """False when nested $id / $dynamicRef change how refs resolve (pointer resolution is unsound)."""
        if self._sound_refs is None:
            self._sound_refs = not (
                self.may_hold(*_SCOPE_WORDS)
                and (_has_scope_keywords(self.root, top=True) or self._applies_scoped_data())
            )
        return self._sound_refs

    def validator(self, pointer: str) -> Any:
        """The compiled validator for the subschema at ``pointer``; None when it cannot compile."""
        if pointer in self._validators:
            return self._validators[pointer]
        v: Any
        try:
            if pointer == "":
                v, self.error = _root_validator(self.root, self.format_assertion, self._content)
            else:
                if self.registry is None:
                    root = self.root
                    if not self.sound_refs and has_keyword(root, _DYNAMIC):
                        # a subschema validated on its own has another dynamic scope than within the
                        # document: its dynamic refs are made static (None when that is not one target)
                        root = self.scopes.static_root()
                        if root is None:
                            raise ValueError("dynamic references whose target depends on the way in")
                    self.registry = jsonschema_rs.Registry([(self.uri, root)], retriever=_no_retrieval)
                # the pointer goes into a URI fragment: percent-encoded ("a%25b" is a key of its own)
                v = jsonschema_rs.Draft202012Validator(
                    {"$ref": f"{self.uri}#{quote(pointer, safe=_FRAGMENT_SAFE)}"},
                    validate_formats=self.format_assertion,
                    registry=self.registry,
                    offline=True,
                )
        except (ValueError, jsonschema_rs.ReferencingError, jsonschema_rs.ValidationError, RecursionError) as exc:
            v = None
            if pointer == "":
                self.error = " ".join(str(getattr(exc, "message", exc)).split())
        self._validators[pointer] = v
        return v

    def is_valid(self, pointer: str, instance: Any) -> bool | None:
        """Validator verdict for ``instance`` at ``pointer``; None when the validator cannot say."""
        v = self._validators.get(pointer)
        if v is None:
            v = self.validator(pointer)
            if v is None:
                return None
        try:
            return bool(v.is_valid(instance))
        except (ValueError, OverflowError, RecursionError, jsonschema_rs.ReferencingError):
            return None

    def ref_sites(self, ref: str) -> list[str]:
        """Pointers of the subschemas whose ``$ref`` is exactly ``ref`` (the table is built once)."""
        if self._ref_sites is None:
            table: dict[str, list[str]] = {}
            if self.may_hold(b"$ref"):
                self._scoped_data = _collect_refs(self.root, table)
            self._ref_sites = table
        return self._ref_sites.get(ref, [])

    def _applies_scoped_data(self) -> bool:
        """Whether a data value (``default``, ``examples``...) that a ref applies as a schema holds a scope
        keyword (``$dynamicRef``, ``$id``...): the scan of ``_has_scope_keywords`` skips data."""
        self.ref_sites("")
        return self._scoped_data

    def ref_strings(self) -> list[str]:
        """Every ``$ref`` string of the document."""
        self.ref_sites("")
        assert self._ref_sites is not None
        return list(self._ref_sites)

    @property
    def scopes(self) -> Scopes:
        """Base URIs, anchors and dynamic anchors of the document (built on first use)."""
        if self._scopes is None:
            self._scopes = Scopes(self.root, self.uri)
        return self._scopes

    def resolve(self, ref: str) -> tuple[Any, str] | None:
        """Resolve a local ref to (subschema, pointer), or None when not a resolvable local ref.

        Only for documents whose refs mean the same wherever they are written (``sound_refs``); the
        prover, which knows where a ref is written, uses :meth:`resolve_at`."""
        if not self.sound_refs or not ref.startswith("#"):
            return None
        cache: dict[str, tuple[Any, str] | None] = self.facts.setdefault("resolved", {})
        if ref in cache:
            return cache[ref]  # a sound-refs document's ref means one place wherever it is written
        got = cache[ref] = self._resolve(ref)
        return got

    def _resolve(self, ref: str) -> tuple[Any, str] | None:
        # the fragment of a URI is percent-encoded (RFC 6901 section 6): "#/$defs/foo%22bar" is "foo\"bar"
        frag = unquote(ref[1:])
        if frag == "" or frag.startswith("/"):
            node = subschema_at(self.root, frag)
            if node is None:
                return None
            return node, "".join("/" + escape(unescape(t)) for t in frag.split("/")[1:])
        # a plain-name fragment: the anchor as 2020-12 defines it (not one inside enum, const or an
        # unknown keyword)
        ptr = self.scopes.resolve("", ref)
        return None if ptr is None else (self.scopes.schemas[ptr], ptr)

    @property
    def ids_inert(self) -> bool:
        """Whether no ``$ref`` of the document is resolved by an ``$id`` or ``$anchor``: no nested ``$id``
        nor dynamic keyword, and every ref a plain pointer (``#`` or ``#/...``) into the root resource."""
        got = self.facts.get("ids-inert")
        if got is None:
            got = self.sound_refs and all(r == "#" or r.startswith("#/") for r in self.ref_strings())
            self.facts["ids-inert"] = got
        return bool(got)

    def resolution(self) -> dict[tuple[str, str, str], str] | None:
        """Where each ``$ref`` / ``$dynamicRef`` leads: (place, keyword, ref) -> target pointer; None when
        one of them does not resolve (or a dynamic one has more than one target)."""
        if "resolution" not in self.facts:
            table: dict[tuple[str, str, str], str] | None = {}
            places = self.scopes.schemas if self.scopes.ok else dict(schema_objects(self.root))
            for ptr, node in places.items():
                if not isinstance(node, dict):
                    continue
                for kw in ("$ref", "$dynamicRef"):
                    r = node.get(kw)
                    if r is None or table is None:
                        continue
                    t = None
                    if isinstance(r, str):
                        t = self.resolve_at(ptr, r) if kw == "$ref" else self.resolve_dynamic_at(ptr, r)
                    if t is None:
                        table = None
                    else:
                        table[(ptr, kw, r)] = t[1]
            self.facts["resolution"] = table
        got: dict[tuple[str, str, str], str] | None = self.facts["resolution"]
        return got

    @property
    def refs_trusted(self) -> bool:
        """Whether the validator of a subschema reads its refs as the whole document does: plain refs,
        or scoped ones that python-jsonschema's resolver and jsonschema-rs's resolve alike, dynamic refs
        each meaning one subschema (``_scope``)."""
        return self.sound_refs or self.scopes.all_resolved()

    def resolve_at(self, ptr: str | None, ref: str) -> tuple[Any, str] | None:
        """Resolve the ``$ref`` written at ``ptr`` (its base URI is that place's ``$id``s)."""
        if self.sound_refs:
            return self.resolve(ref)
        if ptr is None:
            return None
        got = self.scopes.resolve(ptr, ref)
        return None if got is None else (self.scopes.schemas[got], got)

    def resolve_dynamic_at(self, ptr: str | None, ref: str) -> tuple[Any, str] | None:
        """Resolve the ``$dynamicRef`` written at ``ptr`` when it means one subschema wherever it is
        reached from (see ``_scope``); None otherwise."""
        if ptr is None:
            return None
        got = self.scopes.resolve_dynamic(ptr, ref)
        return None if got is None else (self.scopes.schemas[got], got)

    def context_free(self) -> bool:
        """Whether every ``$dynamicRef`` of the document means one subschema wherever it is reached
        from (trivially so without any): then a subschema means the same at every use of its place."""
        got = self.facts.get("context-free")
        if got is None:
            got = True
            # schema places only (a ``properties`` map naming a member "$dynamicRef" is no dynamic ref)
            places = self.scopes.schemas.items() if self.scopes.ok else schema_objects(self.root)
            for ptr, node in places:
                if not isinstance(node, dict):
                    continue
                d = node.get("$dynamicRef", MISSING_REF)
                if d is not MISSING_REF and (not isinstance(d, str) or self.resolve_dynamic_at(ptr, d) is None):
                    got = False
                    break
                if "$recursiveRef" in node:
                    got = False
                    break
            self.facts["context-free"] = got
        return bool(got)


MISSING_REF = object()


def same_resolution(a: Doc, b: Doc) -> bool:
    """Whether every ref of two documents that differ only in an ``$id`` or ``$anchor`` leads to the same
    place in both: then they validate alike (ids and anchors assert nothing themselves)."""
    if a.ids_inert and b.ids_inert:
        return True
    ra = a.resolution()
    return ra is not None and ra == b.resolution()


# Compiled root validators by the exact content of the schema (see _memo). A validator keeps no reference
# to the Python object it was compiled from, so a caller mutating that object later cannot make it stale.
# A compiled validator takes 10-50x the size of its key (the regexes), hence the tight bounds: at most
# 1 MiB of keys, documents of up to 64 KiB (a larger one is compiled for its comparison alone, as before).
_ROOTS: ContentMemo[tuple[Any, str | None]] = ContentMemo(max_entries=4096, max_bytes=1 << 20)
_ROOT_MAX_KEY = 64 << 10


def _root_validator(root: Any, format_assertion: bool, content: bytes | None = None) -> tuple[Any, str | None]:
    """(the validator for a whole document, None) or (None, why it cannot be compiled). ``content``: the
    document's content key when the caller has it (else it is computed here)."""
    if content is None:
        content = content_key(root, _ROOT_MAX_KEY)
    elif len(content) > _ROOT_MAX_KEY:
        content = None
    key = (content, format_assertion) if content is not None else None
    hit = _ROOTS.get(key) if key is not None else None
    if hit is None:
        try:
            hit = (jsonschema_rs.Draft202012Validator(root, validate_formats=format_assertion, offline=True), None)
        except (ValueError, jsonschema_rs.ReferencingError, jsonschema_rs.ValidationError) as exc:
            hit = (None, " ".join(str(getattr(exc, "message", exc)).split()))
        if key is not None:
            _ROOTS.put(key, hit)
    return hit


def _no_retrieval(uri: str) -> Any:
    raise ValueError(f"contractkit never fetches remote schemas ({uri})")


_DYNAMIC = frozenset({"$dynamicRef", "$recursiveRef"})
# what _has_scope_keywords looks for ("$dynamic" and "$recursive" begin four of its keywords)
_SCOPE_WORDS = (b"$dynamic", b"$recursive", b"$id")


# Keywords whose value maps names to subschemas: a member named "const" or "default" there is a schema.
NAMED_SCHEMAS = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs", "definitions"})


def _has_scope_keywords(node: Any, *, top: bool) -> bool:
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor"):
                return True
            if k == "$id" and not top:
                return True
            if k in DATA_KEYWORDS:
                continue
            if k in NAMED_SCHEMAS and isinstance(v, dict):
                if any(_has_scope_keywords(x, top=False) for x in v.values()):
                    return True
                continue
            if _has_scope_keywords(v, top=False):
                return True
    elif isinstance(node, list):
        return any(_has_scope_keywords(x, top=False) for x in node)
    return False


def schema_objects(node: Any, ptr: str = "", names: bool = False) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every JSON object of a schema document with its pointer, skipping keywords that hold data (``names``:
    ``node`` maps names to subschemas, where a member named ``const`` or ``default`` is a schema)."""
    if isinstance(node, dict):
        yield ptr, node
        for k, v in node.items():
            if names or k not in DATA_KEYWORDS:
                yield from schema_objects(v, f"{ptr}/{escape(k)}", not names and k in NAMED_SCHEMAS)
    elif isinstance(node, list):
        for i, x in enumerate(node):
            yield from schema_objects(x, f"{ptr}/{i}")


def _collect_refs(root: Any, out: dict[str, list[str]]) -> bool:
    """ref -> the places writing it: every object outside data keywords, and every schema place (a property
    named ``const`` or ``enum`` is a schema, which ``schema_objects`` skips as data); and every object inside
    data (``default``, ``examples``...) a ref leads to or into, transitively: applied as a schema from there,
    its own refs are applied too. True when such a value holds a scope keyword (``$dynamicRef``, ``$id``...)."""
    seen: set[str] = set()
    data: list[tuple[str, Any]] = []  # the values of data keywords that hold a "$ref"
    for ptr, node in (*schema_objects(root), *schema_places(root)):
        if ptr in seen:
            continue
        seen.add(ptr)
        r = node.get("$ref")
        if isinstance(r, str):
            out.setdefault(r, []).append(ptr)
        for k in DATA_KEYWORDS.intersection(node):
            if _holds_any(node[k], _REF_KEYS):
                data.append((f"{ptr}/{escape(k)}", node[k]))
    data = [(p, v) for p, v in data if p not in seen]  # a property named "default" is a schema, no data
    return bool(data) and _collect_data_refs(root, seen, data, out)


_REF_KEYS = frozenset({"$ref", "$dynamicRef", "$recursiveRef"})
# what makes refs inside an applied data value no plain pointers
_SCOPE_KEYS = frozenset({"$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor", "$id", "$anchor"})


def _holds_any(node: Any, keys: frozenset[str]) -> bool:
    """Whether any object inside ``node`` (data included) has one of ``keys``."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if not keys.isdisjoint(n):
                return True
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)
    return False


def _collect_data_refs(root: Any, seen: set[str], data: list[tuple[str, Any]], out: dict[str, list[str]]) -> bool:
    """The refs inside data values (``data``: the pointer of each, outermost) that a live ref (one at a place
    in ``seen``) leads to, or above to a place inside the same data value, added to ``out`` until no more is
    reached: the value there is applied as a schema, and refs inside it with it. True when a value so
    applied holds a scope keyword (``$dynamicRef``, ``$recursiveRef``, an anchor, ``$id``): the document's
    refs are then not plain pointers (``Doc.sound_refs``)."""
    sites = ref_targets(root)
    live = [t for site, _kw, _ref, ts in sites if site in seen for t in ts]
    regions = [p for p, _v in data]
    pending: list[tuple[str, str, str, list[str], str]] = []
    for site, kw, ref, ts in sites:
        if site not in seen:
            region = next((d for d in regions if site.startswith(d + "/") or site == d), None)
            if region is not None:
                pending.append((site, kw, ref, ts, region))
    grew = True
    while grew and pending:
        grew = False
        rest: list[tuple[str, str, str, list[str], str]] = []
        for site, kw, ref, ts, region in pending:
            # a target above the data value is a schema (or a map of them) that holds the value as data
            within = [t for t in live if t == region or t.startswith(region + "/") or ANY_TOKEN in t]
            if ref_lands(within, site, ()):
                live += ts
                if kw == "$ref":
                    out.setdefault(ref, []).append(site)
                grew = True
            else:
                rest.append((site, kw, ref, ts, region))
        pending = rest
    return any(ref_lands(live, region, ()) and _holds_any(value, _SCOPE_KEYS) for region, value in data)


SCHEMA_TYPES = (dict, bool)  # isinstance on a tuple: no union object built per call


def subschema_at(root: Any, ptr: str) -> Any:
    """The subschema (an object or a boolean) at a plain JSON pointer, or None."""
    node = value_at(root, ptr)
    return node if isinstance(node, SCHEMA_TYPES) else None


def has_scope_keywords(root: Any) -> bool:
    """True when nested $id / $dynamicRef / $recursiveRef may change what a plain pointer ref means."""
    return _has_scope_keywords(root, top=True)


# Every draft 2020-12 keyword that can reject an instance (format only when asserted).
ASSERTIONS = frozenset(
    {
        "type",
        "enum",
        "const",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxContains",
        "minContains",
        "contains",
        "maxProperties",
        "minProperties",
        "required",
        "dependentRequired",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
        "dependentSchemas",
        "prefixItems",
        "items",
        "properties",
        "patternProperties",
        "additionalProperties",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "$ref",
        "$dynamicRef",
        "$recursiveRef",
        "format",
        "dependencies",
        "additionalItems",
    }
)


def accepts_everything(schema: Any, format_assertion: bool) -> bool:
    """True for ``true`` and for objects with no assertion keyword (they accept every instance)."""
    if schema is True:
        return True
    if not isinstance(schema, dict):
        return False
    for k in schema:
        if k in ASSERTIONS and (k != "format" or format_assertion):
            if k in ("then", "else") and "if" not in schema:
                continue
            if k in ("minContains", "maxContains") and "contains" not in schema:
                continue
            return False
    return True
