"""The real-world corpus (bench/corpora/realworld): load its pairs, bundle them, and check verdicts
independently of the engine.

Loading: each side and the files its `$ref`s reach are written to a scratch folder laid out like the
URLs they are served at (so relative `$ref`s find their files), each referenced file saved with the `$id`
its referrers use; the JSON Schema metaschemas come from python's `jsonschema-specifications`; and
`contractkit.registry.load_schema_file` reads the side with the pair's dialect as the default and those
folders as the catalogue — the way a user's project would (offline).

The independent check never uses jsonschema-rs or contractkit's sampler: **python-jsonschema** validates
the documents *as written, in their own drafts* (with a `referencing` registry of the catalogue, no
network), and candidate instances come from **hypothesis-jsonschema** (derandomized, bounded) run on each
changed subschema, plus a fixed list of probe values; each candidate is placed into a root instance
along the schema's own property paths (required siblings filled from the same probes) and kept only if
python-jsonschema accepts it under the source schema. A candidate the target schema then rejects is a
counter-example: for a direction the engine called compatible, a missed break.
"""

from __future__ import annotations

import copy
import json
import lzma
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlparse

CORPUS = Path(__file__).resolve().parent / "corpora" / "realworld"

PROBES: tuple[Any, ...] = (None, True, False, 0, -1, 1, 2.5, "", "a", "0", [], [None], {}, {"a": None})


@dataclass(frozen=True)
class Side:
    raw: Any
    base: str
    catalog: dict[str, Any]  # URI a $ref uses -> document
    commit: str


@dataclass(frozen=True)
class Pair:
    ident: str
    source: str
    path: str
    dialect: str
    old: Side
    new: Side


def load_pairs(corpus: Path = CORPUS) -> list[Pair]:
    blobs = json.loads(lzma.decompress((corpus / "blobs.json.xz").read_bytes()))
    manifest = json.loads((corpus / "pairs.json").read_text())

    def side(entry: dict[str, Any]) -> Side:
        return Side(
            json.loads(blobs[entry["blob"]]),
            entry["base"],
            {uri: json.loads(blobs[b]) for uri, b in entry["catalog"].items()},
            entry["commit"],
        )

    return [
        Pair(p["id"], p["source"], p["path"], p["dialect"], side(p["old"]), side(p["new"])) for p in manifest["pairs"]
    ]


def _url_path(root: Path, uri: str) -> Path:
    """Where the file served at `uri` goes under `root` (with a .json suffix: the catalogue reads *.json)."""
    u = urlparse(uri)
    rel = (u.hostname or "host") + (u.path if u.path and not u.path.endswith("/") else u.path + "index.json")
    return root / (rel if rel.endswith(".json") else rel + ".json").lstrip("/")


class Workspace:
    """A scratch folder; `bundle` loads one side of a pair through the registry, as a project would."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="contractkit-realworld-")
        self.root = Path(self._tmp.name)
        self.meta = self.root / "metaschemas"
        self.meta.mkdir()
        import jsonschema_specifications

        for i, (_, resource) in enumerate(sorted(jsonschema_specifications.REGISTRY.items())):
            (self.meta / f"m{i}.json").write_text(json.dumps(resource.contents))
        self._n = 0

    def close(self) -> None:
        self._tmp.cleanup()

    def bundle(self, pair: Pair, side: Side) -> Any:
        from contractkit.dialects import dialect_of
        from contractkit.registry import load_schema_file

        self._n += 1
        site = self.root / f"p{self._n}"
        for uri, doc in side.catalog.items():
            if isinstance(doc, dict):
                doc = dict(doc)
                key = "id" if dialect_of(doc, pair.dialect) == "draft-04" else "$id"  # type: ignore[arg-type]
                doc[key] = uri  # saved under the URI its referrers use (SchemaStore serves two hosts)
            dep = _url_path(site, uri)
            dep.parent.mkdir(parents=True, exist_ok=True)
            dep.write_text(json.dumps(doc))
        target = _url_path(site, side.base)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(side.raw))
        return load_schema_file(target, dialect=pair.dialect, catalog=[site, self.meta])  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ independent check
_DATA_KEYS = frozenset({"enum", "const", "default", "examples", "example"})


class Independent:
    """python-jsonschema on one side's documents as written (its draft, its catalogue, offline)."""

    def __init__(self, side: Side, dialect: str) -> None:
        import jsonschema
        import referencing
        import referencing.jsonschema as rj

        specs = {
            "draft-04": rj.DRAFT4,
            "draft-06": rj.DRAFT6,
            "draft-07": rj.DRAFT7,
            "2019-09": rj.DRAFT201909,
            "2020-12": rj.DRAFT202012,
        }
        classes = {
            "draft-04": jsonschema.Draft4Validator,
            "draft-06": jsonschema.Draft6Validator,
            "draft-07": jsonschema.Draft7Validator,
            "2019-09": jsonschema.Draft201909Validator,
            "2020-12": jsonschema.Draft202012Validator,
        }
        default = specs.get(dialect, rj.DRAFT202012)
        resources = [(side.base, referencing.Resource.from_contents(side.raw, default_specification=default))]
        for uri, doc in side.catalog.items():
            resources.append((uri, referencing.Resource.from_contents(doc, default_specification=default)))
        self.registry: Any = referencing.Registry().with_resources(resources)
        self.cls: Any = jsonschema.validators.validator_for(
            side.raw, default=classes.get(dialect, jsonschema.Draft202012Validator)
        )
        self.side = side
        self._validators: dict[str, Any] = {}

    def valid(self, instance: Any, pointer: str = "") -> bool | None:
        v = self._validators.get(pointer)
        if v is None:
            schema = self.side.raw if pointer == "" else {"$ref": f"{self.side.base}#{pointer}"}
            v = self._validators[pointer] = self.cls(schema, registry=self.registry)
        try:
            return bool(v.is_valid(instance))
        except Exception:  # an unresolvable ref, a regex Python cannot compile, ...: no verdict
            return None


