"""Candidate instances for witness search.

The sampler proposes small, diverse instances *near* a schema: boundary values, examples, type
flips, objects with and without optional or extra properties. It need not be exact — every
candidate is judged by the real validator before it becomes a witness — only cheap and varied.
"""

from __future__ import annotations

import marshal
import math
import re
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

import jsonschema_rs

from contractkit.compat import _automata as automata
from contractkit.compat._doc import Doc, subschema_at
from contractkit.compat._regex import examples as regex_examples

_CAP = 14
_MAX_DEPTH = 5
# $ref, allOf, anyOf, if/then merge in place (the instance does not get deeper): a fraction of a level,
# so chains of definitions still reach the values they describe, and a ref cycle still ends.
_IN_PLACE = 0.25

FORMAT_EXAMPLES: dict[str, list[str]] = {
    "date": ["2020-01-31"],
    "date-time": ["2020-01-31T12:00:00Z"],
    "time": ["12:00:00Z"],
    "duration": ["P1D"],
    "email": ["a@example.com"],
    "idn-email": ["a@example.com"],
    "hostname": ["example.com"],
    "idn-hostname": ["example.com"],
    "ipv4": ["192.168.0.1"],
    "ipv6": ["::1"],
    "uri": ["https://example.com/a"],
    "uri-reference": ["/a"],
    "iri": ["https://example.com/a"],
    "iri-reference": ["/a"],
    "uri-template": ["/a/{b}"],
    "uuid": ["123e4567-e89b-12d3-a456-426614174000"],
    "json-pointer": ["/a"],
    "relative-json-pointer": ["0/a"],
    "regex": ["^a$"],
}
_STRINGS = ["", "a", "0", "1", "-", "A", "ab", "abc", "aaaa", "x y", "2020-01-31", "a@example.com", "é"]
_GENERIC: list[Any] = [None, True, False, 0, 1, -1, 0.5, 2.5, "", "a", [], [0], {}, {"a": 0}, 1e300]


def _dict(x: Any) -> dict[str, Any]:
    return x if isinstance(x, dict) else {}


def _list(x: Any) -> list[Any]:
    return x if isinstance(x, list) else []


def _int(x: Any) -> int | None:
    return x if isinstance(x, int) and not isinstance(x, bool) else None


_SCALARS = (bool, int, float, str)  # a tuple: isinstance checks it faster than a union


def _uniq(xs: list[Any], limit: int | None = None) -> list[Any]:
    """The distinct values of ``xs`` in order (the first ``limit`` of them)."""
    out: list[Any] = []
    seen: set[Any] = set()
    for x in xs:
        if len(out) == limit:
            break
        if x is None or isinstance(x, _SCALARS):
            k: Any = (type(x), x)
        else:
            # marshal tells apart what repr does (1 / 1.0 / true, member order), in a third of its time
            try:
                k = marshal.dumps(x, 2)
            except (ValueError, TypeError):  # not plain builtins, or nested too deeply
                try:
                    k = repr(x)
                except RecursionError:
                    continue
        if k not in seen:
            seen.add(k)
            out.append(x)
    return out


