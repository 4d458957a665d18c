"""A changelog for API consumers: what changed between two versions, field by field, in plain words.

For every schema both versions have, the engine compares them in **both** directions (`full`), so
nothing that changes what is valid goes unreported, and a structural pass adds the fields that
appear or disappear without changing what is valid (an open object's new `{}` property). Each field
then lands in one section, decided by who reads the schema (its role in `index.toml`):

- **Breaking changes**: a request valid in the older version that the newer one rejects (requests
  are read by the server), a response the newer version may send that the older schema rejects
  (responses are read by clients), either for a schema with no role, and anything the engine could
  not decide;
- **Additions**: every other change of what is valid: new optional fields, new enum values, relaxed
  limits, fields responses now always carry;
- **Other changes**: documentation, defaults, deprecation marks.

Each entry names the field (`items[].unit_price`), says what happened in plain words ("changed from
a number to an object `{amount_minor, currency}`", "maximum raised from 50 to 100"), and shows a
before/after example of that field taken from the engine's validator-confirmed (and shrunk) witnesses,
or from the schema's own examples. The full witness payloads of breaking changes follow in a
collapsed block. The Markdown is meant for a GitHub release.

When the two versions' OpenAPI documents are given (`contractkit changelog --openapi DIR` or `--served`),
the operations are compared too (`compare_openapi`, the older version's paths read under the newer
version's prefix): new operations, parameters and statuses are additions, removed operations and new
required parameters breaking changes, each under **Operations** in its section. Body schemas are left to
the payload entries above, and what only marks the older version's lifecycle (its `Deprecation`, `Sunset`
and `Link` headers, its 410 after the sunset) to the lifecycle lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from contractkit.compat import Finding, Reader, compare, mode_for_role
from contractkit.compat._model import UNDECIDED
from contractkit.compat._shrink import field_of, valid_example
from contractkit.config import Config
from contractkit.errors import UsageError
from contractkit.registry import Registry, escape, subschemas
from contractkit.reporting.witness import compact, pretty

__all__ = [
    "Changelog",
    "Entry",
    "OperationEntry",
    "build_changelog",
    "operation_entries",
    "render_changelog",
    "render_markdown",
]

Kind = Literal["breaking", "addition", "other"]

_AUDIENCE = {
    "request": "request body — what your client sends",
    "response": "response body — what the API returns",
}
_EXAMPLE_ROOM = 160  # characters for one field's value in an inline example
_DOC_RULES = frozenset({"annotation-changed", "format-annotation-changed"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One field of one schema, and what changed about it for a consumer."""

    schema: str
    role: str | None
    kind: Kind
    field: str  # `items[].unit_price`; "" for the payload as a whole
    text: str  # plain words, Markdown inline
    example: str = ""  # a before/after of the field, Markdown inline ("" when there is none)
    payloads: tuple[tuple[str, Any], ...] = ()  # (what it shows, the whole witness) for breaking changes
    rules: tuple[str, ...] = ()  # the engine's rule ids behind the entry


@dataclass(frozen=True, slots=True)
class Changelog:
    old: str
    new: str
    lifecycle: tuple[str, ...]
    added_schemas: tuple[str, ...]
    removed_schemas: tuple[str, ...]
    roles: Mapping[str, str | None] = field(default_factory=dict)
    entries: tuple[Entry, ...] = ()
    tolerant: tuple[str, ...] = ()  # schemas whose readers ignore properties they do not know
    operations: tuple[OperationEntry, ...] = ()  # empty when no OpenAPI documents were given


@dataclass(frozen=True, slots=True)
class OperationEntry:
    """One change of an operation between the two versions' OpenAPI documents."""

    kind: Kind
    operation: str  # `POST /v2/carts`, or "(document)" for servers and security schemes
    text: str
    rule: str
    request: Any = None  # for a breaking change: a whole request valid in the older version, refused now


def render_changelog(
    registry: Registry, old: str, new: str, config: Config, documents: Mapping[str, Any] | None = None
) -> str:
    """The Markdown changelog from `old` to `new` (a UsageError unless `old` is the earlier version);
    `documents`: each version's OpenAPI document, to list the operations' changes too."""
    return render_markdown(build_changelog(registry, old, new, config, documents))


