"""Witness shrinking: the smallest instance that still shows *this* break, and where in it the break is.

A witness found by the engine is a whole root instance built around the change (sampled siblings,
long strings, several array items). People copy witnesses into tests and read them in reports, so
each one is shrunk before it is reported:

* a candidate simplification (drop a property, drop an array item, empty a string, zero a number)
  is kept only while the real validator still says *valid under the source schema, invalid under
  the target* — so required siblings stay (dropping them makes the source reject it);
* and only while the target still rejects it **for the same reason**: at least one of the target's
  validation errors keeps a keyword location (a pointer into the schema) that the original witness
  was rejected at, preferring the locations at or under the finding's own pointer. Without that,
  shrinking could drift onto another break of the same schema.

Shrinking is deterministic (document order, simplest candidate first) and bounded in validator calls.
The result also names the place in the instance the target rejects (`Witness.at`, a JSON pointer into
the instance; for a missing required property or an unexpected one, the property's own pointer).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from contractkit._json import escape, unescape
from contractkit.compat._doc import Doc, subschema_at
from contractkit.compat._model import Finding, Witness
from contractkit.compat._sampler import Sampler

__all__ = ["field_of", "shrink_findings", "shrink_witness", "valid_example"]

_MAX_CHECKS = 600  # validator calls per witness; a cart-sized witness settles in well under 200

Path = tuple[str | int, ...]


def shrink_findings(findings: Sequence[Finding], old: Doc, new: Doc) -> list[Finding]:
    """Every finding's witness shrunk and located (findings without a witness are returned as they are)."""
    out: list[Finding] = []
    for f in findings:
        if f.witness is None:
            out.append(f)
            continue
        if f.witness.valid_under == "old":
            src, dst, focus = old, new, f.new_pointer if f.new_pointer is not None else f.old_pointer
        else:
            src, dst, focus = new, old, f.old_pointer if f.old_pointer is not None else f.new_pointer
        field = field_of(f.new_pointer, f.old_pointer) or _named(f.message)
        instance, at = shrink_witness(src, dst, f.witness.instance, focus, field)
        witness = Witness(instance, f.witness.valid_under, at)
        out.append(
            Finding(f.rule_id, f.severity, f.direction, f.message, f.old_pointer, f.new_pointer, witness, f.version)
        )
    return out


def shrink_witness(
    src: Doc, dst: Doc, instance: Any, focus: str | None = None, field: str | None = None
) -> tuple[Any, str | None]:
    """(the smallest instance found, the pointer into it where `dst` rejects it).

    `instance` must be valid under `src` and invalid under `dst`; otherwise it is returned unchanged
    with no location. `focus` is the pointer into `dst`'s schema of the change being shown, `field`
    the name of the property it concerns (when it concerns one)."""
    validator = dst.validator("")
    if validator is None or src.is_valid("", instance) is not True:
        return instance, None
    first = _errors(validator, instance)
    if not first:
        return instance, None

    keeps = _Keeps(src, dst, validator, first, focus, field)
    current = instance
    # A source that accepts one value only (a ``const``, or a one-value ``enum``, at its root: every other
    # keyword there only narrows it further): each candidate differs from that value (a simpler one, see
    # _simpler and _toward_boundary), so the source rejects them all and nothing can be shrunk.
    rounds = 0 if _one_value(src.root) else 3
    for _ in range(rounds):  # a later simplification can enable an earlier one; a few passes reach a fixpoint
        before = current
        current = _shrink_at(current, (), keeps)
        if current == before or keeps.checks >= _MAX_CHECKS:
            break
    errors = (first if current is instance else _errors(validator, current)) or []
    located = sorted((at.count("/"), at) for loc, at in errors if keeps.shown(loc, at))
    return current, (located[0][1] if located else None)


class _Keeps:
    """Whether a candidate keeps the break being shrunk (valid under the source, rejected by the target
    for a reason of the original's), counting the checks against _MAX_CHECKS. An object rather than
    closures: nested functions that refer to each other make a reference cycle (with the documents
    they hold) that only the garbage collector frees."""

    def __init__(
        self, src: Doc, dst: Doc, validator: Any, first: list[tuple[str, str]], focus: str | None, field: str | None
    ) -> None:
        self.src, self.dst, self.validator = src, dst, validator
        self.focus, self.field = focus, field
        self.wanted = {loc for loc, at in first if self.relevant(loc, at)}
        # Without a recognisable error of its own, shrink only what keeps *every* original reason.
        self.every = set() if self.wanted else {loc for loc, _ in first}
        self.checks = 0

    def relevant(self, loc: str, at: str) -> bool:
        if self.field is not None:
            return _last_name(at) == self.field
        return _related(loc, self.focus)

    def shown(self, loc: str, at: str) -> bool:
        """Whether an error of the shrunk instance locates the break."""
        return bool((loc in self.wanted and self.relevant(loc, at)) or self.every)

    def __call__(self, candidate: Any) -> bool:
        if self.checks >= _MAX_CHECKS:
            return False
        self.checks += 1
        if self.src.is_valid("", candidate) is not True or self.dst.is_valid("", candidate) is not False:
            return False
        errors = _errors(self.validator, candidate)
        if errors is None:
            return False
        if self.every:
            return self.every <= {loc for loc, _ in errors}
        return any(loc in self.wanted and self.relevant(loc, at) for loc, at in errors)


def _one_value(schema: Any) -> bool:
    """Whether the schema accepts at most one instance, by a root ``const`` or a one-element ``enum``."""
    if not isinstance(schema, dict):
        return False
    enum = schema.get("enum")
    return "const" in schema or (isinstance(enum, list) and len(enum) == 1)


