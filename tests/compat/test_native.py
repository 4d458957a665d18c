"""`make test-native` runs the engine's tests against the mypyc-compiled wheel (pyproject.toml's mypyc hook).

These checks make sure such a run tests what it claims: the compiled modules were imported, not the
sources beside them. In an ordinary run (pure Python) they check the opposite, so the same suite cannot
silently test one build while reporting the other.
"""

from __future__ import annotations

import importlib
import os

import pytest

import contractkit

COMPILED = [
    "contractkit.compat.engine",
    "contractkit.compat._witness",
    "contractkit.compat._prove.core",
    "contractkit._api",
    "contractkit.config",
    "contractkit.lint",
    "contractkit._uri",
]


@pytest.mark.parametrize("name", COMPILED)
def test_the_build_under_test_is_the_one_announced(name: str) -> None:
    path = importlib.import_module(name).__file__ or ""
    if os.environ.get("CONTRACTKIT_EXPECT_COMPILED"):
        assert path.endswith(".so") or path.endswith(".pyd"), f"{name} was imported from {path}, not compiled"
    else:
        assert path.endswith(".py"), f"{name} was imported from {path}: a stray compiled module shadows the source"


def test_compiled_and_pure_give_one_report() -> None:
    # The same comparison in either build (the suite runs in both): a removed property of a closed object.
    props = {"a": {"type": "string"}, "x": {"type": "string"}}
    old = {"type": "object", "properties": props, "additionalProperties": False}
    new = {"type": "object", "properties": {"a": props["a"]}, "additionalProperties": False}
    report = contractkit.compare(old, new, "backward")
    assert [(f.rule_id, f.new_pointer, f.witness.instance if f.witness else None) for f in report.findings] == [
        ("property-removed", "/properties", {"x": ""})
    ]