def build_changelog(
    registry: Registry, old: str, new: str, config: Config, documents: Mapping[str, Any] | None = None
) -> Changelog:
    a, b = registry.version(old), registry.version(new)  # UsageError for an unknown version
    order = [v.name for v in registry.versions]
    if order.index(old) >= order.index(new):
        if old == new:
            raise UsageError(f"changelog needs two different versions, got {old} twice")
        raise UsageError(
            f"{old} is not older than {new} (the index orders them {', '.join(order)}); "
            f"the changelog reads from the earlier version to the later: contractkit changelog {new} {old}"
        )
    lifecycle = [f"**{new}** released {b.released}."]
    if a.deprecated or a.sunset:
        since = f" deprecated since {a.deprecated}" if a.deprecated else ""
        until = f", sunset on **{a.sunset}**: migrate before then" if a.sunset else ""
        lifecycle.append(f"**{old}**{since}{until}.".replace("** ,", "**,"))
    common = sorted(set(a.schemas) & set(b.schemas))
    entries: list[Entry] = []
    roles: dict[str, str | None] = {}
    for name in common:
        role = registry.role(name)
        roles[name] = role
        entries += _schema_entries(
            name,
            role,
            registry.bundled(name, old),
            registry.bundled(name, new),
            old,
            new,
            config,
            registry.index.reader_for(name),
        )
    for name in set(a.schemas) ^ set(b.schemas):
        roles[name] = registry.role(name)
    return Changelog(
        old=old,
        new=new,
        lifecycle=tuple(lifecycle),
        added_schemas=tuple(sorted(set(b.schemas) - set(a.schemas))),
        removed_schemas=tuple(sorted(set(a.schemas) - set(b.schemas))),
        roles=roles,
        entries=tuple(entries),
        tolerant=tuple(n for n in sorted(set(b.schemas)) if registry.index.reader_for(n) == "tolerant"),
        operations=operation_entries(documents[old], documents[new], old, new, config)
        if documents and old in documents and new in documents
        else (),
    )


# ------------------------------------------------------------------------------------------ operations
_LIFECYCLE_HEADERS = frozenset({"deprecation", "sunset", "link"})
_BODY_RULES = frozenset({"request-body-schema-narrowed", "response-body-schema-widened"})
_ADDITIONS = frozenset(
    {
        "path-added",
        "operation-added",
        "optional-parameter-added",
        "parameter-became-optional",
        "request-body-added-optional",
        "request-body-became-optional",
        "request-media-type-added",
        "response-status-added",
        "response-media-type-added",
        "security-requirement-relaxed",
        "server-added",
    }
)


def _under(doc: Mapping[str, Any], old: str, new: str) -> dict[str, Any]:
    """`doc` with its paths under `/<old>/` moved to `/<new>/`: the same operation, one version on."""
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return dict(doc)
    moved = {}
    for path, item in paths.items():
        if path == f"/{old}" or path.startswith(f"/{old}/"):
            path = f"/{new}" + path[len(old) + 1 :]
        moved[path] = item
    return {**doc, "paths": moved}


def _lifecycle_only(f: Any) -> bool:
    """A change that only says the older version was on its way out (its lifecycle headers, its 410)."""
    pointer = f.old_pointer or ""
    if f.rule_id.startswith(("response-header-", "optional-response-header-")):
        return pointer.rsplit("/", 1)[-1].lower() in _LIFECYCLE_HEADERS
    return f.rule_id == "non-success-status-removed" and "/responses/410" in pointer


def operation_entries(
    old_doc: Mapping[str, Any], new_doc: Mapping[str, Any], old: str, new: str, config: Config
) -> tuple[OperationEntry, ...]:
    from contractkit.openapi import compare_openapi

    report = compare_openapi(
        _under(old_doc, old, new), dict(new_doc), format_assertion=config.format_assertion, overrides={}
    )
    out = []
    for f in report.findings:
        if f.rule_id in _BODY_RULES or _lifecycle_only(f):
            continue
        kind: Kind = "breaking" if f.blocking else "addition" if f.rule_id in _ADDITIONS else "other"
        request = f.request.to_json() if f.request is not None and kind == "breaking" else None
        out.append(OperationEntry(kind, f.location, f.message, f.rule_id, request))
    return tuple(out)


