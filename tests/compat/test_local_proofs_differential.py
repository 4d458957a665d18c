"""A bounded, seeded differential check of the local proofs (through ``oneOf``, member removal, a ``$ref``
replaced by an inline enum): every direction called compatible is tried against a fixed universe of
instances with jsonschema-rs. The documents carry an ``anyOf`` of a ``oneOf`` that the whole-document
proof cannot follow, so the compatible verdicts come from the stepwise and local proofs."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from typing import Any

import jsonschema_rs

from contractkit.compat import compare

VALS: list[Any] = ["a", "b", "c", 1, 2]
UNIVERSE: list[Any] = [*VALS, None, {}, {"t": "a"}, {"t": "b"}, {"t": "c"}, {"t": 1}, {"t": "a", "x": 1}, {"t": 2}]
INSTANCES = (
    [{"p": v} for v in UNIVERSE]
    + [{"p": v, "q": w} for v in UNIVERSE for w in VALS]
    + [{"p": "a", "q": v} for v in UNIVERSE]
    + [{"p": "a", "qq": v} for v in UNIVERSE]
)


def _leaf(rng: random.Random) -> Any:
    k = rng.randrange(5)
    if k == 0:
        return {"enum": rng.sample(VALS, rng.randrange(1, 4))}
    if k == 1:
        return {"type": rng.choice(["string", "integer"])}
    if k == 2:
        return {"$ref": "#/$defs/E"}
    if k == 3:
        return {"not": {"$ref": "#/$defs/E"}}
    t = {"$ref": "#/$defs/E"} if rng.random() < 0.5 else {"enum": rng.sample(VALS, 2)}
    out: dict[str, Any] = {"type": "object", "properties": {"t": t}, "required": ["t"] if rng.random() < 0.5 else []}
    if rng.random() < 0.5:
        out["additionalProperties"] = False
    return out


def _node(rng: random.Random, depth: int = 0) -> Any:
    if depth > 1 or rng.random() < 0.4:
        return _leaf(rng)
    kw = rng.choice(["oneOf", "oneOf", "anyOf", "allOf"])
    return {kw: [_node(rng, depth + 1) for _ in range(rng.randrange(2, 4))]}


def _schema(rng: random.Random) -> dict[str, Any]:
    out: dict[str, Any] = {
        "$defs": {"E": {"enum": rng.sample(VALS, 2)}},
        "type": "object",
        "properties": {"p": _node(rng), "q": {"$ref": "#/$defs/E"}},
        "anyOf": [{"oneOf": [{"required": ["a"]}, {"required": ["b"]}]}, {"required": ["p"]}],
    }
    if rng.random() < 0.3:
        out["additionalProperties"] = rng.choice([False, {"type": "integer"}])
    if rng.random() < 0.3:
        out["patternProperties"] = {"^q": {"type": "string"}}
    return out


def _paths(s: Any, want: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(s, dict):
        if want(s):
            yield path
        for k, v in s.items():
            yield from _paths(v, want, (*path, k))
    elif isinstance(s, list):
        for i, v in enumerate(s):
            yield from _paths(v, want, (*path, i))


def _at(s: Any, path: tuple[Any, ...]) -> Any:
    for t in path:
        s = s[t]
    return s


def _mutant(rng: random.Random, old: dict[str, Any]) -> dict[str, Any] | None:
    new = copy.deepcopy(old)
    k = rng.randrange(3)
    if k == 0:  # a value added to an enum
        node = _at(new, rng.choice(list(_paths(new, lambda s: isinstance(s.get("enum"), list)))))
        extra = [v for v in VALS if v not in node["enum"]]
        if not extra:
            return None
        node["enum"] = [*node["enum"], rng.choice(extra)]
    elif k == 1:  # a property removed
        del new["properties"][rng.choice(["p", "q"])]
    else:  # a $ref replaced by an inline enum (the same values, one more, or fewer)
        refs = list(_paths(new, lambda s: s.get("$ref") == "#/$defs/E"))
        if not refs:
            return None
        node = _at(new, rng.choice(refs))
        del node["$ref"]
        vals = list(old["$defs"]["E"]["enum"])
        node["enum"] = rng.choice([vals, [*vals, rng.choice(VALS)], vals[:1]])
        if rng.random() < 0.5:
            node["type"] = "string"
    return new


def test_every_compatible_verdict_holds_on_the_instance_universe() -> None:
    compatible = 0
    for seed in range(300):
        rng = random.Random(seed)
        old = _schema(rng)
        new = _mutant(rng, old)
        if new is None:
            continue
        for mode in ("backward", "forward"):
            if not compare(old, new, mode).compatible:
                continue
            compatible += 1
            v_old, v_new = jsonschema_rs.validator_for(old), jsonschema_rs.validator_for(new)
            src, dst = (v_old, v_new) if mode == "backward" else (v_new, v_old)
            broken = [x for x in INSTANCES if src.is_valid(x) and not dst.is_valid(x)]
            assert not broken, (seed, mode, old, new, broken[0])
    assert compatible > 100  # the check is not vacuous