def valid_example(root: Any, pointer: str, *, format_assertion: bool = True) -> tuple[bool, Any]:
    """(found, an instance the subschema of `root` at `pointer` accepts): its own `examples` or `default`
    first, then the engine's samples — each confirmed by the validator. For examples in changelogs."""
    node = subschema_at(root, pointer)
    if node is None:
        return False, None
    doc = Doc(root, format_assertion=format_assertion)
    for candidate in Sampler(doc).sample(node)[:200]:
        if doc.is_valid(pointer, candidate) is True:
            return True, candidate
    return False, None


def field_of(*pointers: str | None) -> str | None:
    """The property a schema pointer is about: the name after its last `properties` (None if none)."""
    for pointer in pointers:
        if not pointer:
            continue
        tokens = [unescape(t) for t in pointer.split("/")[1:]]
        for i in range(len(tokens) - 2, -1, -1):
            if tokens[i] == "properties" and (i == 0 or tokens[i - 1] != "properties"):
                return tokens[i + 1]
    return None


_NAMED = re.compile(r'^property ("(?:[^"\\]|\\.)*")')


def _named(message: str) -> str | None:
    """The property a rule message names first (`property "currency" is now required`)."""
    m = _NAMED.match(message)
    if m is None:
        return None
    try:
        name = json.loads(m.group(1))
    except ValueError:
        return None
    return name if isinstance(name, str) else None


def _last_name(at: str) -> str | None:
    for token in reversed(at.split("/")[1:]):
        if not token.isdigit():
            return unescape(token)
    return None


def _errors(validator: Any, instance: Any) -> list[tuple[str, str]] | None:
    """(keyword location in the schema, pointer into the instance) of each validation error; a missing
    or unexpected property is located at the property itself (one entry per property)."""
    try:
        out = []
        for e in validator.iter_errors(instance):
            loc = "".join("/" + escape(str(t)) for t in e.schema_path)
            at = "".join("/" + escape(str(t)) for t in e.instance_path)
            detail = e.kind.as_dict() if hasattr(e.kind, "as_dict") else {}
            name = detail.get("property")
            extra = detail.get("unexpected")
            if isinstance(name, str):
                out.append((loc, f"{at}/{escape(name)}"))
            elif isinstance(extra, list) and extra:
                out += [(loc, f"{at}/{escape(str(x))}") for x in extra]
            else:
                out.append((loc, at))
        return out
    except (ValueError, OverflowError, RecursionError):
        return None


def _related(location: str, focus: str | None) -> bool:
    """Whether a keyword location is the finding's own place: the keyword itself, under it, or a keyword
    of the subschema it points at."""
    if focus is None:
        return False
    parent = location.rsplit("/", 1)[0]
    return location == focus or location.startswith(focus + "/") or (parent == focus and focus != "")


def _get(root: Any, path: Path) -> Any:
    node = root
    for key in path:
        node = node[key]
    return node


def _put(root: Any, path: Path, value: Any) -> Any:
    """A copy of `root` with `value` at `path` (only the containers on the path are copied)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(root, dict):
        out = dict(root)
        out[head] = _put(root[head], rest, value)
        return out
    items = list(root)
    assert isinstance(head, int)
    items[head] = _put(root[head], rest, value)
    return items


def _simpler(value: Any) -> Iterator[Any]:
    """Replacements for a value, simplest first (only ones that are actually smaller)."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, dict):
        if value:
            yield {}
        return
    if isinstance(value, list):
        if len(value) > 1:
            yield value[:1]
        return
    if isinstance(value, str):
        for s in ("", value[:1], value[: len(value) // 2]):
            if len(s) < len(value):
                yield s
        return
    if isinstance(value, int):
        for n in (0, 1):
            if abs(n) < abs(value):
                yield n
        return
    if isinstance(value, float):
        for x in (0, 1, int(value) if value == value and abs(value) < 1e15 else None):
            if x is not None and x != value and abs(x) <= abs(value):
                yield x


def _toward_boundary(root: Any, path: Path, value: Any, keeps: Any) -> tuple[Any, Any]:
    """The smallest integer (or shortest string prefix) between the simplest failed candidate and the
    value that still keeps the break: 501 for `maximum` 999 -> 500, 51 characters for `maxLength` 50."""

    def make(n: int) -> Any:
        return value[:n] if isinstance(value, str) else n if value > 0 else -n

    if isinstance(value, bool) or not isinstance(value, int | str):
        return root, value
    hi = len(value) if isinstance(value, str) else abs(value)
    lo = 1  # 0 (or "") and 1 (or one character) were tried first
    if hi - lo <= 1:
        return root, value
    best = root
    while hi - lo > 1:
        mid = (lo + hi) // 2
        trial = _put(root, path, make(mid))
        if keeps(trial):
            hi, best = mid, trial
        else:
            lo = mid
    return best, _get(best, path)


def _shrink_at(root: Any, path: Path, keeps: Any) -> Any:
    value = _get(root, path)
    for candidate in _simpler(value):
        trial = _put(root, path, candidate)
        if keeps(trial):
            root, value = trial, candidate
            break
    else:
        root, value = _toward_boundary(root, path, value, keeps)
    if isinstance(value, dict):
        for key in list(value):
            smaller = {k: v for k, v in value.items() if k != key}
            trial = _put(root, path, smaller)
            if keeps(trial):
                root, value = trial, smaller
                continue
            root = _shrink_at(root, (*path, key), keeps)
            value = _get(root, path)
    elif isinstance(value, list):
        i = len(value) - 1
        while i >= 0 and len(value) > 0:
            shorter = value[:i] + value[i + 1 :]
            trial = _put(root, path, shorter)
            if keeps(trial):
                root, value = trial, shorter
            i -= 1
        for i in range(len(value)):
            root = _shrink_at(root, (*path, i), keeps)
        value = _get(root, path)
    return root