# ------------------------------------------------------------------------------------------ per schema
def _schema_entries(
    name: str,
    role: str | None,
    old_root: Any,
    new_root: Any,
    old: str,
    new: str,
    config: Config,
    reader: Reader = "strict",
) -> list[Entry]:
    report = compare(old_root, new_root, mode="full", format_assertion=config.format_assertion, reader=reader)
    consumer = {"backward", "forward"} if mode_for_role(role) == "full" else {mode_for_role(role)}
    groups: dict[tuple[str, ...], list[Finding]] = {}
    for f in report.findings:
        groups.setdefault(_finding_field(f, old_root, new_root), []).append(f)
    # Fields that appear or disappear without changing what is valid (no finding names them).
    old_fields, new_fields = set(_fields(old_root)), set(_fields(new_root))
    moved = old_fields ^ new_fields
    for tokens in sorted(moved - set(groups)):
        if any(_reshaped(tokens[:i], moved, old_root, new_root) for i in range(len(tokens))):
            continue  # inside a field that is new, removed or of another type: that field's entry covers it
        groups[tokens] = []
    out: list[Entry] = []
    for tokens in sorted(groups, key=_sort_key):
        fs = groups[tokens]
        severe = [f for f in fs if f.severity in ("error", "warning") or f.rule_id == UNDECIDED]
        was, now = _navigate(old_root, tokens), _navigate(new_root, tokens)
        if any(f.direction in consumer for f in severe):
            kind: Kind = "breaking"
        elif severe:
            kind = "addition"
        elif not fs:
            kind = _structural_kind(tokens, role, was is not None, now is not None, old_root, new_root, reader)
        else:
            kind = "other"
        text = _describe(tokens, fs, old_root, new_root, role, old, kind, reader)
        if kind == "breaking" and any(f.rule_id == UNDECIDED for f in fs):
            text += " The engine could not decide whether this keeps old payloads valid; treat it as breaking."
        state = "added" if was is None else "removed" if now is None else "changed"
        example = (
            _example(tokens, fs, old_root, new_root, old, new, config.format_assertion, state)
            if kind != "other"
            else ""
        )
        payloads = tuple(
            (_payload_label(f, old, new), f.witness.instance)
            for f in fs
            if kind == "breaking" and f.witness is not None and f.direction in consumer
        )
        out.append(
            Entry(
                name,
                role,
                kind,
                _show(tokens),
                text,
                example,
                _dedupe(payloads),
                tuple(sorted({f.rule_id for f in fs})),
            )
        )
    return out


def _structural_kind(
    tokens: tuple[str, ...],
    role: str | None,
    was: bool,
    now: bool,
    old_root: Any,
    new_root: Any,
    reader: Reader = "strict",
) -> Kind:
    """For a field that appeared or disappeared with no engine finding naming it: a removed field of a
    closed request breaks the clients that still send it; one a response always carried breaks the
    clients that read it; a new field of a response that was closed breaks strict clients (a tolerant
    reader ignores fields it does not know, so neither closed case applies to it)."""
    strict = reader == "strict"
    if was and not now:
        if strict and role != "response" and _closed_parent(new_root, tokens):
            return "breaking"
        if role != "request" and _required_in_parent(old_root, tokens):
            return "breaking"
        return "other" if role == "response" else "addition"
    if strict and role != "request" and _closed_parent(old_root, tokens):
        return "breaking"
    return "addition"


def _reshaped(tokens: tuple[str, ...], moved: set[tuple[str, ...]], old_root: Any, new_root: Any) -> bool:
    if tokens in moved:
        return True
    was, now = _navigate(old_root, tokens), _navigate(new_root, tokens)
    return was is not None and now is not None and _kind_of(old_root, was[0]) != _kind_of(new_root, now[0])


def _sort_key(tokens: tuple[str, ...]) -> tuple[int, tuple[str, ...]]:
    return (len(tokens) > 0, tokens)


def _dedupe(payloads: tuple[tuple[str, Any], ...]) -> tuple[tuple[str, Any], ...]:
    seen: list[Any] = []
    out = []
    for label, w in payloads:
        if w not in seen:
            seen.append(w)
            out.append((label, w))
    return tuple(out)


def _payload_label(f: Finding, old: str, new: str) -> str:
    assert f.witness is not None
    valid, rejected = (old, new) if f.witness.valid_under == "old" else (new, old)
    at = f", the break is at `{f.witness.at or '/'}`" if f.witness.at is not None else ""
    return f"valid in {valid}, rejected by {rejected}{at}"


# ------------------------------------------------------------------------------ fields and navigation
def _show(tokens: Sequence[str]) -> str:
    out = ""
    for t in tokens:
        out += t if t.startswith("[") else (("." if out else "") + t)
    return out


