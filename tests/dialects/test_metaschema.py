"""`metaschema_problem` gives jsonschema-rs's own metaschema verdict (`jsonschema_rs.meta.validate`).

For 2020-12 it asks a validator of the metaschema compiled once, and goes through `meta.validate` only
for the message of a schema it refuses; the two must never disagree on whether a schema is valid. Checked
on every schema of the official test suite here (drafts 4 to 2019-09, read as 2020-12 documents), the registry's own,
and seeded mutations of each that break them in the ways schemas are broken (a keyword given a value of
the wrong type, a bad regex, a negative count, an unknown `$schema`...).
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs

from contractkit.dialects import metaschema_problem

ROOT = Path(__file__).resolve().parents[2]
URI = "https://json-schema.org/draft/2020-12/schema"
VALUES: list[Any] = [None, True, 1, -1, 1.5, "x", "", [], {}, ["a"], [1], {"a": 1}, "^(", 2**70, -0.0, "string"]
KEYWORDS = ["type", "minLength", "properties", "items", "required", "$ref", "enum", "pattern", "format", "$id",
            "$anchor", "dependentRequired", "minContains", "$defs", "$schema", "$vocabulary", "multipleOf"]  # fmt: skip


def _schemas() -> Iterator[dict[str, Any]]:
    files = sorted((ROOT / "tests" / "dialects" / "suite" / "tests").rglob("*.json"))
    for path in files:
        for group in json.loads(path.read_text()):
            if isinstance(group.get("schema"), dict):
                yield group["schema"]
    for path in sorted((ROOT / "schemas").rglob("*.json")):
        data = json.loads(path.read_text())
        if isinstance(data, dict):
            yield data


def _mutated(schema: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    out = copy.deepcopy(schema)
    nodes: list[dict[str, Any]] = []
    todo: list[Any] = [out]
    while todo:
        x = todo.pop()
        if isinstance(x, dict):
            nodes.append(x)
            todo += x.values()
        elif isinstance(x, list):
            todo += x
    node = rng.choice(nodes)
    if node and rng.random() < 0.7:
        node[rng.choice(sorted(node))] = rng.choice(VALUES)
    else:
        node[rng.choice(KEYWORDS)] = rng.choice(VALUES)
    return out


def _library_verdict(schema: dict[str, Any]) -> bool:
    declared = schema.get("$schema")
    doc = schema if declared in (URI, None) else {**schema, "$schema": URI}  # as metaschema_problem reads it
    try:
        jsonschema_rs.meta.validate(doc)
    except jsonschema_rs.ValidationError:
        return False
    return True


def test_the_2020_12_verdict_is_the_library_s() -> None:
    rng = random.Random(12)
    schemas = list(_schemas())
    assert len(schemas) > 1000
    cases = schemas + [_mutated(s, rng) for s in schemas for _ in range(3)]
    refused = 0
    for schema in cases:
        ours = metaschema_problem(schema, "2020-12")
        assert (ours is None) is _library_verdict(schema), schema
        refused += ours is not None
    assert refused > 1000, "the mutations refuse schemas too"


def test_a_refused_schema_keeps_the_library_s_message() -> None:
    assert metaschema_problem({"type": "object", "minProperties": -1}, "2020-12") == (
        "/minProperties",
        "-1 is less than the minimum of 0",
    )
