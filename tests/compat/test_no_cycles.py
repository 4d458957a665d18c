"""A comparison leaves no reference cycles behind: what it builds (documents, compiled validators, samples)
is freed by reference counting the moment `contractkit.compare` returns, not by a later pass of the cyclic
garbage collector. A nested function that refers to another one (or to itself) makes such a cycle, with
every document it holds; in the compiled build a closure's environment does too. Each comparison below
went through one before (`contractkit.compare`'s address resolver, witness shrinking and placement, the
stepwise proof, branch sampling), and such garbage cost a few percent of a comparison in collector passes."""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import contractkit
from contractkit.compat import CompatInputError, Mode

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / ".." / "shared" / "corpora"

PAIRS: list[tuple[Any, Any]] = [
    # a witness shrunk (shrink_witness), a property type changed under a ref
    (
        {"type": "object", "properties": {"a": {"$ref": "#/$defs/s"}}, "$defs": {"s": {"type": "string"}}},
        {"type": "object", "properties": {"a": {"$ref": "#/$defs/s"}}, "$defs": {"s": {"type": "integer"}}},
    ),
    # the stepwise proof, which sets values along a pointer
    (
        {"type": "object", "properties": {"a": {"type": "integer", "maximum": 5}, "b": {"type": "string"}}},
        {"type": "object", "properties": {"a": {"type": "integer", "maximum": 9}, "b": {"type": ["string", "null"]}}},
    ),
    # a oneOf whose branches are sampled one by one
    (
        {"oneOf": [{"type": "object", "required": ["a"]}, {"type": "object", "required": ["b"]}]},
        {"oneOf": [{"type": "object", "required": ["a"]}, {"type": "object", "required": ["b", "c"]}]},
    ),
    # a definition renamed
    (
        {"$ref": "#/$defs/x", "$defs": {"x": {"type": "object", "properties": {"n": {"maxLength": 3}}}}},
        {"$ref": "#/$defs/y", "$defs": {"y": {"type": "object", "properties": {"n": {"maxLength": 2}}}}},
    ),
]


def _corpus_pairs() -> Iterator[tuple[Any, Any]]:
    if not (CORPORA / "containment-2020-12").is_dir():
        return
    spec = importlib.util.spec_from_file_location("eval_corpora", ROOT / "bench" / "eval_corpora.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["eval_corpora"] = mod
    spec.loader.exec_module(mod)
    for i, case in enumerate(mod.containment_cases(CORPORA)):
        if i % 7 == 0:  # a spread of the suite's files, a few hundred pairs
            yield case.old, case.new
    for case in mod.jsoncompat_cases(CORPORA):
        yield case.old, case.new


def test_a_comparison_leaves_no_cyclic_garbage() -> None:
    pairs = PAIRS + list(_corpus_pairs())
    mode: Mode = "full"  # both directions
    contractkit.compare(*PAIRS[0], mode)  # imports and one-time set-up outside the count
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        for old, new in pairs:
            with contextlib.suppress(CompatInputError):
                contractkit.compare(old, new, mode)
        unreachable = gc.collect()
    finally:
        if was:
            gc.enable()
    assert unreachable == 0, f"{unreachable} objects in reference cycles after {len(pairs)} comparisons"
