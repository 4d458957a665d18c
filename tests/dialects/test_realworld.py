"""A fast, deterministic slice of the real-world corpus (bench/corpora/realworld): twenty pairs, the
smallest pair of each of the twenty smallest schema files (draft-04, draft-07, 2020-12, OpenAPI 2.0/3.0/3.1).

Every side loads through the registry in its own draft with its catalogue (nothing refused); every
witness of a break is confirmed by python-jsonschema on the documents as written; and no direction
called compatible is refuted by the independent check (hypothesis-jsonschema candidates, python-jsonschema
verdicts: neither jsonschema-rs nor contractkit's sampler). `make eval` runs the whole corpus.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from realworld import Independent, Pair, Workspace, independent_check, load_pairs

from contractkit.compat import compare


def _size(p: Pair) -> int:
    docs = [p.old.raw, p.new.raw, *p.old.catalog.values(), *p.new.catalog.values()]
    return sum(len(json.dumps(d)) for d in docs)


def _slice() -> list[Pair]:
    smallest: dict[str, Pair] = {}
    for p in load_pairs():
        if p.path not in smallest or _size(p) < _size(smallest[p.path]):
            smallest[p.path] = p
    return sorted(smallest.values(), key=_size)[:20]


SLICE = _slice()


@pytest.fixture(scope="module")
def workspace() -> Iterator[Workspace]:
    ws = Workspace()
    yield ws
    ws.close()


def test_the_slice_spans_the_drafts() -> None:
    declared = {p.old.raw.get("$schema", p.dialect).rstrip("#") for p in SLICE if isinstance(p.old.raw, dict)}
    assert len(SLICE) == 20
    assert {
        "http://json-schema.org/draft-04/schema",
        "http://json-schema.org/draft-07/schema",
        "https://json-schema.org/draft/2020-12/schema",
        "draft-04",  # an OpenAPI 3.0 schema revision without $schema, read in its specification's draft
    } <= declared


@pytest.mark.parametrize("pair", SLICE, ids=[p.ident for p in SLICE])
def test_real_revisions_load_and_no_compatible_verdict_is_refuted(pair: Pair, workspace: Workspace) -> None:
    old, new = workspace.bundle(pair, pair.old), workspace.bundle(pair, pair.new)
    for direction in ("backward", "forward"):
        report = compare(old, new, direction, format_assertion=False)
        src, dst = (pair.old, pair.new) if direction == "backward" else (pair.new, pair.old)
        if report.compatible:
            check = independent_check(pair, direction, per_location=6, locations=4, budget=80)
            assert check.counter_example is None, (direction, check.at, check.counter_example)
        witnesses: list[Any] = [f.witness.instance for f in report.findings if f.witness is not None]
        if witnesses:
            sv, dv = Independent(src, pair.dialect), Independent(dst, pair.dialect)
            assert [(sv.valid(w), dv.valid(w)) for w in witnesses] == [(True, False)] * len(witnesses)


def test_the_independent_check_finds_a_known_break() -> None:
    """The check has teeth: on a pair whose forward direction breaks, it finds a counter-example."""
    (pair,) = [p for p in load_pairs() if p.ident == "schemastore:github-action#8"]
    check = independent_check(pair, "forward")
    assert check.counter_example is not None
    assert Independent(pair.new, pair.dialect).valid(check.counter_example) is True
    assert Independent(pair.old, pair.dialect).valid(check.counter_example) is False


_STALLING = r"""
import sys, time, weakref
sys.path.insert(0, sys.argv[1])
import hypothesis_jsonschema
import realworld

realworld.GENERATOR_SECONDS = 1

class Obj:
    pass

def stalling(schema):
    # the cap's first signal lands while weakref callbacks run (the interpreter swallows an exception raised
    # in one), then the generator spins outside any callback
    t0 = time.time()
    while time.time() - t0 < 1.5:
        o = Obj()
        r = weakref.ref(o, lambda _: [x for x in range(20000)])
        del o
    while True:
        pass

hypothesis_jsonschema.from_schema = stalling
t0 = time.time()
out = realworld.generated({"type": "string"}, "", None, 5)
print(out, realworld.generator_stalls, round(time.time() - t0, 1))
"""


def test_the_generator_cap_ends_a_stall_even_when_its_signal_is_swallowed() -> None:
    """The independent check's generator is capped by wall clock (hypothesis-jsonschema can stall on a big
    subschema); a cap that fires inside a weakref callback must not let the stall run on. In a subprocess,
    so that a regression fails here instead of hanging the run."""
    import subprocess

    bench = str(Path(__file__).resolve().parents[2] / "bench")
    done = subprocess.run(
        [sys.executable, "-c", _STALLING, bench], capture_output=True, text=True, timeout=60, check=True
    )
    out, stalls, seconds = done.stdout.split()[-3:]
    assert out.endswith("[]") and stalls == "1" and float(seconds) < 10, done.stdout
