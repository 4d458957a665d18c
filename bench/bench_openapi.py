"""Time to diff two real-sized OpenAPI documents: `contractkit.compare_openapi` and `contractkit diff`.

Run: ``.venv/bin/python bench/bench_openapi.py`` (``make bench``). The two OpenAPI 3.1 documents are
generated here, deterministically (seeded), into .cache/bench_openapi/: 60 resources with 4 to 5
operations each (≥ 200 operations), component schemas with `$ref`s, enums, patterns, `oneOf`, nested
arrays, parameters, response headers and security. The new document applies a fixed set of changes
(operations removed, parameters added or narrowed, body and response schemas tightened or widened,
statuses and headers removed) so the rules and the engine have real work. Not used by the tests.

Reported: the first call in a fresh process (imports excluded, nothing memoised), the best of the warm
calls after it, and the CLI end to end (a subprocess per run, imports included), first and best warm.
"""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / ".cache" / "bench_openapi"
RESOURCES = 60
WARM_ROUNDS = 5
CLI_ROUNDS = 3


def _schema_set(rng: random.Random, name: str) -> dict[str, Any]:
    status = {"type": "string", "enum": ["draft", "active", "archived"]}
    ident = {"type": "string", "pattern": "^[a-z]{3}_[0-9a-f]{8}$", "maxLength": 12}
    money = {
        "type": "object",
        "properties": {
            "amount_minor": {"type": "integer", "minimum": 0},
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        },
        "required": ["amount_minor", "currency"],
        "additionalProperties": False,
    }
    props: dict[str, Any] = {
        "id": {"$ref": "#/components/schemas/Id"},
        "name": {"type": "string", "minLength": 1, "maxLength": 80 + rng.randrange(40)},
        "status": {"$ref": "#/components/schemas/Status"},
        "price": {"$ref": "#/components/schemas/Money"},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 20}, "maxItems": 10, "uniqueItems": True},
        "created_at": {"type": "string", "format": "date-time"},
        "detail": {
            "oneOf": [
                {
                    "type": "object",
                    "properties": {"kind": {"const": "a"}, "size": {"type": "integer"}},
                    "required": ["kind"],
                },
                {
                    "type": "object",
                    "properties": {"kind": {"const": "b"}, "label": {"type": "string"}},
                    "required": ["kind"],
                },
            ]
        },
    }
    for i in range(rng.randrange(2, 6)):
        props[f"attr_{i}"] = rng.choice(
            [{"type": "integer", "maximum": 1000}, {"type": "string", "maxLength": 64}, {"type": "boolean"}]
        )
    resource = {
        "type": "object",
        "properties": props,
        "required": ["id", "name", "status"],
        "additionalProperties": False,
    }
    create = {
        "type": "object",
        "properties": {k: v for k, v in props.items() if k not in ("id", "created_at")},
        "required": ["name"],
        "additionalProperties": False,
    }
    page = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
            "next": {"type": ["string", "null"]},
        },
        "required": ["items"],
    }
    return {"Id": ident, "Status": status, "Money": money, name: resource, f"{name}Create": create, f"{name}Page": page}