def _get(doc: Any, pointer: str) -> Any:
    node = doc
    for raw in pointer.split("/")[1:] if pointer else []:
        tok = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and tok in node:
            node = node[tok]
        elif isinstance(node, list) and tok.isdigit() and int(tok) < len(node):
            node = node[int(tok)]
        else:
            return None
    return node


def _esc(tok: str) -> str:
    return tok.replace("~", "~0").replace("/", "~1")


def changed_pointers(a: Any, b: Any, limit: int = 8) -> list[str]:
    """The deepest schema locations where two documents differ (annotations ignored), shallowest first."""
    out: list[str] = []
    skip = {"description", "markdownDescription", "title", "$comment", "examples", "default", "deprecationMessage"}

    def walk(x: Any, y: Any, ptr: str) -> None:
        if x == y:
            return
        if isinstance(x, dict) and isinstance(y, dict):
            deeper = False
            for k in sorted(set(x) | set(y)):
                if k in skip or k in _DATA_KEYS or x.get(k) == y.get(k):
                    continue
                if k in x and k in y and isinstance(x[k], dict | list) and isinstance(y[k], dict | list):
                    walk(x[k], y[k], f"{ptr}/{_esc(k)}")
                    deeper = True
                else:
                    out.append(ptr)  # a keyword changed here
                    return
            if not deeper:
                out.append(ptr)
        elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
            for i, (p, q) in enumerate(zip(x, y, strict=True)):
                walk(p, q, f"{ptr}/{i}")
        else:
            out.append(ptr.rpartition("/")[0] if ptr.rsplit("/", 1)[-1].isdigit() else ptr)

    walk(a, b, "")
    seen: list[str] = []
    for p in sorted(set(out), key=lambda s: (s.count("/"), s)):
        while p and not isinstance(_get(a, p), dict):
            p = p.rpartition("/")[0]
        if p not in seen:
            seen.append(p)
    return seen[:limit]


Step = tuple[str, Any]  # ("key", name) | ("index", i) | ("same", None)


def paths_to(doc: Any, base: str, target: str, limit: int = 2, depth: int = 12) -> list[list[Any]]:
    """Instance paths (keys / indexes) from the root to the subschema at `target`, following the
    applicators and local `$ref`s of the document as written (breadth first, shortest first)."""
    found: list[list[Any]] = []
    queue: list[tuple[str, list[Any]]] = [("", [])]
    seen: set[tuple[str, int]] = set()
    while queue and len(found) < limit:
        ptr, path = queue.pop(0)
        if ptr == target:
            found.append(path)
            continue
        if (ptr, len(path)) in seen or len(path) > depth:
            continue
        seen.add((ptr, len(path)))
        node = _get(doc, ptr)
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str):
            uri, frag = urldefrag(urljoin(base, ref))
            if uri == base and (frag == "" or frag.startswith("/")):
                queue.append((frag, path))
        for k, v in node.items():
            if k in _DATA_KEYS:
                continue
            if k == "properties" and isinstance(v, dict):
                queue.extend((f"{ptr}/properties/{_esc(n)}", [*path, (n, ptr)]) for n in v)
            elif k == "additionalProperties" and isinstance(v, dict):
                queue.append((f"{ptr}/additionalProperties", [*path, ("x-probe-key", ptr)]))
            elif k == "patternProperties" and isinstance(v, dict):
                queue.extend((f"{ptr}/patternProperties/{_esc(pat)}", [*path, (_key_for(pat), ptr)]) for pat in v)
            elif k == "items" and isinstance(v, dict):
                queue.append((f"{ptr}/items", [*path, (0, ptr)]))
            elif k in ("items", "prefixItems") and isinstance(v, list):
                queue.extend((f"{ptr}/{k}/{i}", [*path, (i, ptr)]) for i in range(len(v)))
            elif k in ("allOf", "anyOf", "oneOf") and isinstance(v, list):
                queue.extend((f"{ptr}/{k}/{i}", path) for i in range(len(v)))
            elif k in ("then", "else") and isinstance(v, dict):
                queue.append((f"{ptr}/{k}", path))
    return found


