"""The public evaluation suites: never a missed break (a breaking pair called compatible)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / ".." / "shared" / "corpora"


def _eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_corpora", ROOT / "bench" / "eval_corpora.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["eval_corpora"] = mod  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def ev() -> ModuleType:
    if not (CORPORA / "containment-2020-12").is_dir():
        pytest.skip(f"evaluation corpora not found at {CORPORA.resolve()}")
    return _eval()


@pytest.mark.parametrize("direction", ["backward", "forward"])
def test_containment_no_missed_breaks(ev: ModuleType, direction: str) -> None:
    cases = list(ev.containment_cases(CORPORA))
    assert len(cases) == 3300
    score = ev.grade(cases, direction, True)
    assert score.missed == []
    assert score.correct / score.pairs >= 0.97


@pytest.mark.parametrize("direction", ["backward", "forward"])
def test_jsoncompat_no_missed_breaks(ev: ModuleType, direction: str) -> None:
    cases = list(ev.jsoncompat_cases(CORPORA))
    assert len(cases) == 63
    score = ev.grade(cases, direction, False)
    assert score.missed == []