def _problem() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}},
        "required": ["title", "status"],
    }


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def generate(seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    schemas: dict[str, Any] = {"Problem": _problem()}
    paths: dict[str, Any] = {}
    errors = {
        s: {
            "description": "error",
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for s in ("400", "404", "409", "422")
    }
    rate = {"X-Rate-Remaining": {"required": True, "schema": {"type": "integer", "minimum": 0, "maximum": 1000}}}
    for r in range(RESOURCES):
        name = f"Thing{r:02d}"
        schemas.update(_schema_set(rng, name))
        base = f"/things{r:02d}"
        item = f"{base}/{{thing_id}}"
        pid = {"name": "thing_id", "in": "path", "required": True, "schema": {"$ref": "#/components/schemas/Id"}}
        limit = {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}
        tenant = {"name": "X-Tenant", "in": "header", "required": True, "schema": {"type": "string", "maxLength": 32}}
        paths[base] = {
            "get": {
                "parameters": [limit, tenant],
                "responses": {
                    "200": {"description": "page", "headers": rate, "content": _json(f"{name}Page")},
                    **errors,
                },
            },
            "post": {
                "parameters": [tenant],
                "requestBody": {"required": True, "content": _json(f"{name}Create")},
                "responses": {"201": {"description": "created", "content": _json(name)}, **errors},
            },
        }
        paths[item] = {
            "parameters": [pid],
            "get": {
                "parameters": [tenant],
                "responses": {"200": {"description": "one", "content": _json(name)}, **errors},
            },
            "patch": {
                "parameters": [tenant],
                "requestBody": {"required": True, "content": _json(f"{name}Create")},
                "responses": {"200": {"description": "updated", "content": _json(name)}, **errors},
            },
        }
        if r % 3 == 0:
            paths[item]["delete"] = {"parameters": [tenant], "responses": {"204": {"description": "gone"}, **errors}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "bench", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


def mutate(doc: dict[str, Any], seed: int = 11) -> dict[str, Any]:
    rng = random.Random(seed)
    new = copy.deepcopy(doc)
    paths, schemas = new["paths"], new["components"]["schemas"]
    for r in rng.sample(range(RESOURCES), 20):
        name, base, item = f"Thing{r:02d}", f"/things{r:02d}", f"/things{r:02d}/{{thing_id}}"
        change = rng.randrange(8)
        if change == 0:
            paths[item].pop("delete", None) or paths[item].pop("patch")
        elif change == 1:
            paths[base]["get"]["parameters"].append(
                {"name": "sort", "in": "query", "required": True, "schema": {"type": "string"}}
            )
        elif change == 2:
            paths[base]["get"]["parameters"][0]["schema"]["maximum"] = 50
        elif change == 3:
            schemas[f"{name}Create"]["required"] = ["name", "price"]
        elif change == 4:
            schemas[name]["properties"]["name"].pop("maxLength")
        elif change == 5:
            schemas[name]["properties"]["detail"]["oneOf"].append(
                {"type": "object", "properties": {"kind": {"const": "c"}}, "required": ["kind"]}
            )
        elif change == 6:
            paths[base]["get"]["responses"]["200"].pop("headers")
        else:
            paths[item]["get"]["responses"].pop("404")
    return new


def count_operations(doc: dict[str, Any]) -> int:
    return sum(1 for item in doc["paths"].values() for k in item if k in ("get", "post", "patch", "delete", "put"))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    old, new = generate(), None
    new = mutate(old)
    old_path, new_path = OUT / "old.json", OUT / "new.json"
    old_path.write_text(json.dumps(old, indent=1))
    new_path.write_text(json.dumps(new, indent=1))
    ops = count_operations(old)
    size_kb = (old_path.stat().st_size + new_path.stat().st_size) / 2 / 1024
    print(f"documents: {ops} operations (old), {count_operations(new)} (new), {size_kb:.0f} KB each, seeded")

    sys.path.insert(0, str(ROOT))
    from contractkit.openapi import compare_openapi

    t0 = time.perf_counter()
    report = compare_openapi(old_path, new_path, format_assertion=True, overrides={})
    first = time.perf_counter() - t0
    warm = min(
        _timed(lambda: compare_openapi(old_path, new_path, format_assertion=True, overrides={}))
        for _ in range(WARM_ROUNDS)
    )
    by_rule = Counter(f.rule_id for f in report.findings)
    with_witness = sum(1 for f in report.findings if f.request is not None or f.response is not None)
    print(f"findings: {len(report.findings)} ({with_witness} with a witness): {dict(sorted(by_rule.items()))}")
    print(f"compare_openapi: first {first:.3f} s, warm best of {WARM_ROUNDS} {warm:.3f} s")

    cmd = [str(ROOT / ".venv" / "bin" / "contractkit"), "diff", str(old_path), str(new_path), "--format", "json"]
    times = []
    for _ in range(CLI_ROUNDS + 1):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
        times.append(time.perf_counter() - t0)
        assert proc.returncode == 1, proc.stderr
    assert len(json.loads(proc.stdout)["findings"]) == len(report.findings)
    warm_cli = min(times[1:])
    print(
        f"contractkit diff (subprocess, JSON out): first {times[0]:.3f} s, warm best of {CLI_ROUNDS} {warm_cli:.3f} s"
    )
    return 0


def _timed(fn: Any) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    raise SystemExit(main())