def _key_for(pattern: str) -> str:
    """A property name matching `pattern` (Python's re reads it; ECMA-only syntax falls back to "x")."""
    import re

    for candidate in ("x", "a", "x-a", "A", "0", "a.b", "a/b", "_", "ab-cd"):
        try:
            if re.search(pattern, candidate):
                return candidate
        except re.error:
            return "x"
    found = generated({"type": "string", "pattern": pattern}, "", None, 1)
    return found[0] if found and isinstance(found[0], str) else "x"


def _reachable_defs(doc: Any, node: Any) -> dict[str, Any]:
    """The `definitions` / `$defs` entries `node` reaches through local pointer refs (for a generator)."""
    keep: dict[str, dict[str, Any]] = {}
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            ref = n.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/") and ref.count("/") == 2:
                _, container, name = ref.split("/")
                name = name.replace("~1", "/").replace("~0", "~")
                target = _get(doc, f"/{container}/{_esc(name)}")
                if container in ("definitions", "$defs") and name not in keep.get(container, {}):
                    keep.setdefault(container, {})[name] = target
                    stack.append(target)
            stack.extend(v for k, v in n.items() if k not in _DATA_KEYS)
        elif isinstance(n, list):
            stack.extend(n)
    return keep


def _has_foreign_ref(node: Any) -> bool:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not (ref.startswith("#/") and ref.count("/") == 2):
            return True
        return any(_has_foreign_ref(v) for k, v in node.items() if k not in _DATA_KEYS)
    if isinstance(node, list):
        return any(_has_foreign_ref(x) for x in node)
    return False


GENERATOR_SECONDS = 5  # a wall-clock cap per subschema: hypothesis-jsonschema can stall on a big one
generator_stalls = 0  # how often the cap was hit (printed by the evaluation: it makes a run machine-dependent)


class _Stall(Exception):
    pass


def generated(doc: Any, pointer: str, dialect_uri: str | None, n: int) -> list[Any]:
    """Up to `n` instances of the subschema at `pointer`, from hypothesis-jsonschema (derandomized,
    at most GENERATOR_SECONDS of wall clock, then the stall is raised every quarter second until it lands:
    what was drawn by then is kept)."""
    node = _get(doc, pointer)
    if not isinstance(node, dict | bool):
        return []
    sub: Any = node
    if isinstance(node, dict):
        sub = copy.deepcopy(node)
        for container, defs in _reachable_defs(doc, node).items():
            sub.setdefault(container, {}).update(copy.deepcopy(defs))
        if dialect_uri and "$schema" not in sub:
            sub["$schema"] = dialect_uri
        sub.pop("$id", None)
        sub.pop("id", None)
        if _has_foreign_ref(sub) or len(json.dumps(sub)) > 20_000:
            return []
    out: list[Any] = []
    import signal

    def stall(_signum: int, frame: Any) -> None:
        # Raised where the generator runs, never in this function's own lines (after it returned, or in the
        # handlers below, where it would escape). The timer repeats: a raise that lands in a weakref callback
        # or a __del__ is swallowed by the interpreter, and the next one ends the stall.
        if frame is not None and frame.f_code is generated.__code__:
            return
        raise _Stall

    previous = signal.signal(signal.SIGALRM, stall)
    signal.setitimer(signal.ITIMER_REAL, GENERATOR_SECONDS, 0.25)
    try:
        from hypothesis import HealthCheck, Phase, given, settings
        from hypothesis_jsonschema import from_schema

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            strategy = from_schema(sub)

            @settings(
                max_examples=n,
                derandomize=True,
                database=None,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.generate],
            )
            @given(strategy)
            def draw(x: Any) -> None:
                out.append(x)

            draw()
    except _Stall:
        global generator_stalls
        generator_stalls += 1
    except Exception:  # the generator cannot handle this subschema (recursion, a regex, ...): probes only
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return out