class Sampler:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        # Keyed by id(): the memo holds each keyed schema too, so an id is never reused for another
        # (temporary merged schemas would otherwise hand their samples to an unrelated schema, and
        # which one depends on the allocator: the same pair gave different witnesses run to run).
        self._memo: dict[tuple[int, float], tuple[Any, list[Any]]] = {}

    def sample(self, schema: Any, depth: float = 0) -> list[Any]:
        key = (id(schema), depth)
        got = self._memo.get(key)
        if got is None:
            self._memo[key] = (schema, [])  # recursion guard
            got = (schema, _uniq(self._sample(schema, depth), _CAP * 3 if depth == 0 else _CAP))
            self._memo[key] = got
        return got[1]

    def _sample(self, s: Any, depth: float) -> list[Any]:
        if s is True:
            return list(_GENERIC)
        if s is False or not isinstance(s, dict):
            return []
        if depth > _MAX_DEPTH:
            return [None, 0, "", [], {}]
        out: list[Any] = []
        if "const" in s:
            out.append(s["const"])
        if isinstance(s.get("enum"), list):
            out += s["enum"][:_CAP]
        if isinstance(s.get("examples"), list):
            out += s["examples"][:4]
        if "default" in s:
            out.append(s["default"])
        if "$ref" in s and isinstance(s["$ref"], str):
            r = self.doc.resolve(s["$ref"])
            if r is not None:
                merged = {**r[0], **{k: v for k, v in s.items() if k != "$ref"}} if isinstance(r[0], dict) else r[0]
                out += self.sample(merged, depth + _IN_PLACE)
        for kw in ("allOf",):
            brs = s.get(kw)
            if isinstance(brs, list) and brs:
                merged = {k: v for k, v in s.items() if k != kw}
                for br in brs:
                    if isinstance(br, dict):
                        merged = _merge(merged, br)
                out += self.sample(merged, depth + _IN_PLACE)
        for kw in ("anyOf", "oneOf"):
            brs = s.get(kw)
            if isinstance(brs, list):
                rest = {k: v for k, v in s.items() if k != kw}
                for br in brs[:8]:
                    out += self.sample(_merge(rest, br) if isinstance(br, dict) else br, depth + _IN_PLACE)[:6]
        if "if" in s:
            rest = {k: v for k, v in s.items() if k not in ("if", "then", "else")}
            cond = s["if"]
            if isinstance(cond, dict):
                then = s.get("then", {}) if isinstance(s.get("then"), dict) else {}
                out += self.sample(_merge(_merge(rest, cond), then), depth + _IN_PLACE)[:6]
            if isinstance(s.get("else"), dict):
                out += self.sample(_merge(rest, s["else"]), depth + _IN_PLACE)[:6]
        if out and ("const" in s or "enum" in s):
            return out
        types = _types_of(s)
        for t in types:
            out += self._typed(t, s, depth)
        return out

    def _typed(self, t: str, s: dict[str, Any], depth: float) -> list[Any]:
        if t == "null":
            return [None]
        if t == "boolean":
            return [True, False]
        if t in ("integer", "number"):
            return _numbers(s, t == "integer")
        if t == "string":
            return _strings(s)
        if t == "array":
            return self._arrays(s, depth)
        if t == "object":
            return self._objects(s, depth)
        return []

    def _arrays(self, s: dict[str, Any], depth: float) -> list[Any]:
        pre = _list(s.get("prefixItems"))
        items = s.get("items", True)
        mn = _int(s.get("minItems")) or 0
        mx = _int(s.get("maxItems"))
        item_samples = self.sample(items, depth + 1) if items is not False else []
        pre_samples = [self.sample(p, depth + 1) or [None] for p in pre]
        contains = self.sample(s["contains"], depth + 1) if "contains" in s else []
        base = [ps[0] for ps in pre_samples]
        out: list[Any] = []
        fill = item_samples[0] if item_samples else None
        need = max(mn, len(base))
        arr = base + [fill] * max(0, need - len(base))
        out.append(arr)
        if 0 < mn < len(base):
            out.append(base[:mn])  # the shortest array minItems allows, its prefix items cut off
        if item_samples:
            distinct = base + item_samples[: max(0, need - len(base))]
            out.append(distinct)
            for x in item_samples[:6]:
                out.append(base + [x] * max(1, need - len(base)))
                out.append([*base, x])
        for i, ps in enumerate(pre_samples):
            for x in ps[1:5]:
                alt = list(base)
                alt[i] = x
                out.append(alt)
        for c in contains[:6]:
            mc = s.get("minContains", 1) if isinstance(s.get("minContains"), int) else 1
            out.append(base + [c] * max(1, mc, mn - len(base)))
            out.append([c])
            out.append([c, c])
        out.append([])
        if mx is not None and item_samples:
            out.append(base + [item_samples[0]] * max(0, mx - len(base)))
            out.append(base + [item_samples[0]] * max(0, mx + 1 - len(base)))
        out.append(arr + arr)
        return out

    def _objects(self, s: dict[str, Any], depth: float) -> list[Any]:
        props = _dict(s.get("properties"))
        req = [r for r in s.get("required", []) if isinstance(r, str)] if isinstance(s.get("required"), list) else []
        deps = _dict(s.get("dependentRequired"))
        base: dict[str, Any] = {}
        alts: dict[str, list[Any]] = {}
        for name in req:
            vals = self.sample(props.get(name, _additional(s)), depth + 1) or [None]
            base[name] = vals[0]
            alts[name] = vals
        out: list[Any] = [dict(base)]
        for name, vals in alts.items():
            for v in vals[1:5]:
                d = dict(base)
                d[name] = v
                out.append(d)
        full = dict(base)
        for name, sch in list(props.items())[:12]:
            if name in base or sch is False:
                continue
            vals = self.sample(sch, depth + 1)
            if not vals:
                continue
            full[name] = vals[0]
            for v in vals[:4]:
                d = dict(base)
                d[name] = v
                for dep in deps.get(name, []) if isinstance(deps.get(name), list) else []:
                    d.setdefault(dep, 0)
                out.append(d)
        out.append(full)
        pp = _dict(s.get("patternProperties"))
        for pat, sch in [*list(pp.items())[:4], *self._ref_patterns(s, pp)]:
            key = key_for(pat)
            for v in self.sample(sch, depth + 1)[:3]:
                d = dict(base)
                d[key] = v
                out.append(d)
        add = s.get("additionalProperties", True)
        for v in [0, "a", None, {}] if add is True else self.sample(add, depth + 1)[:4]:
            d = dict(base)
            d["zz"] = v
            out.append(d)
        mn = s.get("minProperties")
        if isinstance(mn, int) and mn > len(base):
            # filled with values the object accepts for names it does not declare (a map's values)
            fills = [0] if add is True else self.sample(add, depth + 1)[:2]
            for fill in fills:
                for start in (dict(full), dict(base)):
                    d, i = start, 0
                    while len(d) < mn and i < 50:
                        d.setdefault(f"k{i}", fill)
                        i += 1
                    out.append(d)
        out.append({})
        return out

    def _ref_patterns(self, s: dict[str, Any], own: dict[str, Any]) -> list[tuple[str, Any]]:
        """The ``patternProperties`` of an in-place ``$ref`` written as a plain pointer (OpenAPI 3.1's
        ``specification-extensions``: ``^x-`` members, which mark names evaluated beside
        ``unevaluatedProperties: false``); read structurally: candidates only, each judged anyway."""
        ref = s.get("$ref")
        if not (isinstance(ref, str) and ref.startswith("#/")):
            return []
        target = subschema_at(self.doc.root, unquote(ref[1:]))
        pats = _dict(target.get("patternProperties")) if isinstance(target, dict) else {}
        return [(pat, sch) for pat, sch in list(pats.items())[:2] if pat not in own]