def _finding_field(f: Finding, old_root: Any, new_root: Any) -> tuple[str, ...]:
    """The field a finding is about, from its pointer(s): `/$defs/x/properties/a` -> where x is used."""
    best: tuple[str, ...] = ()
    best_ptr = ""
    for ptr, root in ((f.new_pointer, new_root), (f.old_pointer, old_root)):
        if ptr is None:
            continue
        tokens = _pointer_fields(root, ptr, 0)
        if len(tokens) > len(best) or not best_ptr:
            best, best_ptr = tokens, ptr
    if best_ptr.endswith("/required") or best_ptr == "/required" or f.rule_id.startswith("property-became-"):
        named = field_of(None) or _named_property(f.message)
        if named is not None and (not best or best[-1] != named):
            best = (*best, named)
    return best


def _named_property(message: str) -> str | None:
    if not message.startswith('property "'):
        return None
    try:
        end = message.index('"', len('property "'))
        value = json.loads(message[len("property ") : end + 1])
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def _ref_sites(root: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for ptr, node in subschemas(root):
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            out.setdefault(node["$ref"], []).append(ptr)
    return out


def _pointer_fields(root: Any, pointer: str, depth: int) -> tuple[str, ...]:
    toks = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]] if pointer else []
    prefix: tuple[str, ...] = ()
    if len(toks) >= 2 and toks[0] in ("$defs", "definitions"):
        target = f"#/{toks[0]}/{escape(toks[1])}"
        own = f"/{toks[0]}/{escape(toks[1])}"
        sites = [p for p in _ref_sites(root).get(target, []) if not (p == own or p.startswith(own + "/"))]
        if sites and depth < 6:
            prefix = _pointer_fields(root, min(sites, key=lambda p: (len(p), p)), depth + 1)
        else:
            prefix = (f"({toks[1]})",)
        toks = toks[2:]
    out = list(prefix)
    i = 0
    while i < len(toks):
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t == "properties" and nxt is not None:
            out.append(nxt)
            i += 2
        elif t in ("items", "additionalItems", "unevaluatedItems"):
            out.append("[]")
            i += 1
        elif t == "prefixItems" and nxt is not None:
            out.append(f"[{nxt}]")
            i += 2
        elif t == "patternProperties" and nxt is not None:
            out.append("*")
            i += 2
        elif t in ("additionalProperties", "unevaluatedProperties") and nxt is not None:
            out.append("*")
            i += 1
        elif t in ("allOf", "anyOf", "oneOf", "dependentSchemas") and nxt is not None:
            i += 2
        else:
            i += 1  # a keyword (`maximum`, `required`, `$ref`, `not`, ...): the field stays where it is
    return tuple(out)


def _resolve(root: Any, node: Any, ptr: str) -> tuple[Any, str]:
    for _ in range(16):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#")):
            break
        target = node["$ref"][1:]
        nxt = root
        for raw in target.split("/")[1:] if target else []:
            tok = raw.replace("~1", "/").replace("~0", "~")
            if not isinstance(nxt, dict) or tok not in nxt:
                return node, ptr
            nxt = nxt[tok]
        node, ptr = nxt, target
    return node, ptr


def _navigate(root: Any, tokens: Sequence[str]) -> tuple[Any, str] | None:
    """(the subschema for a field, its pointer), following local `$ref`s; None when the field is absent."""
    node, ptr = _resolve(root, root, "")
    for t in tokens:
        if not isinstance(node, dict):
            return None
        if t == "[]":
            sub, ptr = node.get("items"), ptr + "/items"
        elif t.startswith("[") and t[1:-1].isdigit():
            items = node.get("prefixItems")
            i = int(t[1:-1])
            if not isinstance(items, list) or i >= len(items):
                return None
            sub, ptr = items[i], f"{ptr}/prefixItems/{i}"
        elif t == "*":
            sub, ptr = node.get("additionalProperties"), ptr + "/additionalProperties"
        else:
            props = node.get("properties")
            if not isinstance(props, dict) or t not in props:
                return None
            sub, ptr = props[t], f"{ptr}/properties/{escape(t)}"
        if sub is None:
            return None
        node, ptr = _resolve(root, sub, ptr)
    return node, ptr


