"""Differential soundness check: whenever compare() says compatible, random instances built from
the schemas' own vocabulary never validate under the source and fail under the target.

The instance generator here is deliberately independent of the engine's sampler.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import jsonschema_rs

from contractkit.compat import CompatInputError, compare

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / ".." / "shared" / "corpora" / "jsoncompat-backcompat"

BASE: list[Any] = [
    {"type": "object", "properties": {"id": {"type": "string", "maxLength": 5}, "n": {"type": "integer"}},
     "required": ["id"], "additionalProperties": False},
    {"type": "array", "items": {"type": "integer", "minimum": 0}, "maxItems": 3},
    {"anyOf": [{"type": "string", "pattern": "^[a-c]+$"}, {"type": "null"}]},
    {"type": "object", "patternProperties": {"^x": {"type": "string"}}, "additionalProperties": {"type": "integer"}},
    {"oneOf": [{"type": "integer", "multipleOf": 2}, {"type": "integer", "multipleOf": 3}]},
    {"$defs": {"n": {"type": "object", "properties": {"v": {"type": "integer"}, "next": {"$ref": "#/$defs/n"}}}},
     "$ref": "#/$defs/n"},
]  # fmt: skip


def _schemas() -> list[Any]:
    out = list(BASE)
    if FIXTURES.is_dir():
        for d in sorted(FIXTURES.iterdir()):
            if d.is_dir():
                out += [json.loads((d / "old.json").read_text()), json.loads((d / "new.json").read_text())]
    return out


def _nodes(s: Any, out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(s, dict):
        out.append(s)
        for k, v in s.items():
            if k not in ("enum", "const", "default", "examples", "properties", "patternProperties", "$defs"):
                _nodes(v, out)
            elif k in ("properties", "patternProperties", "$defs") and isinstance(v, dict):
                for sub in v.values():
                    _nodes(sub, out)
    elif isinstance(s, list):
        for x in s:
            _nodes(x, out)
    return out


def _mutate(rng: random.Random, s: Any) -> Any:
    s = copy.deepcopy(s)
    nodes = _nodes(s, [])
    if not nodes:
        return s
    n = rng.choice(nodes)
    r = rng.random()
    if r < 0.3 and n:
        del n[rng.choice(list(n))]
    elif r < 0.5:
        n[rng.choice(["minimum", "maximum", "maxLength", "minItems", "maxProperties"])] = rng.choice([0, 1, 2, 3])
    elif r < 0.65:
        n["required"] = (
            [*n.get("required", []), rng.choice(["id", "a", "x"])]
            if isinstance(n.get("required", []), list)
            else ["id"]
        )
    elif r < 0.8:
        n["type"] = rng.choice(["integer", "number", "string", "object", ["string", "null"]])
    else:
        n["additionalProperties"] = rng.choice([False, True, {"type": "integer"}])
    return s


def _vocabulary(*schemas: Any) -> tuple[list[Any], list[str]]:
    scalars: list[Any] = [None, True, False, 0, 1, -1, 2, 3, 0.5, "", "a", "abc", "x1"]
    keys: list[str] = ["id", "a", "x", "n", "zz"]

    def walk(v: Any, key: str | None = None) -> None:
        if isinstance(v, dict):
            for k, x in v.items():
                if key in ("properties", "patternProperties", "dependentRequired", "dependentSchemas"):
                    keys.append(k)
                walk(x, k)
        elif isinstance(v, list):
            for x in v:
                walk(x, key)
                if key == "required" and isinstance(x, str):
                    keys.append(x)
        elif isinstance(v, bool) or v is None:
            return
        elif isinstance(v, int | float):
            scalars.extend([v, v + 1, v - 1])
        elif isinstance(v, str):
            scalars.append(v)

    for s in schemas:
        walk(s)
    return scalars, keys


def _instance(rng: random.Random, scalars: list[Any], keys: list[str], depth: int = 0) -> Any:
    r = rng.random()
    if depth > 2 or r < 0.45:
        return rng.choice(scalars)
    if r < 0.7:
        return [_instance(rng, scalars, keys, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(keys): _instance(rng, scalars, keys, depth + 1) for _ in range(rng.randint(0, 4))}


def test_compatible_verdicts_survive_random_instances() -> None:
    rng = random.Random(20261125)
    pool = _schemas()
    checked = 0
    for _ in range(250):
        old = rng.choice(pool)
        new = _mutate(rng, old)
        if rng.random() < 0.5:
            old, new = new, old
        mode = rng.choice(["backward", "forward"])
        try:
            report = compare(old, new, mode)  # type: ignore[arg-type]
        except CompatInputError:
            continue
        if not report.compatible:
            continue
        src, dst = (old, new) if mode == "backward" else (new, old)
        v_src = jsonschema_rs.validator_for(src, validate_formats=True)
        v_dst = jsonschema_rs.validator_for(dst, validate_formats=True)
        scalars, keys = _vocabulary(src, dst)
        for _ in range(150):
            x = _instance(rng, scalars, keys)
            assert not (v_src.is_valid(x) and not v_dst.is_valid(x)), (mode, src, dst, x)
        checked += 1
    assert checked > 50
