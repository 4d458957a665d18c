"""Pattern containment by automata, tried against the real validator.

Every ``subset(a, b) is True`` is a proof the engine may rest a "compatible" verdict on: random
patterns from a small ECMA-262 grammar are paired, and whenever inclusion is claimed, strings that
match ``a`` (shortest ones from its automaton and random ones) must match ``b`` under jsonschema-rs.
Patterns whose reading differs between regex dialects must be refused (None), never decided.
"""

from __future__ import annotations

import random

import jsonschema_rs
import pytest

from contractkit.compat import _automata as automata

ATOMS = ["a", "b", "A", "0", ".", "[a-c]", "[^a]", "[A-Z]", "\\.", "-", "@", "(a|b)", "(?:ab)"]
QUANTS = ["", "", "*", "+", "?", "{2}", "{1,3}", "{0,}"]


def _pattern(rng: random.Random) -> str:
    body = "".join(rng.choice(ATOMS) + rng.choice(QUANTS) for _ in range(rng.randint(1, 3)))
    return ("^" if rng.random() < 0.7 else "") + body + ("$" if rng.random() < 0.7 else "")


def _matches(pattern: str, s: str) -> bool:
    return bool(jsonschema_rs.is_valid({"pattern": pattern}, s))


def test_claimed_inclusions_hold_under_the_validator() -> None:
    rng = random.Random(2026)
    alphabet = "abAZ0-.@\n x"
    claimed = 0
    for _ in range(120):
        a, b = _pattern(rng), _pattern(rng)
        if rng.random() < 0.3:
            b = a.replace("{2}", "{1,3}").replace("[a-c]", "[a-z]")
        if automata.subset((a,), b) is not True:
            continue
        claimed += 1
        strings = automata.examples(a, 6) + [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(150)
        ]
        for s in strings:
            if _matches(a, s):
                assert _matches(b, s), (a, b, s)
    assert claimed >= 10  # the grammar produces inclusions to test


def test_difference_strings_tell_the_patterns_apart() -> None:
    rng = random.Random(7)
    for _ in range(60):
        a, b = _pattern(rng), _pattern(rng)
        for s in automata.difference((a,), b, 2):
            assert _matches(a, s) and not _matches(b, s), (a, b, s)


@pytest.mark.parametrize(
    "pattern",
    ["^a{,3}$", "^(a)\\1$", "^\\u0041$", "a{", "^[]$", "^[^]$", "^a$|b^", "😀", "\\bx", "^a(?=b)", "[[a]]"],
)
def test_patterns_read_differently_across_dialects_are_refused(pattern: str) -> None:
    assert automata.subset((pattern,), "^.*$") is None
    assert automata.examples(pattern) == []


def test_a_dot_is_read_both_ways() -> None:
    # ECMA-262's dot excludes \n \r U+2028 U+2029, the validator's only \n: a proof must hold for both
    assert automata.subset(("^.$",), "^[^\\n]$") is True
    assert automata.subset(("^.$",), "^[^\\r]$") is False
    assert automata.subset(("^[^\\n\\r\u2028\u2029]$",), "^.$") is True
    assert automata.subset(("^[^a]$",), "^.$") is False
    assert automata.difference(("^[^a]$",), "^.$", 1) == ["\n"]


def _representative_by_trying(cls: object) -> str | None:
    """The documented order, one code point at a time (what `_representative` reads off the ranges)."""
    for c in automata._READABLE:
        if cls.accepts(c):  # type: ignore[attr-defined]
            return c
    for code in [*range(0x21, 0x3000), *range(0x21), 0x2028, 0x2029]:
        if cls.accepts(chr(code)):  # type: ignore[attr-defined]
            return chr(code)
    return None


def test_a_class_representative_is_the_first_character_in_the_documented_order() -> None:
    from greenery.charclass import Charclass  # type: ignore[import-untyped]

    rng = random.Random(11)
    edges = [0, 0x20, 0x21, 0x2F, 0x30, 0x41, 0x61, 0x7A, 0x7F, 0x2027, 0x2028, 0x2029, 0x2FFF, 0x3000, 0x10FFFF]
    for _ in range(300):
        ranges = []
        for _ in range(rng.randint(0, 4)):
            lo = rng.choice(edges) if rng.random() < 0.6 else rng.randint(0, 0x3100)
            hi = min(0x10FFFF, lo + rng.choice([0, 1, 5, 0x100, 0x3000, 0x10FFFF]))
            ranges.append((chr(lo), chr(hi)))
        cls = Charclass(tuple(ranges), negated=rng.random() < 0.5)
        assert automata._representative(cls) == _representative_by_trying(cls), cls


@pytest.mark.parametrize("reading", ["wide", "narrow"])
def test_the_empty_pattern_builds_the_automaton_its_translation_builds(reading: str) -> None:
    from greenery import parse

    text = automata._translate("", reading)
    assert text is not None
    full = parse(text).to_fsm()
    short = automata._fsm("", reading)
    assert (short.alphabet, short.states, short.initial, short.finals, short.map) == (
        full.alphabet,
        full.states,
        full.initial,
        full.finals,
        full.map,
    )


def test_strings_outside_an_anchored_literal_are_what_the_automaton_yields() -> None:
    """The shortcut for ``^literal$`` (no automaton, no greenery) answers what the automaton search does,
    for every n it takes; the near misses (one-letter literals "a" and "b", regex syntax, an escaped end
    anchor, letter escapes) are left to the automaton or refused."""
    rng = random.Random(5)
    alphabet = "ab09xyzAB _-,:/@#=!%&'\"<>~;`"
    bodies = ["a", "b", "c", "0", "ab", "ba", "abc", "\\t", "\\n", "a\\tb", "\\-", "\\.", "x\\/y", "\\v", "aa"]
    bodies += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(150)]
    for body in bodies:
        pattern = f"^{body}$"
        for n in (1, 2, 3):
            assert automata._difference_examples(("",), pattern, n) == automata._automaton_difference(
                ("",), pattern, n
            ), (pattern, n)
    for near_miss in ("^a$", "^b$", "^$", "^a.c$", "abc", "^abc", "^ab\\$", "^a\\d$", "^a+$", "^(ab)$"):
        assert automata._difference_examples(("",), near_miss, 3) == automata._automaton_difference(("",), near_miss, 3)