_DIALECT_URI = {
    "draft-04": "http://json-schema.org/draft-04/schema#",
    "draft-06": "http://json-schema.org/draft-06/schema#",
    "draft-07": "http://json-schema.org/draft-07/schema#",
    "2019-09": "https://json-schema.org/draft/2019-09/schema",
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
}


def _place(value: Any, path: list[Any], fill: Any) -> Any:
    """A root instance with `value` at `path`; containers on the way get `fill`'s required members."""
    if not path:
        return value
    (head, container), rest = path[0], path[1:]
    inner = _place(value, rest, fill)
    if isinstance(head, int):
        return [fill(container, i) for i in range(head)] + [inner]
    base = {name: v for name, v in fill(container, None).items() if name != head}
    base[head] = inner
    return base


@dataclass
class CheckResult:
    checked: bool = False  # at least one candidate was placed and accepted by the source schema
    tried: int = 0
    accepted: int = 0
    counter_example: Any = None
    at: str | None = None
    notes: list[str] = field(default_factory=list)


def independent_check(
    pair: Pair, direction: str, *, per_location: int = 12, locations: int = 6, budget: int = 250
) -> CheckResult:
    """Look for an instance the source side accepts and the target side rejects (python-jsonschema)."""
    src, dst = (pair.old, pair.new) if direction == "backward" else (pair.new, pair.old)
    res = CheckResult()
    src_v = Independent(src, pair.dialect)
    dst_v = Independent(dst, pair.dialect)
    src_dialect = _declared(src.raw) or pair.dialect

    def candidates() -> Iterator[tuple[str, Any]]:
        for ptr in changed_pointers(src.raw, dst.raw, limit=locations):
            fill = _filler(src, src_v, ptr)
            if _get(src.raw, ptr) is None:
                # only in the target (a property added, say): probe the name under the nearest parent
                parent, _, name = ptr.rpartition("/")
                holder, _, kw = parent.rpartition("/")
                if kw != "properties" or _get(src.raw, holder) is None:
                    continue
                key = name.replace("~1", "/").replace("~0", "~")
                for path in paths_to(src.raw, src.base, holder):
                    for value in PROBES:
                        yield ptr, _place(value, [*path, (key, holder)], fill)
                continue
            paths = paths_to(src.raw, src.base, ptr)
            if not paths:
                continue
            values = generated(src.raw, ptr, _DIALECT_URI.get(src_dialect), per_location) + list(PROBES)
            for value in values:
                for path in paths:
                    yield ptr, _place(value, path, fill)

    for ptr, instance in candidates():
        if res.tried >= budget:
            res.notes.append("budget reached")
            break
        res.tried += 1
        if src_v.valid(instance) is not True:
            continue
        res.accepted += 1
        res.checked = True
        if dst_v.valid(instance) is False:
            res.counter_example, res.at = instance, ptr
            return res
    return res


def _declared(raw: Any) -> str | None:
    from contractkit.dialects import UnsupportedDialectError, dialect_of

    try:
        return dialect_of(raw, "2020-12") if isinstance(raw, dict) and "$schema" in raw else None
    except UnsupportedDialectError:
        return None


def _filler(side: Side, validator: Independent, _ptr: str) -> Any:
    """Members an object on the way needs (and array elements before an index): for each required
    property, the first of its const / enum / default / examples / probes that python-jsonschema accepts."""
    memo: dict[tuple[str, Any], Any] = {}

    def good(schema_ptr: str) -> Any:
        node = _get(side.raw, schema_ptr)
        options: list[Any] = []
        if isinstance(node, dict):
            options += [node["const"]] if "const" in node else []
            options += list(node.get("enum", []))[:3] if isinstance(node.get("enum"), list) else []
            options += [node["default"]] if "default" in node else []
            options += list(node.get("examples", []))[:2] if isinstance(node.get("examples"), list) else []
        for option in [*options, *PROBES]:
            if validator.valid(option, schema_ptr) is True:
                return option
        return None

    def fill(container: str, index: Any) -> Any:
        key = (container, index)
        if key not in memo:
            node = _get(side.raw, container)
            if index is not None:  # an array element before the one on the path
                memo[key] = good(f"{container}/items") if isinstance(node, dict) else None
            else:
                required = node.get("required", []) if isinstance(node, dict) else []
                memo[key] = {
                    r: good(f"{container}/properties/{_esc(r)}")
                    for r in (required if isinstance(required, list) else [])
                    if isinstance(r, str)
                }
        return memo[key]

    return fill