def _additional(s: dict[str, Any]) -> Any:
    return s.get("additionalProperties", True)


@lru_cache(maxsize=4096)  # a pure function of the pattern; each guess it tries compiles a validator
def key_for(pat: str) -> str:
    """A property name matching the ``patternProperties`` pattern ``pat`` (readable when possible)."""
    core = pat.strip("^$")
    if core and all(c.isalnum() or c in "_-" for c in core):
        return core
    known = {"^x-": "x-a", "^a": "a", "a": "a", "b": "b", "^[a-z]+$": "abc", "^\\d+$": "1"}.get(pat)
    if known is not None:
        return known
    quick = _quick_key(pat)
    if quick is not None:
        return quick
    found = automata.examples(pat, 1)
    return found[0] if found else "a"


_LITERAL_PREFIX = re.compile(r"\^?((?:[A-Za-z0-9_@:/-]|\\[./-])*)")


def _quick_key(pat: str) -> str | None:
    """A readable name the validator says matches ``pat``, from a few guesses (the pattern's literal
    prefix, short words); None when none does. Building the pattern's automaton costs far more."""
    m = _LITERAL_PREFIX.match(pat)
    lit = m.group(1).replace("\\", "") if m else ""
    anchored = ("" if pat.startswith("^") else "^") + pat + ("" if pat.endswith("$") else "$")
    guesses = [lit, lit + "a", lit + "1", "a", "abc", "1", "A", "a1", "_a", "x-a", *regex_examples(anchored)]
    for cand in dict.fromkeys(guesses):
        if cand and _matches(pat, cand):
            return cand
    return None