def _fields(root: Any) -> Iterator[tuple[str, ...]]:
    """Every field path a schema declares (properties and array items, through local refs)."""
    stack: list[tuple[tuple[str, ...], Any, frozenset[str]]] = [((), root, frozenset())]
    while stack:
        tokens, node, seen = stack.pop()
        node, ptr = _resolve(root, node, "")
        if not isinstance(node, dict) or len(tokens) > 8 or (ptr and ptr in seen):
            continue
        seen = seen | {ptr} if ptr else seen
        if tokens:
            yield tokens
        props = node.get("properties")
        if isinstance(props, dict):
            stack += [((*tokens, k), v, seen) for k, v in props.items()]
        if isinstance(node.get("items"), dict):
            stack.append(((*tokens, "[]"), node["items"], seen))
        for kw in ("allOf", "anyOf", "oneOf"):
            branches = node.get(kw)
            if isinstance(branches, list):
                stack += [(tokens, br, seen) for br in branches]


def _required_in_parent(root: Any, tokens: Sequence[str]) -> bool | None:
    if not tokens or tokens[-1].startswith("[") or tokens[-1] == "*":
        return None
    parent = _navigate(root, tokens[:-1])
    if parent is None or not isinstance(parent[0], dict):
        return None
    req = parent[0].get("required")
    return isinstance(req, list) and tokens[-1] in req


def _closed_parent(root: Any, tokens: Sequence[str]) -> bool:
    parent = _navigate(root, tokens[:-1]) if tokens else None
    node = parent[0] if parent else None
    return isinstance(node, dict) and (
        node.get("additionalProperties") is False or node.get("unevaluatedProperties") is False
    )


# ------------------------------------------------------------------------------------------ in words
def _article(word: str) -> str:
    vowel = word[:1] in "aeiou" and not word.startswith(("uri", "url", "uuid", "uni", "use"))
    return ("an " if vowel else "a ") + word


def _types(node: dict[str, Any]) -> list[str]:
    t = node.get("type")
    return [t] if isinstance(t, str) else [x for x in t if isinstance(x, str)] if isinstance(t, list) else []


def _shape(root: Any, node: Any, depth: int = 0) -> str:
    """A schema as a person would name it: `a number`, `an object {amount_minor, currency}`."""
    node, _ = _resolve(root, node, "")
    if node is True or node == {}:
        return "any value"
    if node is False:
        return "nothing (the field must be absent)"
    if not isinstance(node, dict):
        return "a value"
    if "const" in node:
        return f"the constant `{compact(node['const'])}`"
    if isinstance(node.get("enum"), list):
        values = node["enum"]
        shown = ", ".join(f"`{compact(v)}`" for v in values[:8])
        return "one of " + shown + (f" …({len(values) - 8} more)" if len(values) > 8 else "")
    names = []
    for t in _types(node) or [""]:
        if t == "object" or (not t and isinstance(node.get("properties"), dict)):
            props = list(node.get("properties", {})) if isinstance(node.get("properties"), dict) else []
            keys = ", ".join(props[:6]) + (f", …({len(props) - 6} more)" if len(props) > 6 else "")
            names.append(f"an object `{{{keys}}}`" if props else "an object")
        elif t == "array":
            items = node.get("items")
            names.append("an array" + (f" of {_plural(_shape(root, items, depth + 1))}" if items and depth < 3 else ""))
        elif t == "string":
            fmt = node.get("format")
            names.append(_article(f"{fmt} string") if isinstance(fmt, str) else "a string")
        elif t == "null":
            names.append("null")
        elif t:
            names.append(_article(t))
    for kw in ("anyOf", "oneOf"):
        branches = node.get(kw)
        if isinstance(branches, list) and not names and depth < 3:
            names = [_shape(root, br, depth + 1) for br in branches]
    if not names:
        return "a value"
    return " or ".join(names)


def _plural(shape: str) -> str:
    """`an object {a, b}` -> `objects {a, b}`, `a uri string` -> `uri strings`, `an integer` -> `integers`."""
    for article in ("an ", "a "):
        if shape.startswith(article):
            words = shape[len(article) :].split(" ")
            at = next((i for i, w in enumerate(words) if w in ("object", "array", "string") or i == len(words) - 1), 0)
            if "`" not in words[at] and " or " not in shape:
                words[at] += "s"
            return " ".join(words)
    return shape


def _kind_of(root: Any, node: Any) -> tuple[str, ...]:
    node, _ = _resolve(root, node, "")
    if not isinstance(node, dict):
        return (str(node),)
    types = sorted(t for t in _types(node) if t != "null")
    if not types and isinstance(node.get("properties"), dict):
        types = ["object"]
    return tuple(types)


