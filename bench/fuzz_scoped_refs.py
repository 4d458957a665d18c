"""Mutation fuzz of the engine's compatible verdicts on schemas whose refs depend on scoping.

Run: ``.venv/bin/python bench/fuzz_scoped_refs.py [SEED] [ITERATIONS]``. Takes the containment suite's
schemas that use ``$id``, ``$anchor`` or ``$dynamic*``, mutates them (an ``$id``/``$anchor``/
``$dynamicAnchor``/``$ref``/``type`` changed or removed, a ``$dynamicAnchor`` or a ``not`` added), and
compares pairs of originals and mutants backward. Every pair called compatible is checked on both
jsonschema-rs and python-jsonschema against a fixed pool of instances and the engine's own samples of
the source: an instance one validator accepts under the source and rejects under the target is
printed as a counter-example. Exit code 1 when one is found. Deterministic for a seed.
"""

from __future__ import annotations

import contextlib
import copy
import json
import random
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jsonschema
import jsonschema_rs

from contractkit.compat import compare
from contractkit.compat._doc import Doc
from contractkit.compat._sampler import Sampler

SUITE = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "containment-2020-12"
POOL: list[Any] = [
    None, True, False, 0, 1, -1, 1.5, "", "a", "x", [], [1], ["a"], [None], [[]], {}, {"a": 1},
    {"foo": "pass"}, {"bar": {"baz": {}}}, {"meta": "a", "nodes": []}, {"meta": "a", "nodes": [{"value": 1}]},
    {"meta": "a", "nodes": [{"value": 1, "subtree": {"meta": "b", "nodes": []}}]},
    {"foo": "pass", "bar": {"baz": {"foo": "pass"}}}, {"n": 1}, {"a": {"b": 1}},
]  # fmt: skip
TYPES = ["string", "integer", "null", "array", "object"]


def scoped_schemas() -> list[Any]:
    out = []
    for f in sorted(SUITE.glob("**/*.json")):
        for case in json.loads(f.read_text()):
            for s in (case["schema1"], case["schema2"]):
                text = json.dumps(s)
                if ("$id" in text or "$anchor" in text or "$dynamic" in text) and len(text) < 3000:
                    out.append(s)
    return out


def objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for k, v in node.items():
            if k not in ("enum", "const"):
                yield from objects(v)
    elif isinstance(node, list):
        for v in node:
            yield from objects(v)


def mutate(rng: random.Random, schema: Any) -> Any:
    out = copy.deepcopy(schema)
    node = rng.choice(list(objects(out)) or [{}])
    r = rng.random()
    keys = [k for k in node if k in ("$id", "$anchor", "$dynamicAnchor", "$ref", "$dynamicRef", "type")]
    if keys and r < 0.5:
        k = rng.choice(keys)
        if k == "type":
            node[k] = rng.choice(TYPES)
        elif rng.random() < 0.5 or not isinstance(node[k], str):
            del node[k]
        else:
            node[k] += rng.choice(["1", "x"])
    elif r < 0.7:
        node["type"] = rng.choice(TYPES)
    elif r < 0.85:
        node["$dynamicAnchor"] = rng.choice(["items", "meta", "thingy", "foo", "items1"])
    else:
        node["not"] = {"type": rng.choice(["string", "integer", "null"])}
    return out


def validators(schema: Any) -> tuple[Any, Any] | None:
    try:
        return jsonschema_rs.Draft202012Validator(schema), jsonschema.Draft202012Validator(schema)
    except Exception:  # a mutant either library refuses is skipped
        return None


def main(seed: int, iterations: int) -> int:
    warnings.filterwarnings("ignore")
    rng = random.Random(seed)
    schemas = scoped_schemas()
    compared = proven = bad = 0
    for _ in range(iterations):
        a = rng.choice(schemas)
        b = mutate(rng, a) if rng.random() < 0.7 else rng.choice(schemas)
        if rng.random() < 0.5:
            a, b = b, a
        if rng.random() < 0.3:
            a = mutate(rng, a)
        va, vb = validators(a), validators(b)
        if va is None or vb is None:
            continue
        try:
            report = compare(a, b, "backward")
        except Exception:  # refused inputs are not verdicts
            continue
        compared += 1
        if not report.compatible:
            continue
        proven += 1
        candidates = list(POOL)
        with contextlib.suppress(Exception):  # the fixed pool still runs
            candidates += list(Sampler(Doc(a, format_assertion=True)).sample(a))[:200]
        for x in candidates:
            try:
                ina, inb = [v.is_valid(x) for v in va], [v.is_valid(x) for v in vb]
            except Exception:  # an instance a validator cannot judge
                continue
            if any(ina[i] and not inb[i] for i in range(2)):
                bad += 1
                print("COUNTER-EXAMPLE", json.dumps(a), json.dumps(b), "instance:", json.dumps(x), ina, inb)
                break
    print(f"seed {seed}: compared {compared}, proven compatible {proven}, counter-examples {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0, int(sys.argv[2]) if len(sys.argv) > 2 else 500))