def _matches(pat: str, name: str) -> bool:
    try:
        return bool(jsonschema_rs.is_valid({"type": "string", "pattern": pat}, name))
    except (ValueError, jsonschema_rs.ValidationError):
        return False


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        if k == "properties" and isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = {**out[k], **v}
        elif k == "required" and isinstance(v, list) and isinstance(out.get(k), list):
            out[k] = list(dict.fromkeys([*out[k], *v]))
        elif k not in out:
            out[k] = v
    return out


def _types_of(s: dict[str, Any]) -> list[str]:
    t = s.get("type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return [x for x in t if isinstance(x, str)]
    hints: list[str] = []
    if any(k in s for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")):
        hints.append("number")
    if any(k in s for k in ("minLength", "maxLength", "pattern", "format")):
        hints.append("string")
    if any(k in s for k in ("items", "prefixItems", "contains", "minItems", "maxItems", "uniqueItems")):
        hints.append("array")
    if any(
        k in s
        for k in ("properties", "required", "additionalProperties", "patternProperties", "propertyNames",
                  "minProperties", "maxProperties", "dependentRequired", "dependentSchemas")
    ):  # fmt: skip
        hints.append("object")
    rest = [x for x in ("null", "boolean", "integer", "number", "string", "array", "object") if x not in hints]
    return hints + rest


def _numbers(s: dict[str, Any], integer: bool) -> list[Any]:
    out: list[Any] = []
    pts: list[float] = []
    for k in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        v = s.get(k)
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
            pts.append(v)
    m = s.get("multipleOf")
    mult = m if isinstance(m, int | float) and not isinstance(m, bool) and m > 0 else None
    for p in pts:
        for d in (0, 1, -1, 0.5, -0.5, 2, -2, 1e-9, -1e-9):
            out.append(p + d)
        if mult:
            q = math.floor(p / mult)
            for j in (q - 1, q, q + 1, q + 2):
                x = j * mult
                out.append(int(x) if float(x).is_integer() and abs(x) < 1e15 else x)
    if mult:
        out += [mult, 2 * mult, mult * 3, -mult, mult / 2, 0]
        if isinstance(mult, float):
            out.append(mult * 7)
    out += [0, 1, -1, 2, 3, 7, 10, 100, -100, 0.5, 1.5, -0.5, 2**53 + 1, 1e308, -1e308]
    if integer:
        out = [int(x) if isinstance(x, float) and x.is_integer() and abs(x) < 1e18 else x for x in out]
        out = [x for x in out if isinstance(x, int)] + [x for x in out if not isinstance(x, int)][:6]
    # In-range values first (stable), so an object built from first samples tends to be valid.
    bounds = _bounds(s)
    return sorted(out, key=lambda x: not _in_range(x, bounds, mult))


def _bounds(s: dict[str, Any]) -> tuple[float | None, float | None, float | None, float | None]:
    """(minimum, exclusiveMinimum, maximum, exclusiveMaximum) of ``s``, each None unless a number."""

    def bound(k: str) -> float | None:
        b = s.get(k)
        return b if isinstance(b, int | float) and not isinstance(b, bool) else None

    return bound("minimum"), bound("exclusiveMinimum"), bound("maximum"), bound("exclusiveMaximum")


def _in_range(
    x: Any, bounds: tuple[float | None, float | None, float | None, float | None], mult: float | None
) -> bool:
    lo, xlo, hi, xhi = bounds
    try:
        if (lo is not None and x < lo) or (xlo is not None and x <= xlo):
            return False
        if (hi is not None and x > hi) or (xhi is not None and x >= xhi):
            return False
        return mult is None or float(x / mult).is_integer()
    except (OverflowError, ZeroDivisionError, TypeError):
        return False


def long_format(fmt: str, n: int) -> list[str]:
    """A valid string of format ``fmt`` exactly ``n`` characters long, when one is easy to build
    (RFC 5321 local parts stop at 64 characters and DNS labels at 63, so long ones grow the domain)."""
    if fmt in ("email", "idn-email", "hostname", "idn-hostname"):
        head = "a@" if "email" in fmt else ""
        k = n - len(head) - len(".com")
        if k < 1 or k > 200:
            return []
        labels: list[str] = []
        while k > 0:
            size = min(63, k) if k != 64 else 62  # never leave a label of zero characters
            labels.append("a" * size)
            k -= size + 1
        if k == 0:  # the last dot has no label after it: shorten the first label by one
            labels[0] = labels[0][:-1] if len(labels[0]) > 1 else labels[0]
            return [head + ".".join(labels) + ".com"] if len(labels[0]) > 0 else []
        text = head + ".".join(labels) + ".com"
        return [text] if len(text) == n else []
    pads = {
        "date-time": ("2020-01-31T12:00:00.", "Z", "0"),
        "time": ("12:00:00.", "Z", "0"),
        "uri": ("https://example.com/", "", "a"),
        "iri": ("https://example.com/", "", "a"),
        "uri-reference": ("/", "", "a"),
        "iri-reference": ("/", "", "a"),
        "json-pointer": ("/", "", "a"),
    }
    if fmt not in pads:
        return []
    head, tail, fill = pads[fmt]
    k = n - len(head) - len(tail)
    return [head + fill * max(k, 1) + tail]


def _strings(s: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    fmt = s.get("format")
    if isinstance(fmt, str):
        out += FORMAT_EXAMPLES.get(fmt, [])
    mn = _int(s.get("minLength")) or 0
    mx = _int(s.get("maxLength"))
    pat = s.get("pattern")
    if isinstance(pat, str):
        lit = pat.strip("^$")
        if lit and all(c.isalnum() or c in " _-" for c in lit):
            out += [lit, "a" + lit, lit + "a"]
        simple = regex_examples(pat)
        out += simple or automata.examples(pat, 3)
        if mn or mx is not None:
            # strings of the pattern within the length bounds
            hi = "" if mx is None else str(mx)
            if mn <= 64 and (mx is None or mx <= 64):
                out += automata.examples_all((pat, "^(?:[^a]|a){" + f"{mn},{hi}" + "}$"), 2)
    if isinstance(fmt, str):
        # Long but valid strings of the format, to exceed a new maxLength (or to reach a minLength).
        for n in [*((mx + 1, mx) if mx is not None and mx < 300 else ()), *((mn,) if 0 < mn < 300 else ())]:
            out += long_format(fmt, n)
    for n in sorted({mn, max(mn - 1, 0), mn + 1} | ({mx, mx + 1, max(mx - 1, 0)} if mx is not None else set())):
        if n < 300:
            out.append("a" * n)
            out.append("0" * n)
    out += _STRINGS
    for f, ex in FORMAT_EXAMPLES.items():
        if f != fmt:
            out += ex[:1]
    # The ones that meet the length bounds and the pattern first (stable), so objects built from first
    # samples tend to be valid; the others stay as candidates for the other side.
    return sorted(out, key=lambda x: not _string_ok(x, mn, mx, pat, fmt))


def _string_ok(x: Any, mn: int, mx: int | None, pat: Any, fmt: Any) -> bool:
    if not isinstance(x, str) or len(x) < mn or (mx is not None and len(x) > mx):
        return False
    if isinstance(fmt, str) and fmt in FORMAT_EXAMPLES and not _format_ok(fmt, x):
        return False
    if isinstance(pat, str):
        return _pattern_ok(pat, x)
    return True


_PATTERN_VALIDATORS: dict[str, Any] = {}


def _pattern_ok(pat: str, x: str) -> bool:
    v = _PATTERN_VALIDATORS.get(pat, 0)
    if v == 0:
        try:
            v = jsonschema_rs.validator_for({"pattern": pat})
        except (ValueError, jsonschema_rs.ValidationError):
            v = None
        if len(_PATTERN_VALIDATORS) > 4096:
            _PATTERN_VALIDATORS.clear()
        _PATTERN_VALIDATORS[pat] = v
    return True if v is None else bool(v.is_valid(x))


_FORMAT_VALIDATORS: dict[str, Any] = {}


def _format_ok(fmt: str, x: str) -> bool:
    v = _FORMAT_VALIDATORS.get(fmt)
    if v is None:
        v = _FORMAT_VALIDATORS[fmt] = jsonschema_rs.validator_for({"format": fmt}, validate_formats=True)
    return bool(v.is_valid(x))