_LIMITS = (
    ("minimum", "minimum"),
    ("maximum", "maximum"),
    ("exclusiveMinimum", "exclusive minimum"),
    ("exclusiveMaximum", "exclusive maximum"),
    ("multipleOf", "multiple of"),
    ("minLength", "minimum length"),
    ("maxLength", "maximum length"),
    ("minItems", "minimum number of items"),
    ("maxItems", "maximum number of items"),
    ("minProperties", "minimum number of properties"),
    ("maxProperties", "maximum number of properties"),
)


def _constraint_changes(old: dict[str, Any], new: dict[str, Any], reader: str) -> list[str]:
    out: list[str] = []
    for kw, label in _LIMITS:
        a, b = old.get(kw), new.get(kw)
        if a == b:
            continue
        if a is None:
            out.append(f"now has a {label} of {b}")
        elif b is None:
            out.append(f"no longer has a {label} (was {a})")
        elif isinstance(a, int | float) and isinstance(b, int | float):
            out.append(f"{label} {'raised' if b > a else 'lowered'} from {a} to {b}")
    a, b = old.get("pattern"), new.get("pattern")
    if a != b:
        if a is None:
            out.append(f"must now match `{b}`")
        elif b is None:
            out.append(f"no longer has to match `{a}`")
        else:
            out.append(f"pattern changed from `{a}` to `{b}`")
    a, b = old.get("format"), new.get("format")
    if a != b:
        if a is None:
            out.append(f"must now be a valid {b}")
        elif b is None:
            out.append(f"no longer has to be a valid {a}")
        else:
            out.append(f"format changed from {a} to {b}")
    ea, eb = old.get("enum"), new.get("enum")
    if ea != eb:
        if isinstance(ea, list) and isinstance(eb, list):
            added = [v for v in eb if v not in ea]
            removed = [v for v in ea if v not in eb]
            if added:
                out.append("new allowed value" + ("s " if len(added) > 1 else " ") + _values(added))
            if removed:
                out.append("value" + ("s " if len(removed) > 1 else " ") + _values(removed) + " no longer allowed")
        elif isinstance(ea, list):
            out.append(f"no longer restricted to {_values(ea)}")
        elif isinstance(eb, list):
            out.append(f"now restricted to {_values(eb)}")
    if old.get("const") != new.get("const"):
        if "const" not in new:
            out.append(f"no longer fixed to `{compact(old['const'])}`")
        elif "const" not in old:
            out.append(f"now fixed to `{compact(new['const'])}`")
        else:
            out.append(f"changed from the constant `{compact(old['const'])}` to `{compact(new['const'])}`")
    na, nb = "null" in _types(old), "null" in _types(new)
    if na != nb:
        out.append("may now be null" if nb else "may no longer be null")
    for kw in ("additionalProperties", "unevaluatedProperties"):
        if (old.get(kw) is False) != (new.get(kw) is False):
            out.append("no longer allows other properties" if new.get(kw) is False else "now allows other properties")
            break
    if bool(old.get("uniqueItems")) != bool(new.get("uniqueItems")):
        out.append("items must now be unique" if new.get("uniqueItems") else "items no longer have to be unique")
    return out


def _values(values: Sequence[Any]) -> str:
    shown = ", ".join(f"`{compact(v)}`" for v in values[:8])
    return shown + (f" …({len(values) - 8} more)" if len(values) > 8 else "")


def _doc_changes(old: dict[str, Any], new: dict[str, Any], fs: Sequence[Finding], *, docs: bool) -> list[str]:
    out = []
    if old.get("default") != new.get("default"):
        if "default" not in new:
            out.append(f"no longer defaults to `{compact(old['default'])}`")
        elif "default" not in old:
            out.append(f"now defaults to `{compact(new['default'])}`")
        else:
            out.append(f"default changed from `{compact(old['default'])}` to `{compact(new['default'])}`")
    if bool(old.get("deprecated")) != bool(new.get("deprecated")):
        out.append("is now deprecated" if new.get("deprecated") else "is no longer deprecated")
    changed = [kw for kw in ("title", "description", "examples") if old.get(kw) != new.get(kw)]
    if docs and changed and (any(f.rule_id in _DOC_RULES for f in fs) or not fs):
        out.append(" and ".join(", ".join(changed).rsplit(", ", 1)) + " updated")
    return out


