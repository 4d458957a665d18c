"""The pattern-inclusion prover: hand cases, plus an exhaustive check against the real validator."""

from __future__ import annotations

import itertools

import jsonschema_rs
import pytest

from contractkit.compat._regex import pattern_subset

CASES = [
    ("^[a-z]+$", "^[a-z0-9]+$", True),
    ("^[a-z0-9]+$", "^[a-z]+$", None),
    ("^[A-Z]{3}$", "^[A-Z]{2,4}$", True),
    ("^[A-Z]{3}$", "^[A-Z]{4}$", None),
    ("^SKU-[0-9]{4}$", "^SKU-[0-9]{3,6}$", True),
    ("^a+$", "^(a|b)+$", None),
    ("^[a-z]+$", "^.+$", True),
    ("^.+$", "^[a-z]+$", None),
    ("^\\d+$", "^[0-9]+$", None),  # \d is ASCII in ECMA-262, Unicode elsewhere: never proven
    ("^[a\\-z]$", "^[a-z]$", None),
    ("^x?$", "^x*$", True),
    ("^x*$", "^x?$", None),
    ("[a-z]", "^[a-z]$", None),  # unanchored: unsupported
]


@pytest.mark.parametrize(("a", "b", "expected"), CASES)
def test_cases(a: str, b: str, expected: bool | None) -> None:
    assert pattern_subset(a, b) is expected


PATTERNS = [
    "^[ab]+$", "^[a-c]*$", "^a{1,2}$", "^[ab]{2}$", "^.{0,3}$", "^a?b?$", "^[a-]+$", "^[-b]{1,3}$",
    "^a[bc]$", "^.b$", "^[abc]{1,}$", "^b*$", "^[c-]?a$",
]  # fmt: skip
ALPHABET = ["a", "b", "c", "-", "\n"]


def test_proofs_hold_exhaustively_on_short_strings() -> None:
    strings = [""] + ["".join(t) for n in range(1, 5) for t in itertools.product(ALPHABET, repeat=n)]
    matches = {p: {s for s in strings if jsonschema_rs.is_valid({"pattern": p}, s)} for p in PATTERNS}
    proven = 0
    for a, b in itertools.product(PATTERNS, repeat=2):
        if pattern_subset(a, b):
            proven += 1
            assert matches[a] <= matches[b], (a, b, sorted(matches[a] - matches[b])[:5])
    assert proven > len(PATTERNS)  # the prover does prove things beyond identity