def _describe(
    tokens: tuple[str, ...],
    fs: Sequence[Finding],
    old_root: Any,
    new_root: Any,
    role: str | None,
    old: str,
    kind: Kind,
    policy: Reader = "strict",
) -> str:
    whole = {"request": "The request body", "response": "The response body"}.get(role or "", "The payload")
    name = f"**`{_show(tokens)}`**" if tokens else f"**{whole}**"
    was, now = _navigate(old_root, tokens), _navigate(new_root, tokens)
    reader = "response" if role == "response" else "request"
    phrases: list[str] = []
    if was is None and now is not None:
        required = _required_in_parent(new_root, tokens)
        if role == "response":
            phrases.append(f"new field ({_shape(new_root, now[0])})" + (", always present" if required else ""))
            if policy == "strict" and _closed_parent(old_root, tokens):
                phrases.append(
                    f"{old}'s schema does not allow it: a client validating strictly against {old} rejects it"
                )
        else:
            phrases.append(f"new {'required' if required else 'optional'} field ({_shape(new_root, now[0])})")
    elif now is None and was is not None:
        phrases.append(f"removed (was {_shape(old_root, was[0])})")
        if policy == "strict" and role != "response" and _closed_parent(new_root, tokens):
            phrases.append("requests that still send it are rejected")
    elif was is not None and now is not None:
        old_node, new_node = was[0], now[0]
        if _kind_of(old_root, old_node) != _kind_of(new_root, new_node):
            phrases.append(f"changed from {_shape(old_root, old_node)} to {_shape(new_root, new_node)}")
        elif isinstance(old_node, dict) and isinstance(new_node, dict):
            phrases += _constraint_changes(old_node, new_node, reader)
        before, after = _required_in_parent(old_root, tokens), _required_in_parent(new_root, tokens)
        if before is not None and after is not None and before != after:
            if role == "response":
                phrases.append("is now always present" if after else "may now be absent")
            else:
                phrases.append("is now required" if after else "is now optional")
        if isinstance(old_node, dict) and isinstance(new_node, dict):
            phrases += _doc_changes(old_node, new_node, fs, docs=kind == "other")
    if not phrases:
        phrases = list(dict.fromkeys(f.message.rstrip(".") for f in fs)) or ["changed"]
    return f"{name}: " + "; ".join(phrases) + "."


# ------------------------------------------------------------------------------------------ examples
def _value_in(instance: Any, tokens: Sequence[str]) -> tuple[bool, Any]:
    node = instance
    for t in tokens:
        if t == "[]" or (t.startswith("[") and t[1:-1].isdigit()):
            i = 0 if t == "[]" else int(t[1:-1])
            if not isinstance(node, list) or i >= len(node):
                return False, None
            node = node[i]
        elif isinstance(node, dict) and t in node:
            node = node[t]
        else:
            return False, None
    return True, node


def _member(tokens: Sequence[str], value: Any) -> str:
    key = tokens[-1] if tokens and not tokens[-1].startswith("[") and tokens[-1] != "*" else None
    text = compact(value, limit=_EXAMPLE_ROOM)
    return f"`{json.dumps(key, ensure_ascii=False)}: {text}`" if key is not None else f"`{text}`"


def _example(
    tokens: tuple[str, ...],
    fs: Sequence[Finding],
    old_root: Any,
    new_root: Any,
    old: str,
    new: str,
    fa: bool,
    state: str,
) -> str:
    """A before/after of the field, from the witnesses (valid under one version, rejected by the other)
    or, where they say nothing about the field, from the schema's own examples and samples."""
    by_side: dict[str, Any] = {}
    for f in fs:
        if f.witness is not None:
            by_side.setdefault(f.witness.valid_under, f.witness.instance)
    before = _value_in(by_side["old"], tokens) if "old" in by_side else (False, None)
    after = _value_in(by_side["new"], tokens) if "new" in by_side else (False, None)

    def sample(root: Any) -> tuple[bool, Any]:
        nav = _navigate(root, tokens)
        return valid_example(root, nav[1], format_assertion=fa) if nav is not None and tokens else (False, None)

    if state == "added":
        if after[0]:
            return f"e.g. {_member(tokens, after[1])} — accepted by {new}, rejected by {old}"
        found, value = sample(new_root)
        return f"e.g. {_member(tokens, value)}" if found else ""
    if state == "removed":
        if before[0]:
            return f"e.g. {_member(tokens, before[1])} — accepted by {old}, rejected by {new}"
        found, value = sample(old_root)
        return f"e.g. {_member(tokens, value)} in {old}" if found else ""
    absent = "(absent)"
    if "old" in by_side and "new" in by_side:
        b = _member(tokens, before[1]) if before[0] else absent
        a = _member(tokens, after[1]) if after[0] else absent
        return f"{old}: {b} → {new}: {a}"
    if "old" in by_side:
        found, value = sample(new_root)
        if found:
            return f"{old}: {_member(tokens, before[1]) if before[0] else absent} → {new}: {_member(tokens, value)}"
        if before[0]:
            return f"e.g. {_member(tokens, before[1])} — accepted by {old}, rejected by {new}"
        return f"e.g. leaving it out — accepted by {old}, rejected by {new}"
    if "new" in by_side:
        return f"e.g. {_member(tokens, after[1])} — accepted by {new}, rejected by {old}" if after[0] else ""
    found, value = sample(new_root)
    return f"e.g. {_member(tokens, value)}" if found else ""


# ------------------------------------------------------------------------------------------ Markdown
_SECTIONS: tuple[tuple[Kind, str, str], ...] = (
    (
        "breaking",
        "⚠️ Breaking changes",
        "Requests valid in {old} that {new} rejects, and responses {new} may send that a client written "
        "for {old} does not expect.",
    ),
    (
        "addition",
        "✨ Additions",
        "Nothing here breaks a client written for {old}: new optional fields and values, relaxed limits, "
        "and what responses now guarantee.",
    ),
    ("other", "📝 Other changes", "Documentation, defaults and deprecation marks."),
)


def render_markdown(log: Changelog) -> str:
    out = [f"# Changes from {log.old} to {log.new}", ""]
    out += [f"- {line}" for line in log.lifecycle]
    if log.tolerant:
        names = ", ".join(f"`{n}`" for n in log.tolerant)
        out.append(
            f"- Clients read {names} tolerantly: ignore fields you do not know and treat an unknown enum value as "
            '"other". New fields may appear in these without a new version.'
        )
    out.append("")
    kinds = [e.kind for e in log.entries] + [o.kind for o in log.operations]
    counts = {kind: kinds.count(kind) for kind, _, _ in _SECTIONS}
    counts["breaking"] += len(log.removed_schemas)
    counts["addition"] += len(log.added_schemas)
    out += [
        f"**{counts['breaking']}** breaking change(s), **{counts['addition']}** addition(s), "
        f"{counts['other']} other change(s).",
        "",
    ]
    for kind, title, intro in _SECTIONS:
        entries = [e for e in log.entries if e.kind == kind]
        operations = [o for o in log.operations if o.kind == kind]
        extra: list[str] = []
        if kind == "breaking" and log.removed_schemas:
            extra = [
                f"- **`{n}`** ({_audience(log.roles.get(n))}) is no longer part of {log.new}."
                for n in log.removed_schemas
            ]
        if kind == "addition" and log.added_schemas:
            extra = [f"- **`{n}`** ({_audience(log.roles.get(n))}) is new in {log.new}." for n in log.added_schemas]
        out += [f"## {title}", ""]
        if not entries and not extra and not operations:
            out += ["None.", ""]
            continue
        out += [intro.format(old=log.old, new=log.new), ""]
        if operations:
            out += _operations_markdown(operations, log.old)
        if extra:
            out += ["### Payloads", "", *extra, ""]
        for schema in sorted({e.schema for e in entries}):
            group = [e for e in entries if e.schema == schema]
            out += [f"### `{schema}` — {_audience(group[0].role)}", ""]
            for e in group:
                out.append(f"- {e.text}")
                if e.example:
                    out.append(f"  {e.example}")
            payloads = [(e, label, w) for e in group for label, w in e.payloads]
            if payloads:
                out += ["", "<details><summary>Whole example payloads</summary>", ""]
                for e, label, w in payloads:
                    what = f"`{e.field}`" if e.field else "The payload"
                    out += [f"{what} — {label}:", "", "```json", pretty(w), "```", ""]
                out.append("</details>")
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _operations_markdown(operations: Sequence[OperationEntry], old: str) -> list[str]:
    out = ["### Operations", ""]
    out += [f"- **`{o.operation}`**: {o.text} (`{o.rule}`)." for o in operations]
    requests = [o for o in operations if o.request is not None]
    if requests:
        out += ["", "<details><summary>Requests valid in " + old + " that are refused now</summary>", ""]
        for o in requests:
            out += [f"`{o.operation}`:", "", "```json", pretty(o.request), "```", ""]
        out.append("</details>")
    return [*out, ""]


def _audience(role: str | None) -> str:
    return _AUDIENCE.get(role or "", "payload")
